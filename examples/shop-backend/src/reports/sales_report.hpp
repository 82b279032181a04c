#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace shop::reports {

struct DailySales {
  std::string day;
  std::int64_t orders = 0;
  std::int64_t revenue_cents = 0;
};

// `month` is "YYYY-MM".
std::vector<DailySales> load_monthly_sales(pqxx::work& txn, const std::string& month);

// Renders the report and returns the path of the written file.
std::string write_sales_pdf(const std::vector<DailySales>& days, const std::string& month);

}  // namespace shop::reports
