#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iterator>
#include <thread>

#include "handlers/handlers.hpp"
#include "http_util.hpp"
#include "reports/sales_report.hpp"

namespace shop::handlers {
namespace {

std::string month_param(const Request& req) {
  if (req.has_param("month")) return req.get_param_value("month");
  const std::time_t now = std::time(nullptr);
  char buf[8];
  std::strftime(buf, sizeof buf, "%Y-%m", std::gmtime(&now));
  return buf;
}

std::string storage_url() {
  const char* url = std::getenv("STORAGE_URL");
  return url ? url : "http://storage.internal:9000";
}

}  // namespace

void dashboard(const Database& db, const Request&, Response& res) {
  auto conn = db.connect();
  pqxx::work txn(*conn);
  const auto order_count = txn.exec1("SELECT COUNT(*) FROM orders")[0].as<std::int64_t>();
  const pqxx::row revenue = txn.exec1(R"(
      SELECT COALESCE(SUM(total_cents), 0) AS revenue_cents,
             COALESCE(AVG(total_cents), 0)::bigint AS avg_order_cents
      FROM orders
      WHERE status = 'paid'
  )");
  http::send_json(res, "{\"orders\":" + std::to_string(order_count) + ",\"revenue_cents\":" +
                           revenue["revenue_cents"].as<std::string>() +
                           ",\"avg_order_cents\":" +
                           revenue["avg_order_cents"].as<std::string>() + "}");
}

void top_customers(const Database& db, const Request& req, Response& res) {
  const int limit = std::min(100, http::int_param(req, "limit", 10));
  auto conn = db.connect();
  pqxx::work txn(*conn);
  const pqxx::result top = txn.exec_params(
      "SELECT user_id, SUM(total_cents) AS spent "
      "FROM orders "
      "WHERE status = 'paid' AND created_at > now() - interval '30 days' "
      "GROUP BY user_id "
      "ORDER BY spent DESC "
      "LIMIT $1",
      limit);

  std::string body = "[";
  for (const auto& row : top) {
    const auto user_id = row["user_id"].as<std::int64_t>();
    const pqxx::row user =
        txn.exec_params1("SELECT email, display_name FROM users WHERE id = $1", user_id);
    if (body.size() > 1) body += ',';
    body += "{\"user_id\":" + std::to_string(user_id) +
            ",\"email\":" + http::quote(user["email"].as<std::string>()) +
            ",\"name\":" + http::quote(user["display_name"].as<std::string>()) +
            ",\"spent_cents\":" + row["spent"].as<std::string>() + "}";
  }
  http::send_json(res, body + "]");
}

// GET /reports/sales.pdf?month=YYYY-MM: renders, archives and returns the PDF.
void sales_report_pdf(const Database& db, const Request& req, Response& res) {
  const std::string month = month_param(req);
  auto conn = db.connect();
  pqxx::work txn(*conn);
  const std::vector<reports::DailySales> days = reports::load_monthly_sales(txn, month);
  const std::string path = reports::write_sales_pdf(days, month);

  std::ifstream in(path, std::ios::binary);
  const std::string pdf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  // Keep a copy in object storage; it is flaky, so retry with backoff.
  httplib::Client storage(storage_url());
  storage.set_connection_timeout(5);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto uploaded = storage.Put("/reports/sales-" + month + ".pdf", pdf, "application/pdf");
    if (uploaded && uploaded->status < 300) break;
    std::this_thread::sleep_for(std::chrono::seconds(attempt));
  }
  res.set_content(pdf, "application/pdf");
}

// POST /reports/sales?month=YYYY-MM: queues the same work for jobs/report_worker.cpp.
void request_sales_report(const Database& db, const Request& req, Response& res) {
  auto conn = db.connect();
  pqxx::work txn(*conn);
  const pqxx::row job = txn.exec_params1(
      "INSERT INTO report_jobs (kind, params, status) "
      "VALUES ('sales_pdf', $1, 'queued') RETURNING id",
      month_param(req));
  txn.commit();
  const std::string job_id = job["id"].as<std::string>();
  http::send_json(res, "{\"job_id\":" + job_id + ",\"status\":\"queued\"}", 202);
}

}  // namespace shop::handlers
