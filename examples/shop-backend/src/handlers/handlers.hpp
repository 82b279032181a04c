#pragma once

#include <httplib.h>

#include "db.hpp"

namespace shop::handlers {

using httplib::Request;
using httplib::Response;

// orders.cpp
void list_user_orders(const Database& db, const Request& req, Response& res);
void get_order(const Database& db, const Request& req, Response& res);
void user_order_summary(const Database& db, const Request& req, Response& res);
void checkout(const Database& db, const Request& req, Response& res);
void admin_search_orders(const Database& db, const Request& req, Response& res);

// products.cpp
void list_products(const Database& db, const Request& req, Response& res);
void get_product(const Database& db, const Request& req, Response& res);
void search_products(const Database& db, const Request& req, Response& res);
void list_gift_cards(const Database& db, const Request& req, Response& res);

// reports.cpp
void dashboard(const Database& db, const Request& req, Response& res);
void top_customers(const Database& db, const Request& req, Response& res);
void sales_report_pdf(const Database& db, const Request& req, Response& res);
void request_sales_report(const Database& db, const Request& req, Response& res);

}  // namespace shop::handlers
