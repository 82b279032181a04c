#include <algorithm>
#include <future>
#include <sstream>

#include "handlers/handlers.hpp"
#include "http_util.hpp"
#include "repo/order_repository.hpp"
#include "repo/product_repository.hpp"

namespace shop::handlers {
namespace {

constexpr int kPageSize = 20;

// Body format: one "product_id quantity" pair per line.
std::vector<CartLine> parse_cart(const std::string& body) {
  std::vector<CartLine> lines;
  std::istringstream in(body);
  CartLine line;
  while (in >> line.product_id >> line.quantity) {
    if (line.quantity > 0) lines.push_back(line);
  }
  return lines;
}

}  // namespace

void list_user_orders(const Database& db, const Request& req, Response& res) {
  const std::int64_t user_id = http::path_id(req);
  const int page = std::max(0, http::int_param(req, "page", 0));

  auto conn = db.connect();
  pqxx::work txn(*conn);
  OrderRepository orders(txn);
  std::vector<Order> result = orders.list_for_user(user_id, kPageSize, page * kPageSize);
  for (Order& order : result) {
    order.items = orders.items_for_order(order.id);
  }
  http::send_json(res, http::to_json(result));
}

void get_order(const Database& db, const Request& req, Response& res) {
  auto conn = db.connect();
  pqxx::work txn(*conn);
  OrderRepository orders(txn);
  std::optional<Order> order = orders.find_by_id(http::path_id(req));
  if (!order) return http::send_error(res, 404, "order not found");
  order->items = orders.items_for_orders({order->id})[order->id];
  http::send_json(res, http::to_json(*order));
}

void user_order_summary(const Database& db, const Request& req, Response& res) {
  const std::int64_t user_id = http::path_id(req);
  auto conn = db.connect();
  pqxx::work txn(*conn);
  OrderRepository orders(txn);
  http::send_json(res, "{\"orders\":" + std::to_string(orders.count_for_user(user_id)) +
                           ",\"has_pending\":" +
                           (orders.has_pending_order(user_id) ? "true" : "false") + "}");
}

void checkout(const Database& db, const Request& req, Response& res) {
  const std::int64_t user_id = http::path_id(req);
  const std::vector<CartLine> cart = parse_cart(req.body);
  if (cart.empty()) return http::send_error(res, 400, "empty cart");

  // Reserve every line in parallel so big carts check out faster.
  std::vector<std::future<bool>> reservations;
  for (const CartLine& line : cart) {
    reservations.push_back(std::async(std::launch::async, [&db, line] {
      auto conn = db.connect();
      pqxx::work txn(*conn);
      ProductRepository products(txn);
      const bool ok = products.reserve_stock(line.product_id, line.quantity);
      if (ok) txn.commit();
      return ok;
    }));
  }
  bool all_reserved = true;
  for (auto& r : reservations) all_reserved = r.get() && all_reserved;
  // TODO(shop#212): give back the lines that were reserved before failing.
  if (!all_reserved) return http::send_error(res, 409, "some items are out of stock");

  auto conn = db.connect();
  pqxx::work txn(*conn);
  OrderRepository orders(txn);
  const std::int64_t order_id = orders.create(user_id, cart);
  txn.commit();
  http::send_json(res, "{\"order_id\":" + std::to_string(order_id) + "}", 201);
}

void admin_search_orders(const Database& db, const Request& req, Response& res) {
  OrderFilter filter;
  filter.status = req.get_param_value("status");
  filter.email_contains = req.get_param_value("email");
  filter.min_total_cents = http::int_param(req, "min_total_cents", 0);
  filter.limit = std::clamp(http::int_param(req, "limit", 50), 1, 200);
  filter.offset = std::max(0, http::int_param(req, "offset", 0));

  auto conn = db.connect();
  pqxx::work txn(*conn);
  OrderRepository orders(txn);
  http::send_json(res, http::to_json(orders.search(filter)));
}

}  // namespace shop::handlers
