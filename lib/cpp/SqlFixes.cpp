//===--- SqlFixes.cpp - Fixes of the SQL in C++ string literals ------------===//
#include "cpp/SqlFixes.h"
#include "cpp/ResultColumns.h"
#include "cpp/SqlSites.h"
#include "schema/Schema.h"
#include "sql/PgQuery.h"
#include "sql/Rewrites.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace stresslint {

/// The piece of \p Sql that holds byte \p Offset.
static const SqlPiece *pieceAt(const ReconstructedSql &Sql, uint32_t Offset) {
  auto It = llvm::upper_bound(
      Sql.Pieces, Offset, [](uint32_t O, const SqlPiece &P) { return O < P.Begin; });
  if (It == Sql.Pieces.begin())
    return nullptr;
  --It;
  return Offset < It->Begin + It->Length ? &*It : nullptr;
}

/// Why \p Name cannot stand unquoted in a select list, or empty.
static std::string notPlainName(llvm::StringRef Name, SqlDialect Dialect) {
  bool Ident = !Name.empty() && (llvm::isAlpha(Name[0]) || Name[0] == '_') &&
               llvm::all_of(Name, [](char C) { return llvm::isAlnum(C) || C == '_'; });
  if (!Ident)
    return "'" + Name.str() + "' is not a plain column name";
  std::vector<SqlToken> Tokens;
  if (!scanSql(Name, Tokens) || Tokens.size() != 1)
    return "'" + Name.str() + "' is not a plain column name";
  // Other dialects reserve other words: there only a name that is no
  // keyword at all is certain to be a column.
  if (Tokens[0].Reserved || (Dialect != SqlDialect::PostgreSQL && Tokens[0].Keyword))
    return "'" + Name.str() + "' is a keyword and would need quoting";
  return "";
}

static std::string lineSuffix(SourceLocation L, const SourceManager &SM) {
  if (L.isInvalid())
    return "";
  return " (line " + std::to_string(SM.getSpellingLineNumber(L)) + ")";
}

/// Why the literal \p Lit may not be edited for site \p S alone, or
/// an empty string.
static std::string notOwned(const SqlSite &S, const StringLiteral *Lit,
                            const SqlSites &All, const SourceManager &SM) {
  if (Lit->getBeginLoc().isMacroID())
    return "the SQL is written in a macro, which other code may expand too";
  for (const SqlSite &O : llvm::concat<const SqlSite>(All.Sites, All.Variants))
    if (O.Anchor != S.Anchor &&
        llvm::any_of(O.Sql.Pieces, [&](const SqlPiece &Q) { return Q.Lit == Lit; }))
      return "the same string is also run by the query" +
             lineSuffix(O.Anchor->getBeginLoc(), SM);
  if (!S.Function || !SM.isPointWithin(Lit->getBeginLoc(), S.Function->getBeginLoc(),
                                       S.Function->getEndLoc()))
    return "the SQL is written outside the function that runs it, where other "
           "code may run it too";
  return "";
}

/// The columns to name for \p R, in \p T's order: every column up to the
/// last one read by position (the positions stay right), then the others
/// read by name. Empty, with \p Why set, when a name is not in \p T.
static std::vector<std::string>
columnsInTableOrder(const ColumnReads &R, const SchemaTable &T, std::string &Why) {
  std::vector<std::string> Out;
  if (!R.Positions.empty()) {
    unsigned Last = R.Positions.back();
    if (Last >= T.Columns.size()) {
      Why = "a column is read at position " + std::to_string(Last) + ", but '" +
            T.Name + "' has " + std::to_string(T.Columns.size()) +
            " columns in the schema";
      return {};
    }
    for (unsigned I = 0; I <= Last; ++I)
      Out.push_back(T.Columns[I].Name);
  }
  std::vector<std::pair<size_t, std::string>> Named;
  for (const std::string &N : R.Names) {
    auto It = llvm::find_if(T.Columns, [&](const SchemaColumn &C) {
      return llvm::StringRef(C.Name).equals_insensitive(N);
    });
    if (It == T.Columns.end()) {
      Why = "'" + N + "' is not a column of '" + T.Name + "' in the schema";
      return {};
    }
    size_t Pos = static_cast<size_t>(It - T.Columns.begin());
    if (Pos >= Out.size() || R.Positions.empty())
      Named.emplace_back(Pos, N);
  }
  llvm::sort(Named);
  for (const auto &Entry : Named) {
    const std::string &N = Entry.second;
    if (llvm::none_of(Out, [&](const std::string &O) {
          return llvm::StringRef(O).equals_insensitive(N);
        }))
      Out.push_back(N);
  }
  return Out;
}

