//===--- RegistryTest.cpp - The primitives rule YAML is built from ---------===//
#include "rules/Registry.h"
#include "rules/Predicates.h"
#include "rules/RuleSet.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace stresslint;

namespace {

TEST(Registry, NamesAreUniquePerKindAndFindTheirEntry) {
  llvm::StringSet<> Seen;
  for (const Primitive &P : primitives()) {
    std::string Key = (primitiveKindName(P.Kind) + ":" + P.Name).str();
    EXPECT_TRUE(Seen.insert(Key).second) << Key;
    EXPECT_EQ(findPrimitive(P.Kind, P.Name), &P);
    EXPECT_NE(llvm::StringRef(P.Summary), "") << P.Name;
  }
  for (auto K : {SqlPredicateKind::SelectStar, SqlPredicateKind::Offset,
                 SqlPredicateKind::LeadingWildcard, SqlPredicateKind::RowLock,
                 SqlPredicateKind::Aggregate, SqlPredicateKind::Query,
                 SqlPredicateKind::RowLockAny})
    EXPECT_NE(primitive(K), nullptr) << static_cast<int>(K);
  for (auto K :
       {ContextKind::InLoop, ContextKind::OnRequestPath, ContextKind::InFanOutTask})
    EXPECT_NE(primitive(K), nullptr) << static_cast<int>(K);
  EXPECT_NE(primitive(CallSetKind::Blocking), nullptr);
  EXPECT_EQ(primitive(SqlPredicateKind::None), nullptr);
  EXPECT_EQ(primitive(ContextKind::None), nullptr);
  EXPECT_EQ(findPrimitive(PrimitiveKind::Context, "select-star"), nullptr);
}

TEST(Registry, OptionDefaultsParseAsTheirType) {
  for (const Primitive &P : primitives())
    for (const PrimitiveOption &O : P.Options) {
      if (O.required()) {
        EXPECT_EQ(O.Type, OptionType::Integer) << O.Name;
        continue;
      }
      if (O.Type == OptionType::Bool)
        EXPECT_TRUE(parseBoolOption(O.Default)) << O.Name;
      if (O.Type == OptionType::Integer)
        EXPECT_TRUE(parseIntOption(O.Default)) << O.Name;
    }
}

// Summaries store facts by kind name (graph/Summary.cpp): each kind has
// one, and it reads back.
TEST(Registry, EveryFactKindHasAName) {
  for (auto K : {SqlFact::SelectStar, SqlFact::Offset, SqlFact::LeadingWildcard,
                 SqlFact::RowLock, SqlFact::Aggregate}) {
    llvm::StringRef Name = factKindName(K);
    EXPECT_EQ(parseFactKind(Name), std::optional<SqlFact::Kind>(K)) << Name.str();
  }
  EXPECT_EQ(factKindName(SqlFact::RowLock), "row-lock");
  EXPECT_EQ(parseFactKind("row-lock-any"), std::nullopt);
  EXPECT_EQ(parseFactKind("query"), std::nullopt);
}

// An SQL rule's texts expand exactly the variables its predicate declares.
TEST(Registry, SqlPredicateVariablesAreTheOnesExpanded) {
  Rule R;
  BoundRule B = bindOptions(R);
  SqlFact F{SqlFact::Offset};
  F.Snippet = "OFFSET 10";
  for (const Primitive &P : primitives()) {
    if (P.Kind != PrimitiveKind::SqlPredicate || P.NeedsContext)
      continue;
    for (const char *V : P.Vars) {
      std::string Template = "{" + std::string(V) + "}";
      std::string Out = expandTemplate(Template, F, B);
      EXPECT_NE(Out, Template) << P.Name << " " << V;
    }
  }
}

TEST(Registry, PredicatesEvaluateThroughTheirEntry) {
  Rule R;
  R.SqlPredicate = SqlPredicateKind::RowLockAny;
  BoundRule B = bindOptions(R);
  SqlFact Lock{SqlFact::RowLock};
  Lock.HasLimit = true;
  EXPECT_TRUE(predicateMatches(B, Lock));
  R.SqlPredicate = SqlPredicateKind::RowLock;
  EXPECT_FALSE(predicateMatches(B, Lock));
  R.SqlPredicate = SqlPredicateKind::Query; // Statements, not facts.
  EXPECT_FALSE(predicateMatches(B, Lock));
}

TEST(Registry, UndeclaredOptionsTakeThePrimitivesDefault) {
  Rule R;
  R.SqlPredicate = SqlPredicateKind::SelectStar;
  BoundRule B = bindOptions(R);
  EXPECT_EQ(B.Values.lookup("IncludeReturning").Type, OptionType::Bool);
  EXPECT_FALSE(B.flag("IncludeReturning"));
  EXPECT_EQ(B.number("SmallTableRows"), 0);
  // A context rule does not read the SQL check's own options.
  R.Context = ContextKind::InLoop;
  EXPECT_EQ(B.Values.count("SchemaNotes"), 1u);
  EXPECT_EQ(bindOptions(R).Values.count("SchemaNotes"), 0u);
}

TEST(Registry, ListsEveryPrimitiveAsClangTidyListsChecks) {
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  listPrimitives(OS);
  EXPECT_EQ(Out.rfind("SQL predicates (match.sql):\n    select-star\n", 0), 0u) << Out;
  for (const Primitive &P : primitives())
    EXPECT_NE(Out.find("\n    " + std::string(P.Name) + "\n"), std::string::npos)
        << P.Name;
  EXPECT_NE(Out.find("option ClaimBatchSize (integer, required, without a context)"),
            std::string::npos)
      << Out;
}

} // namespace
