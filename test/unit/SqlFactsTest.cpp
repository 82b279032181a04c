//===--- SqlFactsTest.cpp - Facts and their exact offsets ------------------===//
#include "sql/SqlFacts.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <cstdlib>
#include <gtest/gtest.h>
#include <iostream>
#include <set>

using namespace stresslint;

namespace {
std::vector<SqlFact> factsOf(llvm::StringRef Sql, SqlFact::Kind K) {
  std::vector<SqlFact> Out;
  for (const SqlFact &F : analyzeSql(Sql).Facts)
    if (F.K == K)
      Out.push_back(F);
  return Out;
}
} // namespace

TEST(SqlFacts, SelectStarPointsAtTheStar) {
  auto F = factsOf("SELECT * FROM orders", SqlFact::SelectStar);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Begin, 7u);
  EXPECT_EQ(F[0].Snippet, "*");
  auto Q = factsOf("SELECT o.* FROM orders o", SqlFact::SelectStar);
  ASSERT_EQ(Q.size(), 1u);
  EXPECT_EQ(Q[0].Snippet, "o.*");
}

TEST(SqlFacts, TableStatementIsASelectStarFromTheKeywordToTheName) {
  // `TABLE t` is `SELECT * FROM t` with no star written: the star's place
  // is unknown to the parser (-1), so the fact spans what was written.
  auto F = factsOf("SELECT 1;\n  TABLE public.orders;", SqlFact::SelectStar);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Begin, 12u);
  EXPECT_EQ(F[0].Snippet, "TABLE public.orders");
  EXPECT_FALSE(F[0].Narrowable); // No column list can stand in its place.
  auto Only = factsOf("table ONLY orders", SqlFact::SelectStar);
  ASSERT_EQ(Only.size(), 1u);
  EXPECT_EQ(Only[0].Snippet, "table ONLY orders");
  EXPECT_TRUE(
      factsOf("WITH c AS (SELECT 1 AS one) TABLE c", SqlFact::SelectStar).empty());
}

TEST(SqlFacts, SelectStarTraps) {
  for (const char *Sql : {
           "SELECT count(*) FROM t",
           "SELECT id FROM t WHERE EXISTS (SELECT * FROM u WHERE u.t = t.id)",
           "INSERT INTO a SELECT * FROM b",
           "CREATE TABLE a AS SELECT * FROM b",
           "CREATE VIEW v AS SELECT * FROM b",
           "WITH c AS (SELECT id, name FROM t) SELECT * FROM c",
           "WITH c AS (SELECT * FROM t) SELECT id FROM c",
           "SELECT * FROM generate_series(1, 3)",
           "SELECT * FROM (VALUES (1), (2)) v(x)",
           "SELECT * INTO new_t FROM t",
       })
    EXPECT_TRUE(factsOf(Sql, SqlFact::SelectStar).empty()) << Sql;
}

TEST(SqlFacts, SelectStarThroughCtesReportsTheInnerStar) {
  const char *Sql = "WITH c AS (SELECT * FROM t) SELECT * FROM c";
  auto F = factsOf(Sql, SqlFact::SelectStar);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Begin, 18u);
  auto D = factsOf("SELECT * FROM (SELECT * FROM t) s", SqlFact::SelectStar);
  ASSERT_EQ(D.size(), 1u);
  EXPECT_EQ(D[0].Begin, 22u);
  auto R = factsOf("DELETE FROM t WHERE id = 1 RETURNING *", SqlFact::SelectStar);
  ASSERT_EQ(R.size(), 1u);
  EXPECT_TRUE(R[0].InReturning);
  auto U = factsOf("SELECT * FROM a UNION ALL SELECT * FROM b", SqlFact::SelectStar);
  EXPECT_EQ(U.size(), 2u);
}

TEST(SqlFacts, OffsetPointsAtTheKeywordAndSkipsZero) {
  auto F = factsOf("SELECT id FROM t ORDER BY created_at DESC LIMIT 50 OFFSET $1",
                   SqlFact::Offset);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Snippet, "OFFSET $1");
  EXPECT_NE(
      F[0].Detail.find("WHERE created_at < $last_1 ORDER BY created_at DESC LIMIT 50"),
      std::string::npos)
      << F[0].Detail;
  EXPECT_TRUE(factsOf("SELECT id FROM t LIMIT 10 OFFSET 0", SqlFact::Offset).empty());
  EXPECT_EQ(factsOf("SELECT id FROM t OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY",
                    SqlFact::Offset)
                .size(),
            1u);
}