std::optional<SqlFix> narrowStar(const SqlSite &S, const SqlFact &F,
                                 const SqlSites &All, ASTContext &Ctx,
                                 const RuleSet &Rules, const Schema *Db) {
  if (F.K != SqlFact::SelectStar || !S.FromSink || S.Prefix != 0)
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Star = S.Sql.locationOf(F.Begin, Ctx);
  SqlFix Out;
  Out.NoteLoc = Star;
  auto NoFix = [&](const std::string &Why, SourceLocation At = {}) {
    Out.Note = "no fix offered: " + Why;
    if (At.isValid())
      Out.NoteLoc = At;
    return Out;
  };
  if (!F.Narrowable)
    return NoFix("only a '*' that is the whole output of a statement over one "
                 "table, without DISTINCT, is narrowed");
  const SqlPiece *P = pieceAt(S.Sql, F.Begin);
  if (!P || !P->Lit || F.End > P->Begin + P->Length)
    return NoFix("the '*' is not written in one string literal");
  if (std::string Why = notOwned(S, P->Lit, All, SM); !Why.empty())
    return NoFix(Why);

  ColumnReads R = readColumns(S.Anchor, S.Statement, S.Function, Ctx, Rules);
  if (!R.Complete)
    return NoFix(R.Why + (R.WhyLoc.isValid() ? " here" : "") +
                     ", so the columns the code needs are not known",
                 R.WhyLoc);
  if (R.Names.empty() && R.Positions.empty())
    return NoFix("the code reads no column of these rows; if it only checks "
                 "that a row exists, select a constant or use EXISTS");
  std::vector<std::string> Names = R.Names;
  const SchemaTable *T = Db ? Db->table(F.Table) : nullptr;
  if (T && T->ColumnsKnown) {
    std::string Why;
    Names = columnsInTableOrder(R, *T, Why);
    if (Names.empty())
      return NoFix(Why);
  } else if (!R.Positions.empty()) {
    std::string List;
    for (unsigned Pos : R.Positions)
      List += (List.empty() ? "" : ", ") + std::to_string(Pos);
    return NoFix("columns are read by position (" + List +
                 "); naming them needs the table's column order (a schema, "
                 "docs/schema.md)");
  }
  for (const std::string &N : Names)
    if (std::string Why = notPlainName(N, S.Dialect); !Why.empty())
      return NoFix(Why);

  std::string Columns = llvm::join(Names, ", ");
  std::string Text = S.Sql.Text;
  Text.replace(F.Begin, F.End - F.Begin, Columns);
  SqlAnalysis A = analyzeSql(Text, S.Dialect, /*AllowTokenFallback=*/false);
  if (A.Statements == 0 || A.ParsedStatements != A.Statements ||
      llvm::any_of(A.Facts, [&](const SqlFact &G) {
        return G.K == SqlFact::SelectStar && G.Begin == F.Begin;
      }))
    return NoFix("the statement does not parse with the columns named");

  SourceLocation End = S.Sql.locationOf(F.End - 1, Ctx);
  if (Star.isInvalid() || End.isInvalid() || !Star.isFileID() ||
      SM.getFileID(Star) != SM.getFileID(End) ||
      SM.isBeforeInTranslationUnit(End, Star))
    return NoFix("the '*' is not written in one string literal");
  Out.Edits.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(Star, End.getLocWithOffset(1)), Columns));
  std::string Quoted;
  for (const std::string &N : Names)
    Quoted += (Quoted.empty() ? "'" : ", '") + N + "'";
  Out.Note = "the code reads only " + Quoted + " of these rows; name " +
             (Names.size() == 1 ? "it" : "them") + " instead of '*'";
  return Out;
}

