//===--- SchemaTest.cpp - The schema learnt from DDL -----------------------===//
///
/// \file
/// The DDL model (lib/schema): each statement kind, the order statements
/// and files apply in, MySQL/SQLite DDL, statements that do not parse,
/// natural sort and globs, and the predicates the schema refines.
///
//===----------------------------------------------------------------------===//
#include "rules/Predicates.h"
#include "rules/RuleSet.h"
#include "schema/SchemaFiles.h"
#include "sql/Rewrites.h"
#include "sql/SqlFacts.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace stresslint;

namespace {

Schema learn(llvm::StringRef Sql, SqlDialect D = SqlDialect::PostgreSQL) {
  Schema S;
  S.applyFile("m.sql", Sql, D);
  return S;
}

std::vector<std::string> columnNames(const SchemaTable &T) {
  std::vector<std::string> Out;
  Out.reserve(T.Columns.size());
  for (const SchemaColumn &C : T.Columns)
    Out.push_back(C.Name);
  return Out;
}

TEST(Schema, CreateTableColumnsKeysAndLines) {
  Schema S = learn("-- users\n"
                   "CREATE TABLE public.Users (\n"
                   "  id bigserial PRIMARY KEY,\n"
                   "  email varchar(200) NOT NULL UNIQUE,\n"
                   "  \"Nick\" text,\n"
                   "  tenant int NOT NULL,\n"
                   "  slug text,\n"
                   "  CONSTRAINT users_slug UNIQUE (tenant, slug)\n"
                   ");\n");
  const SchemaTable *T = S.table("users");
  ASSERT_TRUE(T);
  EXPECT_EQ(T, S.table("PUBLIC.USERS"));
  EXPECT_EQ(T->From.File, "m.sql");
  EXPECT_EQ(T->From.Line, 2u);
  EXPECT_EQ(columnNames(*T),
            (std::vector<std::string>{"id", "email", "Nick", "tenant", "slug"}));
  EXPECT_EQ(T->Columns[1].Type, "varchar(200)");
  EXPECT_EQ(T->Columns[3].Type, "integer");
  EXPECT_TRUE(T->Columns[0].NotNull); // PRIMARY KEY implies it.
  EXPECT_TRUE(T->Columns[1].NotNull);
  EXPECT_FALSE(T->Columns[2].NotNull);
  EXPECT_EQ(T->Columns[3].From.Line, 6u);
  ASSERT_EQ(T->Keys.size(), 3u);
  EXPECT_TRUE(T->Keys[0].Primary);
  EXPECT_EQ(T->Keys[2].Name, "users_slug");
  EXPECT_EQ(T->Keys[2].From.Line, 8u);
  EXPECT_TRUE(T->pinnedByKey({"id"}));
  EXPECT_TRUE(T->pinnedByKey({"EMAIL"}));
  EXPECT_TRUE(T->pinnedByKey({"slug", "tenant"}));
  EXPECT_FALSE(T->pinnedByKey({"tenant"}));
  EXPECT_FALSE(T->pinnedByKey({}));
}

TEST(Schema, IndexesWithMethodsExpressionsAndOperatorClasses) {
  Schema S = learn("CREATE TABLE a (id int, title text, body text, code text, n int);\n"
                   "CREATE INDEX a_title ON a USING gin (title gin_trgm_ops);\n"
                   "CREATE INDEX CONCURRENTLY IF NOT EXISTS a_body ON a USING gist "
                   "(lower(body) gist_trgm_ops);\n"
                   "CREATE UNIQUE INDEX ON a (code);\n"
                   "CREATE UNIQUE INDEX a_n_live ON a (n) WHERE id > 0;\n"
                   "CREATE INDEX a_title_btree ON a (title text_pattern_ops);\n");
  const SchemaTable *T = S.table("a");
  ASSERT_TRUE(T);
  ASSERT_EQ(T->Indexes.size(), 5u);
  EXPECT_EQ(T->Indexes[0].Method, "gin");
  EXPECT_EQ(T->Indexes[0].Keys[0].OpClass, "gin_trgm_ops");
  EXPECT_EQ(T->Indexes[1].Keys[0].Expression, "lower(body)");
  EXPECT_EQ(T->Indexes[1].Keys[0].Column, "body");
  EXPECT_EQ(T->Indexes[1].From.Line, 3u);
  EXPECT_EQ(T->Indexes[2].Name, "a_code_key");
  EXPECT_TRUE(T->Indexes[2].Unique);
  EXPECT_TRUE(T->Indexes[3].Partial);

  EXPECT_TRUE(T->hasTrigramIndex("title", false));
  EXPECT_FALSE(T->hasTrigramIndex("title", true));
  EXPECT_TRUE(T->hasTrigramIndex("body", true));
  EXPECT_FALSE(T->hasTrigramIndex("body", false));
  EXPECT_FALSE(T->hasTrigramIndex("code", false)); // b-tree
  // A unique index pins; a partial one does not.
  EXPECT_TRUE(T->pinnedByKey({"code"}));
  EXPECT_FALSE(T->pinnedByKey({"n"}));
}

TEST(Schema, AlterRenameAndDropApplyInOrder) {
  Schema S = learn("CREATE TABLE t (a int, b int, c int);\n"
                   "CREATE INDEX t_c ON t USING gin (c gin_trgm_ops);\n"
                   "ALTER TABLE t ADD COLUMN d text NOT NULL, DROP COLUMN b;\n"
                   "ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (a, d);\n"
                   "ALTER TABLE t RENAME COLUMN d TO e;\n"
                   "ALTER TABLE t RENAME TO u;\n"
                   "ALTER TABLE u DROP COLUMN c;\n"
                   "CREATE TABLE gone (x int);\n"
                   "DROP TABLE IF EXISTS gone, never;\n"
                   "CREATE TABLE i (x int);\n"
                   "CREATE INDEX i_x ON i (x);\n"
                   "ALTER INDEX i_x RENAME TO i_y;\n"
                   "DROP INDEX i_y;\n");
  EXPECT_FALSE(S.table("t"));
  EXPECT_FALSE(S.table("gone"));
  const SchemaTable *U = S.table("u");
  ASSERT_TRUE(U);
  EXPECT_EQ(columnNames(*U), (std::vector<std::string>{"a", "e"}));
  EXPECT_EQ(U->Columns[1].From.Line, 3u);
  ASSERT_EQ(U->Keys.size(), 1u);
  EXPECT_EQ(U->Keys[0].Columns, (std::vector<std::string>{"a", "e"}));
  EXPECT_TRUE(U->pinnedByKey({"e", "a"}));
  EXPECT_FALSE(U->pinnedByKey({"a"}));
  EXPECT_TRUE(U->Indexes.empty()); // Dropped with column c.
  ASSERT_TRUE(S.table("i"));
  EXPECT_TRUE(S.table("i")->Indexes.empty());

  // A later CREATE TABLE of the same name replaces it; IF NOT EXISTS keeps it.
  Schema R = learn("CREATE TABLE t (a int);\n"
                   "CREATE TABLE IF NOT EXISTS t (z int);\n"
                   "DROP TABLE t;\n"
                   "CREATE TABLE t (b int);\n");
  ASSERT_TRUE(R.table("t"));
  EXPECT_EQ(columnNames(*R.table("t")), (std::vector<std::string>{"b"}));
}

TEST(Schema, ConstraintsNotNullTypesAndLike) {
  Schema S = learn(
      "CREATE TABLE t (a int, b text, c int);\n"
      "ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b TYPE varchar(9);\n"
      "CREATE UNIQUE INDEX t_c_idx ON t (c);\n"
      "ALTER TABLE t ADD CONSTRAINT t_c_key UNIQUE USING INDEX t_c_idx;\n"
      "ALTER TABLE t ADD CONSTRAINT t_b_key UNIQUE (b);\n"
      "ALTER TABLE t RENAME CONSTRAINT t_b_key TO t_b_uq;\n"
      "ALTER TABLE t DROP CONSTRAINT t_b_uq;\n"
      "ALTER TABLE t ADD COLUMN IF NOT EXISTS a bigint;\n"
      "CREATE TABLE t2 (LIKE t, d int);\n"
      "CREATE MATERIALIZED VIEW mv AS SELECT a FROM t;\n"
      "DROP MATERIALIZED VIEW mv;\n");
  const SchemaTable *T = S.table("t");
  ASSERT_TRUE(T);
  EXPECT_TRUE(T->Columns[0].NotNull);
  EXPECT_EQ(T->Columns[0].Type, "integer"); // ADD COLUMN IF NOT EXISTS kept it.
  EXPECT_EQ(T->Columns[1].Type, "varchar(9)");
  ASSERT_EQ(T->Keys.size(), 1u);
  EXPECT_EQ(T->Keys[0].Name, "t_c_key");
  EXPECT_EQ(T->Keys[0].Columns, (std::vector<std::string>{"c"}));
  EXPECT_FALSE(T->pinnedByKey({"b"}));
  ASSERT_TRUE(S.table("t2"));
  EXPECT_EQ(columnNames(*S.table("t2")),
            (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_FALSE(S.table("mv"));
}

TEST(Schema, MaterializedViewsAndTableAs) {
  Schema S = learn("CREATE TABLE o (id int, tenant int);\n"
                   "CREATE MATERIALIZED VIEW o_stats AS\n"
                   "  SELECT tenant, count(*), max(o.id) AS last_id, id + 1 FROM o\n"
                   "  GROUP BY tenant;\n"
                   "CREATE UNIQUE INDEX ON o_stats (tenant);\n"
                   "CREATE TABLE copy (x, y) AS SELECT 1, 2;\n");
  const SchemaTable *V = S.table("o_stats");
  ASSERT_TRUE(V);
  EXPECT_TRUE(V->MaterializedView);
  // `id + 1` has no evident name.
  EXPECT_EQ(columnNames(*V), (std::vector<std::string>{"tenant", "count", "last_id"}));
  EXPECT_TRUE(V->pinnedByKey({"tenant"}));
  ASSERT_TRUE(S.table("copy"));
  EXPECT_FALSE(S.table("copy")->MaterializedView);
  EXPECT_EQ(columnNames(*S.table("copy")), (std::vector<std::string>{"x", "y"}));
}

TEST(Schema, MySqlAndSqliteDdl) {
  llvm::StringRef MySql =
      "CREATE TABLE `users` (\n"
      "  `id` int(11) unsigned NOT NULL AUTO_INCREMENT,\n"
      "  `email` varchar(255) CHARACTER SET utf8mb4 NOT NULL COMMENT 'login',\n"
      "  `seen` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n"
      "  PRIMARY KEY (`id`) USING BTREE,\n"
      "  UNIQUE KEY `users_email` (`email`),\n"
      "  KEY `users_seen` (`seen`),\n"
      "  FULLTEXT KEY `users_ft` (`email`)\n"
      ") ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4;\n";
  for (SqlDialect D : {SqlDialect::MySQL, SqlDialect::PostgreSQL}) {
    Schema S = learn(MySql, D);
    EXPECT_EQ(S.skippedStatements(), 0u) << S.firstSkipError();
    const SchemaTable *T = S.table("users");
    ASSERT_TRUE(T) << sqlDialectName(D).str();
    EXPECT_EQ(columnNames(*T), (std::vector<std::string>{"id", "email", "seen"}));
    EXPECT_EQ(T->Columns[1].From.Line, 3u);
    EXPECT_TRUE(T->pinnedByKey({"id"}));
    EXPECT_TRUE(T->pinnedByKey({"email"}));
    ASSERT_EQ(T->Indexes.size(), 1u);
    EXPECT_EQ(T->Indexes[0].Name, "users_seen");
    EXPECT_EQ(T->Indexes[0].From.Line, 7u);
  }
  Schema Lite = learn("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                      "body TEXT NOT NULL);\n",
                      SqlDialect::SQLite);
  ASSERT_TRUE(Lite.table("notes"));
  EXPECT_TRUE(Lite.table("notes")->pinnedByKey({"id"}));
  // A PostgreSQL `key` column is a column, not a MySQL index.
  Schema Pg = learn("CREATE TABLE kv (key text PRIMARY KEY, value text);\n");
  ASSERT_TRUE(Pg.table("kv"));
  EXPECT_EQ(columnNames(*Pg.table("kv")), (std::vector<std::string>{"key", "value"}));
}

TEST(Schema, StatementsThatDoNotParseAreSkippedAndCounted) {
  Schema S = learn("CREATE TABLE a (id int PRIMARY KEY);\n"
                   "\n"
                   "CREATE TABEL broken (x int);\n"
                   "CREATE TABLE b (id int);\n"
                   "INSERT INTO a VALUES (1);\n"
                   "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;\n"
                   "ALTER TABLE missing ADD COLUMN y int;\n"
                   "\\set x 1\n");
  EXPECT_TRUE(S.table("a"));
  EXPECT_TRUE(S.table("b"));
  EXPECT_FALSE(S.table("broken"));
  EXPECT_EQ(S.skippedStatements(), 2u);
  EXPECT_EQ(S.firstSkipped().Line, 3u);
  EXPECT_NE(S.firstSkipError().find("syntax error"), std::string::npos)
      << S.firstSkipError();
  std::string Shown;
  llvm::raw_string_ostream OS(Shown);
  S.print(OS);
  EXPECT_NE(Shown.find("statements skipped (did not parse): 2, first at m.sql:3:"),
            std::string::npos)
      << Shown;
  EXPECT_NE(Shown.find("table a  (m.sql:1)\n  column id integer not null  (m.sql:1)\n"
                       "  primary key (id)  (m.sql:1)\n"),
            std::string::npos)
      << Shown;
}

TEST(Schema, NaturalOrderAndGlobs) {
  std::vector<std::string> Names{"m/10_b.sql",  "m/2_a.sql", "m/1_c.sql",
                                 "m/002_x.sql", "m/b.sql",   "m/a.sql"};
  llvm::sort(Names, [](const std::string &A, const std::string &B) {
    return naturalLess(A, B);
  });
  // Numbers compare as numbers (002 == 2), then the rest of the name.
  EXPECT_EQ(Names, (std::vector<std::string>{"m/1_c.sql", "m/2_a.sql", "m/002_x.sql",
                                             "m/10_b.sql", "m/a.sql", "m/b.sql"}));
  auto Match = [](llvm::StringRef G, llvm::StringRef P) {
    llvm::Expected<bool> M = matchPathGlob(G, P);
    EXPECT_TRUE(static_cast<bool>(M));
    return M && *M;
  };
  EXPECT_TRUE(Match("**/migrations/**/*.sql", "migrations/001.sql"));
  EXPECT_TRUE(Match("**/migrations/**/*.sql", "db/migrations/v1/001.sql"));
  EXPECT_FALSE(Match("**/migrations/**/*.sql", "db/migrations.sql"));
  EXPECT_TRUE(Match("**/schema*.sql", "schema.sql"));
  EXPECT_TRUE(Match("**/schema*.sql", "sql/schema_v2.sql"));
  EXPECT_FALSE(Match("**/schema*.sql", "schema/tables.sql"));
  EXPECT_FALSE(Match("db/*.sql", "db/sub/x.sql"));
  auto Bad = [](llvm::StringRef Globs) {
    llvm::Error E = checkSchemaGlobs(Globs);
    bool Failed = static_cast<bool>(E);
    llvm::consumeError(std::move(E));
    return Failed;
  };
  EXPECT_TRUE(Bad("**/[a.sql"));
  EXPECT_TRUE(Bad("/abs/*.sql"));
  EXPECT_FALSE(Bad("db/*.sql, **/schema.sql"));
}

TEST(Schema, FilesAreFoundInNaturalOrderAndAppliedInIt) {
  llvm::SmallString<128> Root;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-schema", Root));
  auto Write = [&](llvm::StringRef Rel, llvm::StringRef Text) {
    llvm::SmallString<128> P(Root);
    llvm::sys::path::append(P, Rel);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream(P, EC) << Text;
  };
  // 10_ renames what 2_ created: applied 1, 2, 10 the table ends as `c`.
  Write("db/migrations/10_rename.sql", "ALTER TABLE b RENAME TO c;\n");
  Write("db/migrations/2_b.sql", "ALTER TABLE a RENAME TO b;\n");
  Write("db/migrations/1_a.sql", "CREATE TABLE a (id int PRIMARY KEY);\n");
  Write("build/migrations/9_x.sql", "CREATE TABLE built (id int);\n");
  Write("node_modules/pkg/migrations/1.sql", "CREATE TABLE dep (id int);\n");
  Write(".hidden/migrations/1.sql", "CREATE TABLE hidden (id int);\n");
  Write("other/schema.sql", "CREATE TABLE s (id int);\n");
  std::string R = std::string(Root);
  llvm::Expected<std::vector<std::string>> Files =
      findSchemaFiles(R, "**/migrations/**/*.sql,**/schema*.sql");
  ASSERT_TRUE(static_cast<bool>(Files)) << llvm::toString(Files.takeError());
  ASSERT_EQ(Files->size(), 4u);
  EXPECT_TRUE(llvm::StringRef((*Files)[0]).endswith("db/migrations/1_a.sql"));
  EXPECT_TRUE(llvm::StringRef((*Files)[2]).endswith("db/migrations/10_rename.sql"));
  EXPECT_TRUE(llvm::StringRef((*Files)[3]).endswith("other/schema.sql"));

  auto S = loadSchema(R, "db/migrations/*.sql", SqlDialect::PostgreSQL);
  ASSERT_TRUE(static_cast<bool>(S)) << llvm::toString(S.takeError());
  ASSERT_TRUE(*S);
  EXPECT_TRUE((*S)->table("c"));
  EXPECT_FALSE((*S)->table("a"));
  EXPECT_EQ((*S)->files().front(), "db/migrations/1_a.sql");
  // Cached while the files are unchanged; a changed file is read again.
  auto Again = loadSchema(R, "db/migrations/*.sql", SqlDialect::PostgreSQL);
  ASSERT_TRUE(static_cast<bool>(Again));
  EXPECT_EQ(Again->get(), S->get());
  Write("db/migrations/10_rename.sql", "ALTER TABLE b RENAME TO dd;\n");
  auto Changed = loadSchema(R, "db/migrations/*.sql", SqlDialect::PostgreSQL);
  ASSERT_TRUE(static_cast<bool>(Changed));
  EXPECT_TRUE((*Changed)->table("dd"));
  // No file: no schema, no error.
  auto None = loadSchema(R, "nowhere/*.sql", SqlDialect::PostgreSQL);
  ASSERT_TRUE(static_cast<bool>(None));
  EXPECT_FALSE(*None);
  llvm::sys::fs::remove_directories(Root);
}

/// The facts of \p Sql that \p RuleId's predicate reports with \p S.
unsigned reported(llvm::StringRef RuleId, llvm::StringRef Sql,
                  std::shared_ptr<const Schema> S,
                  llvm::StringMap<std::string> Options = {}) {
  auto Rules = RuleSet::load({});
  EXPECT_TRUE(static_cast<bool>(Rules));
  if (!Rules)
    return 0;
  const Rule *R = Rules->rule(RuleId);
  EXPECT_TRUE(R);
  BoundRule B = bindOptions(*R, Options);
  B.DbSchema = std::move(S);
  unsigned N = 0;
  for (const SqlFact &F : analyzeSql(Sql).Facts)
    N += predicateMatches(B, F);
  return N;
}

TEST(Schema, TrigramIndexSilencesLeadingWildcard) {
  auto S = std::make_shared<Schema>(
      learn("CREATE TABLE posts (id int, title text, body text, tag text);\n"
            "CREATE TABLE users (id int, name text);\n"
            "CREATE INDEX ON posts USING gin (title gin_trgm_ops);\n"
            "CREATE INDEX ON posts USING gist (lower(body) gist_trgm_ops);\n"
            "CREATE INDEX ON posts (tag);\n"));
  const char *Rule = "stress-leading-wildcard-like";
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE title LIKE '%a%'", S), 0u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE title ILIKE '%' || $1", S), 0u);
  EXPECT_EQ(
      reported(Rule, "SELECT p.id FROM public.posts p WHERE p.title LIKE '%a'", S), 0u);
  EXPECT_EQ(reported(Rule,
                     "SELECT 1 FROM posts p JOIN users u ON u.id = p.id "
                     "WHERE title LIKE '%a'",
                     S),
            0u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE lower(body) LIKE '%a'", S), 0u);
  EXPECT_EQ(reported(Rule, "UPDATE posts SET tag = 'x' WHERE title LIKE '%a'", S), 0u);
  // Traps: no schema, a b-tree index, the other column, the wrong
  // expression, another table's column, an unknown table, the option off.
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE title LIKE '%a%'", nullptr), 1u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE tag LIKE '%a%'", S), 1u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE title NOT LIKE '%a%'", S), 1u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE title NOT ILIKE '%a%'", S), 1u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE title SIMILAR TO '%(a|b)%'", S),
            0u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE body LIKE '%a%'", S), 1u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE lower(title) LIKE '%a%'", S),
            1u);
  EXPECT_EQ(reported(Rule,
                     "SELECT 1 FROM posts p JOIN users u ON u.id = p.id "
                     "WHERE u.name LIKE '%a'",
                     S),
            1u);
  EXPECT_EQ(reported(Rule,
                     "SELECT 1 FROM users u WHERE EXISTS (SELECT 1 FROM "
                     "(SELECT title FROM posts) s WHERE title LIKE '%a')",
                     S),
            1u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM articles WHERE title LIKE '%a%'", S), 1u);
  EXPECT_EQ(reported(Rule, "SELECT id FROM posts WHERE title LIKE '%a%'", S,
                     {{"TrigramIndexSilences", "false"}}),
            1u);
}

