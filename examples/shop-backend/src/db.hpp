#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace shop {

// Opens connections with the service's prepared statements registered.
// (A real deployment would put a pool here; one connection per unit of work
// keeps the example short.)
class Database {
 public:
  explicit Database(std::string conninfo) : conninfo_(std::move(conninfo)) {}

  std::unique_ptr<pqxx::connection> connect() const;

 private:
  std::string conninfo_;
};

// Formats ids as a Postgres array literal for `= ANY($1::bigint[])`.
inline std::string to_pg_array(const std::vector<std::int64_t>& ids) {
  std::string out = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "}";
}

}  // namespace shop
