#include <algorithm>

#include "handlers/handlers.hpp"
#include "http_util.hpp"
#include "repo/product_repository.hpp"

namespace shop::handlers {

void list_products(const Database& db, const Request& req, Response& res) {
  const int limit = std::clamp(http::int_param(req, "limit", 24), 1, 100);
  auto conn = db.connect();
  pqxx::work txn(*conn);
  ProductRepository products(txn);

  std::vector<Product> page;
  if (req.has_param("after")) {
    page = products.list_after(std::stoll(req.get_param_value("after")), limit);
  } else {
    // Legacy clients still send ?page=N.
    const int page_no = std::max(0, http::int_param(req, "page", 0));
    page = products.list_page(limit, page_no * limit);
  }
  std::string body = "{\"items\":" + http::to_json(page);
  if (static_cast<int>(page.size()) == limit)
    body += ",\"next_after\":" + std::to_string(page.back().id);
  http::send_json(res, body + "}");
}

void get_product(const Database& db, const Request& req, Response& res) {
  auto conn = db.connect();
  pqxx::work txn(*conn);
  ProductRepository products(txn);
  const std::optional<Product> product = products.find_by_id(http::path_id(req));
  if (!product) return http::send_error(res, 404, "product not found");
  http::send_json(res, http::to_json(*product));
}

void search_products(const Database& db, const Request& req, Response& res) {
  const std::string term = req.get_param_value("q");
  if (term.size() < 2) return http::send_error(res, 400, "query too short");
  auto conn = db.connect();
  pqxx::work txn(*conn);
  ProductRepository products(txn);
  http::send_json(res, http::to_json(products.search(term, 50)));
}

void list_gift_cards(const Database& db, const Request&, Response& res) {
  auto conn = db.connect();
  pqxx::work txn(*conn);
  ProductRepository products(txn);
  http::send_json(res, http::to_json(products.gift_cards()));
}

}  // namespace shop::handlers
