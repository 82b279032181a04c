//===--- Classify.cpp - What kind of statement a text is, by its keyword ---===//
#include "sql/facts/Classify.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

namespace stresslint {

/// \p S without leading whitespace, comments and opening parentheses.
static llvm::StringRef skipToFirstWord(llvm::StringRef S) {
  while (true) {
    S = S.ltrim();
    if (S.startswith("--")) {
      size_t NL = S.find('\n');
      S = NL == llvm::StringRef::npos ? "" : S.substr(NL);
    } else if (S.startswith("/*")) {
      size_t E = S.find("*/");
      S = E == llvm::StringRef::npos ? "" : S.substr(E + 2);
    } else if (S.startswith("(")) {
      S = S.drop_front();
    } else {
      return S;
    }
  }
}

/// The first keyword of a statement, as written.
static llvm::StringRef firstKeyword(llvm::StringRef S) {
  S = skipToFirstWord(S);
  size_t N = 0;
  while (N < S.size() && llvm::isAlpha(S[N]))
    ++N;
  return S.take_front(N);
}

/// Counts \p Stmt as a write or a session-control statement. Runs once per
/// statement: the keyword is compared in place, not lower-cased into a
/// string and compared with each word in turn.
void sqlfacts::classifyStatement(llvm::StringRef Stmt, SqlAnalysis &Result) {
  enum Class { Other, Write, Control };
  switch (llvm::StringSwitch<Class>(firstKeyword(Stmt))
              .CasesLower("insert", "update", "delete", "merge", "upsert", Write)
              .CasesLower("replace", "copy", Write)
              .CasesLower("begin", "start", "commit", "end", "rollback", Control)
              .CasesLower("savepoint", "release", "set", "reset", "show", Control)
              .CasesLower("discard", "deallocate", "prepare", "use", "abort", Control)
              .Default(Other)) {
  case Write:
    ++Result.WriteStatements;
    break;
  case Control:
    ++Result.ControlStatements;
    break;
  case Other:
    break;
  }
}

bool startsWithStatementKeyword(llvm::StringRef Sql) {
  llvm::StringRef S = skipToFirstWord(Sql);
  size_t N = 0;
  while (N < S.size() && llvm::isAlpha(S[N]))
    ++N;
  if (N == S.size() || N == 0 || !llvm::isSpace(S[N]))
    return false;
  std::string Word = S.take_front(N).lower();
  return Word == "select" || Word == "insert" || Word == "update" ||
         Word == "delete" || Word == "with" || Word == "merge";
}

} // namespace stresslint
