//===--- PredicatesTest.cpp - SQL predicates on positives and traps --------===//
///
/// \file
/// Each SQL predicate (rules/Predicates.h) over the facts of real SQL text,
/// bound to a built-in rule's YAML defaults or to options set as
/// `.clang-tidy` would: which constructs it reports and which traps it
/// leaves alone. The fixtures reach the same code through the whole engine;
/// these pin the predicates themselves.
///
//===----------------------------------------------------------------------===//
#include "rules/Predicates.h"
#include "rules/RuleSet.h"

#include <gtest/gtest.h>

using namespace stresslint;

namespace {

class Predicates : public testing::Test {
protected:
  void SetUp() override {
    auto S = RuleSet::load({});
    ASSERT_TRUE(static_cast<bool>(S)) << llvm::toString(S.takeError());
    Rules = std::move(*S);
  }

  BoundRule bind(llvm::StringRef Id, const llvm::StringMap<std::string> &Set = {}) {
    const Rule *R = Rules.rule(Id);
    EXPECT_NE(R, nullptr) << Id.str();
    return bindOptions(*R, Set);
  }

  /// The snippets of \p Sql's facts that \p B reports.
  static std::vector<std::string> reported(const BoundRule &B, llvm::StringRef Sql) {
    std::vector<std::string> Out;
    for (const SqlFact &F : analyzeSql(Sql).Facts)
      if (predicateMatches(B, F))
        Out.push_back(F.Snippet);
    return Out;
  }
  using Snippets = std::vector<std::string>;