/// The edits of \p K as fix-its of the literals of \p S, when each byte
/// an edit touches (and \p MustOwn, when not empty) is in a literal this
/// query owns.
static std::optional<SqlFix> fixOfRewrite(const SqlSite &S, const SqlFact &F,
                                          const SqlSites &All, ASTContext &Ctx,
                                          const SqlRewrite &K,
                                          std::pair<uint32_t, uint32_t> MustOwn) {
  if (K.Edits.empty())
    return std::nullopt;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::SmallPtrSet<const StringLiteral *, 4> Lits;
  auto Owned = [&](uint32_t Begin, uint32_t End) {
    const SqlPiece *P = pieceAt(S.Sql, Begin);
    if (!P || !P->Lit || End > P->Begin + P->Length)
      return false;
    Lits.insert(P->Lit);
    return true;
  };
  if (MustOwn.second > MustOwn.first && !Owned(MustOwn.first, MustOwn.second))
    return std::nullopt; // A value C++ splices in.
  SqlFix Out;
  for (const SqlEdit &E : K.Edits) {
    if (E.Begin == E.End) {
      // Before the byte at Begin, or (at the end of a literal) after the
      // one before it, when that byte is written as itself, not escaped.
      SourceLocation At;
      if (Owned(E.Begin, E.Begin + 1)) {
        At = S.Sql.locationOf(E.Begin, Ctx);
      } else if (E.Begin > 0 && Owned(E.Begin - 1, E.Begin)) {
        SourceLocation Prev = S.Sql.locationOf(E.Begin - 1, Ctx);
        if (Prev.isValid() && Prev.isFileID() &&
            *SM.getCharacterData(Prev) == S.Sql.Text[E.Begin - 1])
          At = Prev.getLocWithOffset(1);
      }
      if (At.isInvalid() || !At.isFileID())
        return std::nullopt;
      Out.Edits.push_back(FixItHint::CreateInsertion(At, E.Text));
      continue;
    }
    if (!Owned(E.Begin, E.End))
      return std::nullopt;
    SourceLocation B = S.Sql.locationOf(E.Begin, Ctx);
    if (B.isInvalid() || !B.isFileID())
      return std::nullopt;
    SourceLocation Last = S.Sql.locationOf(E.End - 1, Ctx);
    if (Last.isInvalid() || SM.getFileID(Last) != SM.getFileID(B) ||
        SM.isBeforeInTranslationUnit(Last, B))
      return std::nullopt;
    Out.Edits.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getCharRange(B, Last.getLocWithOffset(1)), E.Text));
  }
  for (const StringLiteral *Lit : Lits)
    if (!notOwned(S, Lit, All, SM).empty())
      return std::nullopt;
  Out.Note = K.Note;
  Out.NoteLoc = S.Sql.locationOf(F.Begin, Ctx);
  return Out;
}

std::optional<SqlFix> keysetFix(const SqlSite &S, const SqlFact &F, const SqlSites &All,
                                ASTContext &Ctx, const Schema *Db) {
  if (F.K != SqlFact::Offset || !S.FromSink || S.Prefix != 0)
    return std::nullopt;
  SqlRewrite K = keysetRewrite(
      S.Sql.Text, S.Dialect, F.Begin,
      [&](llvm::StringRef T, llvm::StringRef C) { return uniqueColumn(Db, T, C); },
      [&](llvm::StringRef T, llvm::StringRef C) { return notNullColumn(Db, T, C); });
  return fixOfRewrite(S, F, All, Ctx, K, {K.PlaceholderBegin, K.PlaceholderEnd});
}

std::optional<SqlFix> claimFix(const SqlSite &S, const SqlFact &F, const SqlSites &All,
                               ASTContext &Ctx, unsigned Batch) {
  if (F.K != SqlFact::RowLock || !S.FromSink || S.Prefix != 0)
    return std::nullopt;
  SqlRewrite K = claimRewrite(S.Sql.Text, S.Dialect, F.Begin, Batch);
  return fixOfRewrite(S, F, All, Ctx, K, {0, 0});
}

} // namespace stresslint
