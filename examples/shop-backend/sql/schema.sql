-- Schema for the shop example service (PostgreSQL 14+).

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    id          bigserial PRIMARY KEY,
    sku         text NOT NULL UNIQUE,
    name        text NOT NULL,
    description text NOT NULL DEFAULT '',
    image       bytea,
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    stock       integer NOT NULL DEFAULT 0 CHECK (stock >= 0)
);

CREATE TABLE orders (
    id               bigserial PRIMARY KEY,
    user_id          bigint NOT NULL REFERENCES users (id),
    status           text NOT NULL DEFAULT 'pending',
    total_cents      bigint NOT NULL DEFAULT 0,
    shipping_address jsonb,
    notes            text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC);
CREATE INDEX orders_status_created_idx ON orders (status, created_at);

CREATE TABLE order_items (
    id               bigserial PRIMARY KEY,
    order_id         bigint NOT NULL REFERENCES orders (id),
    product_id       bigint NOT NULL REFERENCES products (id),
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_cents bigint NOT NULL
);
CREATE INDEX order_items_order_idx ON order_items (order_id);

CREATE TABLE report_jobs (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL,
    params      text NOT NULL,
    status      text NOT NULL DEFAULT 'queued',
    result_path text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX report_jobs_queued_idx ON report_jobs (id) WHERE status = 'queued';