  RuleSet Rules;
};

TEST_F(Predicates, SelectStar) {
  BoundRule B = bind("stress-select-star");
  EXPECT_EQ(reported(B, "SELECT * FROM orders"), Snippets{"*"});
  EXPECT_EQ(reported(B, "SELECT o.* FROM orders o JOIN users u ON u.id = o.user_id"),
            Snippets{"o.*"});
  EXPECT_EQ(reported(B, "UPDATE t SET a = 1 WHERE id = 2 RETURNING *"), Snippets{"*"});
  for (const char *Trap :
       {"SELECT count(*) FROM orders",
        "SELECT id FROM t WHERE EXISTS (SELECT * FROM u)",
        "INSERT INTO a SELECT * FROM b", "SELECT * FROM generate_series(1, 3)"})
    EXPECT_TRUE(reported(B, Trap).empty()) << Trap;
  BoundRule NoReturning = bind("stress-select-star", {{"IncludeReturning", "false"}});
  EXPECT_TRUE(reported(NoReturning, "UPDATE t SET a = 1 RETURNING *").empty());
  EXPECT_EQ(reported(NoReturning, "SELECT * FROM orders"), Snippets{"*"});
}

TEST_F(Predicates, Offset) {
  BoundRule B = bind("stress-offset-pagination");
  EXPECT_EQ(reported(B, "SELECT id FROM t ORDER BY id LIMIT 10 OFFSET $1"),
            Snippets{"OFFSET $1"});
  EXPECT_EQ(reported(B, "SELECT id FROM t LIMIT 20, 10"), Snippets{"LIMIT 20"});
  for (const char *Trap :
       {"SELECT id FROM t LIMIT 10 OFFSET 0", "SELECT id FROM t LIMIT 10 OFFSET NULL",
        "SELECT id FROM t LIMIT 0, 10", "SELECT offset FROM t",
        "UPDATE t SET offset = 5"})
    EXPECT_TRUE(reported(B, Trap).empty()) << Trap;
}

TEST_F(Predicates, LeadingWildcard) {
  BoundRule B = bind("stress-leading-wildcard-like");
  EXPECT_EQ(reported(B, "SELECT id FROM t WHERE name LIKE '%abc'"), Snippets{"'%abc'"});
  EXPECT_EQ(reported(B, "SELECT id FROM t WHERE name ILIKE '_bc%'"),
            Snippets{"'_bc%'"});
  EXPECT_EQ(reported(B, "SELECT id FROM t WHERE name LIKE '%' || $1"), Snippets{"'%'"});
  for (const char *Trap :
       {"SELECT id FROM t WHERE name LIKE 'abc%'",
        "SELECT id FROM t WHERE name LIKE '%'", "SELECT id FROM t WHERE name LIKE $1",
        "SELECT id FROM t WHERE name LIKE '%s'", "SELECT '%abc' FROM t"})
    EXPECT_TRUE(reported(B, Trap).empty()) << Trap;
}

TEST_F(Predicates, UnboundedRowLock) {
  BoundRule B = bind("stress-unbounded-row-lock");
  EXPECT_EQ(reported(B, "SELECT id FROM jobs WHERE status = 'new' FOR UPDATE"),
            Snippets{"FOR UPDATE"});
  EXPECT_EQ(reported(B, "SELECT id FROM jobs FOR NO KEY UPDATE"),
            Snippets{"FOR NO KEY UPDATE"});
  for (const char *Trap : {"SELECT id FROM jobs FOR UPDATE SKIP LOCKED LIMIT 10",
                           "SELECT id FROM jobs LIMIT 10 FOR UPDATE",
                           "SELECT id FROM jobs FOR UPDATE NOWAIT",
                           "SELECT id FROM jobs WHERE id = $1 FOR UPDATE",
                           "SELECT id FROM jobs WHERE status = 'new'"})
    EXPECT_TRUE(reported(B, Trap).empty()) << Trap;
  // A key column of the project's: equality on it bounds the lock.
  BoundRule Uuid = bind("stress-unbounded-row-lock", {{"KeyColumns", "id,uuid"}});
  EXPECT_TRUE(reported(Uuid, "SELECT id FROM jobs WHERE uuid = $1 FOR UPDATE").empty());
  EXPECT_FALSE(reported(B, "SELECT id FROM jobs WHERE uuid = $1 FOR UPDATE").empty());
  // LIMIT 0 bounds nothing the rule cares about: the lock is still unbounded.
  EXPECT_EQ(reported(B, "SELECT id FROM jobs LIMIT 0 FOR UPDATE"),
            Snippets{"FOR UPDATE"});
}

TEST_F(Predicates, AggregateWithTheDefaultFunctions) {
  BoundRule B = bind("stress-hot-path-aggregate");
  EXPECT_EQ(reported(B, "SELECT count(*) FROM orders"), Snippets{"count(*)"});
  EXPECT_EQ(reported(B, "SELECT SUM(total) FROM orders WHERE status = 'paid'"),
            Snippets{"SUM(total)"});
  EXPECT_EQ(reported(B, "SELECT coalesce(avg(total), 0) FROM orders"),
            Snippets{"avg(total)"});
  for (const char *Trap : {
           "SELECT id FROM t WHERE EXISTS (SELECT count(*) FROM u)",
           "SELECT (SELECT count(*) FROM u) FROM t",
           "SELECT count(*) FROM orders WHERE user_id = $1",
           "SELECT count(*) FROM orders WHERE id = $1",
           "SELECT status, count(*) FROM orders GROUP BY status",
           "SELECT count(*) OVER () FROM orders",
           "SELECT count(*) FROM generate_series(1, 10)", "SELECT count(*)",
           "SELECT max(id) FROM orders",     // not in the defaults
           "SELECT lower(name) FROM users",  // not an aggregate the rule names
           "SELECT count(*) FROM orders $1", // the hole may group or key it
       })
    EXPECT_TRUE(reported(B, Trap).empty()) << Trap;
}

TEST_F(Predicates, AggregateFunctionsAreAnOptionForAnyName) {
  BoundRule Listing =
      bind("stress-hot-path-aggregate", {{"Functions", " String_Agg , array_agg"}});
  EXPECT_EQ(reported(Listing, "SELECT string_agg(name, ',') FROM users"),
            Snippets{"string_agg(name, ',')"});
  EXPECT_EQ(reported(Listing, "SELECT ARRAY_AGG(id ORDER BY id) FROM users"),
            Snippets{"ARRAY_AGG(id ORDER BY id)"});
  EXPECT_TRUE(reported(Listing, "SELECT count(*) FROM users").empty());
  for (const char *Trap : {
           "SELECT id FROM t WHERE EXISTS (SELECT string_agg(name, ',') FROM u)",
           "SELECT team_id, string_agg(name, ',') FROM users GROUP BY team_id",
           "SELECT string_agg(name, ',') FROM users WHERE team_id = $1",
           "SELECT string_agg(name, ',') OVER () FROM users",
       })
    EXPECT_TRUE(reported(Listing, Trap).empty()) << Trap;
  BoundRule MinMax =
      bind("stress-hot-path-aggregate", {{"Functions", "count,sum,avg,min,max"}});
  EXPECT_EQ(reported(MinMax, "SELECT max(id) FROM orders"), Snippets{"max(id)"});
  // A schema-qualified call is its function's name.
  EXPECT_EQ(reported(MinMax, "SELECT pg_catalog.count(*) FROM orders"),
            Snippets{"pg_catalog.count(*)"});
  // No names, no findings.
  BoundRule None = bind("stress-hot-path-aggregate", {{"Functions", ""}});
  EXPECT_TRUE(reported(None, "SELECT count(*) FROM orders").empty());
}

TEST_F(Predicates, TheDetailOfAnAggregateIsItsFunction) {
  BoundRule B = bind("stress-hot-path-aggregate", {{"Functions", "string_agg"}});
  for (const SqlFact &F : analyzeSql("SELECT STRING_AGG(name, ',') FROM users").Facts)
    if (predicateMatches(B, F))
      EXPECT_EQ(expandTemplate("{detail} in {snippet}", F, B),
                "string_agg in STRING_AGG(name, ',')");
}

TEST_F(Predicates, EachPredicateReportsItsOwnKindOnly) {
  const char *Sql = "SELECT *, count(*) FROM jobs WHERE name LIKE '%x' "
                    "OFFSET 5 FOR UPDATE";
  for (const char *Id : {"stress-select-star", "stress-offset-pagination",
                         "stress-leading-wildcard-like", "stress-unbounded-row-lock",
                         "stress-hot-path-aggregate"})
    EXPECT_EQ(reported(bind(Id), Sql).size(), 1u) << Id;
}

} // namespace
