#pragma once

#include <atomic>
#include <cstddef>

#include "db.hpp"

namespace shop::jobs {

// report_worker.cpp: renders queued reports off the request path.
std::size_t process_report_batch(const Database& db);
void run_report_worker(const Database& db, const std::atomic<bool>& stop);

// order_expiry.cpp: releases stock held by orders that were never paid.
void expire_stale_orders(const Database& db);
void run_order_expiry(const Database& db, const std::atomic<bool>& stop);

}  // namespace shop::jobs
