//===--- Reconstruct.cpp - SQL text from C++ expressions -------------------===//
///
/// \file
/// Reconstructor: the walk from a C++ expression to the SQL text it holds
/// (literals, variables and their writes, helper calls, string builders).
/// Its text model is in ReconstructedSql.cpp, template filling in
/// FormatTemplates.cpp, which write reaches a use in BranchArms.cpp. Over
/// 500 lines because add(), addCall(), addVar() and addParam() recurse into
/// each other: they are one walk, read together.
///
//===----------------------------------------------------------------------===//
#include "cpp/Reconstruct.h"
#include "cpp/Names.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/bit.h"
#include <deque>
#include <set>

using namespace clang;

namespace stresslint {

const Expr *ignoreTextCopies(const Expr *E) {
  E = ignoreStringWrappers(E);
  while (const auto *C = dyn_cast_or_null<CXXConstructExpr>(E)) {
    if (C->getNumArgs() != 1)
      break;
    E = ignoreStringWrappers(C->getArg(0));
  }
  return E;
}

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
    else if (const auto *U = dyn_cast<CXXUnresolvedConstructExpr>(E);
             U && U->getNumArgs() == 1)
      E = U->getArg(0); // `QString("..." + t)`, the class only declared.
    else if (const auto *N = dyn_cast<CXXNamedCastExpr>(E))
      E = N->getSubExpr();
    else if (const auto *C = dyn_cast<CStyleCastExpr>(E))
      E = C->getSubExpr(); // `(SQLCHAR *)sql.c_str()`, `(SQLPOINTER)pattern.c_str()`.
    else if (const auto *D = dyn_cast<CXXDefaultArgExpr>(E))
      E = D->getExpr();
    else if (const auto *R = dyn_cast<RecoveryExpr>(E);
             R && R->subExpressions().size() == 1)
      E = R->subExpressions().front(); // A conversion that failed to resolve.
    else if (const auto *U = dyn_cast<UserDefinedLiteral>(E);
             U && U->getLiteralOperatorKind() == UserDefinedLiteral::LOK_String &&
             U->getNumArgs() >= 1)
      E = U->getArg(0); // `"..."_s`, `"..."sv`: the string it spells.
    if (E == Prev)
      break;
  }
  return E;
}

const Expr *builtTextOf(const Expr *E, const RuleSet &Rules) {
  E = E->IgnoreParenImpCasts();
  auto Named = [&](const Expr *Callee) {
    Callee = Callee->IgnoreParenImpCasts();
    if (const auto *L = dyn_cast<UnresolvedLookupExpr>(Callee))
      return L->getName().isIdentifier() &&
             Rules.buildsText(L->getName().getAsIdentifierInfo()->getName());
    if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(Callee))
      return M->getMember().isIdentifier() &&
             Rules.buildsText(M->getMember().getAsIdentifierInfo()->getName());
    return false;
  };
  if (const auto *R = dyn_cast<RecoveryExpr>(E);
      R && R->subExpressions().size() >= 2 && Named(R->subExpressions()[0]))
    return R->subExpressions()[1];
  if (const auto *C = dyn_cast<CallExpr>(E); C && Named(C->getCallee())) {
    if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(
            C->getCallee()->IgnoreParenImpCasts());
        M && !M->isImplicitAccess())
      return M->getBase();
    return C->getNumArgs() ? C->getArg(0) : nullptr;
  }
  return nullptr;
}

std::string markerText(const Expr *E, const RuleSet &Rules) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = ignoreStringWrappers(E);
    if (const auto *L = dyn_cast<StringLiteral>(E))
      return L->getCharByteWidth() == 1 ? L->getString().str() : "";
    if (const auto *C = dyn_cast<CXXConstructExpr>(E); C && C->getNumArgs() >= 1)
      E = C->getArg(0);
    else if (const Expr *Text = builtTextOf(E, Rules))
      E = Text;
    else if (const auto *Call = dyn_cast<CallExpr>(E);
             Call && Call->getNumArgs() >= 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->getIdentifier() &&
             (Rules.buildsText(Call->getDirectCallee()->getName()) ||
              Rules.isStringCall(StringCall::Literal, "",
                                 Call->getDirectCallee()->getName())))
      E = Call->getArg(0);
    else
      return "";
  }
  return "";
}

/// \p With in place of each \p Marker in \p Out after byte \p Begin (the
/// variable's own text): `replace_all(sql, "{{match}}", "LIKE")`.
static void replaceIn(ReconstructedSql &Out, uint32_t Begin, llvm::StringRef Marker,
                      const ReconstructedSql &With) {
  if (Marker.empty())
    return;
  ReconstructedSql Edited;
  uint32_t From = 0;
  for (size_t At = Out.Text.find(Marker.str(), Begin); At != std::string::npos;
       At = Out.Text.find(Marker.str(), At + Marker.size())) {
    Edited.appendSlice(Out, From, static_cast<uint32_t>(At));
    Edited.appendSlice(With, 0, static_cast<uint32_t>(With.Text.size()));
    From = static_cast<uint32_t>(At + Marker.size());
  }
  if (From == 0)
    return;
  Edited.appendSlice(Out, From, static_cast<uint32_t>(Out.Text.size()));
  Edited.HasLiteral = Out.HasLiteral || With.HasLiteral;
  Out = std::move(Edited);
}

