//===--- Reconstruct.cpp - SQL text from C++ expressions -------------------===//
#include "cpp/Reconstruct.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace stresslint {

const Expr *ignoreStringWrappers(const Expr *E) {
  while (E) {
    const Expr *Prev = E;
    E = E->IgnoreParenImpCasts()->IgnoreImplicit();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *C = dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *N = dyn_cast<CXXNamedCastExpr>(E))
      E = N->getSubExpr();
    else if (const auto *D = dyn_cast<CXXDefaultArgExpr>(E))
      E = D->getExpr();
    if (E == Prev)
      break;
  }
  return E;
}

/// The location of code unit \p Unit of a wide (u"", U"", L"") literal,
/// when its tokens have no escapes; otherwise the literal's start.
static SourceLocation wideLocation(const StringLiteral *L, unsigned Unit,
                                   const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (unsigned T = 0; T < L->getNumConcatenated(); ++T) {
    SourceLocation TokLoc = SM.getSpellingLoc(L->getStrTokenLoc(T));
    bool Invalid = false;
    const char *Data = SM.getCharacterData(TokLoc, &Invalid);
    if (Invalid)
      break;
    unsigned Len = Lexer::MeasureTokenLength(TokLoc, SM, Ctx.getLangOpts());
    llvm::StringRef Spelling(Data, Len);
    size_t Q = Spelling.find('"');
    if (Q == llvm::StringRef::npos)
      break;
    size_t Begin = Q + 1, End = Spelling.size() - 1;
    if (Q > 0 && Spelling[Q - 1] == 'R') {
      size_t Paren = Spelling.find('(', Q);
      size_t Close = Spelling.rfind(')');
      if (Paren == llvm::StringRef::npos || Close == llvm::StringRef::npos)
        break;
      Begin = Paren + 1;
      End = Close;
    } else if (Spelling.slice(Begin, End).contains('\\')) {
      break;
    }
    unsigned Units = static_cast<unsigned>(End - Begin);
    if (Unit < Units)
      return TokLoc.getLocWithOffset(static_cast<int>(Begin + Unit));
    Unit -= Units;
  }
  return L->getBeginLoc();
}

std::string ReconstructedSql::sourceText(uint32_t Begin, uint32_t End,
                                         const ASTContext &Ctx) const {
  std::string Out;
  for (const SqlPiece &P : Pieces) {
    uint32_t B = std::max(Begin, P.Begin), E = std::min(End, P.Begin + P.Length);
    if (B >= E)
      continue;
    if (!P.Unknown) {
      Out += Text.substr(B, E - B);
      continue;
    }
    CharSourceRange R = CharSourceRange::getTokenRange(P.Unknown->getSourceRange());
    llvm::StringRef Src =
        Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts());
    Out += Src.empty() ? "..." : Src.str();
  }
  return Out;
}

SourceLocation ReconstructedSql::locationOf(uint32_t Offset,
                                            const ASTContext &Ctx) const {
  auto It = std::upper_bound(
      Pieces.begin(), Pieces.end(), Offset,
      [](uint32_t O, const SqlPiece &P) { return O < P.Begin; });
  if (It == Pieces.begin())
    return SourceLocation();
  const SqlPiece &P = *--It;
  uint32_t Delta = std::min(Offset - P.Begin, P.Length ? P.Length - 1 : 0);
  if (P.Unknown)
    return P.Unknown->getBeginLoc();
  if (P.RawLoc.isValid())
    return P.RawLoc.getLocWithOffset(
        static_cast<int>(Delta < P.RawOffsets.size() ? P.RawOffsets[Delta] : 0));
  if (!P.Lit)
    return SourceLocation();
  const SourceManager &SM = Ctx.getSourceManager();
  if (P.Lit->getCharByteWidth() != 1)
    return SM.getSpellingLoc(wideLocation(P.Lit, P.LitByte + Delta, Ctx));
  // The character where the literal is spelled, also inside a #define.
  return SM.getSpellingLoc(P.Lit->getLocationOfByte(
      P.LitByte + Delta, SM, Ctx.getLangOpts(), Ctx.getTargetInfo()));
}

void Reconstructor::addLiteral(const StringLiteral *L, ReconstructedSql &Out) {
  Used.insert(L);
  SqlPiece P;
  P.Begin = static_cast<uint32_t>(Out.Text.size());
  P.Lit = L;
  if (L->getCharByteWidth() == 1) {
    Out.Text += L->getString();
  } else {
    for (unsigned I = 0; I < L->getLength(); ++I) {
      uint32_t U = L->getCodeUnit(I);
      Out.Text += U < 128 ? static_cast<char>(U) : '?';
    }
  }
  P.Length = static_cast<uint32_t>(Out.Text.size()) - P.Begin;
  Out.HasLiteral = true;
  if (P.Length)
    Out.Pieces.push_back(P);
}

