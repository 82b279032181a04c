//===--- NormalizeTest.cpp ------------------------------------------------===//
#include "sql/Normalize.h"

#include <gtest/gtest.h>

using namespace stresslint;

TEST(Normalize, ForeignPlaceholdersBecomeDollarParams) {
  EXPECT_EQ(normalizePlaceholders("SELECT a FROM t WHERE x = ? AND y = ?").text(),
            "SELECT a FROM t WHERE x = $1 AND y = $2");
  EXPECT_EQ(normalizePlaceholders("WHERE x = :name AND y = @id").text(),
            "WHERE x = $1 AND y = $2");
  EXPECT_EQ(normalizePlaceholders("LIMIT %d OFFSET %s").text(), "LIMIT $1 OFFSET $2");
  EXPECT_EQ(normalizePlaceholders("LIMIT {} OFFSET {0}").text(), "LIMIT $1 OFFSET $2");
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