void Reconstructor::addLiteral(const StringLiteral *L, ReconstructedSql &Out) {
  if (RecordUse)
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

/// Can \p E hold text (a string, a character pointer, a type Clang could
/// not resolve) rather than a number?
static bool mayHoldText(const Expr *E) {
  if (!E)
    return true;
  QualType T = E->getType();
  if (T.isNull() || T->isDependentType() || E->containsErrors())
    return true;
  T = T.getNonReferenceType();
  if (T->isRecordType())
    return true;
  if (T->isPointerType() || T->isArrayType())
    return T->getPointeeOrArrayElementType()->isAnyCharacterType();
  return false;
}

/// What a part of unknown text after \p Before can be.
static SqlHole::Kind holeKindAfter(llvm::StringRef Before, const Expr *E) {
  Before = Before.rtrim();
  if (Before.empty())
    return SqlHole::Value;
  char Last = Before.back();
  if (Last == '.' || Last == '"')
    return SqlHole::Identifier;
  bool Text = mayHoldText(E);
  if (Last == ')' || Last == '\'')
    return Text ? SqlHole::Clause : SqlHole::Value;
  if (!llvm::isAlnum(Last) && Last != '_')
    return SqlHole::Value; // After an operator, `(` or `,`.
  size_t WordStart = Before.size();
  while (WordStart > 0 &&
         (llvm::isAlnum(Before[WordStart - 1]) || Before[WordStart - 1] == '_'))
    --WordStart;
  std::string Word = Before.substr(WordStart).lower();
  if (Word == "from" || Word == "join" || Word == "into" || Word == "update" ||
      Word == "table")
    return SqlHole::Identifier;
  bool ExpectsValue =
      llvm::StringSwitch<bool>(Word)
          .Cases("where", "and", "or", "not", "on", "by", "select", true)
          .Cases("set", "limit", "offset", "in", "like", "ilike", true)
          .Cases("between", "when", "then", "else", "values", "having", true)
          .Cases("returning", "is", "distinct", "case", "exists", "top", true)
          .Cases("with", "as", "using", "fetch", "first", "next", true)
          .Cases("default", "array", "any", "all", "some", "escape", true)
          .Default(false);
  if (ExpectsValue || !Text)
    return SqlHole::Value;
  // After a name, a number or a closing token the statement is complete so
  // far: a string appended here is a clause (` WHERE ...`, ` AND ...`).
  return SqlHole::Clause;
}

void Reconstructor::appendPlaceholder(ReconstructedSql &Out, const Expr *E,
                                      unsigned &NextParam) {
  SqlHole::Kind K = Out.endsInQuote() ? SqlHole::Value : holeKindAfter(Out.Text, E);
  // A clause hole stays visible as `$n` between spaces: the SQL side then
  // knows a clause is unknown (it may hold the LIMIT or the key condition)
  // and tries the statement with the hole dropped, as TRUE and as a name.
  std::string Text = K == SqlHole::Identifier ? "p__" + std::to_string(NextParam++)
                     : K == SqlHole::Clause   ? " $" + std::to_string(NextParam++) + " "
                                              : "$" + std::to_string(NextParam++);
  SqlPiece P;
  P.Begin = static_cast<uint32_t>(Out.Text.size());
  P.Length = static_cast<uint32_t>(Text.size());
  P.Unknown = E;
  Out.Text += Text;
  Out.Holes.push_back({K, P.Begin, P.Length, E});
  Out.Pieces.push_back(P);
}

bool isRecoveredConcat(const RecoveryExpr *RE) {
  auto Subs = RE->subExpressions();
  return Subs.size() == 2 && isa<StringLiteral>(ignoreStringWrappers(Subs[0]));
}

static void findLiterals(const Stmt *S,
                         llvm::SmallVectorImpl<const StringLiteral *> &Out,
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

const StringLiteral *immediateLambdaLiteral(const Expr *E) {
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

static bool isCharPointer(QualType T) {
  T = T.getNonReferenceType();
  return (T->isPointerType() || T->isArrayType()) &&
         T->getPointeeOrArrayElementType()->isCharType();
}

/// The parameter before \p Format that receives the formatted text: a
/// non-const `char *` (snprintf's buffer), or -1.
static int destinationOf(const FunctionDecl *FD, unsigned Format) {
  for (unsigned I = 0; I < Format && I < FD->getNumParams(); ++I) {
    QualType T = FD->getParamDecl(I)->getType();
    if (T->isPointerType() && T->getPointeeType()->isCharType() &&
        !T->getPointeeType().isConstQualified())
      return static_cast<int>(I);
  }
  return -1;
}

std::optional<FormatCall> formatCallOf(const CallExpr *Call, const RuleSet &Rules) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier() || isa<CXXOperatorCallExpr>(Call))
    return std::nullopt;
  llvm::StringRef Name = FD->getName();
  unsigned Args = Call->getNumArgs();
  std::string Qualified = qualifiedName(FD);
  if (Rules.isStringCall(StringCall::Format, Qualified, Name))
    return FormatCall{FormatCall::Brace, 0, 1, -1};
  bool Method = isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic();
  if (const auto *FA = FD->getAttr<FormatAttr>()) {
    llvm::StringRef Kind = FA->getType()->getName();
    if (Kind == "printf" || Kind == "printf0" || Kind == "gnu_printf" ||
        Kind == "__printf__") {
      int Fmt = FA->getFormatIdx() - 1 - (Method ? 1 : 0);
      int First = FA->getFirstArg() - 1 - (Method ? 1 : 0);
      if (Fmt >= 0 && static_cast<unsigned>(Fmt) < Args)
        return FormatCall{FormatCall::Printf, static_cast<unsigned>(Fmt),
                          First >= 0 ? static_cast<unsigned>(First) : Args,
                          destinationOf(FD, static_cast<unsigned>(Fmt))};
    }
  }
  unsigned Params = FD->getNumParams();
  if (FD->isVariadic() && Params >= 1 && Params <= Args &&
      isCharPointer(FD->getParamDecl(Params - 1)->getType()))
    return FormatCall{FormatCall::Printf, Params - 1, Params,
                      destinationOf(FD, Params - 1)};
  // A variadic template that says it formats: `strformat(fmt, args...)`.
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern()) {
    unsigned N = Pattern->getNumParams();
    if (N >= 2 && Pattern->getParamDecl(N - 1)->isParameterPack() && N - 2 < Args &&
        Rules.isStringCall(StringCall::Printf, Qualified, Name)) {
      QualType T = Pattern->getParamDecl(N - 2)->getType();
      if (isCharPointer(T) || T.getNonReferenceType()->isRecordType())
        return FormatCall{FormatCall::Printf, N - 2, N - 1, -1};
    }
  }
  return std::nullopt;
}

/// Whether \p E reads a variable whose value nobody wrote: Clang
/// value-initializes `const int id;` to recover from the error, which is
/// what the loop variable of a loop re-spelled without its headers
/// becomes (`foreach (const int id, ids)`, cpp/RecoveredLoops.h). Its
/// constant is no value of the program.
static bool readsUnwrittenValue(const Stmt *E) {
  if (const auto *R = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(R->getDecl()))
      if (const Expr *Init = V->getInit(); !Init || Init->getBeginLoc().isInvalid())
        return true;
  for (const Stmt *C : E->children())
    if (C && readsUnwrittenValue(C))
      return true;
  return false;
}

void Reconstructor::addValue(const Expr *E, SourceLocation UseLoc,
                             ReconstructedSql &Out, unsigned Depth) {
  const Expr *S = ignoreStringWrappers(E);
  if (!S)
    return;
  QualType T = S->getType();
  if (!S->isValueDependent() && !S->containsErrors() && !T.isNull() &&
      T->isIntegralOrEnumerationType() && !T->isAnyCharacterType()) {
    Expr::EvalResult R;
    if (S->EvaluateAsInt(R, Ctx) && !readsUnwrittenValue(S)) {
      // A constant number (`OFFSET 0` through a template) is its value.
      std::string Num = llvm::toString(R.Val.getInt(), 10);
      SqlPiece P;
      P.Begin = static_cast<uint32_t>(Out.Text.size());
      P.Length = static_cast<uint32_t>(Num.size());
      P.Unknown = S;
      Out.Text += Num;
      Out.Pieces.push_back(P);
      return;
    }
  }
  if (mayHoldText(S) || isa<CharacterLiteral>(S))
    add(S, UseLoc, Out, Depth);
  else
    addUnknown(S, Out);
}

