//===--- SqlFactRegistryTest.cpp - Every fact is registered and reachable --===//
///
/// \file
/// The facts' registry (sql/facts/Registry.h): one spec per SqlFact kind,
/// in kind order, and each fact's own needles let the prefilter through on
/// each of its own examples, which then give the fact. A fact added
/// without needles does not compile (makeFact); one whose needles miss its
/// examples fails here instead of silently finding nothing.
///
//===----------------------------------------------------------------------===//
#include "sql/PgQuery.h"
#include "sql/facts/Prefilter.h"
#include "sql/facts/Registry.h"

#include <gtest/gtest.h>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace stresslint;
using namespace stresslint::sqlfacts;

namespace {

/// Whether the JSON text \p Json holds one of \p S's own needles.
bool hasOwnNeedle(const FactSpec &S, llvm::StringRef Json) {
  for (const Needle &N : S.Needles)
    if (Json.contains("\"" + N.Text.str()) &&
        (!N.NeedsFromClause || Json.contains("\"fromClause\"")))
      return true;
  return false;
}

TEST(SqlFactRegistry, OneSpecPerKindInKindOrder) {
  llvm::ArrayRef<const FactSpec *> Specs = factSpecs();
  ASSERT_EQ(Specs.size(), FactKindCount);
  std::set<std::string> Names;
  for (size_t I = 0; I < Specs.size(); ++I) {
    EXPECT_EQ(static_cast<size_t>(Specs[I]->Kind), I) << Specs[I]->Name.str();
    EXPECT_TRUE(Names.insert(Specs[I]->Name.str()).second) << Specs[I]->Name.str();
    EXPECT_FALSE(Specs[I]->Needles.empty()) << Specs[I]->Name.str();
    EXPECT_FALSE(Specs[I]->Examples.empty()) << Specs[I]->Name.str();
    EXPECT_NE(Specs[I]->Extract, nullptr) << Specs[I]->Name.str();
  }
}

TEST(SqlFactRegistry, EachFactsNeedlesPassItsOwnExamples) {
  for (const FactSpec *S : factSpecs())
    for (const char *Sql : S->Examples) {
      SCOPED_TRACE(S->Name.str() + ": " + Sql);
      // The tree of the example as the parser gives it (MySQL's LIMIT a, b
      // is rewritten first, as analyzeSql does).
      SqlParseError Err;
      std::optional<SqlJson> Json = parseSqlToJson(Sql, Err);
      if (Json) {
        EXPECT_TRUE(hasOwnNeedle(*S, Json->text())) << Json->text().str();
        EXPECT_TRUE(mayHoldFact(Json->text()));
        // Its text has a word of the needles of its own kind.
        EXPECT_TRUE(textMayHoldFact(Sql, factKind(S->Kind)));
      }
      // With the prefilter on, the example gives the fact, from its parse.
      SqlAnalysis A = analyzeSql(Sql, /*AllowTokenFallback=*/false);
      EXPECT_EQ(A.ParsedStatements, A.Statements);
      EXPECT_TRUE(llvm::any_of(
          A.Facts, [&](const SqlFact &F) { return F.K == S->Kind && F.FromParse; }));
      // And as a `.sql` file reads it: its kind alone, the words of its
      // needles looked for in the text that is parsed (MySQL's LIMIT a, b
      // rewritten), no data statements counted.
      SqlAnalysis Alone = analyzeSql(Sql, SqlDialect::PostgreSQL, false,
                                     /*SkipFactFreeTrees=*/true, factKind(S->Kind),
                                     /*CountDataStatements=*/false);
      EXPECT_TRUE(llvm::any_of(Alone.Facts, [&](const SqlFact &F) {
        return F.K == S->Kind && F.FromParse;
      }));
    }
}

/// The facts of \p A of a kind in \p Kinds, as comparable tuples.
std::vector<std::tuple<int, uint32_t, uint32_t, std::string, std::string>>
factsOf(const SqlAnalysis &A, FactKinds Kinds) {
  std::vector<std::tuple<int, uint32_t, uint32_t, std::string, std::string>> Out;
  for (const SqlFact &F : A.Facts)
    if (Kinds & factKind(F.K))
      Out.emplace_back(F.K, F.Begin, F.End, F.Snippet, F.Detail);
  return Out;
}

TEST(SqlFactRegistry, OnlyWantedKindsAreLookedForWithTheSameCounts) {
  // Every example, analysed for each kind alone and for all the others:
  // the wanted facts and the counts are those of the analysis for all.
  for (const FactSpec *S : factSpecs())
    for (const char *Sql : S->Examples)
      for (FactKinds Wanted :
           {factKind(S->Kind), AllFactKinds & ~factKind(S->Kind), FactKinds(0)}) {
        SCOPED_TRACE(S->Name.str() + ": " + Sql + " wanted " + std::to_string(Wanted));
        SqlAnalysis All = analyzeSql(Sql, SqlDialect::PostgreSQL, false);
        SqlAnalysis Some = analyzeSql(Sql, SqlDialect::PostgreSQL, false,
                                      /*SkipFactFreeTrees=*/true, Wanted);
        EXPECT_EQ(factsOf(Some, Wanted), factsOf(All, Wanted));
        EXPECT_EQ(Some.Statements, All.Statements);
        EXPECT_EQ(Some.ParsedStatements, All.ParsedStatements);
        EXPECT_EQ(Some.DataStatements, All.DataStatements);
        EXPECT_EQ(Some.WriteStatements, All.WriteStatements);
        EXPECT_EQ(Some.ControlStatements, All.ControlStatements);
      }
}

TEST(SqlFactRegistry, TreesWithoutNeedlesAreSkipped) {
  for (const char *Sql : {"CREATE TABLE t (id int DEFAULT nextval('s'))",
                          "INSERT INTO t (a, b) VALUES (now(), lower($1))",
                          "UPDATE t SET a = now() WHERE id = $1", "SELECT now()",
                          "SELECT id FROM t WHERE a = 1"}) {
    SqlParseError Err;
    std::optional<SqlJson> Json = parseSqlToJson(Sql, Err);
    ASSERT_TRUE(Json.has_value()) << Sql;
    EXPECT_FALSE(mayHoldFact(Json->text())) << Sql;
  }
  // A function call counts once the tree reads FROM, wherever the FROM is.
  for (const char *Sql :
       {"SELECT lower(name) FROM users", "INSERT INTO t SELECT now() FROM u"}) {
    SqlParseError Err;
    std::optional<SqlJson> Json = parseSqlToJson(Sql, Err);
    ASSERT_TRUE(Json.has_value()) << Sql;
    EXPECT_TRUE(mayHoldFact(Json->text())) << Sql;
  }
}

} // namespace
