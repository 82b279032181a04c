//===- RecoveredLoops.cpp - range-for loops Clang drops, brought back -----===//

#include "cpp/RecoveredLoops.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace stresslint {

namespace {

/// Raw tokens of a buffer with their offsets.
class RawTokens {
public:
  RawTokens(llvm::StringRef Code, const LangOptions &LO)
      : Code(Code),
        Lex(SourceLocation(), LO, Code.begin(), Code.begin(), Code.end()) {}

  /// The next token; false at the end.
  bool next(Token &T, unsigned &Offset) {
    Lex.LexFromRawLexer(T);
    if (T.is(tok::eof))
      return false;
    Offset = static_cast<unsigned>(Lex.getBufferLocation() - Code.begin()) -
             T.getLength();
    return true;
  }

private:
  llvm::StringRef Code;
  Lexer Lex;
};

bool isWord(const Token &T, llvm::StringRef W) {
  return T.is(tok::raw_identifier) && T.getRawIdentifier() == W;
}

/// The range-for loops Clang built in the main file, by the offset of
/// their `for`.
class BuiltLoops : public RecursiveASTVisitor<BuiltLoops> {
public:
  explicit BuiltLoops(const SourceManager &SM) : SM(SM) {}
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) {
    SourceLocation L = SM.getExpansionLoc(S->getForLoc());
    if (SM.isWrittenInMainFile(L))
      Offsets.insert(SM.getFileOffset(L));
    return true;
  }
  llvm::DenseSet<unsigned> Offsets;

private:
  const SourceManager &SM;
};

} // namespace

std::vector<RangeForHeader> rangeForHeaders(llvm::StringRef Code,
                                            const LangOptions &LO) {
  std::vector<RangeForHeader> Out;
  RawTokens Toks(Code, LO);
  Token T;
  unsigned Off = 0;
  bool HaveToken = Toks.next(T, Off);
  // A member or qualified name (`list.foreach(...)`, `ns::foreach`) is no
  // loop.
  bool AfterAccess = false;
  while (HaveToken) {
    // A directive runs to the end of its (continued) line.
    if (T.is(tok::hash) && T.isAtStartOfLine()) {
      while ((HaveToken = Toks.next(T, Off)) && !T.isAtStartOfLine()) {
      }
      AfterAccess = false;
      continue;
    }
    static constexpr llvm::StringLiteral Macros[] = {"foreach", "Q_FOREACH",
                                                      "BOOST_FOREACH"};
    const llvm::StringLiteral *Macro = llvm::find_if(
        Macros, [&](llvm::StringRef M) { return isWord(T, M); });
    bool IsMacro = Macro != std::end(Macros) && !AfterAccess;
    if (!IsMacro && !isWord(T, "for")) {
      AfterAccess = T.isOneOf(tok::period, tok::arrow, tok::coloncolon);
      HaveToken = Toks.next(T, Off);
      continue;
    }
    AfterAccess = false;
    RangeForHeader H;
    H.For = Off;
    H.Length = T.getLength();
    if (IsMacro)
      H.Macro = *Macro;
    HaveToken = Toks.next(T, Off);
    if (!HaveToken || !T.is(tok::l_paren))
      continue;
    // The header up to its `)`: a `:` at its own depth that no `?` claims,
    // and no `;` (a classic loop, or a C++20 init-statement) before it.
    int Depth = 1;
    int Ternaries = 0;
    bool Semicolon = false;
    bool HaveColon = false;
    while (Depth > 0 && (HaveToken = Toks.next(T, Off))) {
      if (T.isOneOf(tok::l_paren, tok::l_square, tok::l_brace))
        ++Depth;
      else if (T.isOneOf(tok::r_paren, tok::r_square, tok::r_brace))
        --Depth;
      else if (Depth == 1 && T.is(tok::semi) && !HaveColon)
        Semicolon = true;
      else if (IsMacro) {
        // The macro's first top-level comma ends its declaration.
        if (Depth == 1 && T.is(tok::comma) && !HaveColon) {
          HaveColon = true;
          H.Colon = Off;
        }
      } else if (Depth == 1 && T.is(tok::question))
        ++Ternaries;
      else if (Depth == 1 && T.is(tok::colon) && Ternaries > 0)
        --Ternaries;
      else if (Depth == 1 && T.is(tok::colon) && !HaveColon && !Semicolon) {
        HaveColon = true;
        H.Colon = Off;
      }
    }
    if (HaveToken)
      HaveToken = Toks.next(T, Off);
    // A macro header is a loop when a statement follows it, not a `;`
    // (`foreach(a, b);` is a call).
    if (HaveColon && Depth == 0 &&
        !(IsMacro && (!HaveToken || T.is(tok::semi))))
      Out.push_back(H);
  }
  return Out;
}

std::string respellLoops(llvm::StringRef Code,
                         llvm::ArrayRef<RangeForHeader> Loops) {
  std::string Out = Code.str();
  for (const RangeForHeader &H : Loops) {
    llvm::StringRef Keyword = H.Macro.empty() ? "for" : H.Macro;
    char Separator = H.Macro.empty() ? ':' : ',';
    if (H.Length != Keyword.size() || H.Length < RecoveredLoopMarker.size() ||
        Code.substr(H.For, H.Length) != Keyword || H.Colon >= Out.size() ||
        Out[H.Colon] != Separator)
      continue;
    std::string Respelled = RecoveredLoopMarker.str();
    Respelled.resize(H.Length, ' ');
    Out.replace(H.For, H.Length, Respelled);
    Out[H.Colon] = ';';
  }
  return Out;
}

bool isRecoveredLoop(const IfStmt &S, const SourceManager &SM,
                     const LangOptions &LO) {
  SourceLocation L = S.getIfLoc();
  return L.isMacroID() &&
         Lexer::getImmediateMacroName(L, SM, LO) == RecoveredLoopMarker;
}

void DroppedLoopFinder::HandleTranslationUnit(ASTContext &Ctx) {
  // A clean parse drops nothing; C has no range-for (and no if with an
  // init-statement to re-spell one as).
  if (!CI.getDiagnostics().hasErrorOccurred() || !Ctx.getLangOpts().CPlusPlus)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::StringRef Code = SM.getBufferData(SM.getMainFileID());
  std::vector<RangeForHeader> Headers = rangeForHeaders(Code, Ctx.getLangOpts());
  if (Headers.empty())
    return;
  BuiltLoops Built(SM);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (SM.isWrittenInMainFile(SM.getExpansionLoc(D->getLocation())))
      Built.TraverseDecl(D);
  Preprocessor &PP = CI.getPreprocessor();
  for (const RangeForHeader &H : Headers)
    if (H.Macro.empty() ? !Built.Offsets.count(H.For)
                        : !PP.isMacroDefined(H.Macro))
      Out.Loops.push_back(H);
  if (!Out.Loops.empty())
    Out.Code = Code.str();
}

} // namespace stresslint