unsigned Reconstructor::choose(const void *Key, unsigned Options) {
  if (Options <= 1)
    return 0;
  if (llvm::none_of(Met, [&](const auto &M) { return M.first == Key; }))
    Met.push_back({Key, Options});
  auto It = Plan.find(Key);
  return It == Plan.end() ? 0 : std::min(It->second, Options - 1);
}

/// The values a function returns, in source order (not those of lambdas or
/// local classes in it).
static void collectReturns(const Stmt *S, std::vector<const Expr *> &Out) {
  if (!S || Out.size() >= 32)
    return;
  if (isa<LambdaExpr>(S))
    return;
  if (const auto *R = dyn_cast<ReturnStmt>(S)) {
    if (R->getRetValue())
      Out.push_back(R->getRetValue());
    return;
  }
  for (const Stmt *C : S->children())
    collectReturns(C, Out);
}

bool Reconstructor::addHelperReturn(const CallExpr *Call, const FunctionDecl *FD,
                                    SourceLocation UseLoc, ReconstructedSql &Out,
                                    unsigned Depth) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || isa<CXXOperatorCallExpr>(Call))
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  if (isLibraryCode(SM, Def->getLocation()))
    return false;
  QualType RT = Def->getReturnType().getNonReferenceType();
  if (!RT->isRecordType() && !isCharPointer(RT))
    return false;
  auto It = Returns.find(Def);
  if (It == Returns.end()) {
    std::vector<const Expr *> Rets;
    collectReturns(Def->getBody(), Rets);
    It = Returns.try_emplace(Def, std::move(Rets)).first;
  }
  if (It->second.empty() || !InCall.insert(Def).second)
    return false;
  const std::vector<const Expr *> &Rets = It->second;
  unsigned K = choose(Call, static_cast<unsigned>(std::min<size_t>(Rets.size(), 16)));
  Frames.push_back({Def, Call, UseLoc});
  add(Rets[K], Rets[K]->getBeginLoc(), Out, Depth + 1);
  Frames.pop_back();
  InCall.erase(Def);
  return true;
}

bool Reconstructor::addCall(const CallExpr *Call, SourceLocation UseLoc,
                            ReconstructedSql &Out, unsigned Depth) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  if (std::optional<FormatCall> F = formatCallOf(Call, Rules)) {
    llvm::SmallVector<const Expr *, 8> Args;
    for (unsigned I = F->FirstArg; I < Call->getNumArgs(); ++I)
      Args.push_back(Call->getArg(I));
    addTemplate(Call->getArg(F->FormatArg), Args, F->S, UseLoc, Out, Depth);
    return true;
  }
  llvm::StringRef Name = FD->getName();
  std::string Qualified = qualifiedName(FD);
  if (Call->getNumArgs() >= 1 &&
      Rules.isStringCall(StringCall::Literal, Qualified, Name)) {
    add(Call->getArg(0), UseLoc, Out, Depth + 1);
    return true;
  }
  // `QString::fromLatin1("%")`, `tr("...")`: text made from the first
  // argument, unless the function's body says what (a project's own helper
  // of that name returns literal text).
  if (Call->getNumArgs() >= 1 &&
      Rules.isStringCall(StringCall::Text, Qualified, Name) &&
      mayHoldText(Call->getArg(0))) {
    ReconstructedSql Returned;
    if (addHelperReturn(Call, FD, UseLoc, Returned, Depth) && Returned.HasLiteral)
      Out.appendSlice(Returned, 0, static_cast<uint32_t>(Returned.Text.size()));
    else
      add(Call->getArg(0), UseLoc, Out, Depth + 1);
    return true;
  }
  if (Rules.isStringCall(StringCall::Concat, Qualified, Name)) {
    for (const Expr *A : Call->arguments())
      add(A, UseLoc, Out, Depth + 1);
    return true;
  }
  if (Call->getNumArgs() >= 1 &&
      Rules.isStringCall(StringCall::Number, Qualified, Name)) {
    // A constant is its digits; otherwise the hole is the whole call.
    const Expr *Arg = ignoreStringWrappers(Call->getArg(0));
    if (!mayHoldText(Arg)) {
      size_t Before = Out.Pieces.size();
      addValue(Arg, UseLoc, Out, Depth + 1);
      if (Out.Pieces.size() > Before && !Out.Holes.empty() && Out.Holes.back().E == Arg)
        Out.Holes.back().E = Out.Pieces.back().Unknown = Call;
      return true;
    }
  }
  return addHelperReturn(Call, FD, UseLoc, Out, Depth);
}

