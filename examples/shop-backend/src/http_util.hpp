#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <httplib.h>

#include "model.hpp"

namespace shop::http {

inline std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out + "\"";
}

inline std::string to_json(const OrderItem& item) {
  return "{\"product_id\":" + std::to_string(item.product_id) +
         ",\"name\":" + quote(item.product_name) +
         ",\"quantity\":" + std::to_string(item.quantity) +
         ",\"unit_price_cents\":" + std::to_string(item.unit_price_cents) + "}";
}

inline std::string to_json(const Product& p) {
  return "{\"id\":" + std::to_string(p.id) + ",\"sku\":" + quote(p.sku) +
         ",\"name\":" + quote(p.name) +
         ",\"price_cents\":" + std::to_string(p.price_cents) +
         ",\"stock\":" + std::to_string(p.stock) + "}";
}

inline std::string to_json(const Order& o);

template <typename T>
std::string to_json(const std::vector<T>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += to_json(values[i]);
  }
  return out + "]";
}

inline std::string to_json(const Order& o) {
  return "{\"id\":" + std::to_string(o.id) + ",\"status\":" + quote(o.status) +
         ",\"total_cents\":" + std::to_string(o.total_cents) +
         ",\"created_at\":" + quote(o.created_at) +
         ",\"items\":" + to_json(o.items) + "}";
}

inline int int_param(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  try {
    return std::stoi(req.get_param_value(name));
  } catch (const std::exception&) {
    return fallback;
  }
}

inline std::int64_t path_id(const httplib::Request& req, std::size_t group = 1) {
  return std::stoll(req.matches[group].str());
}

inline void send_json(httplib::Response& res, const std::string& body, int status = 200) {
  res.status = status;
  res.set_content(body, "application/json");
}

inline void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, "{\"error\":" + quote(message) + "}", status);
}

}  // namespace shop::http
