//===--- Holes.cpp - Unknown parts of a statement, and parsing around them -===//
#include "sql/facts/Holes.h"
#include "sql/Normalize.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace stresslint {

bool isHoleName(llvm::StringRef S) {
  return S.consume_front("p__") && !S.empty() &&
         llvm::all_of(S, [](char C) { return llvm::isDigit(C); });
}

namespace sqlfacts {

bool isHoleToken(const SqlToken &T, llvm::StringRef Text) {
  if (T.Kind == tok::Param)
    return true;
  return T.Kind == tok::Ident && isHoleName(Text.slice(T.Begin, T.End));
}

bool isClauseHole(const std::vector<SqlToken> &T, size_t I, llvm::StringRef Text) {
  if (I == 0)
    return true;
  auto Word = [&](size_t K, llvm::StringRef W) {
    return Text.slice(T[K].Begin, T[K].End).equals_insensitive(W);
  };
  switch (T[I - 1].Kind) {
  case tok::Equals:
  case tok::Less:
  case tok::Greater:
  case tok::LessEquals:
  case tok::GreaterEquals:
  case tok::NotEquals:
  case tok::Op:
  case tok::Plus:
  case tok::Minus:
  case tok::Star:
  case tok::Slash:
  case tok::Comma:
  case tok::LParen:
  case tok::Limit:
  case tok::Offset:
  case tok::Like:
  case tok::ILike:
  case tok::In:
  case tok::Select:
  case tok::Between:
  case tok::Returning:
  case tok::By:
  case tok::Fetch:
  case tok::From:
  case tok::Into:
  case tok::Update:
  case tok::Dot:
  case tok::As:
  case tok::To:
  case tok::Distinct:
  case tok::Not:
  // A condition (`WHERE $1`, `AND $1`) is a filter like any other: the
  // parse reads it as one too.
  case tok::Where:
  case tok::And:
  case tok::Or:
  case tok::Having:
  case tok::On:
    return false;
  default:
    break;
  }
  for (llvm::StringRef W :
       {"then", "else", "when", "values", "set", "is", "escape", "first", "next",
        "join", "table", "interval", "case", "any", "all", "some"})
    if (Word(I - 1, W))
      return false;
  return true;
}

/// Parses allowed per statement to repair its holes.
constexpr unsigned MaxRepairParses = 10;

std::optional<RepairedStatement> repairHoles(const MappedText &Stmt,
                                             const SqlParseError &Err) {
  // A hole is a `$n` or a `p__n` token: a text with neither has none and is
  // not scanned (most statements that fail are simply broken).
  if (!llvm::StringRef(Stmt.text()).contains('$') &&
      !llvm::StringRef(Stmt.text()).contains("p__"))
    return std::nullopt;
  std::vector<SqlToken> Toks;
  scanSql(Stmt.text(), Toks);
  llvm::erase_if(Toks, [](const SqlToken &T) {
    return T.Kind == tok::SqlComment || T.Kind == tok::CComment;
  });
  enum Choice : uint8_t { Keep, Drop, Name, True, Query };
  std::vector<Choice> Choices(Toks.size(), Keep);
  bool AnyHole = false;
  for (const SqlToken &T : Toks)
    AnyHole |= isHoleToken(T, Stmt.text());
  if (!AnyHole)
    return std::nullopt;
  auto Build = [&]() {
    MappedText M;
    size_t From = 0;
    for (size_t I = 0; I < Toks.size(); ++I) {
      if (Choices[I] == Keep)
        continue;
      M.appendSlice(Stmt, From, Toks[I].Begin);
      uint32_t At = Stmt.originOf(Toks[I].Begin);
      if (Choices[I] == Name)
        M.appendSynthetic("p__0", At);
      else if (Choices[I] == True)
        M.appendSynthetic("TRUE", At);
      else if (Choices[I] == Query)
        M.appendSynthetic("SELECT NULL", At);
      From = Toks[I].End;
    }
    M.appendSlice(Stmt, From, Stmt.size());
    return M;
  };
  // Where, in the original text, the error of variant \p V is.
  auto ErrorOrigin = [](const MappedText &V, const SqlParseError &E) -> int64_t {
    size_t At = cursorByteOffset(V.text(), E.CursorPos);
    if (At == llvm::StringRef::npos)
      return -1;
    return At >= V.size() ? INT64_MAX : V.originOf(At);
  };
  MappedText Current = Build();
  int64_t ErrAt = ErrorOrigin(Current, Err);
  unsigned Parses = 0;
  while (ErrAt >= 0 && Parses < MaxRepairParses) {
    // The hole the error is at, or the one right before the token it is at.
    size_t At = 0;
    while (At < Toks.size() && Stmt.originOf(Toks[At].Begin) < ErrAt)
      ++At;
    size_t Hole = llvm::StringRef::npos;
    for (size_t K : {At, At - 1})
      if (K < Toks.size() && Choices[K] == Keep && isHoleToken(Toks[K], Stmt.text())) {
        Hole = K;
        break;
      }
    if (Hole == llvm::StringRef::npos)
      return std::nullopt;
    Choice Best = Keep;
    int64_t BestAt = ErrAt;
    // A hole alone in parentheses may be a whole query (`FROM (%1)`,
    // `IN (%1)`).
    bool Parenthesised = Hole > 0 && Hole + 1 < Toks.size() &&
                         Toks[Hole - 1].Kind == tok::LParen &&
                         Toks[Hole + 1].Kind == tok::RParen;
    for (Choice C : {Drop, Name, True, Query}) {
      if ((C == Name && Toks[Hole].Kind == tok::Ident) ||
          (C == Query && !Parenthesised))
        continue;
      if (Parses++ >= MaxRepairParses)
        break;
      Choices[Hole] = C;
      MappedText V = Build();
      SqlParseError VErr;
      if (std::optional<SqlJson> Json = parseGivingDerivedAliases(V, VErr)) {
        bool Clause = llvm::any_of(
            Choices, [](Choice X) { return X == Drop || X == True || X == Query; });
        return RepairedStatement{std::move(V), std::move(*Json), Clause};
      }
      if (int64_t E = ErrorOrigin(V, VErr); E > BestAt) {
        Best = C;
        BestAt = E;
      }
    }
    if (Best == Keep)
      return std::nullopt;
    Choices[Hole] = Best;
    ErrAt = BestAt;
  }
  return std::nullopt;
}

} // namespace sqlfacts
} // namespace stresslint