void Reconstructor::add(const Expr *E, SourceLocation UseLoc, ReconstructedSql &Out,
                        unsigned Depth) {
  E = ignoreStringWrappers(E);
  if (!E)
    return;
  if (Depth > 64 || Out.Text.size() > (64u << 20) || ++Budget > 200000) {
    addUnknown(E, Out);
    return;
  }
  if (const auto *L = dyn_cast<StringLiteral>(E)) {
    addLiteral(L, Out);
    return;
  }
  if (const auto *CL = dyn_cast<CharacterLiteral>(E)) {
    // `'%' + term`: the character, at its place between the quotes.
    const SourceManager &SM = Ctx.getSourceManager();
    SqlPiece P;
    P.Begin = static_cast<uint32_t>(Out.Text.size());
    P.Length = 1;
    P.RawLoc = SM.getSpellingLoc(CL->getLocation());
    P.RawOffsets.push_back(1);
    unsigned V = CL->getValue();
    Out.Text += V < 128 && V > 0 ? static_cast<char>(V) : '?';
    Out.HasLiteral = true;
    Out.Pieces.push_back(std::move(P));
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
    // A text, or a character made a character class (`QChar(u'%')`,
    // `QLatin1Char('%')`): the same text.
    if (Written == 1 && (T->isPointerType() || T->isArrayType() || T->isRecordType() ||
                         T->isReferenceType() ||
                         isa<CharacterLiteral>(ignoreStringWrappers(C->getArg(0))))) {
      add(C->getArg(0), UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    auto Is = [&](StringCall::Kind K, const CXXMethodDecl *CM) {
      return CM && CM->getIdentifier() &&
             Rules.isStringCall(K, qualifiedName(CM), CM->getName());
    };
    if (Obj && Is(StringCall::ArgTemplate, M)) {
      // `QString("... %1 ... %2").arg(a).arg(b)`: each arg() fills the
      // lowest-numbered marker left; arg(a, b, ...) with strings fills
      // several.
      llvm::SmallVector<const CXXMemberCallExpr *, 4> Chain;
      const Expr *Base = E;
      while (const auto *C = dyn_cast<CXXMemberCallExpr>(Base)) {
        const CXXMethodDecl *CM = C->getMethodDecl();
        if (!Is(StringCall::ArgTemplate, CM) || !C->getImplicitObjectArgument())
          break;
        Chain.push_back(C);
        Base = ignoreStringWrappers(C->getImplicitObjectArgument());
      }
      llvm::SmallVector<const Expr *, 8> Args;
      for (auto It = Chain.rbegin(); It != Chain.rend(); ++It) {
        const CXXMethodDecl *CM = (*It)->getMethodDecl();
        unsigned Written = 0;
        for (const Expr *A : (*It)->arguments())
          if (!isa<CXXDefaultArgExpr>(A))
            ++Written;
        bool Several = CM->getNumParams() >= 2 &&
                       !CM->getParamDecl(1)->getType()->isArithmeticType();
        for (unsigned I = 0; I < Written && (I == 0 || Several); ++I)
          Args.push_back((*It)->getArg(I));
      }
      addTemplate(Base, Args, FormatCall::Qt, UseLoc, Out, Depth);
      return;
    }
    // `s.c_str()`, `q.toUtf8()`, `os.str()`: the object's text.
    if (Obj && methodHasRole(Rules, MethodRole::TextView, M)) {
      add(Obj, UseLoc, Out, Depth + 1);
      return;
    }
    if (Obj && Is(StringCall::Append, M) && MC->getNumArgs() >= 1) {
      add(Obj, UseLoc, Out, Depth + 1);
      add(MC->getArg(0), UseLoc, Out, Depth + 1);
      return;
    }
    if (Obj && Is(StringCall::Prepend, M) && MC->getNumArgs() >= 1) {
      add(MC->getArg(0), UseLoc, Out, Depth + 1);
      add(Obj, UseLoc, Out, Depth + 1);
      return;
    }
    // `QString(tpl).replace("{op}", "LIKE")` used as a value.
    if (std::string Marker = MC->getNumArgs() >= 2 && Obj && Is(StringCall::Replace, M)
                                 ? markerText(MC->getArg(0), Rules)
                                 : "";
        !Marker.empty()) {
      uint32_t Begin = static_cast<uint32_t>(Out.Text.size());
      add(Obj, UseLoc, Out, Depth + 1);
      ReconstructedSql With;
      add(MC->getArg(1), UseLoc, With, Depth + 1);
      replaceIn(Out, Begin, Marker, With);
      return;
    }
  }
  if (const StringLiteral *L = immediateLambdaLiteral(E)) {
    addLiteral(L, Out); // Qt 5's QStringLiteral("...")
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (addCall(Call, UseLoc, Out, Depth))
      return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      addVar(VD, UseLoc, Out, Depth + 1, DRE);
      return;
    }
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
        FD && addField(FD, E, UseLoc, Out, Depth))
      return;
    if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl())) {
      addVar(VD, UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && B->getOpcode() == BO_Add && (B->isTypeDependent() || B->containsErrors())) {
    // `"%" + term + "%"` where term's type did not resolve.
    add(B->getLHS(), UseLoc, Out, Depth + 1);
    add(B->getRHS(), UseLoc, Out, Depth + 1);
    return;
  }
  if (addUnresolvedText(E, UseLoc, Out, Depth))
    return;
  if (const auto *RE = dyn_cast<RecoveryExpr>(E); RE && RE->subExpressions().empty())
    if (const VarDecl *VD = invalidLocalNamed(RE)) {
      addVar(VD, UseLoc, Out, Depth + 1, RE); // An unknown value shows its name.
      return;
    }
  if (const auto *RE = dyn_cast<RecoveryExpr>(E); RE && isRecoveredConcat(RE)) {
    // `"..." + f(x)` where f did not resolve (a missing header): Clang keeps
    // both operands; the text is still the concatenation.
    for (const Expr *Sub : RE->subExpressions())
      add(Sub, UseLoc, Out, Depth + 1);
    return;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    // Each branch in turn (variants); the first by default.
    add(choose(CO, 2) ? CO->getFalseExpr() : CO->getTrueExpr(), UseLoc, Out, Depth + 1);
    return;
  }
  addUnknown(E, Out);
}

bool Reconstructor::addUnresolvedText(const Expr *E, SourceLocation UseLoc,
                                      ReconstructedSql &Out, unsigned Depth) {
  if (!isa<CallExpr, RecoveryExpr>(E) || !E->containsErrors())
    return false;
  // `QString("... %1").arg(a).arg(b)`: the template, filled by the chain.
  llvm::SmallVector<const Expr *, 4> Args;
  const Expr *Base = E;
  while (const auto *C = dyn_cast<CallExpr>(Base)) {
    const auto *M =
        dyn_cast<CXXDependentScopeMemberExpr>(C->getCallee()->IgnoreParenImpCasts());
    if (!M || M->isImplicitAccess() || !M->getMember().isIdentifier() ||
        C->getNumArgs() == 0 ||
        !Rules.isStringCall(StringCall::ArgTemplate, "",
                            M->getMember().getAsIdentifierInfo()->getName()))
      break;
    // `arg(a, b)` of texts fills as many markers; a number or a character
    // after the first is a field width or a fill (`arg(n, 2)`). Pushed last
    // first: the chain is read outside in.
    bool Texts = llvm::none_of(llvm::drop_begin(C->arguments()), [](const Expr *A) {
      return isa<IntegerLiteral, CharacterLiteral>(A->IgnoreParenImpCasts());
    });
    for (unsigned I = Texts ? C->getNumArgs() : 1; I-- > 0;)
      Args.push_back(C->getArg(I));
    Base = ignoreStringWrappers(M->getBase());
  }
  if (!Args.empty()) {
    std::reverse(Args.begin(), Args.end());
    addTemplate(Base, Args, FormatCall::Qt, UseLoc, Out, Depth);
    return true;
  }
  if (const Expr *Text = builtTextOf(E, Rules)) {
    add(Text, UseLoc, Out, Depth + 1);
    return true;
  }
  return false;
}

