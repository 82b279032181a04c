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

namespace {

/// Whether \p Name is declared where the body of \p FD can see it: in its
/// class (or a base), or in a namespace around it.
bool declaredFor(const FunctionDecl *FD, DeclarationName Name) {
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD)) {
    llvm::SmallVector<const CXXRecordDecl *, 4> Work{M->getParent()};
    for (unsigned Seen = 0; !Work.empty() && Seen < 16; ++Seen) {
      const CXXRecordDecl *RD = Work.pop_back_val();
      if (!RD || !(RD = RD->getDefinition()))
        continue;
      if (!RD->lookup(Name).empty())
        return true;
      for (const CXXBaseSpecifier &B : RD->bases())
        Work.push_back(B.getType()->getAsCXXRecordDecl());
    }
  }
  for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
    if (DC->isFileContext() && !DC->lookup(Name).empty())
      return true;
  return false;
}

/// Statements of the main file's function bodies that declare a local of a
/// type nobody declared (its header is missing) initialised by a call of
/// the code's own function: Clang drops such a declaration with its
/// initializer, and often the statements around it. Read from the tokens,
/// as the AST no longer has them: at the start of a statement,
/// `[const] T [<...>] [const|&|*]... name = f(`, or `M f(` (`Q_EMIT
/// changed(...)`), `f` a function the code declares.
class UnknownTypeScan : public RecursiveASTVisitor<UnknownTypeScan> {
public:
  UnknownTypeScan(ASTContext &Ctx, Preprocessor &PP,
                  std::vector<UnknownTypeSpan> &Out)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), PP(PP), Out(Out),
        Code(SM.getBufferData(SM.getMainFileID())) {}

  bool VisitFunctionDecl(FunctionDecl *FD) {
    const Stmt *Body = FD->getBody();
    if (!Body || !FD->isThisDeclarationADefinition())
      return true;
    SourceLocation B = Body->getBeginLoc(), E = Body->getEndLoc();
    if (!B.isFileID() || !E.isFileID() || !SM.isWrittenInMainFile(B) ||
        !SM.isWrittenInMainFile(E))
      return true;
    unsigned BO = SM.getFileOffset(B), EO = SM.getFileOffset(E);
    if (EO > BO && Bodies.insert(BO).second)
      scan(FD, BO, EO);
    return true;
  }