TEST(SqlFacts, MySqlLimitCommaIsAnOffset) {
  auto F = factsOf("SELECT id FROM t LIMIT 20, 10", SqlFact::Offset);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Begin, 17u);
  EXPECT_TRUE(factsOf("SELECT id FROM t LIMIT 0, 10", SqlFact::Offset).empty());
  // With foreign placeholders too.
  EXPECT_EQ(factsOf("SELECT id FROM t WHERE a = ? LIMIT ?, ?", SqlFact::Offset).size(),
            1u);
}

TEST(SqlFacts, LeadingWildcardPatterns) {
  auto F = factsOf("SELECT id FROM t WHERE name ILIKE '%' || $1 || '%'",
                   SqlFact::LeadingWildcard);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Snippet, "'%'");
  EXPECT_EQ(F[0].Detail, "name ILIKE"); // The operand, for the message.
  // Its qualifier and lower() are shown; a qualifier that is a hole is not.
  auto Q = factsOf("SELECT u.id FROM users u WHERE lower(u.email) LIKE '%x'",
                   SqlFact::LeadingWildcard);
  ASSERT_EQ(Q.size(), 1u);
  EXPECT_EQ(Q[0].Detail, "lower(u.email) LIKE");
  auto H =
      factsOf("SELECT id FROM t WHERE p__1.name LIKE '%x'", SqlFact::LeadingWildcard);
  ASSERT_EQ(H.size(), 1u);
  EXPECT_EQ(H[0].Detail, "name LIKE");
  EXPECT_EQ(
      factsOf("SELECT id FROM t WHERE a LIKE CONCAT('%', ?)", SqlFact::LeadingWildcard)
          .size(),
      1u);
  EXPECT_EQ(factsOf("SELECT id FROM t WHERE a NOT LIKE '_x' ESCAPE '!'",
                    SqlFact::LeadingWildcard)
                .size(),
            1u);
  EXPECT_EQ(
      factsOf("SELECT id FROM t WHERE a SIMILAR TO '%(b|c)'", SqlFact::LeadingWildcard)
          .size(),
      1u);
  for (const char *Sql :
       {"SELECT id FROM t WHERE a LIKE 'abc%'", "SELECT id FROM t WHERE a LIKE $1",
        "SELECT id FROM t WHERE a LIKE '%'", "SELECT '%abc' AS x FROM t",
        "SELECT id FROM t WHERE a LIKE '\\%abc'"})
    EXPECT_TRUE(factsOf(Sql, SqlFact::LeadingWildcard).empty()) << Sql;
}

TEST(SqlFacts, RowLocks) {
  auto F =
      factsOf("SELECT id FROM jobs WHERE status = 'new' FOR UPDATE", SqlFact::RowLock);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Snippet, "FOR UPDATE");
  EXPECT_FALSE(F[0].HasLimit);
  EXPECT_EQ(F[0].PinnedColumns, std::vector<std::string>{"status"});
  auto S = factsOf("SELECT id FROM jobs LIMIT 10 FOR NO KEY UPDATE SKIP LOCKED",
                   SqlFact::RowLock);
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].Snippet, "FOR NO KEY UPDATE");
  EXPECT_TRUE(S[0].HasLimit);
  EXPECT_TRUE(S[0].NoWaitOrSkip);
  auto K =
      factsOf("SELECT * FROM a WHERE a.id = $1 AND b = 2 FOR SHARE", SqlFact::RowLock);
  ASSERT_EQ(K.size(), 1u);
  EXPECT_EQ(K[0].PinnedColumns, (std::vector<std::string>{"id", "b"}));
  auto Any = factsOf("SELECT 1 FROM a WHERE id = ANY($1) FOR UPDATE", SqlFact::RowLock);
  ASSERT_EQ(Any.size(), 1u);
  EXPECT_TRUE(Any[0].PinnedColumns.empty());
}

TEST(SqlFacts, Aggregates) {
  auto F = factsOf("SELECT count(*) FROM orders", SqlFact::Aggregate);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Snippet, "count(*)");
  EXPECT_TRUE(F[0].FromTable);
  auto K =
      factsOf("SELECT sum(total) FROM orders WHERE user_id = $1", SqlFact::Aggregate);
  ASSERT_EQ(K.size(), 1u);
  EXPECT_EQ(K[0].PinnedColumns, std::vector<std::string>{"user_id"});
  auto E = factsOf("SELECT id FROM t WHERE EXISTS (SELECT count(*) FROM u)",
                   SqlFact::Aggregate);
  ASSERT_EQ(E.size(), 1u);
  EXPECT_TRUE(E[0].InSubquery);
}

