#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "model.hpp"

namespace shop {

class ProductRepository {
 public:
  explicit ProductRepository(pqxx::work& txn) : txn_(txn) {}

  static void prepare_statements(pqxx::connection& conn);

  std::optional<Product> find_by_id(std::int64_t id);
  std::vector<Product> list_page(int limit, int offset);
  std::vector<Product> list_after(std::int64_t after_id, int limit);
  int stock_of(const std::string& sku);
  std::vector<Product> search(const std::string& term, int limit);
  std::vector<Product> gift_cards();
  bool reserve_stock(std::int64_t product_id, int quantity);

 private:
  pqxx::work& txn_;
};

}  // namespace shop