private:
  bool isIdent(const Token &T) const { return T.is(tok::raw_identifier); }

  bool isKeyword(const Token &T) const {
    return PP.getIdentifierInfo(T.getRawIdentifier())->isKeyword(Ctx.getLangOpts());
  }

  /// A name nobody declared: no keyword, no macro, unknown to \p FD's body.
  bool isUnknown(const FunctionDecl *FD, const Token &T) const {
    if (!isIdent(T) || isKeyword(T))
      return false;
    IdentifierInfo *II = PP.getIdentifierInfo(T.getRawIdentifier());
    return !PP.isMacroDefined(II) && !declaredFor(FD, DeclarationName(II));
  }

  void scan(const FunctionDecl *FD, unsigned Begin, unsigned End) {
    // Raw tokens of the body, directives skipped.
    llvm::SmallVector<Token, 0> Toks;
    Lexer Lex(SM.getLocForStartOfFile(SM.getMainFileID()), Ctx.getLangOpts(),
              Code.begin(), Code.begin() + Begin + 1, Code.end());
    for (Token T;;) {
      Lex.LexFromRawLexer(T);
      if (T.is(tok::eof) || SM.getFileOffset(T.getLocation()) >= End)
        break;
      if (T.is(tok::hash) && T.isAtStartOfLine()) {
        while (!T.is(tok::eof) && !(Lex.LexFromRawLexer(T), T.isAtStartOfLine()))
          ;
        if (T.is(tok::eof) || SM.getFileOffset(T.getLocation()) >= End)
          break;
      }
      Toks.push_back(T);
    }
    for (size_t I = 0; I < Toks.size(); ++I) {
      bool Start = I == 0 || Toks[I - 1].isOneOf(tok::semi, tok::l_brace,
                                                 tok::r_brace);
      if (Start)
        statementAt(FD, Toks, I);
    }
  }

  void statementAt(const FunctionDecl *FD, llvm::ArrayRef<Token> Toks,
                   size_t I) {
    auto Ident = [&](size_t K, llvm::StringRef W) {
      return K < Toks.size() && isIdent(Toks[K]) &&
             Toks[K].getRawIdentifier() == W;
    };
    size_t K = I;
    while (Ident(K, "const") || Ident(K, "static") || Ident(K, "volatile"))
      ++K;
    if (K >= Toks.size() || !isUnknown(FD, Toks[K]))
      return;
    size_t TypeTok = K++;
    // `M name(`: a statement an unknown macro opens, its call kept.
    if (K == I + 1 && K + 1 < Toks.size() && isIdent(Toks[K]) &&
        Toks[K + 1].is(tok::l_paren)) {
      IdentifierInfo *II = PP.getIdentifierInfo(Toks[K].getRawIdentifier());
      if (!isKeyword(Toks[K]) && isFunctionName(FD, DeclarationName(II)))
        add(Toks[I], Toks[K]);
      return;
    }
    (void)TypeTok;
    // Template arguments.
    if (K < Toks.size() && Toks[K].is(tok::less)) {
      int Depth = 0;
      for (; K < Toks.size(); ++K) {
        if (Toks[K].is(tok::less))
          ++Depth;
        else if (Toks[K].is(tok::greater))
          --Depth;
        else if (Toks[K].is(tok::greatergreater))
          Depth -= 2;
        else if (Toks[K].isOneOf(tok::semi, tok::l_brace, tok::r_brace,
                                 tok::l_paren, tok::equal))
          return;
        if (Depth <= 0)
          break;
      }
      if (Depth != 0)
        return;
      ++K;
    }
    while (K < Toks.size() &&
           (Toks[K].isOneOf(tok::amp, tok::star, tok::ampamp) ||
            Ident(K, "const")))
      ++K;
    // `T name = f(...)`: the declaration goes, the call stays.
    if (K + 3 < Toks.size() && isIdent(Toks[K]) && !isKeyword(Toks[K]) &&
        Toks[K + 1].is(tok::equal) && isIdent(Toks[K + 2]) &&
        Toks[K + 3].is(tok::l_paren) &&
        isFunctionName(FD, DeclarationName(PP.getIdentifierInfo(
                               Toks[K + 2].getRawIdentifier()))))
      add(Toks[I], Toks[K + 2]);
  }

  bool isFunctionName(const FunctionDecl *FD, DeclarationName Name) const {
    auto IsFunction = [](const NamedDecl *D) {
      return isa<FunctionDecl, FunctionTemplateDecl>(D);
    };
    if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
      if (const CXXRecordDecl *RD = M->getParent()->getDefinition())
        if (llvm::any_of(RD->lookup(Name), IsFunction))
          return true;
    for (const DeclContext *DC = FD->getDeclContext(); DC; DC = DC->getParent())
      if (DC->isFileContext() && llvm::any_of(DC->lookup(Name), IsFunction))
        return true;
    return false;
  }

  /// Blanks the tokens from \p First up to \p Kept.
  void add(const Token &First, const Token &Kept) {
    unsigned B = SM.getFileOffset(First.getLocation());
    unsigned K = SM.getFileOffset(Kept.getLocation());
    if (K > B)
      Out.push_back({B, K - B});
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  Preprocessor &PP;
  std::vector<UnknownTypeSpan> &Out;
  llvm::StringRef Code;
  llvm::DenseSet<unsigned> Bodies;
};

} // namespace

std::string respellTypes(llvm::StringRef Code,
                         llvm::ArrayRef<UnknownTypeSpan> Spans) {
  std::string Out = Code.str();
  for (const UnknownTypeSpan &S : Spans) {
    if (S.Begin + S.Length > Out.size())
      continue;
    // Line breaks stay: every other token keeps its line.
    for (unsigned I = S.Begin; I < S.Begin + S.Length; ++I)
      if (Out[I] != '\n' && Out[I] != '\r')
        Out[I] = ' ';
  }
  return Out;
}

std::string DroppedCode::respelled() const {
  return respellTypes(respellLoops(Code, Loops), Types);
}

void DroppedCodeFinder::HandleTranslationUnit(ASTContext &Ctx) {
  // A clean parse drops nothing; C has no range-for (and no if with an
  // init-statement to re-spell one as).
  if (!CI.getDiagnostics().hasErrorOccurred() || !Ctx.getLangOpts().CPlusPlus)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::StringRef Code = SM.getBufferData(SM.getMainFileID());
  std::vector<RangeForHeader> Headers = rangeForHeaders(Code, Ctx.getLangOpts());
  BuiltLoops Built(SM);
  Preprocessor &PP = CI.getPreprocessor();
  UnknownTypeScan Types(Ctx, PP, Out.Types);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
    if (SM.isWrittenInMainFile(SM.getExpansionLoc(D->getLocation()))) {
      if (!Headers.empty())
        Built.TraverseDecl(D);
      Types.TraverseDecl(D);
    }
  for (const RangeForHeader &H : Headers)
    if (H.Macro.empty() ? !Built.Offsets.count(H.For)
                        : !PP.isMacroDefined(H.Macro))
      Out.Loops.push_back(H);
  // A type span inside a re-spelled loop header is left to the loop.
  llvm::erase_if(Out.Types, [&](const UnknownTypeSpan &S) {
    return llvm::any_of(Out.Loops, [&](const RangeForHeader &H) {
      return S.Begin >= H.For && S.Begin < H.Colon;
    });
  });
  if (!Out.empty())
    Out.Code = Code.str();
}

} // namespace stresslint