void Reconstructor::addParam(const ParmVarDecl *P, const Expr *Ref,
                             ReconstructedSql &Out, unsigned Depth) {
  const auto *F = dyn_cast<FunctionDecl>(P->getDeclContext());
  unsigned Index = P->getFunctionScopeIndex();
  // Inside a helper whose return value is being rebuilt: the argument.
  for (auto It = Frames.rbegin(); F && It != Frames.rend(); ++It) {
    if (It->FD != F)
      continue;
    if (Index >= It->Call->getNumArgs())
      break;
    add(It->Call->getArg(Index), It->CallerUseLoc, Out, Depth + 1);
    return;
  }
  // The SQL comes in as a parameter: each call site's argument in turn
  // (variants); an unknown value by default.
  if (F && mayHoldText(Ref) && !Expanding.count(F)) {
    auto Calls = Callers.find(F->getCanonicalDecl());
    if (Calls != Callers.end() && !Calls->second.empty()) {
      unsigned N = static_cast<unsigned>(std::min<size_t>(Calls->second.size(), 256));
      if (unsigned K = choose(P, N + 1)) {
        const CallExpr *Call = Calls->second[K - 1];
        if (Index < Call->getNumArgs()) {
          Expanding.insert(F);
          add(Call->getArg(Index), Call->getBeginLoc(), Out, Depth + 1);
          Expanding.erase(F);
          return;
        }
      }
    } else if (auto Written = WrittenCalls ? WrittenCalls->find(F->getCanonicalDecl())
                                           : WrittenCallMap::const_iterator();
               WrittenCalls && Written != WrittenCalls->end()) {
      // Its calls as written, where Clang dropped them (F is invalid).
      const std::vector<WrittenCall> &Calls = Written->second;
      unsigned N = static_cast<unsigned>(std::min<size_t>(Calls.size(), 256));
      if (unsigned K = choose(P, N + 1); K && Index < Calls[K - 1].Args.size()) {
        Expanding.insert(F);
        bool Read = addWrittenOperands(Calls[K - 1].Args[Index], Calls[K - 1].Caller,
                                       Out, Depth + 1);
        Expanding.erase(F);
        if (Read)
          return;
      }
    }
  }
  addUnknown(Ref, Out);
}

const VarDecl *Reconstructor::invalidLocalNamed(const RecoveryExpr *RE) const {
  return InvalidLocals ? stresslint::invalidLocalNamed(RE, *InvalidLocals, Ctx,
                                                       /*Globals=*/true)
                       : nullptr;
}

const VarDecl *invalidLocalNamed(const RecoveryExpr *RE,
                                 const InvalidLocalMap &InvalidLocals,
                                 const ASTContext &Ctx, bool Globals) {
  if (InvalidLocals.empty())
    return nullptr;
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation At = RE->getBeginLoc();
  if (At.isInvalid() || At.isMacroID() || RE->getBeginLoc() != RE->getEndLoc())
    return nullptr; // One token: a name.
  llvm::StringRef Name =
      Lexer::getSourceText(CharSourceRange::getTokenRange(At), SM, Ctx.getLangOpts());
  auto It = InvalidLocals.find(Name);
  if (It == InvalidLocals.end())
    return nullptr;
  // The latest declaration before the use in the same function.
  const VarDecl *Best = nullptr, *Global = nullptr;
  for (const VarDecl *VD : It->second) {
    if (!SM.isBeforeInTranslationUnit(VD->getLocation(), At))
      continue;
    if (VD->isFileVarDecl()) {
      if (Globals && (!Global || SM.isBeforeInTranslationUnit(Global->getLocation(),
                                                              VD->getLocation())))
        Global = VD;
      continue;
    }
    const auto *F = dyn_cast<FunctionDecl>(VD->getDeclContext());
    const Stmt *Body = F ? F->getBody() : nullptr;
    if (!Body || SM.isBeforeInTranslationUnit(Body->getEndLoc(), At) ||
        SM.isBeforeInTranslationUnit(At, Body->getBeginLoc()))
      continue;
    if (!Best || SM.isBeforeInTranslationUnit(Best->getLocation(), VD->getLocation()))
      Best = VD;
  }
  return Best ? Best : Global;
}

/// Puts \p Front at byte \p At of \p Out, before what was written there.
static void prependTo(ReconstructedSql &Out, const ReconstructedSql &Front,
                      uint32_t At) {
  auto End = [](const ReconstructedSql &S) {
    return static_cast<uint32_t>(S.Text.size());
  };
  ReconstructedSql Joined;
  Joined.appendSlice(Out, 0, At);
  Joined.appendSlice(Front, 0, End(Front));
  Joined.appendSlice(Out, At, End(Out));
  Joined.HasLiteral = Out.HasLiteral || Front.HasLiteral;
  Out = std::move(Joined);
}

void Reconstructor::addVar(const VarDecl *VD, SourceLocation UseLoc,
                           ReconstructedSql &Out, unsigned Depth, const Expr *Ref) {
  auto Key = std::make_pair(VD, UseLoc.getRawEncoding());
  if (!InProgress.insert(Key).second) {
    addUnknown(nullptr, Out);
    return;
  }
  const SourceManager &SM = Ctx.getSourceManager();
  const auto *Param = dyn_cast<ParmVarDecl>(VD);
  const Expr *Init = Param ? nullptr : VD->getAnyInitializer();
  SourceLocation InitLoc = VD->getLocation();
  bool Assigned = false;
  uint32_t Begin = static_cast<uint32_t>(Out.Text.size());
  llvm::SmallVector<const Mutation *, 8> Applied;
  auto It = Mutations.find(VD);
  if (It != Mutations.end()) {
    for (const Mutation &M : It->second)
      if (UseLoc.isInvalid() || SM.isBeforeInTranslationUnit(M.Loc, UseLoc))
        Applied.push_back(&M);
    // `if (a) sql = "..."; else sql = "...";`: the arms are variants.
    int K = reachingWrites(Applied, UseLoc);
    if (K >= 0) {
      Init = Applied[K]->Value;
      InitLoc = Applied[K]->Loc;
      Assigned = true;
      Applied.erase(Applied.begin(), Applied.begin() + K + 1);
    }
  }
  // Each value as it was where it was written: `sql = "SELECT * FROM (" +
  // sql + ") t"` reads the earlier sql.
  if (Param && !Assigned) {
    addParam(Param, Ref, Out, Depth + 1);
  } else if (!Assigned &&
             ((!Init && Applied.empty() && LoopElements && LoopElements->count(VD)) ||
              (Ref && VD->isCXXForRangeDecl()))) {
    // An element of a range-for: unknown, shown as its name (its implicit
    // initializer is written as the loop's `:`).
    addUnknown(Ref, Out);
  } else if (!Init && (Assigned || (VD->isInvalidDecl() &&
                                    addDroppedInitializer(VD, Out, Depth)))) {
    // Emptied (`sql.clear()`): what follows is the text; or the text is in
    // the tokens only.
  } else if (!Init && Applied.empty()) {
    // An uninitialised string object is empty; so is `QString where;` whose
    // class's header is missing (the unknown type is a class's).
    bool Object = VD->getType()->isRecordType() || (VD->isInvalidDecl() && [&] {
                    auto Written = writtenInitializer(VD, Ctx.getSourceManager(),
                                                      Ctx.getLangOpts());
                    return Written && Written->empty(); // `QString where;`
                  }());
    if (!Object || VD->hasExternalStorage())
      addUnknown(nullptr, Out);
  } else if (Init) {
    add(Init, InitLoc, Out, Depth + 1);
  }
  for (const Mutation *M : Applied) {
    if (M->K == Mutation::Replace) {
      // `replace_all(sql, "{{op}}", like ? "LIKE" : "=")`: the marker's
      // places take the text, each part mapped to where it is written.
      ReconstructedSql With;
      add(M->Value, M->Loc, With, Depth + 1);
      replaceIn(Out, Begin, M->Marker, With);
      continue;
    }
    if (M->K != Mutation::Prepend) {
      add(M->Value, M->Loc, Out, Depth + 1);
      continue;
    }
    // `term.prepend('%')`: the argument, then the text so far.
    ReconstructedSql Edited;
    add(M->Value, M->Loc, Edited, Depth + 1);
    prependTo(Out, Edited, Begin);
  }
  InProgress.erase(Key);
}

