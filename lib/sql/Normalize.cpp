//===--- Normalize.cpp - Foreign placeholders to PostgreSQL ones -----------===//
#include "sql/Normalize.h"
#include "sql/PgQuery.h"

#include "llvm/ADT/StringExtras.h"

#include <array>

namespace stresslint {

static bool isIdentStart(char C) { return llvm::isAlpha(C) || C == '_'; }
static bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// The bytes normalizePlaceholders looks at: every other byte is copied as
/// it is, so it skips runs of them in one go, with one table look-up per
/// byte (a switch cost a few compares and branches per byte of every file).
static constexpr auto SpecialBytes = [] {
  constexpr char Special[] = "'\"`-/$[]?:@%{";
  std::array<bool, 256> T{};
  for (size_t I = 0; I + 1 < sizeof(Special); ++I)
    T[static_cast<unsigned char>(Special[I])] = true;
  return T;
}();

static bool mayStartSpecial(char C) {
  return SpecialBytes[static_cast<unsigned char>(C)];
}

/// Returns the end of the quoted run starting at \p I (which holds \p Quote);
/// a doubled quote is an escaped quote.
static size_t skipQuoted(llvm::StringRef S, size_t I, char Quote) {
  for (++I; I < S.size(); ++I) {
    if (S[I] != Quote)
      continue;
    if (I + 1 < S.size() && S[I + 1] == Quote) {
      ++I;
      continue;
    }
    return I + 1;
  }
  return S.size();
}

/// If a dollar-quoted string starts at \p I, returns its end; otherwise 0.
static size_t skipDollarQuoted(llvm::StringRef S, size_t I) {
  size_t J = I + 1;
  while (J < S.size() && isIdentChar(S[J]) && !llvm::isDigit(S[I + 1]))
    ++J;
  if (J >= S.size() || S[J] != '$')
    return 0;
  llvm::StringRef Tag = S.slice(I, J + 1);
  size_t Close = S.find(Tag, J + 1);
  return Close == llvm::StringRef::npos ? S.size() : Close + Tag.size();
}

size_t formatMarkerLength(llvm::StringRef S, size_t I) {
  size_t J = I + 1;
  if (J < S.size() && llvm::isDigit(S[J])) {
    while (J < S.size() && llvm::isDigit(S[J]))
      ++J;
    return J - I;
  }
  while (J < S.size() && (S[J] == 'l' || S[J] == 'z' || S[J] == 'h'))
    ++J;
  if (J < S.size() && llvm::StringRef("sdiufgxc").contains(S[J]))
    return J + 1 - I;
  return 0;
}

static unsigned highestDollarParam(llvm::StringRef S) {
  unsigned Max = 0;
  // From one `$` to the next (memchr), not byte by byte: this reads the
  // whole text of every .sql file.
  for (size_t I = S.find('$'); I != llvm::StringRef::npos && I + 1 < S.size();
       I = S.find('$', I + 1)) {
    if (!llvm::isDigit(S[I + 1]))
      continue;
    unsigned N = 0;
    size_t J = I + 1;
    while (J < S.size() && llvm::isDigit(S[J]) && N < 100000)
      N = N * 10 + (S[J++] - '0');
    Max = std::max(Max, N);
  }
  return Max;
}

/// Keywords as words of \p S, case-insensitively.
static bool wordIs(llvm::StringRef W, llvm::StringRef K) {
  return W.equals_insensitive(K);
}

/// The word starting at \p I (after blanks) and its end, or an empty word.
static std::pair<llvm::StringRef, size_t> nextWord(llvm::StringRef S, size_t I) {
  while (I < S.size() && llvm::isSpace(S[I]))
    ++I;
  size_t J = I;
  while (J < S.size() && isIdentChar(S[J]))
    ++J;
  return {S.slice(I, J), J};
}

/// True when \p W names a T-SQL table hint (`WITH (NOLOCK)`).
static bool isTableHint(llvm::StringRef W) {
  for (llvm::StringRef H : {"NOLOCK",          "UPDLOCK",       "ROWLOCK",
                            "READPAST",        "HOLDLOCK",      "XLOCK",
                            "PAGLOCK",         "TABLOCK",       "TABLOCKX",
                            "READUNCOMMITTED", "READCOMMITTED", "REPEATABLEREAD",
                            "SERIALIZABLE",    "NOWAIT",        "INDEX",
                            "FORCESEEK",       "SNAPSHOT",      "READCOMMITTEDLOCK",
                            "NOEXPAND",        "FORCESCAN"})
    if (W.equals_insensitive(H))
      return true;
  return false;
}

/// End of the parenthesised run opening at \p I (quotes not considered:
/// TOP and table hints hold none), or npos.
static size_t closingParen(llvm::StringRef S, size_t I) {
  int Depth = 0;
  for (size_t J = I; J < S.size(); ++J) {
    if (S[J] == '(')
      ++Depth;
    else if (S[J] == ')' && --Depth == 0)
      return J + 1;
  }
  return llvm::StringRef::npos;
}

MappedText normalizePlaceholders(llvm::StringRef S) {
  return normalizeSql(S, SqlDialect::PostgreSQL);
}

MappedText normalizeSql(llvm::StringRef S, SqlDialect D) {
  MappedText Out;
  const bool Pg = D == SqlDialect::PostgreSQL;
  const bool MySql = D == SqlDialect::MySQL;
  const bool BracketNames = D == SqlDialect::TSql || D == SqlDialect::SQLite;
  unsigned Next = highestDollarParam(S) + 1;
  int BracketDepth = 0;
  // Bytes kept as they are accumulate into one run [CopyFrom, I) that is
  // appended when something else is, not one word at a time: most of a .sql
  // file is kept, and appending it word by word was a visible part of the
  // time of a corpus run.
  size_t CopyFrom = 0;
  auto FlushCopy = [&](size_t To) {
    if (To > CopyFrom)
      Out.appendCopied(S.slice(CopyFrom, To), static_cast<uint32_t>(CopyFrom));
  };
  // A placeholder as `$n`, or as a spliced-in name `p__n` (\p Name).
  auto Placeholder = [&](size_t At, size_t Len, bool Name = false) {
    FlushCopy(At);
    Out.appendSynthetic((Name ? "p__" : "$") + std::to_string(Next++), At);
    CopyFrom = At + Len;
    return At + Len;
  };
  // A template's hole (`{name}`, `%s`, `%1`) glued to a name's characters
  // is part of that name (`{prefix}_users`, `log_%1`): it is written as a
  // spliced-in name, as Reconstruct writes one, so the statement parses.
  auto TemplateHole = [&](size_t At, size_t Len) {
    return Placeholder(At, Len,
                       (At > 0 && isIdentChar(S[At - 1])) ||
                           (At + Len < S.size() && isIdentChar(S[At + Len])));
  };
  // Drops [At, To) from the output.
  auto Drop = [&](size_t At, size_t To) {
    FlushCopy(At);
    CopyFrom = To;
    return To;
  };
  // Another dialect's words, for the rewrites that depend on the word before.
  llvm::StringRef PrevWord;
  bool GlobPattern = false; // The next string literal is a GLOB pattern.
  // A MySQL string in single or double quotes, or a GLOB pattern, as a
  // PostgreSQL standard string: each byte keeps its origin.
  auto RewriteString = [&](size_t I, char Quote, bool Backslashes, bool Glob) {
    FlushCopy(I);
    Out.appendSynthetic("'", I);
    size_t J = I + 1;
    for (; J < S.size(); ++J) {
      char X = S[J];
      uint32_t At = static_cast<uint32_t>(J);
      if (Backslashes && X == '\\' && J + 1 < S.size()) {
        char Y = S[J + 1];
        if (Y == '\'') {
          Out.appendSynthetic("''", At);
        } else if (Y == '"') {
          Out.appendSynthetic("\"", At + 1);
        } else {
          Out.appendCopied(S.slice(J, J + 2), At);
        }
        ++J;
        continue;
      }
      if (X == Quote) {
        if (J + 1 < S.size() && S[J + 1] == Quote) {
          Out.appendSynthetic(Quote == '\'' ? "''" : "\"", At);
          ++J;
          continue;
        }
        break;
      }
      if (X == '\'') {
        Out.appendSynthetic("''", At);
      } else if (Glob && (X == '*' || X == '?' || X == '%' || X == '_')) {
        // GLOB's wildcards as LIKE's; LIKE's as plain characters.
        Out.appendSynthetic(X == '*' ? "%" : X == '?' ? "_" : "x", At);
      } else {
        Out.appendCopied(S.slice(J, J + 1), At);
      }
    }
    Out.appendSynthetic("'", static_cast<uint32_t>(std::min(J, S.size() - 1)));
    CopyFrom = std::min(J + 1, S.size());
    return CopyFrom;
  };
  // Rewrites the word [I, J) of another dialect; returns where to go on.
  auto RewriteWord = [&](size_t I, size_t J) -> size_t {
    llvm::StringRef W = S.slice(I, J);
    llvm::StringRef Prev = PrevWord;
    PrevWord = W;
    GlobPattern = false;
    if (D == SqlDialect::SQLite || MySql) {
      // INSERT OR REPLACE / OR IGNORE ... (SQLite), INSERT IGNORE (MySQL).
      if (D == SqlDialect::SQLite && wordIs(W, "or") && wordIs(Prev, "insert")) {
        auto [Action, End] = nextWord(S, J);
        for (llvm::StringRef A : {"replace", "ignore", "abort", "fail", "rollback"})
          if (wordIs(Action, A))
            return Drop(I, End);
      }
      if (MySql && wordIs(W, "ignore") && wordIs(Prev, "insert"))
        return Drop(I, J);
      if (MySql && wordIs(W, "lock")) {
        // LOCK IN SHARE MODE is FOR SHARE.
        auto [In, InEnd] = nextWord(S, J);
        auto [Share, ShareEnd] = nextWord(S, InEnd);
        auto [Mode, ModeEnd] = nextWord(S, ShareEnd);
        if (wordIs(In, "in") && wordIs(Share, "share") && wordIs(Mode, "mode")) {
          FlushCopy(I);
          Out.appendSynthetic("FOR ", static_cast<uint32_t>(I));
          size_t ShareBegin = ShareEnd - Share.size();
          Out.appendCopied(S.slice(ShareBegin, ShareEnd),
                           static_cast<uint32_t>(ShareBegin));
          CopyFrom = ModeEnd;
          return ModeEnd;
        }
      }
      if (wordIs(W, "replace") && wordIs(nextWord(S, J).first, "into")) {
        FlushCopy(I);
        Out.appendSynthetic("INSERT", static_cast<uint32_t>(I));
        CopyFrom = J;
        return J;
      }
      if (wordIs(W, "autoincrement") || wordIs(W, "auto_increment"))
        return Drop(I, J);
    }
    if (D == SqlDialect::SQLite && wordIs(W, "glob")) {
      FlushCopy(I);
      Out.appendSynthetic("LIKE", static_cast<uint32_t>(I));
      CopyFrom = J;
      GlobPattern = true;
      return J;
    }
    if (D == SqlDialect::TSql && wordIs(W, "top") &&
        (wordIs(Prev, "select") || wordIs(Prev, "distinct") || wordIs(Prev, "all") ||
         wordIs(Prev, "delete") || wordIs(Prev, "update") || wordIs(Prev, "insert"))) {
      // TOP n | TOP (expr) | TOP @n, then PERCENT and WITH TIES.
      size_t K = J;
      while (K < S.size() && llvm::isSpace(S[K]))
        ++K;
      if (K < S.size() && S[K] == '(') {
        K = closingParen(S, K);
      } else if (K < S.size() && (llvm::isDigit(S[K]) || S[K] == '@')) {
        ++K;
        while (K < S.size() && isIdentChar(S[K]))
          ++K;
      } else {
        return J;
      }
      if (K == llvm::StringRef::npos)
        return J;
      if (auto [P, End] = nextWord(S, K); wordIs(P, "percent"))
        K = End;
      if (auto [With, End] = nextWord(S, K); wordIs(With, "with")) {
        auto [Ties, TiesEnd] = nextWord(S, End);
        if (wordIs(Ties, "ties"))
          K = TiesEnd;
      }
      return Drop(I, K);
    }
    if (D == SqlDialect::TSql && wordIs(W, "with")) {
      // Table hints: WITH (NOLOCK), WITH (UPDLOCK, ROWLOCK).
      size_t K = J;
      while (K < S.size() && llvm::isSpace(S[K]))
        ++K;
      if (K < S.size() && S[K] == '(' && isTableHint(nextWord(S, K + 1).first))
        if (size_t Close = closingParen(S, K); Close != llvm::StringRef::npos)
          return Drop(I, Close);
    }
    return J;
  };
  size_t I = 0;
  while (I < S.size()) {
    char C = S[I];
    size_t End = I;
    if (C == '\'' && (MySql || GlobPattern)) {
      bool Glob = GlobPattern;
      GlobPattern = false;
      I = RewriteString(I, '\'', MySql, Glob);
      continue;
    }
    if (C == '"' && MySql) {
      I = RewriteString(I, '"', true, false);
      continue;
    }
    if (C == '\'' || C == '"') {
      End = skipQuoted(S, I, C);
    } else if (C == '`') {
      // MySQL identifier quotes: same length as PostgreSQL's.
      size_t Close = S.find('`', I + 1);
      if (Close == llvm::StringRef::npos)
        Close = S.size() - 1;
      FlushCopy(I);
      Out.appendSynthetic("\"", I);
      Out.appendCopied(S.slice(I + 1, Close), I + 1);
      if (Close > I)
        Out.appendSynthetic("\"", Close);
      I = Close + 1;
      CopyFrom = I;
      continue;
    } else if (C == '-' && S.substr(I).startswith("--")) {
      End = S.find('\n', I);
      End = End == llvm::StringRef::npos ? S.size() : End;
    } else if (C == '#' && MySql) {
      FlushCopy(I);
      Out.appendSynthetic("--", I);
      CopyFrom = I + 1;
      End = S.find('\n', I);
      End = End == llvm::StringRef::npos ? S.size() : End;
    } else if (C == '/' && S.substr(I).startswith("/*")) {
      End = S.find("*/", I + 2);
      End = End == llvm::StringRef::npos ? S.size() : End + 2;
    } else if (C == '$' && D == SqlDialect::SQLite && I + 1 < S.size() &&
               isIdentStart(S[I + 1])) {
      size_t J = I + 1;
      while (J < S.size() && isIdentChar(S[J]))
        ++J;
      I = Placeholder(I, J - I);
      continue;
    } else if (C == '$' && I + 1 < S.size() && !llvm::isDigit(S[I + 1])) {
      End = skipDollarQuoted(S, I);
      // Not a dollar quote: an in-house template's marker, `${table}` or
      // `$query` (`select ${col} from ${table} for update`).
      size_t Marker = 0;
      if (End == 0 && S[I + 1] == '{') {
        size_t Close = S.find('}', I + 2);
        if (Close != llvm::StringRef::npos && Close > I + 2 &&
            llvm::all_of(S.slice(I + 2, Close), isIdentChar))
          Marker = Close + 1 - I;
      } else if (End == 0 && isIdentStart(S[I + 1])) {
        size_t J = I + 1;
        while (J < S.size() && isIdentChar(S[J]))
          ++J;
        Marker = J - I;
      }
      if (Marker > 0) {
        I = TemplateHole(I, Marker);
        continue;
      }
      if (End == 0)
        End = I + 1;
    } else if (C == '[' && BracketNames) {
      // [name] as "name".
      size_t Close = S.find(']', I + 1);
      if (Close == llvm::StringRef::npos) {
        End = I + 1;
      } else {
        FlushCopy(I);
        Out.appendSynthetic("\"", I);
        for (size_t J = I + 1; J < Close; ++J)
          Out.appendSynthetic(S[J] == '"' ? "\"\"" : S.slice(J, J + 1),
                              static_cast<uint32_t>(J));
        Out.appendSynthetic("\"", Close);
        I = Close + 1;
        CopyFrom = I;
        continue;
      }
    } else if (C == '[') {
      ++BracketDepth;
      End = I + 1;
    } else if (C == ']') {
      BracketDepth = std::max(0, BracketDepth - 1);
      End = I + 1;
    } else if (C == '?') {
      char N = I + 1 < S.size() ? S[I + 1] : '\0';
      if (N == '|' || N == '&' || N == '?') { // jsonb operators
        End = I + 2;
      } else if (I > 0 && S[I - 1] == '@') { // jsonpath's @?
        End = I + 1;
      } else {
        // `?NNN` (SQLite's numbered parameter) is one placeholder.
        size_t J = I + 1;
        while (J < S.size() && llvm::isDigit(S[J]))
          ++J;
        I = Placeholder(I, J - I);
        continue;
      }
    } else if (C == ':' && I + 1 < S.size() && S[I + 1] == ':') {
      End = I + 2; // a cast
    } else if ((C == ':' || C == '@') && BracketDepth == 0 && I + 1 < S.size() &&
               isIdentStart(S[I + 1]) &&
               (I == 0 || !isIdentChar(S[I - 1]) || C == '@')) {
      size_t J = I + 1;
      while (J < S.size() && isIdentChar(S[J]))
        ++J;
      I = Placeholder(I, J - I);
      continue;
    } else if (C == '%') {
      if (size_t Len = formatMarkerLength(S, I)) {
        I = TemplateHole(I, Len);
        continue;
      }
      End = I + 1;
    } else if (C == '{') {
      size_t Close = S.find('}', I);
      llvm::StringRef Inside =
          Close == llvm::StringRef::npos ? "" : S.slice(I + 1, Close);
      if (Close != llvm::StringRef::npos &&
          (Inside.empty() ||
           llvm::all_of(Inside, [](char X) { return isIdentChar(X) || X == ':'; }))) {
        I = TemplateHole(I, Close + 1 - I);
        continue;
      }
      End = I + 1;
    } else if (!Pg && isIdentStart(C) && (I == 0 || !isIdentChar(S[I - 1]))) {
      size_t J = I + 1;
      while (J < S.size() && isIdentChar(S[J]))
        ++J;
      End = RewriteWord(I, J);
    } else {
      // Nothing to rewrite up to the next byte that may start a quote, a
      // comment, a placeholder or (in another dialect) a word.
      End = I + 1;
      while (End < S.size() && !mayStartSpecial(S[End]) &&
             !(!Pg &&
               (S[End] == '#' || (isIdentStart(S[End]) && !isIdentChar(S[End - 1])))))
        ++End;
    }
    I = End;
  }
  FlushCopy(S.size());
  return Out;
}

bool rewriteMySqlLimit(const MappedText &Sql, MappedText &Out) {
  std::vector<SqlToken> Toks;
  scanSql(Sql.text(), Toks);
  for (size_t I = 0; I < Toks.size(); ++I) {
    if (Toks[I].Kind != tok::Limit)
      continue;
    // Find `a , b` at the LIMIT's own parenthesis depth.
    int Depth = 0;
    size_t Comma = 0, J = I + 1;
    for (; J < Toks.size(); ++J) {
      int K = Toks[J].Kind;
      bool EndsClause = (K == tok::RParen && Depth == 0) ||
                        (Depth == 0 && (K == tok::Semicolon || K == tok::For ||
                                        K == tok::Offset || K == tok::Limit));
      if (EndsClause)
        break;
      if (K == tok::LParen)
        ++Depth;
      else if (K == tok::RParen)
        --Depth;
      else if (Depth == 0 && K == tok::Comma && !Comma)
        Comma = J;
    }
    if (!Comma || Comma == I + 1 || Comma + 1 >= J)
      continue;
    uint32_t LimitBegin = Toks[I].Begin, FirstBegin = Toks[I + 1].Begin;
    uint32_t CommaBegin = Toks[Comma].Begin;
    uint32_t SecondBegin = Toks[Comma + 1].Begin;
    uint32_t SecondEnd = Toks[J - 1].End;
    Out = MappedText();
    Out.appendSlice(Sql, 0, LimitBegin);
    Out.appendSynthetic("OFFSET ", Sql.originOf(LimitBegin));
    Out.appendSlice(Sql, FirstBegin, CommaBegin);
    Out.appendSynthetic(" LIMIT ", Sql.originOf(CommaBegin));
    Out.appendSlice(Sql, SecondBegin, SecondEnd);
    Out.appendSlice(Sql, SecondEnd, Sql.size());
    return true;
  }
  return false;
}

std::optional<SqlJson> parseGivingDerivedAliases(MappedText &Sql, SqlParseError &Err) {
  std::optional<SqlJson> Json = parseSqlToJson(Sql.text(), Err);
  for (unsigned Tries = 0; !Json && Tries < 4; ++Tries) {
    if (!llvm::StringRef(Err.Message).contains("in FROM must have an alias"))
      break;
    // The error is at the derived table's `(`: the alias goes after its `)`.
    size_t Open = cursorByteOffset(Sql.text(), Err.CursorPos);
    std::vector<SqlToken> Toks;
    scanSql(Sql.text(), Toks);
    size_t I = 0;
    while (I < Toks.size() && Toks[I].Begin < Open)
      ++I;
    if (I == Toks.size() || Toks[I].Kind != tok::LParen)
      break;
    int Depth = 0;
    size_t Close = I;
    for (; Close < Toks.size(); ++Close) {
      Depth += Toks[Close].Kind == tok::LParen;
      Depth -= Toks[Close].Kind == tok::RParen;
      if (Depth == 0)
        break;
    }
    if (Close == Toks.size())
      break;
    MappedText Out;
    Out.appendSlice(Sql, 0, Toks[Close].End);
    Out.appendSynthetic(" AS derived__", Sql.originOf(Toks[Close].Begin));
    Out.appendSlice(Sql, Toks[Close].End, Sql.size());
    Sql = std::move(Out);
    Json = parseSqlToJson(Sql.text(), Err);
  }
  return Json;
}

} // namespace stresslint
