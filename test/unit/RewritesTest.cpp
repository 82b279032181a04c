//===--- KeysetTest.cpp - OFFSET rewritten to keyset pagination ------------===//
#include "sql/Rewrites.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

using namespace stresslint;

namespace {

/// \p Sql with the edits of \p K made, or K's note when it has none.
std::string applied(llvm::StringRef Sql, const SqlRewrite &K) {
  if (K.Edits.empty())
    return K.Note;
  std::string Out;
  uint32_t Copied = 0;
  for (const SqlEdit &E : K.Edits) {
    Out += Sql.slice(Copied, E.Begin).str() + E.Text;
    Copied = E.End;
  }
  return Out + Sql.substr(Copied).str();
}

/// \p Sql with the rewrite of the OFFSET at its first `OFFSET` applied, or
/// the note when there is no rewrite.
std::string rewrite(llvm::StringRef Sql, SqlDialect D = SqlDialect::PostgreSQL) {
  size_t At = llvm::StringRef(Sql).find("OFFSET");
  EXPECT_NE(At, llvm::StringRef::npos);
  return applied(Sql, keysetRewrite(Sql, D, static_cast<uint32_t>(At), namedLikeAKey));
}

TEST(KeysetTest, RewritesAPlainPageQuery) {
  EXPECT_EQ(rewrite("SELECT id, name FROM t ORDER BY id LIMIT 20 OFFSET $1"),
            "SELECT id, name FROM t WHERE id > $1 ORDER BY id LIMIT 20");
  EXPECT_EQ(rewrite("SELECT id FROM t ORDER BY t.id DESC OFFSET $2 LIMIT $1"),
            "SELECT id FROM t WHERE t.id < $2 ORDER BY t.id DESC LIMIT $1");
}

TEST(KeysetTest, KeepsTheWhereClauseWhole) {
  // An OR must not capture the key condition.
  EXPECT_EQ(
      rewrite("SELECT id FROM t WHERE a = 1 OR b = 2 ORDER BY id LIMIT 5 OFFSET $3"),
      "SELECT id FROM t WHERE (a = 1 OR b = 2) AND id > $3 ORDER BY id LIMIT 5");
  // A subquery's own WHERE and ORDER BY are not the statement's.
  EXPECT_EQ(
      rewrite("SELECT id FROM t WHERE x IN (SELECT y FROM u WHERE z ORDER BY y) "
              "ORDER BY id LIMIT 5 OFFSET $1"),
      "SELECT id FROM t WHERE (x IN (SELECT y FROM u WHERE z ORDER BY y)) AND id > $1 "
      "ORDER BY id LIMIT 5");
}

TEST(KeysetTest, KeepsThePlaceholderStyle) {
  EXPECT_EQ(
      rewrite("SELECT id FROM t ORDER BY id LIMIT 5 OFFSET :skip", SqlDialect::SQLite),
      "SELECT id FROM t WHERE id > :skip ORDER BY id LIMIT 5");
  EXPECT_EQ(
      rewrite("SELECT id FROM t ORDER BY id LIMIT 5 OFFSET ?2", SqlDialect::SQLite),
      "SELECT id FROM t WHERE id > ?2 ORDER BY id LIMIT 5");
}

TEST(KeysetTest, RewritesOnlyTheStatementOfTheOffset) {
  std::string Sql =
      "SELECT 1;\nSELECT id FROM t ORDER BY id LIMIT 5 OFFSET $1;\nSELECT 2;";
  EXPECT_EQ(
      rewrite(Sql),
      "SELECT 1;\nSELECT id FROM t WHERE id > $1 ORDER BY id LIMIT 5;\nSELECT 2;");
}

TEST(KeysetTest, OffersNoRewriteWhereItWouldChangeTheResult) {
  auto NoFix = [](llvm::StringRef Sql, SqlDialect D = SqlDialect::PostgreSQL) {
    return llvm::StringRef(rewrite(Sql, D)).startswith("no keyset fix offered");
  };
  EXPECT_TRUE(
      NoFix("SELECT id FROM t ORDER BY created_at LIMIT 5 OFFSET $1")); // not unique
  EXPECT_TRUE(NoFix("SELECT id FROM t ORDER BY id, created_at LIMIT 5 OFFSET $1"));
  EXPECT_TRUE(NoFix("SELECT id FROM t ORDER BY id LIMIT 5 OFFSET 100")); // a constant
  EXPECT_TRUE(
      NoFix("SELECT id FROM t ORDER BY id LIMIT ? OFFSET ?", SqlDialect::MySQL));
  EXPECT_TRUE(NoFix("SELECT id FROM t ORDER BY id OFFSET $1")); // no LIMIT
  EXPECT_TRUE(NoFix("SELECT DISTINCT id FROM t ORDER BY id LIMIT 5 OFFSET $1"));
  EXPECT_TRUE(NoFix("SELECT a FROM t GROUP BY a ORDER BY a LIMIT 5 OFFSET $1"));
  EXPECT_TRUE(
      NoFix("SELECT t.id FROM t JOIN u ON u.t = t.id ORDER BY t.id LIMIT 5 OFFSET $1"));
  EXPECT_TRUE(
      NoFix("WITH x AS (SELECT 1) SELECT id FROM t ORDER BY id LIMIT 5 OFFSET $1"));
  EXPECT_TRUE(
      NoFix("SELECT id FROM t UNION SELECT id FROM u ORDER BY id LIMIT 5 OFFSET $1"));
  EXPECT_TRUE(NoFix("SELECT id FROM t ORDER BY id NULLS FIRST LIMIT 5 OFFSET $1"));
  EXPECT_TRUE(
      NoFix("SELECT id FROM t ORDER BY id FETCH FIRST 5 ROWS WITH TIES OFFSET $1"));
}

/// The rewrite with `id` unique and \p NotNull the NOT NULL columns.
std::string rewriteWith(llvm::StringRef Sql, std::vector<std::string> NotNull) {
  size_t At = Sql.find("OFFSET");
  KeysetRewrite K =
      keysetRewrite(Sql, SqlDialect::PostgreSQL, static_cast<uint32_t>(At),
                    namedLikeAKey, [&](llvm::StringRef, llvm::StringRef C) {
                      return llvm::is_contained(NotNull, C.str());
                    });
  return applied(Sql, K);
}

TEST(KeysetTest, ATiebreakerAfterNotNullColumnsComparesRows) {
  EXPECT_EQ(rewriteWith("SELECT id, title FROM posts WHERE author = $1 "
                        "ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET $2",
                        {"created_at"}),
            "SELECT id, title FROM posts WHERE (author = $1) AND ($2 IS NULL OR "
            "(created_at, id) < (SELECT created_at, id FROM posts WHERE id = $2)) "
            "ORDER BY created_at DESC, id DESC LIMIT 20");
  EXPECT_EQ(
      rewriteWith("SELECT p.id FROM app.posts p ORDER BY p.rank, p.created_at, p.id "
                  "LIMIT :n OFFSET :after",
                  {"rank", "created_at"}),
      "SELECT p.id FROM app.posts p WHERE (:after IS NULL OR (p.rank, p.created_at, "
      "p.id) "
      "> (SELECT rank, created_at, id FROM app.posts WHERE id = :after)) "
      "ORDER BY p.rank, p.created_at, p.id LIMIT :n");
  // Traps: a column that may be NULL, mixed directions, no unique last
  // column, NULLS FIRST, an expression.
  EXPECT_NE(
      rewriteWith("SELECT id FROM posts ORDER BY created_at, id LIMIT 5 OFFSET $1", {})
          .find("'created_at' is not known to be NOT NULL"),
      std::string::npos);
  for (const char *Sql :
       {"SELECT id FROM posts ORDER BY created_at DESC, id LIMIT 5 OFFSET $1",
        "SELECT id FROM posts ORDER BY id, created_at LIMIT 5 OFFSET $1",
        "SELECT id FROM posts ORDER BY created_at NULLS FIRST, id LIMIT 5 OFFSET $1",
        "SELECT id FROM posts ORDER BY lower(title), id LIMIT 5 OFFSET $1"})
    EXPECT_NE(rewriteWith(Sql, {"created_at", "title"}).find("no keyset fix offered"),
              std::string::npos)
        << Sql;
}

TEST(KeysetTest, UniqueColumnDecides) {
  std::string Sql = "SELECT sku FROM items ORDER BY sku LIMIT 5 OFFSET $1";
  auto Sku = [](llvm::StringRef Table, llvm::StringRef Column) {
    return Table == "items" && Column == "sku";
  };
  KeysetRewrite K = keysetRewrite(Sql, SqlDialect::PostgreSQL,
                                  static_cast<uint32_t>(Sql.find("OFFSET")), Sku);
  EXPECT_FALSE(K.Edits.empty()) << K.Note;
  EXPECT_NE(K.Note.find("pass the last 'sku'"), std::string::npos);
}

} // namespace