bool Reconstructor::addDroppedInitializer(const VarDecl *VD, ReconstructedSql &Out,
                                          unsigned Depth) {
  auto Written = writtenInitializer(VD, Ctx.getSourceManager(), Ctx.getLangOpts());
  if (!Written || Written->empty())
    return false;
  // `QString p = QLatin1String("%") + term;`, `QString p = term;`: each
  // operand as written.
  ReconstructedSql Value;
  if (!addWrittenOperands(*Written, dyn_cast<FunctionDecl>(VD->getDeclContext()), Value,
                          Depth))
    return false;
  Out.appendSlice(Value, 0, static_cast<uint32_t>(Value.Text.size()));
  Out.HasLiteral |= Value.HasLiteral;
  return true;
}

bool Reconstructor::addWrittenText(llvm::ArrayRef<Token> Toks, const FunctionDecl *F,
                                   ReconstructedSql &Out, unsigned Depth) {
  if (Depth > 16)
    return false;
  // An optional text wrapper's name and `(`, then the string tokens, then
  // the wrapper's `)` and `.arg(a).arg(b)`, which fill the template's `%N`
  // with their first arguments: a name of a variable of the function, or
  // text written the same way; any other value is a hole. Nothing else.
  // The wrapper may be qualified: `QString::fromLatin1(`.
  size_t Open = 0;
  while (Open + 2 < Toks.size() && Toks[Open].is(tok::raw_identifier) &&
         Toks[Open + 1].is(tok::coloncolon))
    Open += 2;
  bool Wrapped = Open + 1 < Toks.size() && Toks[Open].is(tok::raw_identifier) &&
                 Toks[Open + 1].is(tok::l_paren) &&
                 Rules.buildsText(Toks[Open].getRawIdentifier());
  size_t I = Wrapped ? Open + 2 : 0;
  size_t Begin = I;
  while (I < Toks.size() && tok::isStringLiteral(Toks[I].getKind()))
    ++I;
  if (I == Begin) {
    // `QString('%' + term)`, `QVariant(QStringLiteral("%%1%").arg(t))`: a
    // wrapper around a whole value.
    if (!Wrapped || !Toks.back().is(tok::r_paren) ||
        closingBracket(Toks, Open + 1) != Toks.size() - 1)
      return false;
    ReconstructedSql Inner;
    addWrittenOperands(Toks.slice(Open + 2, Toks.size() - Open - 3), F, Inner,
                       Depth + 1);
    if (!Inner.HasLiteral)
      return false;
    Out.appendSlice(Inner, 0, static_cast<uint32_t>(Inner.Text.size()));
    Out.HasLiteral = true;
    return true;
  }
  size_t After = I;
  if (Wrapped && (After >= Toks.size() || !Toks[After++].is(tok::r_paren)))
    return false;
  llvm::SmallVector<llvm::ArrayRef<Token>, 4> Args;
  while (After + 2 < Toks.size() && Toks[After].is(tok::period) &&
         Toks[After + 1].is(tok::raw_identifier) && Toks[After + 2].is(tok::l_paren) &&
         Rules.isStringCall(StringCall::ArgTemplate, "",
                            Toks[After + 1].getRawIdentifier())) {
    llvm::SmallVector<size_t, 4> Commas;
    size_t J = closingBracket(Toks, After + 2, &Commas);
    if (J >= Toks.size())
      return false;
    // `arg(a, b)` of texts fills as many markers; a number or a character
    // after the first is a field width or a fill (`arg(n, 2)`).
    llvm::SmallVector<llvm::ArrayRef<Token>, 4> Values;
    size_t ArgBegin = After + 3;
    Commas.push_back(J);
    for (size_t Comma : Commas) {
      Values.push_back(Toks.slice(ArgBegin, Comma - ArgBegin));
      ArgBegin = Comma + 1;
    }
    bool Texts = llvm::all_of(llvm::ArrayRef(Values).drop_front(), [](auto V) {
      return !V.empty() && llvm::none_of(V, [](const Token &T) {
        return T.isOneOf(tok::numeric_constant, tok::char_constant);
      });
    });
    Args.append(Values.begin(), Texts ? Values.end() : Values.begin() + 1);
    After = J + 1;
  }
  if (After != Toks.size())
    return false;
  llvm::ArrayRef<Token> Run = Toks.slice(Begin, I - Begin);
  ReconstructedSql Text;
  if (!appendRawLiterals(Run, Ctx, Text))
    return false;
  for (const Token &Tok : Run)
    UsedRaw.insert(Tok.getLocation().getRawEncoding());
  if (Args.empty()) {
    Out.appendSlice(Text, 0, static_cast<uint32_t>(Text.Text.size()));
    Out.HasLiteral = true;
    return true;
  }
  // Each arg() fills the lowest-numbered marker left (addTemplate).
  llvm::StringRef T = Text.Text;
  std::vector<unsigned> Numbers;
  for (uint32_t K = 0; K < T.size(); ++K) {
    uint32_t Len = 0;
    if (T[K] == '%')
      if (unsigned N = qtMarkerAt(T, K, Len))
        Numbers.push_back(N);
  }
  llvm::sort(Numbers);
  Numbers.erase(std::unique(Numbers.begin(), Numbers.end()), Numbers.end());
  const SourceManager &SM = Ctx.getSourceManager();
  uint32_t Copied = 0;
  for (uint32_t K = 0; K < T.size(); ++K) {
    uint32_t Len = 0;
    unsigned N = T[K] == '%' ? qtMarkerAt(T, K, Len) : 0;
    if (!N)
      continue;
    Out.appendSlice(Text, Copied, K);
    size_t Index = llvm::lower_bound(Numbers, N) - Numbers.begin();
    bool Known = false;
    size_t FirstPiece = Out.Pieces.size();
    if (Index < Args.size()) {
      llvm::ArrayRef<Token> A = Args[Index];
      if (A.size() == 1 && A[0].is(tok::raw_identifier)) {
        if (const VarDecl *V =
                localNamedBefore(F, A[0].getRawIdentifier(), A[0].getLocation(), SM)) {
          addVar(V, A[0].getLocation(), Out, Depth + 1);
          Known = true;
        }
      } else if (A.size() == 1 && A[0].is(tok::numeric_constant)) {
        appendWrittenToken(A[0], Out); // `.arg(0)`: `OFFSET 0`.
        Known = true;
      } else {
        Known = addWrittenText(A, F, Out, Depth + 1);
      }
    }
    if (!Known)
      appendPlaceholder(Out, nullptr, NextParam);
    if (Index < Args.size())
      showAsWritten(Out, FirstPiece, Args[Index], Ctx);
    Copied = K + Len;
    K += Len - 1;
  }
  Out.appendSlice(Text, Copied, static_cast<uint32_t>(T.size()));
  Out.HasLiteral = true;
  return true;
}

