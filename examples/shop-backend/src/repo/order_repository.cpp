#include "repo/order_repository.hpp"

#include "db.hpp"

namespace shop {
namespace {

const char* const kItemsForOrder =
    "SELECT oi.product_id, p.name, oi.quantity, oi.unit_price_cents "
    "FROM order_items oi "
    "JOIN products p ON p.id = oi.product_id "
    "WHERE oi.order_id = $1 "
    "ORDER BY oi.id";

Order order_from_row(const pqxx::row& row) {
  Order o;
  o.id = row["id"].as<std::int64_t>();
  o.user_id = row["user_id"].as<std::int64_t>();
  o.status = row["status"].as<std::string>();
  o.total_cents = row["total_cents"].as<std::int64_t>();
  o.created_at = row["created_at"].as<std::string>();
  return o;
}

OrderItem item_from_row(const pqxx::row& row) {
  OrderItem item;
  item.product_id = row["product_id"].as<std::int64_t>();
  item.product_name = row["name"].as<std::string>();
  item.quantity = row["quantity"].as<int>();
  item.unit_price_cents = row["unit_price_cents"].as<std::int64_t>();
  return item;
}

}  // namespace

void OrderRepository::prepare_statements(pqxx::connection& conn) {
  conn.prepare("order_by_id",
               std::string("SELECT ") + kOrderColumns + " FROM orders WHERE id = $1");
}

std::optional<Order> OrderRepository::find_by_id(std::int64_t id) {
  const pqxx::result r = txn_.exec_prepared("order_by_id", id);
  if (r.empty()) return std::nullopt;
  return order_from_row(r[0]);
}

std::vector<Order> OrderRepository::list_for_user(std::int64_t user_id, int limit, int offset) {
  const pqxx::result r = txn_.exec_params(
      "SELECT o.* FROM orders o "
      "WHERE o.user_id = $1 "
      "ORDER BY o.created_at DESC "
      "LIMIT $2 OFFSET $3",
      user_id, limit, offset);
  std::vector<Order> orders;
  for (const auto& row : r) orders.push_back(order_from_row(row));
  return orders;
}

// Back-office search; every filter is optional.
std::vector<Order> OrderRepository::search(const OrderFilter& filter) {
  std::string sql = "SELECT o.id, o.user_id, o.status, o.total_cents, o.created_at "
                    "FROM orders o WHERE true";
  if (!filter.status.empty()) sql += " AND o.status = " + txn_.quote(filter.status);
  if (filter.min_total_cents > 0)
    sql += " AND o.total_cents >= " + std::to_string(filter.min_total_cents);
  if (!filter.email_contains.empty()) {
    sql += " AND o.user_id IN (SELECT id FROM users WHERE email LIKE CONCAT('%', " +
           txn_.quote(filter.email_contains) + ", '%'))";
  }
  sql += " ORDER BY o.created_at DESC";
  sql += " LIMIT " + std::to_string(filter.limit) + " OFFSET " + std::to_string(filter.offset);

  std::vector<Order> orders;
  for (const auto& row : txn_.exec(sql)) orders.push_back(order_from_row(row));
  return orders;
}

std::vector<OrderItem> OrderRepository::items_for_order(std::int64_t order_id) {
  std::vector<OrderItem> items;
  for (const auto& row : txn_.exec_params(kItemsForOrder, order_id))
    items.push_back(item_from_row(row));
  return items;
}

std::map<std::int64_t, std::vector<OrderItem>> OrderRepository::items_for_orders(
    const std::vector<std::int64_t>& order_ids) {
  const pqxx::result r = txn_.exec_params(
      "SELECT oi.order_id, oi.product_id, p.name, oi.quantity, oi.unit_price_cents "
      "FROM order_items oi "
      "JOIN products p ON p.id = oi.product_id "
      "WHERE oi.order_id = ANY($1::bigint[]) "
      "ORDER BY oi.id",
      to_pg_array(order_ids));
  std::map<std::int64_t, std::vector<OrderItem>> by_order;
  for (const auto& row : r)
    by_order[row["order_id"].as<std::int64_t>()].push_back(item_from_row(row));
  return by_order;
}

std::int64_t OrderRepository::count_for_user(std::int64_t user_id) {
  const pqxx::row row =
      txn_.exec_params1("SELECT COUNT(*) FROM orders WHERE user_id = $1", user_id);
  return row[0].as<std::int64_t>();
}

bool OrderRepository::has_pending_order(std::int64_t user_id) {
  const pqxx::row row = txn_.exec_params1(
      "SELECT EXISTS (SELECT * FROM orders WHERE user_id = $1 AND status = 'pending')",
      user_id);
  return row[0].as<bool>();
}

std::int64_t OrderRepository::create(std::int64_t user_id, const std::vector<CartLine>& lines) {
  const pqxx::row order = txn_.exec_params1(
      "INSERT INTO orders (user_id, status, total_cents) VALUES ($1, 'pending', 0) "
      "RETURNING id",
      user_id);
  const auto order_id = order["id"].as<std::int64_t>();

  std::vector<std::int64_t> product_ids;
  std::vector<std::int64_t> quantities;
  for (const CartLine& line : lines) {
    product_ids.push_back(line.product_id);
    quantities.push_back(line.quantity);
  }
  txn_.exec_params0(
      "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) "
      "SELECT $1, p.id, l.quantity, p.price_cents "
      "FROM unnest($2::bigint[], $3::int[]) AS l(product_id, quantity) "
      "JOIN products p ON p.id = l.product_id",
      order_id, to_pg_array(product_ids), to_pg_array(quantities));
  txn_.exec_params0(
      "UPDATE orders SET total_cents = "
      "(SELECT SUM(quantity * unit_price_cents) FROM order_items WHERE order_id = $1) "
      "WHERE id = $1",
      order_id);
  return order_id;
}

std::vector<std::int64_t> OrderRepository::lock_stale_pending() {
  const pqxx::result r = txn_.exec(
      "SELECT id FROM orders "
      "WHERE status = 'pending' AND created_at < now() - interval '1 hour' "
      "FOR UPDATE");
  std::vector<std::int64_t> ids;
  for (const auto& row : r) ids.push_back(row["id"].as<std::int64_t>());
  return ids;
}

void OrderRepository::expire(const std::vector<std::int64_t>& order_ids) {
  const std::string ids = to_pg_array(order_ids);
  // Give the reserved stock back, then close the orders.
  txn_.exec_params0(
      "UPDATE products p SET stock = p.stock + r.quantity "
      "FROM (SELECT product_id, SUM(quantity) AS quantity FROM order_items "
      "      WHERE order_id = ANY($1::bigint[]) GROUP BY product_id) r "
      "WHERE p.id = r.product_id",
      ids);
  txn_.exec_params0("UPDATE orders SET status = 'expired' WHERE id = ANY($1::bigint[])", ids);
}

}  // namespace shop