TEST(SqlFacts, AggregateCallEndsAtItsParenthesisPastQuotesAndParameters) {
  // The bytes tell a call's end past quoted strings, quoted names and $n;
  // an E'' escape, a dollar quote or a comment leave it to the tokens.
  for (const char *Call :
       {"string_agg(name, ')')", "string_agg(\"a)\"\"b\", 'it''s)')", "max(total + $1)",
        "string_agg(name, E'\\')')", "string_agg(name, $$)$$)", "max(total /* ) */)"}) {
    auto F =
        factsOf(std::string("SELECT ") + Call + " FROM orders", SqlFact::Aggregate);
    ASSERT_EQ(F.size(), 1u) << Call;
    EXPECT_EQ(F[0].Snippet, Call);
  }
}

TEST(SqlFacts, ParseFailuresAreNotFindings) {
  SqlAnalysis A =
      analyzeSql("SELEC * FROM t; this is not sql", /*AllowTokenFallback=*/false);
  EXPECT_EQ(A.Statements, 2u);
  EXPECT_EQ(A.ParsedStatements, 0u);
  EXPECT_TRUE(A.Facts.empty());
  EXPECT_FALSE(A.FirstError.empty());
}

TEST(SqlFacts, TokenFallbackForOtherDialects) {
  // T-SQL brackets do not parse; the tokens still show the anti-patterns.
  SqlAnalysis A = analyzeSql("SELECT * FROM [dbo].[users] WHERE [name] LIKE '%x' "
                             "ORDER BY id OFFSET 10 ROWS");
  EXPECT_EQ(A.ParsedStatements, 0u);
  std::set<int> Kinds;
  for (const SqlFact &F : A.Facts) {
    EXPECT_FALSE(F.FromParse);
    Kinds.insert(F.K);
  }
  EXPECT_EQ(Kinds, (std::set<int>{SqlFact::SelectStar, SqlFact::Offset,
                                  SqlFact::LeadingWildcard}));
}

TEST(SqlFacts, MultipleStatementsAreSplit) {
  SqlAnalysis A = analyzeSql("SELECT * FROM a;\nSELECT id FROM b OFFSET 5;");
  EXPECT_EQ(A.Statements, 2u);
  ASSERT_EQ(A.Facts.size(), 2u);
  EXPECT_EQ(A.Facts[1].Begin, 34u);
}

TEST(SqlFacts, StatementKeywordDetection) {
  EXPECT_TRUE(startsWithStatementKeyword("  -- c\nSELECT 1"));
  EXPECT_TRUE(startsWithStatementKeyword("with x as (select 1) select 1"));
  EXPECT_FALSE(startsWithStatementKeyword("selection of items"));
  EXPECT_FALSE(startsWithStatementKeyword("Updated the row"));
}

namespace {
/// The same analysis with and without skipping fact-free parse trees.
void expectSkipChangesNothing(llvm::StringRef Sql, const std::string &Where) {
  for (bool Fallback : {false, true}) {
    SqlAnalysis Fast = analyzeSql(Sql, Fallback, /*SkipFactFreeTrees=*/true);
    SqlAnalysis Full = analyzeSql(Sql, Fallback, /*SkipFactFreeTrees=*/false);
    // As a `.sql` file is read: no aggregates (whose needle has no words),
    // data statements not counted, so a tree is not read when its
    // statement's text has no needle's word.
    FactKinds NoAggregates = AllFactKinds & ~factKind(SqlFact::Aggregate);
    SqlAnalysis Uncounted =
        analyzeSql(Sql, SqlDialect::PostgreSQL, Fallback, /*SkipFactFreeTrees=*/true,
                   NoAggregates, /*CountDataStatements=*/false);
    EXPECT_EQ(Uncounted.Statements, Full.Statements) << Where;
    EXPECT_EQ(Uncounted.ParsedStatements, Full.ParsedStatements) << Where;
    EXPECT_EQ(Uncounted.FirstError, Full.FirstError) << Where;
    std::vector<const SqlFact *> Wanted;
    for (const SqlFact &F : Full.Facts)
      if (F.K != SqlFact::Aggregate)
        Wanted.push_back(&F);
    ASSERT_EQ(Uncounted.Facts.size(), Wanted.size()) << Where;
    for (size_t I = 0; I < Uncounted.Facts.size(); ++I) {
      EXPECT_EQ(Uncounted.Facts[I].K, Wanted[I]->K) << Where;
      EXPECT_EQ(Uncounted.Facts[I].Begin, Wanted[I]->Begin) << Where;
      EXPECT_EQ(Uncounted.Facts[I].Snippet, Wanted[I]->Snippet) << Where;
    }
    EXPECT_EQ(Fast.Statements, Full.Statements) << Where;
    EXPECT_EQ(Fast.ParsedStatements, Full.ParsedStatements) << Where;
    EXPECT_EQ(Fast.DataStatements, Full.DataStatements) << Where;
    EXPECT_EQ(Fast.WriteStatements, Full.WriteStatements) << Where;
    EXPECT_EQ(Fast.ControlStatements, Full.ControlStatements) << Where;
    EXPECT_EQ(Fast.FirstError, Full.FirstError) << Where;
    ASSERT_EQ(Fast.Facts.size(), Full.Facts.size()) << Where;
    for (size_t I = 0; I < Fast.Facts.size(); ++I) {
      EXPECT_EQ(Fast.Facts[I].K, Full.Facts[I].K) << Where;
      EXPECT_EQ(Fast.Facts[I].Begin, Full.Facts[I].Begin) << Where;
      EXPECT_EQ(Fast.Facts[I].Snippet, Full.Facts[I].Snippet) << Where;
      EXPECT_EQ(Fast.Facts[I].Detail, Full.Facts[I].Detail) << Where;
      EXPECT_EQ(Fast.Facts[I].Table, Full.Facts[I].Table) << Where;
    }
  }
}
} // namespace