ReconstructedSql Reconstructor::build(const Expr *E, SourceLocation UseLoc) {
  ReconstructedSql Out;
  Budget = 0;
  NextParam = 1; // Each text numbers its own holes.
  add(E, UseLoc, Out, 0);
  return Out;
}

ReconstructedSql Reconstructor::buildAll(llvm::ArrayRef<const Expr *> Parts,
                                         SourceLocation UseLoc) {
  ReconstructedSql Out;
  Budget = 0;
  NextParam = 1; // Each text numbers its own holes.
  for (const Expr *E : Parts)
    add(E, UseLoc, Out, 0);
  return Out;
}

ReconstructedSql Reconstructor::buildWritten(llvm::ArrayRef<Token> Toks,
                                             const FunctionDecl *F) {
  ReconstructedSql Out;
  Budget = 0;
  NextParam = 1; // Each text numbers its own holes.
  if (!addWrittenText(Toks, F, Out, 0))
    return {};
  return Out;
}

ReconstructedSql Reconstructor::buildVar(const VarDecl *VD, SourceLocation UseLoc) {
  ReconstructedSql Out;
  Budget = 0;
  NextParam = 1; // Each text numbers its own holes.
  addVar(VD, UseLoc, Out, 0);
  return Out;
}

void Reconstructor::explorePlans(llvm::function_ref<bool()> Build, unsigned Max) {
  Plan.clear();
  Met.clear();
  Build();
  if (Met.empty() || Max == 0) {
    Met.clear();
    return;
  }
  using PlanList = std::vector<std::pair<const void *, unsigned>>;
  std::vector<std::pair<const void *, unsigned>> BaseMet = Met;
  llvm::DenseSet<const void *> InBase;
  for (const auto &M : BaseMet)
    InBase.insert(M.first);
  std::deque<PlanList> Queue;
  auto Expand = [&](const PlanList &From, bool Base) {
    for (const auto &Entry : Met) {
      const void *Key = Entry.first;
      unsigned Options = Entry.second;
      if ((!Base && InBase.count(Key)) ||
          llvm::any_of(From, [&](const auto &P) { return P.first == Key; }))
        continue;
      for (unsigned O = 1; O < Options; ++O) {
        PlanList Next = From;
        Next.push_back({Key, O});
        Queue.push_back(std::move(Next));
      }
    }
  };
  Expand({}, true);
  bool SavedRecord = RecordUse;
  RecordUse = false;
  unsigned Builds = 0, Kept = 0;
  while (!Queue.empty() && Kept < Max && Builds++ < 4 * Max + 16) {
    PlanList P = std::move(Queue.front());
    Queue.pop_front();
    Plan.clear();
    for (const auto &[Key, Option] : P)
      Plan[Key] = Option;
    Met.clear();
    bool New = Build();
    if (P.size() < 4)
      Expand(P, false);
    Kept += New;
  }
  RecordUse = SavedRecord;
  Plan.clear();
  Met.clear();
}

std::vector<ReconstructedSql>
Reconstructor::buildVariants(llvm::ArrayRef<const Expr *> Parts, const VarDecl *Var,
                             SourceLocation UseLoc, unsigned Max) {
  std::vector<ReconstructedSql> Out;
  std::set<std::string> Texts;
  explorePlans(
      [&] {
        ReconstructedSql R = Var ? buildVar(Var, UseLoc) : buildAll(Parts, UseLoc);
        // The default plan's text is kept whatever it holds.
        if ((Out.empty() || R.HasLiteral) && Texts.insert(R.Text).second) {
          Out.push_back(std::move(R));
          return true;
        }
        return false;
      },
      Max);
  return Out;
}

/// \p V, the rebuilt value of a bound expression, as an SQL literal.
static std::optional<std::string> asSqlLiteral(const ReconstructedSql &V) {
  if (!V.HasLiteral) {
    // A constant number has no literal piece but known digits.
    if (V.Holes.empty() && !V.Text.empty() &&
        llvm::all_of(V.Text, [](char C) { return llvm::isDigit(C) || C == '-'; }))
      return V.Text;
    return std::nullopt;
  }
  std::string Out = "'";
  for (char C : V.Text) {
    Out += C;
    if (C == '\'')
      Out += '\'';
  }
  return Out + "'";
}

std::vector<std::optional<std::string>>
Reconstructor::writtenValues(llvm::ArrayRef<Token> Toks, const FunctionDecl *F,
                             unsigned Max) {
  return distinctValues(
      [&]() -> std::optional<std::string> {
        ReconstructedSql V;
        if (!addWrittenOperands(Toks, F, V, 0))
          return std::nullopt;
        return asSqlLiteral(V);
      },
      Max);
}

/// A data member's value: one of those the class's methods assign it
/// (variants), its in-class initializer among them; written otherwise, or
/// being expanded already, unknown. False when nothing is known of it.
bool Reconstructor::addField(const FieldDecl *FD, const Expr *E, SourceLocation UseLoc,
                             ReconstructedSql &Out, unsigned Depth) {
  const Expr *InClass =
      FD->hasInClassInitializer() ? FD->getInClassInitializer() : nullptr;
  auto Writes = Fields ? Fields->find(FD) : FieldWriteMap::const_iterator();
  if (Fields && Writes != Fields->end() && !ExpandingFields.count(FD)) {
    if (Writes->second.empty()) {
      addUnknown(E, Out);
      return true;
    }
    llvm::SmallVector<const Expr *, 8> Options;
    if (InClass)
      Options.push_back(InClass);
    for (const Expr *W : Writes->second)
      if (Options.size() < 16)
        Options.push_back(W);
    unsigned K =
        Options.size() > 1 ? choose(FD, static_cast<unsigned>(Options.size())) : 0;
    ExpandingFields.insert(FD);
    add(Options[K], SourceLocation(), Out, Depth + 1);
    ExpandingFields.erase(FD);
    return true;
  }
  if (InClass) {
    add(InClass, UseLoc, Out, Depth + 1);
    return true;
  }
  auto Written =
      WrittenFields ? WrittenFields->find(FD) : WrittenFieldMap::const_iterator();
  if (!WrittenFields || Written == WrittenFields->end() || ExpandingFields.count(FD))
    return false;
  const WrittenField &W = Written->second;
  if (W.Otherwise || W.Writes.empty()) {
    addUnknown(E, Out);
    return true;
  }
  unsigned K =
      W.Writes.size() > 1
          ? choose(FD, static_cast<unsigned>(std::min<size_t>(W.Writes.size(), 16)))
          : 0;
  ExpandingFields.insert(FD);
  if (!addWrittenOperands(W.Writes[K].first, W.Writes[K].second, Out, Depth + 1))
    addUnknown(E, Out);
  ExpandingFields.erase(FD);
  return true;
}

