//===--- NormalizeTest.cpp ------------------------------------------------===//
#include "sql/Normalize.h"

#include <gtest/gtest.h>
#include <iterator>

using namespace stresslint;

TEST(Normalize, ForeignPlaceholdersBecomeDollarParams) {
  EXPECT_EQ(normalizePlaceholders("SELECT a FROM t WHERE x = ? AND y = ?").text(),
            "SELECT a FROM t WHERE x = $1 AND y = $2");
  EXPECT_EQ(normalizePlaceholders("WHERE x = :name AND y = @id").text(),
            "WHERE x = $1 AND y = $2");
  EXPECT_EQ(normalizePlaceholders("LIMIT %d OFFSET %s").text(), "LIMIT $1 OFFSET $2");
  EXPECT_EQ(normalizePlaceholders("LIMIT {} OFFSET {0}").text(), "LIMIT $1 OFFSET $2");
  // A hole glued to a name's characters is part of the name.
  EXPECT_EQ(normalizePlaceholders("SELECT * FROM {prefix}_log LIMIT {}").text(),
            "SELECT * FROM p__1_log LIMIT $2");
  EXPECT_EQ(normalizePlaceholders("FROM log_%1 WHERE a = %2").text(),
            "FROM log_p__1 WHERE a = $2");
  EXPECT_EQ(normalizePlaceholders("WHERE a = %1").text(), "WHERE a = $1");
}

TEST(Normalize, NumberingContinuesAfterExistingParams) {
  EXPECT_EQ(normalizePlaceholders("WHERE a = $2 AND b = ?").text(),
            "WHERE a = $2 AND b = $3");
}

TEST(Normalize, QuotesCommentsCastsAndSlicesAreKept) {
  const char *Sql = "SELECT '?', \"a:b\", x::int, arr[1:n], $$ ? $$ -- ?\n/* ? */";
  EXPECT_EQ(normalizePlaceholders(Sql).text(), Sql);
  EXPECT_EQ(normalizePlaceholders("WHERE doc ?| array['a']").text(),
            "WHERE doc ?| array['a']");
  EXPECT_EQ(normalizePlaceholders("WHERE doc @? '$.a'").text(), "WHERE doc @? '$.a'");
}

TEST(Normalize, BackticksBecomeDoubleQuotes) {
  EXPECT_EQ(normalizePlaceholders("SELECT `id` FROM `users`").text(),
            "SELECT \"id\" FROM \"users\"");
}

TEST(Normalize, OffsetsMapBackToTheOriginal) {
  // "x = :name AND y = 1": `y` is at 14 originally, 11 after rewriting.
  MappedText M = normalizePlaceholders("x = :name AND y = 1");
  ASSERT_EQ(M.text(), "x = $1 AND y = 1");
  EXPECT_EQ(M.originOf(11), 14u);
  EXPECT_EQ(M.originOf(4), 4u); // `$1` maps to `:name`
  EXPECT_EQ(M.originOf(5), 4u);
}

TEST(Normalize, SliceKeepsOriginsAcrossCopiedAndSyntheticBytes) {
  MappedText M;
  M.appendCopied("abc", 10);   // 10, 11, 12
  M.appendSynthetic("$1", 20); // 20, 20
  M.appendCopied("de", 13);    // 13, 14
  M.appendCopied("f", 15);     // 15: goes on from "de"
  ASSERT_EQ(M.text(), "abc$1def");
  EXPECT_EQ(M.originOf(8), 16u); // one past the end
  MappedText S;
  S.appendSlice(M, 2, 7);
  ASSERT_EQ(S.text(), "c$1de");
  const uint32_t Want[] = {12, 20, 20, 13, 14, 15};
  for (size_t I = 0; I < std::size(Want); ++I)
    EXPECT_EQ(S.originOf(I), Want[I]) << "at " << I;
}