void Reconstructor::addUnknown(const Expr *E, ReconstructedSql &Out) {
  appendPlaceholder(Out, E, NextParam);
}

void Reconstructor::appendPlaceholder(ReconstructedSql &Out, const Expr *E,
                                      unsigned &NextParam) {
  // After FROM/JOIN/INTO/UPDATE/TABLE or a dot an identifier parses; anywhere
  // else a parameter does.
  llvm::StringRef Before = llvm::StringRef(Out.Text).rtrim();
  size_t WordStart = Before.size();
  while (WordStart > 0 && (llvm::isAlnum(Before[WordStart - 1]) ||
                           Before[WordStart - 1] == '_'))
    --WordStart;
  std::string Word = Before.substr(WordStart).lower();
  bool Identifier = Word == "from" || Word == "join" || Word == "into" ||
                    Word == "update" || Word == "table" ||
                    Before.endswith(".") || Before.endswith("\"");
  std::string Text = Identifier ? "p__" + std::to_string(NextParam++)
                                : "$" + std::to_string(NextParam++);
  SqlPiece P;
  P.Begin = static_cast<uint32_t>(Out.Text.size());
  P.Length = static_cast<uint32_t>(Text.size());
  P.Unknown = E;
  Out.Text += Text;
  Out.Pieces.push_back(P);
}

static bool isStringViewMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("c_str", "data", "toStdString", "toUtf8", "toLatin1", true)
      .Cases("toLocal8Bit", "constData", "arg", "simplified", "trimmed", true)
      .Cases("toStdString", "toQString", "get", true)
      .Default(false);
}

bool isRecoveredConcat(const RecoveryExpr *RE) {
  auto Subs = RE->subExpressions();
  return Subs.size() == 2 && isa<StringLiteral>(ignoreStringWrappers(Subs[0]));
}

static void findLiterals(const Stmt *S, llvm::SmallVectorImpl<const StringLiteral *> &Out,
                         unsigned Depth) {
  if (!S || Depth > 32 || Out.size() > 1)
    return;
  if (const auto *L = dyn_cast<StringLiteral>(S)) {
    Out.push_back(L);
    return;
  }
  for (const Stmt *C : S->children())
    findLiterals(C, Out, Depth + 1);
}

/// `[]{ ... return "literal" ...; }()` with exactly one string literal in
/// its body: the value of the call is that literal.
static const StringLiteral *immediateLambdaLiteral(const Expr *E) {
  const auto *Call = dyn_cast<CXXOperatorCallExpr>(E);
  if (!Call || Call->getOperator() != OO_Call || Call->getNumArgs() != 1)
    return nullptr;
  const auto *Lambda = dyn_cast<LambdaExpr>(ignoreStringWrappers(Call->getArg(0)));
  if (!Lambda)
    return nullptr;
  llvm::SmallVector<const StringLiteral *, 2> Lits;
  findLiterals(Lambda->getBody(), Lits, 0);
  return Lits.size() == 1 ? Lits.front() : nullptr;
}