TEST(SqlFacts, SkippingFactFreeTreesChangesNothing) {
  // One statement per way a fact or a data statement can arise, and the
  // kinds of statement the skip applies to.
  for (const char *Sql : {
           "SELECT * FROM t",
           "INSERT INTO t VALUES (1) RETURNING *",
           "SELECT a FROM t OFFSET 5",
           "SELECT a FROM t FOR UPDATE",
           "SELECT a FROM t WHERE b LIKE '%x'",
           "SELECT a FROM t WHERE b ~~ '%x'",
           "SELECT a FROM t WHERE b SIMILAR TO '%x'",
           "SELECT count(*) FROM t",
           "SELECT pg_catalog.\"COUNT\"(a) FROM t",
           "SELECT max(a) FROM t",
           "SELECT lower(a) FROM t",
           // Without FROM, so only the fact needles keep them from the skip.
           "SELECT 1 OFFSET 5",
           "SELECT 1 FOR UPDATE",
           "SELECT 'a' LIKE '%x'",
           "SELECT 'a' ~~* '%x'",
           "SELECT 'a' SIMILAR TO '%x'",
           "SELECT count(*)",
           "SELECT Max(1)",
           "CREATE TABLE t (a text CHECK (a ILIKE '%x'))",
           "CREATE VIEW v AS SELECT * FROM t",
           "DECLARE c CURSOR FOR SELECT * FROM t",
           "SELECT 1",
           "SELECT (SELECT a FROM t)",
           "SELECT 1 UNION SELECT 2",
           "SELECT a FROM t",
           "INSERT INTO t VALUES (1)",
           "UPDATE t SET a = 1",
           "DELETE FROM t WHERE a = 1",
           "CREATE TABLE t (a int)",
           "ALTER TABLE t ADD COLUMN b int",
           // A star nobody wrote.
           "TABLE t",
           "table ONLY t; SELECT 1",
           "SELECT '\"A_Star\"' AS x",
           "SELECT \"A_Star\" FROM t",
           "SELECT a FROM t LIMIT 1, 2",
           "SELECT * FROM [x]",
           "SELECT a FROM t; SELECT * FROM u;",
           // LIKE's operators by name, and their text elsewhere.
           "SELECT 'a' OPERATOR(pg_catalog.~~) '%x'",
           "SELECT 'a' !~~ '%x'",
           "SELECT 'a' OPERATOR(pg_catalog.!~~*) '_x'",
           "SELECT '~~' AS x",
           // Whether the top-level SELECT reads data, with nested ones.
           "SELECT (SELECT a FROM t), b FROM u",
           "SELECT (SELECT 1 UNION SELECT 2)",
           "SELECT 1 WHERE EXISTS (SELECT 1 FROM t)",
           "SELECT '\"fromClause\"'",
       })
    expectSkipChangesNothing(Sql, Sql);
}

TEST(SqlFacts, SkippingFactFreeTreesChangesNothingOnTheFixturesAndCorpus) {
  std::string Root = STRESSLINT_SOURCE_DIR;
  std::vector<std::string> Dirs = {Root + "/test/fixtures/sql",
                                   Root + "/examples/shop-backend/sql"};
  // The PostgreSQL regression corpus is optional: it is not in the
  // repository (bench/README.md says where to get it).
  if (const char *Corpus = std::getenv("STRESSLINT_SQL_CORPUS"))
    Dirs.emplace_back(Corpus);
  else
    std::cout << "[ NOTE     ] STRESSLINT_SQL_CORPUS not set: the fixtures and "
                 "examples only, no PostgreSQL regression corpus\n";
  unsigned Files = 0, Seen = 0;
  for (const std::string &Dir : Dirs) {
    std::error_code EC;
    for (llvm::sys::fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC)) {
      if (llvm::sys::path::extension(It->path()) != ".sql")
        continue;
      // Every fifth corpus file keeps the test fast; all fixtures.
      if (Dir == Dirs.back() && Dirs.size() > 2 && Seen++ % 5)
        continue;
      auto Buf = llvm::MemoryBuffer::getFile(It->path());
      ASSERT_TRUE(static_cast<bool>(Buf)) << It->path();
      expectSkipChangesNothing((*Buf)->getBuffer(), It->path());
      ++Files;
    }
  }
  EXPECT_GT(Files, 0u);
}

