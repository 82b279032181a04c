#include <chrono>
#include <iostream>
#include <thread>

#include "jobs/workers.hpp"
#include "repo/order_repository.hpp"

namespace shop::jobs {

void expire_stale_orders(const Database& db) {
  auto conn = db.connect();
  pqxx::work txn(*conn);
  OrderRepository orders(txn);
  const std::vector<std::int64_t> stale = orders.lock_stale_pending();
  if (!stale.empty()) orders.expire(stale);
  txn.commit();
  std::cerr << "order expiry: expired " << stale.size() << " orders\n";
}

void run_order_expiry(const Database& db, const std::atomic<bool>& stop) {
  while (!stop) {
    try {
      expire_stale_orders(db);
    } catch (const std::exception& e) {
      std::cerr << "order expiry: " << e.what() << '\n';
    }
    std::this_thread::sleep_for(std::chrono::minutes(1));
  }
}

}  // namespace shop::jobs
