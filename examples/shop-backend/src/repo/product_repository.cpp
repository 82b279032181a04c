#include "repo/product_repository.hpp"

namespace shop {

static constexpr const char* kSelectProducts =
    "SELECT id, sku, name, price_cents, stock FROM products";

namespace {

Product product_from_row(const pqxx::row& row) {
  Product p;
  p.id = row["id"].as<std::int64_t>();
  p.sku = row["sku"].as<std::string>();
  p.name = row["name"].as<std::string>();
  p.price_cents = row["price_cents"].as<std::int64_t>();
  p.stock = row["stock"].as<int>();
  return p;
}

std::vector<Product> to_products(const pqxx::result& r) {
  std::vector<Product> out;
  out.reserve(r.size());
  for (const auto& row : r) out.push_back(product_from_row(row));
  return out;
}

}  // namespace

void ProductRepository::prepare_statements(pqxx::connection& conn) {
  conn.prepare("product_by_id", "SELECT * FROM products WHERE id = $1");
}

std::optional<Product> ProductRepository::find_by_id(std::int64_t id) {
  const pqxx::result r = txn_.exec_prepared("product_by_id", id);
  if (r.empty()) return std::nullopt;
  return product_from_row(r[0]);
}

// Page numbers are still used by the old storefront.
std::vector<Product> ProductRepository::list_page(int limit, int offset) {
  return to_products(txn_.exec_params(
      std::string(kSelectProducts) + " ORDER BY id LIMIT $1 OFFSET $2", limit, offset));
}

std::vector<Product> ProductRepository::list_after(std::int64_t after_id, int limit) {
  return to_products(txn_.exec_params(
      std::string(kSelectProducts) + " WHERE id > $1 ORDER BY id LIMIT $2", after_id, limit));
}

// The storefront's stock badge: one column of a wide row (the image!).
int ProductRepository::stock_of(const std::string& sku) {
  const pqxx::result r = txn_.exec_params("SELECT * FROM products WHERE sku = $1", sku);
  return r.empty() ? 0 : r[0]["stock"].as<int>();
}

std::vector<Product> ProductRepository::search(const std::string& term, int limit) {
  return to_products(txn_.exec_params(
      std::string(kSelectProducts) +
          " WHERE name ILIKE '%' || $1 || '%'"
          "    OR description ILIKE '%' || $1 || '%'"
          " ORDER BY name LIMIT $2",
      term, limit));
}

std::vector<Product> ProductRepository::gift_cards() {
  return to_products(txn_.exec(std::string(kSelectProducts) +
                               " WHERE sku LIKE 'GIFT-%' ORDER BY price_cents"));
}

bool ProductRepository::reserve_stock(std::int64_t product_id, int quantity) {
  const pqxx::row row =
      txn_.exec_params1("SELECT stock FROM products WHERE id = $1 FOR UPDATE", product_id);
  if (row[0].as<int>() < quantity) return false;
  txn_.exec_params0("UPDATE products SET stock = stock - $2 WHERE id = $1", product_id, quantity);
  return true;
}

}  // namespace shop
