#include "db.hpp"

#include "repo/order_repository.hpp"
#include "repo/product_repository.hpp"

namespace shop {

std::unique_ptr<pqxx::connection> Database::connect() const {
  auto conn = std::make_unique<pqxx::connection>(conninfo_);
  OrderRepository::prepare_statements(*conn);
  ProductRepository::prepare_statements(*conn);
  return conn;
}

}  // namespace shop
