#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "model.hpp"

namespace shop {

struct OrderFilter {
  std::string status;
  std::int64_t min_total_cents = 0;
  std::string email_contains;
  int limit = 50;
  int offset = 0;
};

class OrderRepository {
 public:
  explicit OrderRepository(pqxx::work& txn) : txn_(txn) {}

  static void prepare_statements(pqxx::connection& conn);

  std::optional<Order> find_by_id(std::int64_t id);
  std::vector<Order> list_for_user(std::int64_t user_id, int limit, int offset);
  std::vector<Order> search(const OrderFilter& filter);
  std::vector<OrderItem> items_for_order(std::int64_t order_id);
  std::map<std::int64_t, std::vector<OrderItem>> items_for_orders(
      const std::vector<std::int64_t>& order_ids);
  std::int64_t count_for_user(std::int64_t user_id);
  bool has_pending_order(std::int64_t user_id);
  std::int64_t create(std::int64_t user_id, const std::vector<CartLine>& lines);
  std::vector<std::int64_t> lock_stale_pending();
  void expire(const std::vector<std::int64_t>& order_ids);

 private:
  static constexpr const char* kOrderColumns = "id, user_id, status, total_cents, created_at";

  pqxx::work& txn_;
};

}  // namespace shop
