-- Ad-hoc reports for the finance team: psql "$DATABASE_URL" -f sql/reports.sql

-- Refunded orders, newest first, third page of 50.
SELECT * FROM orders
WHERE status = 'refunded'
ORDER BY created_at DESC
LIMIT 50 OFFSET 100;

-- Customers who signed up through the partner domain.
SELECT id, email, created_at FROM users WHERE email LIKE '%@partner.example';

-- Staff accounts.
SELECT id, email FROM users WHERE email LIKE 'staff-%';

-- Revenue per month.
SELECT date_trunc('month', created_at) AS month, SUM(total_cents) AS revenue_cents
FROM orders
WHERE status = 'paid'
GROUP BY 1
ORDER BY 1;

-- Month-end close: hold last month's paid orders while the totals are checked.
BEGIN;
SELECT id, total_cents FROM orders
WHERE status = 'paid'
  AND created_at >= date_trunc('month', now()) - interval '1 month'
  AND created_at < date_trunc('month', now())
FOR UPDATE;
UPDATE orders SET status = 'closed'
WHERE status = 'paid' AND created_at < date_trunc('month', now());
COMMIT;

-- Manual correction of a single order.
BEGIN;
SELECT id, total_cents FROM orders WHERE id = 4711 FOR UPDATE;
UPDATE orders SET total_cents = 12900 WHERE id = 4711;
COMMIT;
