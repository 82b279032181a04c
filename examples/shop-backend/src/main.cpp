#include <atomic>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include <httplib.h>

#include "db.hpp"
#include "handlers/handlers.hpp"
#include "jobs/workers.hpp"

int main() {
  const char* database_url = std::getenv("DATABASE_URL");
  const char* port_env = std::getenv("PORT");
  const shop::Database db(database_url ? database_url : "postgresql://shop@localhost/shop");
  const int port = port_env ? std::atoi(port_env) : 8080;

  namespace h = shop::handlers;
  using httplib::Request;
  using httplib::Response;
  httplib::Server server;

  // Orders
  server.Get(R"(/users/(\d+)/orders)",
             [&](const Request& req, Response& res) { h::list_user_orders(db, req, res); });
  server.Get(R"(/users/(\d+)/orders/summary)",
             [&](const Request& req, Response& res) { h::user_order_summary(db, req, res); });
  server.Post(R"(/users/(\d+)/checkout)",
              [&](const Request& req, Response& res) { h::checkout(db, req, res); });
  server.Get(R"(/orders/(\d+))",
             [&](const Request& req, Response& res) { h::get_order(db, req, res); });
  server.Get("/admin/orders",
             [&](const Request& req, Response& res) { h::admin_search_orders(db, req, res); });

  // Catalogue
  server.Get("/products",
             [&](const Request& req, Response& res) { h::list_products(db, req, res); });
  server.Get("/products/search",
             [&](const Request& req, Response& res) { h::search_products(db, req, res); });
  server.Get("/products/gift-cards",
             [&](const Request& req, Response& res) { h::list_gift_cards(db, req, res); });
  server.Get(R"(/products/(\d+))",
             [&](const Request& req, Response& res) { h::get_product(db, req, res); });

  // Reports
  server.Get("/admin/dashboard",
             [&](const Request& req, Response& res) { h::dashboard(db, req, res); });
  server.Get("/reports/top-customers",
             [&](const Request& req, Response& res) { h::top_customers(db, req, res); });
  server.Get("/reports/sales.pdf",
             [&](const Request& req, Response& res) { h::sales_report_pdf(db, req, res); });
  server.Post("/reports/sales",
              [&](const Request& req, Response& res) { h::request_sales_report(db, req, res); });

  std::atomic<bool> stop{false};
  std::thread report_worker([&] { shop::jobs::run_report_worker(db, stop); });
  std::thread order_expiry([&] { shop::jobs::run_order_expiry(db, stop); });

  std::cerr << "shop listening on :" << port << '\n';
  const bool ok = server.listen("0.0.0.0", port);
  stop = true;
  report_worker.join();
  order_expiry.join();
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
