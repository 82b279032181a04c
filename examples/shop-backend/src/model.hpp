#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shop {

struct OrderItem {
  std::int64_t product_id = 0;
  std::string product_name;
  int quantity = 0;
  std::int64_t unit_price_cents = 0;
};

struct Order {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string status;
  std::int64_t total_cents = 0;
  std::string created_at;
  std::vector<OrderItem> items;
};

struct Product {
  std::int64_t id = 0;
  std::string sku;
  std::string name;
  std::int64_t price_cents = 0;
  int stock = 0;
};

struct CartLine {
  std::int64_t product_id = 0;
  int quantity = 0;
};

}  // namespace shop