namespace {
std::vector<SqlFact> factsIn(const SqlAnalysis &A, SqlFact::Kind K) {
  std::vector<SqlFact> Out;
  for (const SqlFact &F : A.Facts)
    if (F.K == K)
      Out.push_back(F);
  return Out;
}
} // namespace

// --- Holes: statements that parse once their unknown parts are replaced ----

TEST(SqlFactsHoles, ClauseHolesAreDroppedAndFactsMapBack) {
  // The holes were a WHERE and an ORDER BY spliced in by C++.
  const char *Sql = "SELECT id FROM t $1 $2 LIMIT $3 OFFSET $4";
  SqlAnalysis A = analyzeSql(Sql, /*AllowTokenFallback=*/false);
  EXPECT_EQ(A.ParsedStatements, 1u);
  EXPECT_EQ(A.RepairedStatements, 1u);
  auto F = factsIn(A, SqlFact::Offset);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_TRUE(F[0].FromParse);
  EXPECT_EQ(F[0].Begin, 32u);
  EXPECT_EQ(F[0].Snippet, "OFFSET $4");
}

TEST(SqlFactsHoles, FormatAndTemplateHoles) {
  for (const char *Sql : {"SELECT * FROM users %s ORDER BY id LIMIT 10 OFFSET %d",
                          "SELECT * FROM users {} ORDER BY id LIMIT 10 OFFSET {}",
                          "SELECT * FROM users %1 ORDER BY id LIMIT 10 OFFSET %2"}) {
    SqlAnalysis A = analyzeSql(Sql, /*AllowTokenFallback=*/false);
    EXPECT_EQ(A.ParsedStatements, 1u) << Sql;
    EXPECT_EQ(factsIn(A, SqlFact::Offset).size(), 1u) << Sql;
    auto Star = factsIn(A, SqlFact::SelectStar);
    ASSERT_EQ(Star.size(), 1u) << Sql;
    EXPECT_EQ(Star[0].Begin, 7u);
  }
}

TEST(SqlFactsHoles, NameHolesBecomeNames) {
  SqlAnalysis A = analyzeSql("SELECT * FROM $1 WHERE name LIKE '%x'",
                             /*AllowTokenFallback=*/false);
  EXPECT_EQ(A.ParsedStatements, 1u);
  EXPECT_EQ(factsIn(A, SqlFact::SelectStar).size(), 1u);
  EXPECT_EQ(factsIn(A, SqlFact::LeadingWildcard).size(), 1u);
}

TEST(SqlFactsHoles, AHoleInParenthesesMayBeAQuery) {
  // `FROM (%1)`: a wrapper around a query, as SQLite writes it (no alias).
  const char *Sql = "SELECT * FROM ($1) LIMIT $2 OFFSET $3";
  SqlAnalysis A = analyzeSql(Sql, /*AllowTokenFallback=*/false);
  EXPECT_EQ(A.ParsedStatements, 1u);
  auto F = factsIn(A, SqlFact::Offset);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_TRUE(F[0].FromParse);
  EXPECT_EQ(F[0].Begin, 28u);
  EXPECT_EQ(F[0].Snippet, "OFFSET $3");
  // The star is the wrapped query's columns, not a table's.
  EXPECT_TRUE(factsIn(A, SqlFact::SelectStar).empty());
  // A derived table with no alias parses, holes or not, and facts inside
  // it and after it keep their offsets.
  SqlAnalysis B = analyzeSql("SELECT * FROM (SELECT * FROM t) LIMIT 5 OFFSET 10",
                             /*AllowTokenFallback=*/false);
  EXPECT_EQ(B.ParsedStatements, 1u);
  auto O = factsIn(B, SqlFact::Offset);
  ASSERT_EQ(O.size(), 1u);
  EXPECT_EQ(O[0].Begin, 40u);
  auto S = factsIn(B, SqlFact::SelectStar);
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].Begin, 22u);
}

