#include <chrono>
#include <iostream>
#include <thread>

#include "jobs/workers.hpp"
#include "reports/sales_report.hpp"

namespace shop::jobs {

std::size_t process_report_batch(const Database& db) {
  auto conn = db.connect();
  pqxx::work txn(*conn);
  // Several workers may run; each claims a different small batch.
  const pqxx::result claimed = txn.exec(
      "SELECT id, params FROM report_jobs "
      "WHERE status = 'queued' "
      "ORDER BY id "
      "LIMIT 10 FOR UPDATE SKIP LOCKED");

  for (const auto& job : claimed) {
    const auto job_id = job["id"].as<std::int64_t>();
    const auto month = job["params"].as<std::string>();
    const std::string path =
        reports::write_sales_pdf(reports::load_monthly_sales(txn, month), month);
    txn.exec_params0(
        "UPDATE report_jobs SET status = 'done', result_path = $2, finished_at = now() "
        "WHERE id = $1",
        job_id, path);
  }
  txn.commit();
  return claimed.size();
}

void run_report_worker(const Database& db, const std::atomic<bool>& stop) {
  while (!stop) {
    try {
      if (process_report_batch(db) == 0) std::this_thread::sleep_for(std::chrono::seconds(2));
    } catch (const std::exception& e) {
      std::cerr << "report worker: " << e.what() << '\n';
      std::this_thread::sleep_for(std::chrono::seconds(10));
    }
  }
}

}  // namespace shop::jobs
