//===--- SqlFacts.cpp - What one SQL text contains -------------------------===//
///
/// \file
/// Splits a text into statements, parses each (repairing holes, or falling
/// back to its tokens) and runs the facts on its tree. The facts and the
/// steps around them live in sql/facts/: Registry.h lists the facts, one
/// file each; Walk.h walks a tree for them; Prefilter.h skips trees that
/// cannot hold one; TokenFacts.h reads unparsed statements; Holes.h repairs
/// statements around their unknown parts; Classify.h counts writes and
/// session-control statements.
///
//===----------------------------------------------------------------------===//
#include "sql/SqlFacts.h"
#include "sql/Normalize.h"
#include "sql/PgQuery.h"
#include "sql/PgTree.h"
#include "sql/facts/Classify.h"
#include "sql/facts/Holes.h"
#include "sql/facts/Prefilter.h"
#include "sql/facts/Registry.h"
#include "sql/facts/TokenFacts.h"
#include "sql/facts/Walk.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include <cstring>
#include <mutex>

namespace stresslint {

using namespace pgtree;
using namespace sqlfacts;

/// \p S with every byte that is not part of valid UTF-8 replaced by 'x'.
/// libpg_query hands its tree over as JSON, which must be UTF-8; a Latin-1
/// literal (`'caf\xe9'`) would make the whole statement unparsable. The
/// length is kept, so offsets still point into the original text.
static std::string replaceInvalidUtf8(llvm::StringRef S) {
  std::string Out = S.str();
  size_t From = 0, Bad = 0;
  while (!llvm::json::isUTF8(llvm::StringRef(Out).drop_front(From), &Bad)) {
    Out[From + Bad] = 'x';
    From += Bad + 1;
  }
  return Out;
}

/// Whether \p S is valid UTF-8. Most SQL is ASCII, which eight bytes at a
/// time tell; llvm::json::isUTF8 looks at one byte at a time.
static bool isUtf8(llvm::StringRef S) {
  uint64_t High = 0;
  size_t I = 0;
  for (; I + 8 <= S.size(); I += 8) {
    uint64_t Word;
    std::memcpy(&Word, S.data() + I, sizeof(Word));
    High |= Word;
  }
  for (; I < S.size(); ++I)
    High |= static_cast<uint8_t>(S[I]);
  return !(High & 0x8080808080808080ULL) || llvm::json::isUTF8(S);
}

/// Offset of the first thing in \p Gap besides blanks, `;` and comments,
/// or npos.
static size_t contentOffset(llvm::StringRef Gap) {
  llvm::StringRef Rest = Gap;
  while (!Rest.empty()) {
    Rest = Rest.ltrim(" \t\r\n\f\v;");
    if (Rest.startswith("--")) {
      Rest = Rest.drop_until([](char C) { return C == '\n'; });
    } else if (Rest.startswith("/*")) {
      size_t End = Rest.find("*/", 2);
      Rest =
          End == llvm::StringRef::npos ? llvm::StringRef() : Rest.drop_front(End + 2);
    } else if (!Rest.empty()) {
      return Gap.size() - Rest.size();
    }
  }
  return llvm::StringRef::npos;
}

/// Statements longer than this are not given to libpg_query: the JSON tree
/// of a multi-megabyte statement (a 50 MB IN list) needs gigabytes, and past
/// 1 GB libpg_query terminates the whole process ("FATAL error").
constexpr uint32_t MaxStatementBytes = 1u << 20;

SqlAnalysis analyzeSql(llvm::StringRef Original, bool AllowTokenFallback,
                       bool SkipFactFreeTrees) {
  return analyzeSql(Original, SqlDialect::PostgreSQL, AllowTokenFallback,
                    SkipFactFreeTrees);
}

SqlAnalysis analyzeSql(llvm::StringRef Original, SqlDialect Dialect,
                       bool AllowTokenFallback, bool SkipFactFreeTrees,
                       FactKinds Wanted, bool CountDataStatements) {
  SqlAnalysis Result;
  // Facts quote the original bytes; only the parser sees the repaired text.
  llvm::StringRef Sql = Original;
  std::string Repaired;
  if (!isUtf8(Original)) {
    Repaired = replaceInvalidUtf8(Original);
    Sql = Repaired;
  }
  MappedText Norm = normalizeSql(Sql, Dialect);
  uint32_t Covered = 0;
  // One DOM for the whole text: each statement's tree replaces the previous
  // one in the same memory.
  JsonTree Tree;
  auto NoteProblem = [&](uint32_t NormOffset) {
    if (Result.FirstProblemOffset == UINT32_MAX)
      Result.FirstProblemOffset = Norm.originOf(NormOffset);
  };
  auto CheckGap = [&](uint32_t From, uint32_t To) {
    if (From >= To)
      return;
    size_t At = contentOffset(llvm::StringRef(Norm.text()).slice(From, To));
    if (At == llvm::StringRef::npos)
      return;
    ++Result.Unrecognized;
    NoteProblem(From + static_cast<uint32_t>(At));
    SqlParseError Err;
    if (Result.FirstError.empty() &&
        !sqlParses(llvm::StringRef(Norm.text()).slice(From + At, To), Err))
      Result.FirstError = Err.Message;
  };
  std::vector<std::pair<uint32_t, uint32_t>> Split = splitSql(Norm.text());
  for (auto [Begin, End] : Split) {
    CheckGap(Covered, Begin);
    Covered = std::max(Covered, End);
    if (End - Begin > MaxStatementBytes) {
      ++Result.Statements;
      NoteProblem(Begin);
      if (Result.FirstError.empty())
        Result.FirstError = "statement larger than 1 MiB, not parsed";
      continue;
    }
    MappedText Stmt;
    Stmt.appendSlice(Norm, Begin, End);
    if (llvm::StringRef(Stmt.text()).trim().empty())
      continue;
    ++Result.Statements;
    classifyStatement(Stmt.text(), Result);
    SqlParseError Err;
    std::optional<SqlJson> Json = parseGivingDerivedAliases(Stmt, Err);
    if (!Json && llvm::StringRef(Err.Message).contains("LIMIT #,#")) {
      MappedText Rewritten;
      if (rewriteMySqlLimit(Stmt, Rewritten)) {
        Stmt = std::move(Rewritten);
        Json = parseGivingDerivedAliases(Stmt, Err);
      }
    }
    bool ClauseHole = false;
    if (!Json) {
      if (std::optional<RepairedStatement> R = repairHoles(Stmt, Err)) {
        Stmt = std::move(R->Text);
        Json = std::move(R->Json);
        ClauseHole = R->ClauseHole;
        ++Result.RepairedStatements;
      }
    }
    TreeVerdict Verdict =
        Json && SkipFactFreeTrees
            ? quickVerdict(*Json, Stmt.text(), Wanted, CountDataStatements)
            : TreeVerdict::Analyse;
    bool TreeOk =
        Json && Verdict == TreeVerdict::Analyse && Tree.parse(std::move(*Json), Err);
    if (!Json || (Verdict == TreeVerdict::Analyse && !TreeOk)) {
      NoteProblem(Begin);
      if (Result.FirstError.empty())
        Result.FirstError = Err.Message;
      if (AllowTokenFallback)
        tokenFallback(Stmt, Original, Result.Facts);
      continue;
    }
    ++Result.ParsedStatements;
    if (Verdict != TreeVerdict::Analyse) {
      Result.DataStatements += Verdict == TreeVerdict::NoFactsData;
      continue;
    }
    size_t FirstFact = Result.Facts.size();
    if (std::optional<Array> Stmts = arrayField(&Tree.root(), "stmts"))
      for (const Value &S : *Stmts)
        if (FactWalk(Stmt, Original, Result.Facts, Wanted).run(S))
          ++Result.DataStatements;
    // A hole stood where a clause is: it may be the LIMIT that bounds a
    // lock or the condition that picks one group.
    if (ClauseHole)
      for (size_t I = FirstFact; I < Result.Facts.size(); ++I) {
        SqlFact &F = Result.Facts[I];
        if (auto *OnClauseHole = factSpecs()[F.K]->OnClauseHole)
          OnClauseHole(F);
      }
  }
  CheckGap(Covered, static_cast<uint32_t>(Norm.text().size()));
  if (llvm::StringRef(Norm.text()) == Original)
    Result.OriginalStatements = std::move(Split);
  return Result;
}

std::shared_ptr<const SqlAnalysis>
analyzeSqlCached(llvm::StringRef Sql, bool AllowTokenFallback, SqlDialect Dialect) {
  static std::mutex Mu;
  // One cache per (fallback, dialect): the same text reads differently.
  constexpr size_t Dialects = static_cast<size_t>(SqlDialect::TSql) + 1;
  static llvm::StringMap<std::shared_ptr<const SqlAnalysis>> Cache[2][Dialects];
  auto &C = Cache[AllowTokenFallback][static_cast<size_t>(Dialect)];
  {
    std::lock_guard<std::mutex> Lock(Mu);
    auto It = C.find(Sql);
    if (It != C.end())
      return It->second;
  }
  auto A =
      std::make_shared<const SqlAnalysis>(analyzeSql(Sql, Dialect, AllowTokenFallback));
  std::lock_guard<std::mutex> Lock(Mu);
  return C.try_emplace(Sql, std::move(A)).first->second;
}

} // namespace stresslint
