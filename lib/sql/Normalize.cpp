//===--- Normalize.cpp - Foreign placeholders to PostgreSQL ones -----------===//
#include "sql/Normalize.h"
#include "sql/PgQuery.h"

#include "llvm/ADT/StringExtras.h"

namespace stresslint {

static bool isIdentStart(char C) { return llvm::isAlpha(C) || C == '_'; }
static bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// True for the bytes normalizePlaceholders looks at: every other byte is
/// copied as it is, so it skips runs of them in one go.
static bool mayStartSpecial(char C) {
  switch (C) {
  case '\'':
  case '"':
  case '`':
  case '-':
  case '/':
  case '$':
  case '[':
  case ']':
  case '?':
  case ':':
  case '@':
  case '%':
  case '{':
    return true;
  default:
    return false;
  }
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

/// Length of a printf conversion (`%s`, `%lld`, `%zu`, ...) or QString::arg
/// marker (`%1`) at \p I, or 0.
static size_t formatMarkerLength(llvm::StringRef S, size_t I) {
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
  for (size_t I = 0; I + 1 < S.size(); ++I) {
    if (S[I] != '$' || !llvm::isDigit(S[I + 1]))
      continue;
    unsigned N = 0;
    size_t J = I + 1;
    while (J < S.size() && llvm::isDigit(S[J]) && N < 100000)
      N = N * 10 + (S[J++] - '0');
    Max = std::max(Max, N);
  }
  return Max;
}

MappedText normalizePlaceholders(llvm::StringRef S) {
  MappedText Out;
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
  auto Placeholder = [&](size_t At, size_t Len) {
    FlushCopy(At);
    Out.appendSynthetic("$" + std::to_string(Next++), At);
    CopyFrom = At + Len;
    return At + Len;
  };
  size_t I = 0;
  while (I < S.size()) {
    char C = S[I];
    size_t End = I;
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
    } else if (C == '/' && S.substr(I).startswith("/*")) {
      End = S.find("*/", I + 2);
      End = End == llvm::StringRef::npos ? S.size() : End + 2;
    } else if (C == '$' && I + 1 < S.size() && !llvm::isDigit(S[I + 1])) {
      End = skipDollarQuoted(S, I);
      if (End == 0)
        End = I + 1;
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
      } else {
        I = Placeholder(I, 1);
        continue;
      }
    } else if (C == ':' && I + 1 < S.size() && S[I + 1] == ':') {
      End = I + 2; // a cast
    } else if ((C == ':' || C == '@') && BracketDepth == 0 && I + 1 < S.size() &&
               isIdentStart(S[I + 1]) && (I == 0 || !isIdentChar(S[I - 1]) ||
                                          C == '@')) {
      size_t J = I + 1;
      while (J < S.size() && isIdentChar(S[J]))
        ++J;
      I = Placeholder(I, J - I);
      continue;
    } else if (C == '%') {
      if (size_t Len = formatMarkerLength(S, I)) {
        I = Placeholder(I, Len);
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
        I = Placeholder(I, Close + 1 - I);
        continue;
      }
      End = I + 1;
    } else {
      // Nothing to rewrite up to the next byte that may start a quote, a
      // comment or a placeholder.
      End = I + 1;
      while (End < S.size() && !mayStartSpecial(S[End]))
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

} // namespace stresslint