TEST(SqlFactsHoles, AnUnknownClauseMayBoundTheLock) {
  // The hole may be `LIMIT 1` or `WHERE id = ?`: not an unbounded lock.
  auto L = factsOf("SELECT id FROM jobs WHERE status = 'new' $1 FOR UPDATE",
                   SqlFact::RowLock);
  ASSERT_EQ(L.size(), 1u);
  EXPECT_TRUE(L[0].HasLimit);
  // A condition hole is a filter, as the parse reads `WHERE $1`.
  auto W = factsOf("SELECT id FROM jobs WHERE $1 FOR UPDATE", SqlFact::RowLock);
  ASSERT_EQ(W.size(), 1u);
  EXPECT_FALSE(W[0].HasLimit);
  auto G = factsOf("SELECT count(*) FROM orders $1", SqlFact::Aggregate);
  ASSERT_EQ(G.size(), 1u);
  EXPECT_TRUE(G[0].HasGroupBy);
  // A value hole says nothing about the clauses.
  auto V =
      factsOf("SELECT id FROM jobs WHERE status = $1 FOR UPDATE", SqlFact::RowLock);
  ASSERT_EQ(V.size(), 1u);
  EXPECT_FALSE(V[0].HasLimit);
}

TEST(SqlFactsHoles, OnlyFailingStatementsWithHolesAreRepaired) {
  SqlAnalysis A =
      analyzeSql("SELECT * FROM users WHERE;", /*AllowTokenFallback=*/false);
  EXPECT_EQ(A.ParsedStatements, 0u);
  EXPECT_EQ(A.RepairedStatements, 0u);
  EXPECT_TRUE(A.Facts.empty());
  SqlAnalysis B = analyzeSql("SELECT id FROM t WHERE a = $1", false);
  EXPECT_EQ(B.RepairedStatements, 0u);
  // Holes, but the error is elsewhere: no variant parses.
  SqlAnalysis C = analyzeSql("SELECT id FROM t WHERE a = $1 AND OFFSET 5 WHERE", false);
  EXPECT_EQ(C.ParsedStatements, 0u);
}

// --- Token fallback --------------------------------------------------------

TEST(SqlFactsTokens, CommentsStringsAndNamesAreNotKeywords) {
  for (const char *Sql : {
           "SELECT a FROM [t] /* OFFSET 10 */ WHERE x = 1",
           "SELECT a FROM [t] -- OFFSET 10\nWHERE x = 1",
           "SELECT a FROM [t] WHERE note = 'LIMIT 5 OFFSET 10 FOR UPDATE'",
           "SELECT offset_ms FROM [t] WHERE offset_ms > 10",
           "SELECT \"offset\" FROM [t] ORDER BY \"offset\"",
           "SELECT a FROM [t] ORDER BY a LIMIT 10 OFFSET 0",
           "SELECT a FROM [t] WHERE b LIKE 'abc%'",
           "SELECT a FROM [t] WHERE b = '%s'",
           "SELECT count(*) FROM [t]",
           "SELECT a FROM [t] WHERE EXISTS (SELECT * FROM [u])",
           "SELECT * INTO [t2] FROM [t]",
           "UPDATE [t] SET offset = 5 WHERE id IN (SELECT id FROM [u])",
       }) {
    SqlAnalysis A = analyzeSql(Sql);
    EXPECT_EQ(A.ParsedStatements, 0u) << Sql;
    EXPECT_TRUE(A.Facts.empty()) << Sql << ": " << A.Facts.front().Snippet;
  }
}

TEST(SqlFactsTokens, FindingsAtExactOffsets) {
  const char *Sql = "SELECT * FROM [t] WHERE [n] NOT LIKE '%x' ORDER BY [id] "
                    "OFFSET @skip ROWS";
  SqlAnalysis A = analyzeSql(Sql);
  EXPECT_EQ(A.ParsedStatements, 0u);
  auto S = factsIn(A, SqlFact::SelectStar);
  ASSERT_EQ(S.size(), 1u);
  EXPECT_FALSE(S[0].FromParse);
  EXPECT_EQ(S[0].Begin, 7u);
  auto L = factsIn(A, SqlFact::LeadingWildcard);
  ASSERT_EQ(L.size(), 1u);
  EXPECT_EQ(L[0].Snippet, "'%x'");
  EXPECT_EQ(L[0].Detail, "LIKE");
  auto O = factsIn(A, SqlFact::Offset);
  ASSERT_EQ(O.size(), 1u);
  EXPECT_EQ(O[0].Snippet, "OFFSET @skip");
  // The keyset hint from the tokens' ORDER BY and LIMIT.
  auto H = factsOf("SELECT a FROM t ORDER BY created_at DESC LIMIT 50 OFFSET 100 ON x",
                   SqlFact::Offset);
  ASSERT_EQ(H.size(), 1u);
  EXPECT_FALSE(H[0].FromParse);
  EXPECT_NE(
      H[0].Detail.find("WHERE created_at < $last_1 ORDER BY created_at DESC LIMIT 50"),
      std::string::npos)
      << H[0].Detail;
}