void Reconstructor::add(const Expr *E, SourceLocation UseLoc,
                        ReconstructedSql &Out, unsigned Depth) {
  E = ignoreStringWrappers(E);
  if (!E)
    return;
  if (Depth > 64 || Out.Text.size() > (64u << 20)) {
    addUnknown(E, Out);
    return;
  }
  if (const auto *L = dyn_cast<StringLiteral>(E)) {
    addLiteral(L, Out);
    return;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Plus && Op->getNumArgs() == 2) {
      // Flatten `a + b + c + ...` iteratively: a 10,000-part chain must not
      // recurse 10,000 frames deep.
      llvm::SmallVector<const Expr *, 16> Parts;
      const Expr *Cur = E;
      while (const auto *P = dyn_cast<CXXOperatorCallExpr>(Cur)) {
        if (P->getOperator() != OO_Plus || P->getNumArgs() != 2)
          break;
        Parts.push_back(P->getArg(1));
        Cur = ignoreStringWrappers(P->getArg(0));
      }
      Parts.push_back(Cur);
      for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
        add(*It, UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *C = dyn_cast<CXXConstructExpr>(E)) {
    unsigned Written = C->getNumArgs();
    while (Written > 0 && isa<CXXDefaultArgExpr>(C->getArg(Written - 1)))
      --Written;
    if (Written == 0)
      return; // A default-constructed string is empty.
    QualType T = C->getArg(0)->getType();
    if (Written == 1 && (T->isPointerType() || T->isArrayType() ||
                         T->isRecordType() || T->isReferenceType())) {
      add(C->getArg(0), UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    llvm::StringRef Name =
        M && M->getDeclName().isIdentifier() ? M->getName() : "";
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (Obj && isStringViewMethod(Name)) {
      size_t Start = Out.Text.size();
      add(Obj, UseLoc, Out, Depth + 1);
      if (Name == "arg") {
        // QString::arg fills `%1` even inside quotes: the value is unknown,
        // so `'%1%'` must not read as a leading wildcard. Same-length edit
        // keeps the byte map intact.
        for (size_t I = Start; I + 1 < Out.Text.size(); ++I)
          if (Out.Text[I] == '%' && llvm::isDigit(Out.Text[I + 1]))
            Out.Text[I] = '$';
      }
      return;
    }
    if (Obj && Name == "str") {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(ignoreStringWrappers(Obj)))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
          addVar(VD, UseLoc, Out, Depth + 1);
          return;
        }
    }
    if (Obj && Name == "append" && MC->getNumArgs() >= 1) {
      add(Obj, UseLoc, Out, Depth + 1);
      add(MC->getArg(0), UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const StringLiteral *L = immediateLambdaLiteral(E)) {
    addLiteral(L, Out); // Qt 5's QStringLiteral("...")
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getDeclName().isIdentifier() && Call->getNumArgs() >= 1) {
      llvm::StringRef Name = FD->getName();
      const DeclContext *DC = FD->getDeclContext()->getEnclosingNamespaceContext();
      const auto *NS = dyn_cast<NamespaceDecl>(DC);
      llvm::StringRef NSName = NS && NS->getDeclName().isIdentifier() ? NS->getName() : "";
      bool Format = (Name == "format" || Name == "sformat") &&
                    (NSName == "fmt" || NSName == "std" || NSName.startswith("v"));
      if (Format || Name == "qMakeStringPrivate" || Name == "QStringLiteral") {
        add(Call->getArg(0), UseLoc, Out, Depth + 1);
        return;
      }
      if (Name == "StrCat") {
        for (const Expr *A : Call->arguments())
          add(A, UseLoc, Out, Depth + 1);
        return;
      }
    }
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && !isa<ParmVarDecl>(VD)) {
      addVar(VD, UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
        FD && FD->hasInClassInitializer() && FD->getInClassInitializer()) {
      add(FD->getInClassInitializer(), UseLoc, Out, Depth + 1);
      return;
    }
    if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl())) {
      addVar(VD, UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *RE = dyn_cast<RecoveryExpr>(E); RE && isRecoveredConcat(RE)) {
    // `"..." + f(x)` where f did not resolve (a missing header): Clang keeps
    // both operands; the text is still the concatenation.
    for (const Expr *Sub : RE->subExpressions())
      add(Sub, UseLoc, Out, Depth + 1);
    return;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    add(CO->getTrueExpr(), UseLoc, Out, Depth + 1);
    return;
  }
  addUnknown(E, Out);
}

void Reconstructor::addVar(const VarDecl *VD, SourceLocation UseLoc,
                           ReconstructedSql &Out, unsigned Depth) {
  if (!InProgress.insert(VD).second) {
    addUnknown(nullptr, Out);
    return;
  }
  const SourceManager &SM = Ctx.getSourceManager();
  const Expr *Init = VD->getAnyInitializer();
  llvm::SmallVector<const Mutation *, 8> Applied;
  auto It = Mutations.find(VD);
  if (It != Mutations.end()) {
    for (const Mutation &M : It->second) {
      if (UseLoc.isValid() && !SM.isBeforeInTranslationUnit(M.Loc, UseLoc))
        continue;
      if (M.K == Mutation::Assign) {
        Applied.clear();
        Init = M.Value;
        continue;
      }
      Applied.push_back(&M);
    }
  }
  if (!Init && Applied.empty()) {
    if (!VD->getType()->isRecordType() || VD->hasExternalStorage())
      addUnknown(nullptr, Out); // An uninitialised string object is empty.
  } else if (Init) {
    add(Init, UseLoc, Out, Depth + 1);
  }
  for (const Mutation *M : Applied)
    add(M->Value, UseLoc, Out, Depth + 1);
  InProgress.erase(VD);
}

ReconstructedSql Reconstructor::build(const Expr *E, SourceLocation UseLoc) {
  ReconstructedSql Out;
  add(E, UseLoc, Out, 0);
  return Out;
}

ReconstructedSql Reconstructor::buildAll(llvm::ArrayRef<const Expr *> Parts,
                                         SourceLocation UseLoc) {
  ReconstructedSql Out;
  for (const Expr *E : Parts)
    add(E, UseLoc, Out, 0);
  return Out;
}

ReconstructedSql Reconstructor::buildVar(const VarDecl *VD,
                                         SourceLocation UseLoc) {
  ReconstructedSql Out;
  addVar(VD, UseLoc, Out, 0);
  return Out;
}

} // namespace stresslint