TEST(Schema, KeysPinRowLocksAndAggregates) {
  auto S = std::make_shared<Schema>(
      learn("CREATE TABLE lines (order_id int, line_no int, qty int, sku text,\n"
            "  PRIMARY KEY (order_id, line_no), UNIQUE (sku));\n"));
  const char *Lock = "stress-unbounded-row-lock";
  EXPECT_EQ(reported(Lock,
                     "SELECT qty FROM lines WHERE order_id = $1 AND "
                     "line_no = $2 FOR UPDATE",
                     S),
            0u);
  EXPECT_EQ(reported(Lock, "SELECT qty FROM lines WHERE sku = $1 FOR UPDATE", S), 0u);
  EXPECT_EQ(reported(Lock, "SELECT qty FROM lines WHERE order_id = $1 FOR UPDATE", S),
            1u);
  EXPECT_EQ(reported(Lock,
                     "SELECT qty FROM lines WHERE order_id = $1 AND "
                     "line_no = $2 FOR UPDATE",
                     nullptr),
            1u);
  EXPECT_EQ(reported(Lock,
                     "SELECT qty FROM lines WHERE order_id = $1 AND "
                     "line_no = $2 FOR UPDATE",
                     S, {{"SchemaKeys", "false"}}),
            1u);
  EXPECT_EQ(reported(Lock,
                     "SELECT 1 FROM lines l JOIN x ON x.a = l.qty WHERE "
                     "order_id = $1 AND line_no = $2 FOR UPDATE",
                     S),
            1u);
  const char *Agg = "stress-hot-path-aggregate";
  EXPECT_EQ(reported(Agg, "SELECT count(*) FROM lines WHERE sku = $1", S), 0u);
  EXPECT_EQ(reported(Agg, "SELECT sum(qty) FROM lines WHERE line_no = $1", S), 1u);
}