// A case-folded pattern, as the tree reads it, in a statement that does
// not parse; a folded prefix pattern is not one.
TEST(SqlFactsTokens, CaseFoldedPatterns) {
  SqlAnalysis A =
      analyzeSql("SELECT [id] FROM [t] WHERE LOWER([n]) LIKE LOWER('%' || @q || '%'); "
                 "SELECT [id] FROM [t] WHERE UPPER([n]) LIKE UPPER(@q || '%')");
  EXPECT_EQ(A.ParsedStatements, 0u);
  auto L = factsIn(A, SqlFact::LeadingWildcard);
  ASSERT_EQ(L.size(), 1u);
  EXPECT_EQ(L[0].Snippet, "'%'");
  EXPECT_FALSE(L[0].FromParse);
}

TEST(SqlFactsTokens, MySqlLimitCommaAndLocks) {
  // A syntax error elsewhere (ON DUPLICATE KEY) keeps the tokens' facts.
  auto O = factsOf("SELECT a FROM t WHERE b = 1 LIMIT 20, 10 ON x", SqlFact::Offset);
  ASSERT_EQ(O.size(), 1u);
  EXPECT_EQ(O[0].Snippet, "LIMIT 20");
  EXPECT_TRUE(factsOf("SELECT a FROM t LIMIT 0, 10 ON x", SqlFact::Offset).empty());
  auto U =
      factsOf("SELECT a FROM [jobs] WHERE [state] = 1 FOR UPDATE", SqlFact::RowLock);
  ASSERT_EQ(U.size(), 1u);
  EXPECT_FALSE(U[0].FromParse);
  EXPECT_EQ(U[0].Snippet, "FOR UPDATE");
  EXPECT_FALSE(U[0].HasLimit);
  EXPECT_FALSE(U[0].NoWaitOrSkip);
  EXPECT_EQ(U[0].PinnedColumns, std::vector<std::string>{"state"});
  auto K =
      factsOf("SELECT a FROM [jobs] LIMIT 5 FOR UPDATE SKIP LOCKED", SqlFact::RowLock);
  ASSERT_EQ(K.size(), 1u);
  EXPECT_TRUE(K[0].HasLimit);
  EXPECT_TRUE(K[0].NoWaitOrSkip);
  auto N = factsOf("SELECT a FROM [jobs] FOR SHARE NOWAIT", SqlFact::RowLock);
  ASSERT_EQ(N.size(), 1u);
  EXPECT_TRUE(N[0].NoWaitOrSkip);
}

TEST(SqlFactsTokens, UnterminatedQuoteKeepsTheTokensBefore) {
  auto O = factsOf("SELECT a FROM t ORDER BY a LIMIT 10 OFFSET 20 WHERE b = 'x",
                   SqlFact::Offset);
  ASSERT_EQ(O.size(), 1u);
  EXPECT_EQ(O[0].Snippet, "OFFSET 20");
}

// --- Dialects --------------------------------------------------------------

TEST(SqlFactsDialects, MySqlDoubleQuotedPatternIsAString) {
  const char *Sql = "SELECT id FROM users WHERE name LIKE \"%smith\"";
  EXPECT_TRUE(factsIn(analyzeSql(Sql, false), SqlFact::LeadingWildcard).empty());
  auto F = factsIn(analyzeSql(Sql, SqlDialect::MySQL, false), SqlFact::LeadingWildcard);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_TRUE(F[0].FromParse);
  EXPECT_EQ(F[0].Snippet, "\"%smith\"");
  auto C = analyzeSqlCached(Sql, false, SqlDialect::MySQL);
  auto P = analyzeSqlCached(Sql, false, SqlDialect::PostgreSQL);
  EXPECT_EQ(factsIn(*C, SqlFact::LeadingWildcard).size(), 1u);
  EXPECT_TRUE(factsIn(*P, SqlFact::LeadingWildcard).empty());
}

TEST(SqlFactsDialects, EachDialectParses) {
  struct Case {
    SqlDialect D;
    const char *Sql;
    SqlFact::Kind K;
  } Cases[] = {
      {SqlDialect::MySQL, "SELECT `id` FROM `t` WHERE a = 'it\\'s' LIMIT ?, ?",
       SqlFact::Offset},
      {SqlDialect::MySQL, "SELECT id FROM t # comment\nWHERE a = 1 LOCK IN SHARE MODE",
       SqlFact::RowLock},
      {SqlDialect::SQLite, "SELECT id FROM t WHERE path GLOB '*.txt'",
       SqlFact::LeadingWildcard},
      {SqlDialect::SQLite, "SELECT * FROM t WHERE a = ?1 AND b = $name",
       SqlFact::SelectStar},
      {SqlDialect::TSql, "SELECT TOP 10 * FROM [dbo].[t] WITH (NOLOCK)",
       SqlFact::SelectStar},
      {SqlDialect::TSql,
       "SELECT [id] FROM [t] ORDER BY [id] OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY",
       SqlFact::Offset},
  };
  for (const Case &C : Cases) {
    SqlAnalysis A = analyzeSql(C.Sql, C.D, /*AllowTokenFallback=*/false);
    EXPECT_EQ(A.ParsedStatements, 1u) << C.Sql << ": " << A.FirstError;
    EXPECT_EQ(factsIn(A, C.K).size(), 1u) << C.Sql;
  }
  EXPECT_TRUE(factsIn(analyzeSql("SELECT id FROM t WHERE path GLOB 'a*'",
                                 SqlDialect::SQLite, false),
                      SqlFact::LeadingWildcard)
                  .empty());
}