TEST(Normalize, MySqlLimitBecomesOffset) {
  MappedText In("SELECT a FROM t LIMIT 20, 10");
  MappedText Out;
  ASSERT_TRUE(rewriteMySqlLimit(In, Out));
  EXPECT_EQ(Out.text(), "SELECT a FROM t OFFSET 20 LIMIT 10");
  EXPECT_EQ(Out.originOf(16), 16u); // OFFSET -> LIMIT
  EXPECT_EQ(Out.originOf(23), 22u); // 20
  EXPECT_EQ(Out.originOf(32), 26u); // 10
  MappedText None;
  EXPECT_FALSE(rewriteMySqlLimit(MappedText("SELECT a FROM t LIMIT 10"), None));
}

TEST(Normalize, SqliteNumberedParameterIsOnePlaceholder) {
  EXPECT_EQ(normalizePlaceholders("WHERE a = ?12 AND b = ?").text(),
            "WHERE a = $1 AND b = $2");
}

TEST(Normalize, MySqlStringsCommentsAndEscapes) {
  MappedText M =
      normalizeSql("SELECT a FROM t WHERE b LIKE \"%x\" # note\n", SqlDialect::MySQL);
  EXPECT_EQ(M.text(), "SELECT a FROM t WHERE b LIKE '%x' -- note\n");
  EXPECT_EQ(M.originOf(29), 29u); // the opening quote
  EXPECT_EQ(M.originOf(30), 30u); // %
  EXPECT_EQ(normalizeSql("WHERE a = 'it\\'s' AND b = \"say \\\"hi\\\" 'x'\"",
                         SqlDialect::MySQL)
                .text(),
            "WHERE a = 'it''s' AND b = 'say \"hi\" ''x'''");
  EXPECT_EQ(normalizeSql("INSERT IGNORE INTO t VALUES (1)", SqlDialect::MySQL).text(),
            "INSERT  INTO t VALUES (1)");
  EXPECT_EQ(
      normalizeSql("SELECT id FROM t LOCK IN SHARE MODE", SqlDialect::MySQL).text(),
      "SELECT id FROM t FOR SHARE");
  // PostgreSQL keeps "..." as a name and # as an operator.
  EXPECT_EQ(normalizePlaceholders("WHERE b LIKE \"%x\" AND c # 1 = 0").text(),
            "WHERE b LIKE \"%x\" AND c # 1 = 0");
}

TEST(Normalize, SqliteSyntax) {
  EXPECT_EQ(
      normalizeSql("INSERT OR REPLACE INTO t VALUES ($v, :w, @x)", SqlDialect::SQLite)
          .text(),
      "INSERT  INTO t VALUES ($1, $2, $3)");
  EXPECT_EQ(normalizeSql("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)",
                         SqlDialect::SQLite)
                .text(),
            "CREATE TABLE t (id INTEGER PRIMARY KEY )");
  MappedText G =
      normalizeSql("SELECT a FROM t WHERE b GLOB '*x?_%'", SqlDialect::SQLite);
  EXPECT_EQ(G.text(), "SELECT a FROM t WHERE b LIKE '%x_xx'");
  EXPECT_EQ(G.originOf(29), 29u);
  EXPECT_EQ(normalizeSql("SELECT [a b] FROM [t]", SqlDialect::SQLite).text(),
            "SELECT \"a b\" FROM \"t\"");
}

TEST(Normalize, TSqlSyntax) {
  EXPECT_EQ(
      normalizeSql("SELECT TOP 10 * FROM [dbo].[users] WITH (NOLOCK) WHERE [name] = @n",
                   SqlDialect::TSql)
          .text(),
      "SELECT  * FROM \"dbo\".\"users\"  WHERE \"name\" = $1");
  EXPECT_EQ(normalizeSql("SELECT DISTINCT TOP (@n) PERCENT WITH TIES a FROM t",
                         SqlDialect::TSql)
                .text(),
            "SELECT DISTINCT  a FROM t");
  // `top` as a name, WITH as a CTE.
  EXPECT_EQ(
      normalizeSql("WITH c AS (SELECT top FROM t) SELECT top FROM c", SqlDialect::TSql)
          .text(),
      "WITH c AS (SELECT top FROM t) SELECT top FROM c");
}