/// The names schemaGaps reports in \p Sql, each `text@offset`.
std::vector<std::string> gaps(const Schema &S, llvm::StringRef Sql,
                              SqlDialect D = SqlDialect::PostgreSQL) {
  std::vector<std::string> Out;
  for (const SchemaGap &G : schemaGaps(S, Sql, D, 0))
    Out.push_back(Sql.slice(G.Begin, G.End).str() + "@" + std::to_string(G.Begin));
  return Out;
}

TEST(Schema, NamesTheSchemaLacksGetNotes) {
  Schema S =
      learn("CREATE TABLE orders (id bigint PRIMARY KEY, status text, total int);\n"
            "CREATE TABLE parts (LIKE missing_template);\n"
            "CREATE TABLE archive (note text) INHERITS (orders);\n"
            "CREATE VIEW big AS SELECT * FROM orders WHERE total > 9;\n");
  using V = std::vector<std::string>;
  EXPECT_EQ(gaps(S, "SELECT * FROM ordrs"), V{"ordrs@14"});
  EXPECT_EQ(gaps(S, "SELECT id FROM public.ordrs o"), V{"public.ordrs@15"});
  EXPECT_EQ(gaps(S, "SELECT id FROM orders WHERE stauts = $1"), V{"stauts@28"});
  EXPECT_EQ(gaps(S, "SELECT o.id FROM orders o WHERE o.totl > 1"), V{"o.totl@32"});
  EXPECT_EQ(gaps(S, "INSERT INTO orders (id, state) VALUES ($1, $2)"), V{"state@24"});
  EXPECT_EQ(gaps(S, "UPDATE orders SET totl = 1 WHERE id = $1 RETURNING stat"),
            (V{"stat@51", "totl@18"}));
  EXPECT_EQ(gaps(S, "SELECT * FROM `ordrs` WHERE id = ?", SqlDialect::MySQL),
            V{"`ordrs`@14"});
  // Traps: a CTE, PostgreSQL's catalogs, a view, an output alias in ORDER
  // BY, a system column, ON CONFLICT's excluded row, a join or a subquery
  // (whose table is a column's?), a hole, DDL, columns not all known.
  EXPECT_EQ(gaps(S, "WITH recent AS (SELECT id FROM orders) SELECT * FROM recent"),
            V{});
  EXPECT_EQ(gaps(S, "SELECT relname FROM pg_catalog.pg_class"), V{});
  EXPECT_EQ(gaps(S, "SELECT * FROM information_schema.tables"), V{});
  EXPECT_EQ(gaps(S, "SELECT anything FROM big"), V{});
  EXPECT_EQ(gaps(S, "SELECT total AS t FROM orders ORDER BY t"), V{});
  EXPECT_EQ(gaps(S, "SELECT ctid, xmin FROM orders"), V{});
  EXPECT_EQ(gaps(S, "INSERT INTO orders (id, total) VALUES ($1, $2) "
                    "ON CONFLICT (id) DO UPDATE SET total = excluded.total"),
            V{});
  EXPECT_EQ(gaps(S, "SELECT x FROM orders JOIN big ON big.id = orders.id"), V{});
  EXPECT_EQ(gaps(S, "SELECT id FROM orders WHERE id IN (SELECT order_id FROM big)"),
            V{});
  EXPECT_EQ(gaps(S, "SELECT id FROM p__1 WHERE p__2 = 1"), V{});
  EXPECT_EQ(gaps(S, "CREATE TABLE fresh (id int); "), V{});
  EXPECT_EQ(gaps(S, "SELECT anything FROM parts"), V{});
  EXPECT_EQ(gaps(S, "SELECT status FROM archive"), V{});
  EXPECT_EQ(gaps(S, "SELECT id FROM orders WHERE status = 'a' AND total > 1"), V{});
  EXPECT_EQ(gaps(S, "SELEC broken FROM nowhere"), V{});
  EXPECT_EQ(gaps(Schema(), "SELECT * FROM ordrs"), V{});
  EXPECT_TRUE(S.table("orders")->ColumnsKnown);
  EXPECT_FALSE(S.table("parts")->ColumnsKnown);
  EXPECT_FALSE(S.table("archive")->ColumnsKnown);
  EXPECT_TRUE(S.table("big")->View);
  EXPECT_FALSE(
      learn("CREATE TABLE c AS SELECT o.*, 1 FROM orders o").table("c")->ColumnsKnown);
  EXPECT_TRUE(learn("CREATE TABLE c AS SELECT id, count(*) FROM orders GROUP BY id")
                  .table("c")
                  ->ColumnsKnown);
  // A view has no keys: keyset pagination guesses `id`, as for an unknown
  // table; DROP VIEW forgets it.
  EXPECT_TRUE(uniqueColumn(&S, "big", "id"));
  EXPECT_FALSE(uniqueColumn(&S, "big", "total"));
  EXPECT_EQ(learn("CREATE VIEW v AS SELECT 1; DROP VIEW v;").table("v"), nullptr);
  // The statement holding the offset, not another one of the text.
  EXPECT_EQ(schemaGaps(S, "SELECT 1 FROM a1; SELECT 2 FROM orders;",
                       SqlDialect::PostgreSQL, 20)
                .size(),
            0u);
}

} // namespace

