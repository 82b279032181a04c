#include "reports/sales_report.hpp"

#include <fstream>
#include <stdexcept>

namespace shop::reports {

std::vector<DailySales> load_monthly_sales(pqxx::work& txn, const std::string& month) {
  const pqxx::result r = txn.exec_params(
      R"(
      SELECT d.day::text AS day, d.orders, d.revenue_cents
      FROM (
          SELECT date_trunc('day', created_at)::date AS day,
                 COUNT(*) AS orders,
                 SUM(total_cents) AS revenue_cents
          FROM orders
          WHERE status = 'paid'
            AND created_at >= ($1 || '-01')::date
            AND created_at < ($1 || '-01')::date + interval '1 month'
          GROUP BY 1
          OFFSET 0  -- optimisation fence: aggregate first, then sort
      ) d
      ORDER BY d.day
      )",
      month);
  std::vector<DailySales> days;
  for (const auto& row : r) {
    days.push_back({row["day"].as<std::string>(), row["orders"].as<std::int64_t>(),
                    row["revenue_cents"].as<std::int64_t>()});
  }
  return days;
}

std::string write_sales_pdf(const std::vector<DailySales>& days, const std::string& month) {
  const std::string path = "/var/tmp/shop-sales-" + month + ".pdf";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path);

  // One text line per day; the PDF plumbing lives in the print service template.
  out << "%PDF-1.4\n% Sales " << month << '\n';
  for (const DailySales& d : days) {
    out << "(" << d.day << "  " << d.orders << " orders  " << d.revenue_cents / 100
        << " EUR) Tj\n";
  }
  out << "%%EOF\n";
  return path;
}

}  // namespace shop::reports