TEST(SqlFacts, FormatMarkersInPatternsAreValues) {
  // In a printf template '%s' is the caller's value, '%s%%' a prefix search.
  for (const char *Sql :
       {"SELECT id FROM t WHERE a LIKE '%s'", "SELECT id FROM t WHERE a LIKE '%s%%'",
        "SELECT id FROM t WHERE a LIKE '%d'"})
    EXPECT_TRUE(factsOf(Sql, SqlFact::LeadingWildcard).empty()) << Sql;
  EXPECT_EQ(factsOf("SELECT id FROM t WHERE a LIKE '%%%s%%'", SqlFact::LeadingWildcard)
                .size(),
            1u);
  for (const char *Sql :
       {"SELECT id FROM t WHERE a LIKE '%smith'", "SELECT id FROM t WHERE a LIKE '%10'",
        "SELECT id FROM t WHERE a LIKE '%x'"})
    EXPECT_EQ(factsOf(Sql, SqlFact::LeadingWildcard).size(), 1u) << Sql;
}

TEST(SqlFacts, ReadsOnlyCatalogKnowsTheSchemaFromTheData) {
  EXPECT_TRUE(readsOnlyCatalog("SELECT name FROM sqlite_master WHERE type='table'"));
  EXPECT_TRUE(readsOnlyCatalog("SELECT ROWID FROM %1.sqlite_master"));
  EXPECT_TRUE(
      readsOnlyCatalog("SELECT column_name FROM information_schema.columns c "
                       "JOIN pg_catalog.pg_class k ON k.relname = c.table_name"));
  EXPECT_TRUE(readsOnlyCatalog("select 1 from pg_tables where tablename = $1"));
  EXPECT_TRUE(readsOnlyCatalog("SELECT * FROM (SELECT name FROM sqlite_schema) s"));
  // Traps: data, a list, no relation at all, a FROM that is no relation.
  EXPECT_FALSE(readsOnlyCatalog("SELECT id FROM songs WHERE title = ?"));
  EXPECT_FALSE(
      readsOnlyCatalog("SELECT name FROM sqlite_master JOIN songs ON songs.t = name"));
  EXPECT_FALSE(readsOnlyCatalog("SELECT m.name FROM sqlite_master m, songs"));
  EXPECT_FALSE(readsOnlyCatalog("SELECT 1"));
  EXPECT_FALSE(readsOnlyCatalog("SELECT extract(year FROM played_at) FROM pg_stats"));
  EXPECT_FALSE(readsOnlyCatalog("SELECT * FROM %1"));
}

TEST(SqlFacts, AWholeSplicedTableIsWorkPerTable) {
  EXPECT_TRUE(wholeSplicedTable("DELETE FROM \"$1\""));
  EXPECT_TRUE(wholeSplicedTable("SELECT COUNT(*) FROM p__1"));
  EXPECT_TRUE(wholeSplicedTable("UPDATE $1 SET seen = false;"));
  EXPECT_TRUE(wholeSplicedTable("SELECT * FROM \"p__2\" ORDER BY id LIMIT 10"));
  // Traps: rows picked, a known table, a list, a join, a subquery, a
  // qualified name, an insert, two statements.
  EXPECT_FALSE(wholeSplicedTable("DELETE FROM \"$1\" WHERE id = $2"));
  EXPECT_FALSE(wholeSplicedTable("DELETE FROM songs"));
  EXPECT_FALSE(wholeSplicedTable("SELECT * FROM p__1, songs"));
  EXPECT_FALSE(
      wholeSplicedTable("SELECT * FROM p__1 JOIN songs ON songs.id = p__1.id"));
  EXPECT_FALSE(wholeSplicedTable("SELECT * FROM (SELECT * FROM p__1) t"));
  EXPECT_FALSE(wholeSplicedTable("SELECT * FROM p__1.songs"));
  EXPECT_FALSE(wholeSplicedTable("INSERT INTO p__1 (v) VALUES ($2)"));
  EXPECT_FALSE(wholeSplicedTable("DELETE FROM p__1; DELETE FROM songs"));
}