namespace {

TEST(SchemaSnapshotTest, ReadsTablesKeysIndexesAndRows) {
  Schema S;
  llvm::Error Err =
      S.applySnapshot("stresslint-schema.json", R"({"version": 1, "tables": [
    {"name": "Articles", "kind": "table", "rows": 12000000,
     "columns": [{"name": "id", "type": "bigint", "notNull": true}, {"name": "title", "type": "text"}],
     "keys": [{"name": "articles_pkey", "primary": true, "columns": ["id"]}],
     "indexes": [{"name": "t_trgm", "method": "gin", "unique": false, "partial": false,
                  "keys": [{"column": "title", "opclass": "gin_trgm_ops"}]}]}]})");
  ASSERT_FALSE(Err) << llvm::toString(std::move(Err));
  const SchemaTable *T = S.table("articles");
  ASSERT_NE(T, nullptr);
  EXPECT_EQ(T->Rows, 12000000);
  EXPECT_EQ(T->Columns.size(), 2u);
  EXPECT_TRUE(T->pinnedByKey({"id"}));
  EXPECT_TRUE(T->hasTrigramIndex("title", false));
  EXPECT_FALSE(T->hasTrigramIndex("id", false));
}

TEST(SchemaSnapshotTest, RowEstimatesSilenceSmallTablesAndSizeTheMessage) {
  auto S = std::make_shared<Schema>();
  llvm::Error Err = S->applySnapshot("s.json", R"({"version": 1, "tables": [
    {"name": "countries", "kind": "table", "rows": 250, "columns": [{"name": "code"}]},
    {"name": "events", "kind": "table", "rows": 12345678, "columns": [{"name": "id"}]},
    {"name": "drafts", "kind": "table", "rows": -1, "columns": [{"name": "id"}]},
    {"name": "tags", "kind": "table", "rows": 1500000, "columns": [{"name": "id"}]},
    {"name": "notes", "kind": "table", "rows": 34000, "columns": [{"name": "id"}]}]})");
  ASSERT_FALSE(Err) << llvm::toString(std::move(Err));
  const char *Star = "stress-select-star", *Agg = "stress-hot-path-aggregate";
  EXPECT_EQ(reported(Star, "SELECT * FROM countries", S), 0u);
  EXPECT_EQ(reported(Agg, "SELECT count(*) FROM countries", S), 0u);
  EXPECT_EQ(reported(Star, "SELECT * FROM events", S), 1u);
  EXPECT_EQ(reported(Agg, "SELECT count(*) FROM events", S), 1u);
  // Traps: no estimate, no snapshot, a join, the threshold off or higher.
  EXPECT_EQ(reported(Star, "SELECT * FROM drafts", S), 1u);
  EXPECT_EQ(reported(Star, "SELECT * FROM countries", nullptr), 1u);
  EXPECT_EQ(
      reported(Agg, "SELECT count(*) FROM countries c JOIN events e ON e.id = 1", S),
      1u);
  EXPECT_EQ(reported(Star, "SELECT * FROM countries", S, {{"SmallTableRows", "0"}}),
            1u);
  EXPECT_EQ(
      reported(Agg, "SELECT count(*) FROM events", S, {{"SmallTableRows", "20000000"}}),
      0u);

  auto Rules = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(Rules));
  BoundRule B = bindOptions(*Rules->rule(Star));
  B.DbSchema = S;
  auto Size = [&](llvm::StringRef Sql) {
    return tableSizeText(B, analyzeSql(Sql).Facts.at(0));
  };
  EXPECT_EQ(Size("SELECT * FROM events"), " (~12M rows)");
  EXPECT_EQ(Size("SELECT * FROM tags"), " (~1.5M rows)");
  EXPECT_EQ(Size("SELECT * FROM notes"), " (~34k rows)");
  EXPECT_EQ(Size("SELECT * FROM countries"), " (~250 rows)");
  EXPECT_EQ(Size("SELECT * FROM drafts"), "");
  EXPECT_EQ(Size("SELECT * FROM elsewhere"), "");
  const SqlFact F = analyzeSql("SELECT * FROM events").Facts.at(0);
  EXPECT_EQ(expandTemplate("every column of the table{size} to", F, B),
            "every column of the table (~12M rows) to");
}

TEST(SchemaSnapshotTest, AMalformedSnapshotIsAnErrorNamingTheFile) {
  Schema S;
  for (const char *Bad : {"{", "[]", R"({"version": 2, "tables": []})",
                          R"({"version": 1, "tables": [{"columns": []}]})"}) {
    llvm::Error Err = S.applySnapshot("db/snap.json", Bad);
    ASSERT_TRUE(static_cast<bool>(Err)) << Bad;
    EXPECT_NE(llvm::toString(std::move(Err)).find("db/snap.json"), std::string::npos);
  }
}

} // namespace