namespace {

std::string claim(llvm::StringRef Sql) {
  size_t At = Sql.find("FOR ");
  return applied(
      Sql, claimRewrite(Sql, SqlDialect::PostgreSQL, static_cast<uint32_t>(At), 100));
}

TEST(ClaimTest, ClaimsABatch) {
  EXPECT_EQ(claim("SELECT id FROM jobs WHERE status = 'new' ORDER BY id FOR UPDATE"),
            "SELECT id FROM jobs WHERE status = 'new' ORDER BY id LIMIT 100 FOR UPDATE "
            "SKIP LOCKED");
  EXPECT_EQ(claim("SELECT j.id FROM jobs j JOIN q ON q.id = j.q WHERE q.n = 'm' FOR "
                  "UPDATE OF j;"),
            "SELECT j.id FROM jobs j JOIN q ON q.id = j.q WHERE q.n = 'm' LIMIT 100 "
            "FOR UPDATE OF j SKIP LOCKED;");
}

TEST(ClaimTest, LeavesBoundedLocks) {
  EXPECT_NE(claim("SELECT id FROM jobs LIMIT 5 FOR UPDATE").find("no batch fix"),
            std::string::npos);
  EXPECT_NE(claim("SELECT id FROM jobs FOR UPDATE NOWAIT").find("no batch fix"),
            std::string::npos);
}

} // namespace