/// For tokens written `c ? a : b` (at the top level): the index of `a`'s
/// first token and of the `:`.
static std::optional<std::pair<size_t, size_t>>
conditionalArms(llvm::ArrayRef<Token> Toks) {
  int Nesting = 0;
  size_t Question = 0;
  unsigned Open = 0; // `?`s still waiting for their `:`.
  for (size_t I = 0; I < Toks.size(); ++I) {
    if (Toks[I].isOneOf(tok::l_paren, tok::l_square, tok::l_brace))
      ++Nesting;
    else if (Toks[I].isOneOf(tok::r_paren, tok::r_square, tok::r_brace))
      --Nesting;
    else if (Nesting == 0 && Toks[I].is(tok::question) && Open++ == 0)
      Question = I;
    else if (Nesting == 0 && Toks[I].is(tok::colon) && Open && --Open == 0)
      return Question > 0 && I > Question + 1 && I + 1 < Toks.size()
                 ? std::optional(std::make_pair(Question + 1, I))
                 : std::nullopt;
  }
  return std::nullopt;
}

bool Reconstructor::addWrittenOperands(llvm::ArrayRef<Token> Toks,
                                       const FunctionDecl *F, ReconstructedSql &V,
                                       unsigned Depth) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (Depth > 16)
    return false;
  // `empty ? "" : "WHERE name LIKE :f"`: each arm in turn (variants), the
  // first by default, as a conditional Clang kept is read.
  if (auto Arms = conditionalArms(Toks)) {
    // The key of the choice: the `?`'s location, made odd so that it is
    // never the address of a node another choice is keyed by.
    const auto *Key = llvm::bit_cast<const void *>(
        (static_cast<uintptr_t>(Toks[Arms->first - 1].getLocation().getRawEncoding())
         << 1) |
        1);
    llvm::ArrayRef<Token> Arm =
        choose(Key, 2) ? Toks.drop_front(Arms->second + 1)
                       : Toks.slice(Arms->first, Arms->second - Arms->first);
    return addWrittenOperands(Arm, F, V, Depth + 1);
  }
  // `("a" + b)`: what the parentheses hold.
  if (Toks.size() > 2 && Toks.front().is(tok::l_paren) &&
      closingBracket(Toks, 0) == Toks.size() - 1)
    return addWrittenOperands(Toks.slice(1, Toks.size() - 2), F, V, Depth + 1);
  // The operands: top-level `+` splits them.
  llvm::SmallVector<llvm::ArrayRef<Token>, 4> Operands;
  int Nesting = 0;
  size_t Begin = 0;
  for (size_t I = 0; I <= Toks.size(); ++I) {
    if (I == Toks.size() || (Nesting == 0 && Toks[I].is(tok::plus))) {
      Operands.push_back(Toks.slice(Begin, I - Begin));
      Begin = I + 1;
    } else if (Toks[I].isOneOf(tok::l_paren, tok::l_square, tok::l_brace)) {
      ++Nesting;
    } else if (Toks[I].isOneOf(tok::r_paren, tok::r_square, tok::r_brace)) {
      --Nesting;
    }
  }
  for (llvm::ArrayRef<Token> Op : Operands) {
    if (Op.empty())
      return false;
    // `'%'`, or a character wrapped: `QLatin1Char('%')`, `QChar('%')`.
    llvm::ArrayRef<Token> Char = Op;
    if (Op.size() == 4 && Op[0].is(tok::raw_identifier) && Op[1].is(tok::l_paren) &&
        Op[3].is(tok::r_paren))
      Char = Op.slice(2, 1);
    if (Char.size() == 1 && Char[0].is(tok::char_constant)) {
      llvm::StringRef Spelled(SM.getCharacterData(Char[0].getLocation()),
                              Char[0].getLength());
      if (Spelled.size() == 3 && Spelled[1] != '\\') {
        V.Text += Spelled[1];
        V.HasLiteral = true;
        continue;
      }
    }
    if (addWrittenText(Op, F, V, Depth + 1))
      continue;
    if (Op.size() > 2 && Op.front().is(tok::l_paren) &&
        closingBracket(Op, 0) == Op.size() - 1 &&
        addWrittenOperands(Op, F, V, Depth + 1))
      continue;
    size_t FirstPiece = V.Pieces.size();
    const VarDecl *Var =
        Op.size() == 1 && Op[0].is(tok::raw_identifier)
            ? localNamedBefore(F, Op[0].getRawIdentifier(), Op[0].getLocation(), SM)
            : nullptr;
    const FieldDecl *FD = Var ? nullptr : writtenMember(Op, F);
    if (Var)
      addVar(Var, Op[0].getLocation(), V, Depth + 1);
    // `m_pattern` or `this->m_pattern` in a method: the class's member.
    else if (!FD || !addField(FD, nullptr, Op[0].getLocation(), V, Depth))
      appendPlaceholder(V, nullptr, NextParam);
    showAsWritten(V, FirstPiece, Op, Ctx);
  }
  return true;
}

std::vector<std::optional<std::string>>
Reconstructor::literalValues(const Expr *E, SourceLocation UseLoc, unsigned Max) {
  return distinctValues(
      [&] {
        ReconstructedSql V;
        addValue(E, UseLoc, V, 0);
        return asSqlLiteral(V);
      },
      Max);
}

std::vector<std::optional<std::string>>
Reconstructor::distinctValues(llvm::function_ref<std::optional<std::string>()> Build,
                              unsigned Max) {
  std::vector<std::optional<std::string>> Out;
  explorePlans(
      [&] {
        Budget = 0;
        NextParam = 1;
        std::optional<std::string> Text = Build();
        if (!Out.empty() && (!Text || llvm::is_contained(Out, Text)))
          return false;
        Out.push_back(std::move(Text));
        return Out.size() > 1;
      },
      Max);
  return Out;
}

} // namespace stresslint
