//===--- GraphBuilder.cpp - A translation unit's call-graph summary
//--------===//
#include "graph/GraphBuilder.h"
#include "graph/Builder.h"

#include "clang/AST/Attr.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <tuple>

using namespace clang;

namespace stresslint::graph {

/// Strips what stands between an argument as written and the callable or
/// string it carries: conversions, temporaries, `std::function` and
/// `QString` constructions from one argument, `&f`.
const Expr *stripWrappers(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 64; ++Guard) {
    const Expr *Next = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = B->getSubExpr();
    else if (const auto *C = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = C->getSubExpr();
    else if (const auto *C = dyn_cast<CXXConstructExpr>(Next);
             C && C->getNumArgs() >= 1 &&
             (C->getNumArgs() == 1 || isa<CXXDefaultArgExpr>(C->getArg(1))))
      Next = C->getArg(0);
    else if (const auto *U = dyn_cast<UnaryOperator>(Next);
             U && U->getOpcode() == UO_AddrOf)
      Next = U->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

/// The text an unresolved text-building call carries: the argument of
/// `QStringLiteral("...")`, the object of `QString(...).arg(x)`; else null.
const Expr *builtTextOf(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  auto Named = [](const Expr *Callee) {
    Callee = Callee->IgnoreParenImpCasts();
    if (const auto *L = dyn_cast<UnresolvedLookupExpr>(Callee))
      return L->getName().isIdentifier() &&
             isTextBuilder(L->getName().getAsIdentifierInfo()->getName());
    if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(Callee))
      return M->getMember().isIdentifier() &&
             isTextBuilder(M->getMember().getAsIdentifierInfo()->getName());
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

/// A type as written, reduced to the class it names: `const acme::Db &` ->
/// `acme::Db`, `std::shared_ptr<Repo>` -> `Repo`, `Rows<int>` -> `Rows`;
/// empty for `auto` and anything that is not a plain name.
std::string classOfTypeText(llvm::StringRef T) {
  for (unsigned Guard = 0; Guard < 4; ++Guard) {
    T = T.trim();
    for (bool Again = true; Again;) {
      Again = false;
      for (llvm::StringRef Q : {"const ", "volatile ", "struct ", "class ",
                                "typename "})
        if (T.consume_front(Q)) {
          T = T.ltrim();
          Again = true;
        }
    }
    T = T.rtrim(" &*");
    if (T.consume_back(" const"))
      T = T.rtrim(" &*");
    size_t Lt = T.find('<');
    if (Lt == llvm::StringRef::npos)
      break;
    llvm::StringRef Head = T.take_front(Lt).trim();
    llvm::StringRef Tail = T.drop_front(Lt + 1);
    bool Pointer = false;
    for (llvm::StringRef P : {"shared_ptr", "unique_ptr", "weak_ptr",
                              "QSharedPointer", "QScopedPointer", "QPointer",
                              "reference_wrapper"})
      Pointer |= Head.endswith(P);
    if (!Pointer) {
      T = Head;
      break;
    }
    // The pointee: the first template argument.
    int Depth = 0;
    size_t End = 0;
    for (; End < Tail.size(); ++End) {
      char C = Tail[End];
      if (C == '<')
        ++Depth;
      else if ((C == '>' || C == ',') && Depth == 0)
        break;
      else if (C == '>')
        --Depth;
    }
    T = Tail.take_front(End);
  }
  T.consume_front("::");
  if (T.empty() || T == "auto" ||
      T.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                          "0123456789_:") != llvm::StringRef::npos)
    return "";
  return T.str();
}

/// A class or namespace as the rules spell it (`acme::Db`) matches one as
/// written (`Db`, `acme::Db`) when one ends with the other at a `::`.
bool scopeMatches(llvm::StringRef Known, llvm::StringRef Written) {
  if (Known.empty() || Written.empty())
    return false;
  return Known == Written || Known.endswith(("::" + Written).str()) ||
         Written.endswith(("::" + Known).str());
}

namespace {

/// `"/items/list"`, `"/api/v1/x/:id"`, `"/json.htm"`: a route, not a path on
/// disk (`"/tmp/file.txt"`, `"/usr/bin"`) nor a URL.
bool isRouteLike(llvm::StringRef S) {
  if (!S.startswith("/") || S.startswith("//") || S.size() > 256 ||
      S.find_first_of(" \t\n\r\"'\\") != llvm::StringRef::npos)
    return false;
  llvm::StringRef First = S.drop_front().split('/').first;
  for (llvm::StringRef Root :
       {"tmp", "usr", "etc", "var", "dev", "proc", "sys", "home", "opt", "bin",
        "sbin", "lib", "lib64", "root", "mnt", "run", "srv", "boot", "media",
        "Users", "Library", "System", "Volumes", "Applications"})
    if (First == Root)
      return false;
  llvm::StringRef Last = S.rsplit('/').second;
  size_t Dot = Last.rfind('.');
  if (Dot == llvm::StringRef::npos)
    return true;
  std::string Ext = Last.drop_front(Dot + 1).lower();
  for (llvm::StringRef File :
       {"txt", "log", "conf", "cfg", "ini", "so", "dll", "dylib", "db",
        "sqlite", "sqlite3", "pid", "lock", "sock", "dat", "bak", "tmp", "csv",
        "gz", "zip", "tar", "tgz", "pem", "key", "crt", "yaml", "yml", "toml",
        "sh", "service"})
    if (Ext == File)
      return false;
  return true;
}

/// `"createItem"`, `"get_devices"`: an endpoint's name.
bool isEndpointName(llvm::StringRef S) {
  if (S.size() < 2 || S.size() > 64 || !(llvm::isAlpha(S[0]) || S[0] == '_'))
    return false;
  return llvm::all_of(S, [](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '-' || C == '.' || C == ':';
  });
}

/// Lower-case name mentions retry/attempt: the loop retries one operation.
bool isRetryName(llvm::StringRef Name) {
  std::string L = Name.lower();
  return llvm::StringRef(L).contains("retr") ||
         llvm::StringRef(L).contains("attempt") ||
         llvm::StringRef(L).contains("tries");
}

/// Finds, below a loop body, what makes the loop a retry: a `try` whose
/// block leaves the loop on success, or a counter named like one. A
/// `break` that ends a `switch` case leaves the switch, not the loop.
class RetryFinder : public RecursiveASTVisitor<RetryFinder> {
public:
  bool Found = false;
  unsigned TryDepth = 0;
  unsigned SwitchDepth = 0;
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool TraverseForStmt(ForStmt *) { return true; }
  bool TraverseWhileStmt(WhileStmt *) { return true; }
  bool TraverseDoStmt(DoStmt *) { return true; }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt *) { return true; }
  bool TraverseSwitchStmt(SwitchStmt *S) {
    ++SwitchDepth;
    TraverseStmt(S->getBody());
    --SwitchDepth;
    return true;
  }
  bool TraverseCXXTryStmt(CXXTryStmt *S) {
    ++TryDepth;
    TraverseStmt(S->getTryBlock());
    --TryDepth;
    for (unsigned I = 0; I < S->getNumHandlers(); ++I)
      TraverseStmt(S->getHandler(I));
    return true;
  }
  bool VisitBreakStmt(BreakStmt *) {
    Found |= TryDepth > 0 && SwitchDepth == 0;
    return true;
  }
  bool VisitReturnStmt(ReturnStmt *) {
    Found |= TryDepth > 0;
    return true;
  }
};

bool mentionsRetryCounter(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return DRE->getDecl()->getIdentifier() &&
           isRetryName(DRE->getDecl()->getName());
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (ME->getMemberDecl()->getIdentifier() &&
        isRetryName(ME->getMemberDecl()->getName()))
      return true;
  for (const Stmt *C : S->children())
    if (mentionsRetryCounter(C))
      return true;
  return false;
}

/// `while (true)`, `for (;;)`, `while (!stop_)`, `while (running.load())`:
/// the loop runs until told to stop, not once per element.
bool isEventLoopCondition(const Expr *Cond, ASTContext &Ctx) {
  if (!Cond)
    return true;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(Cond);
      U && U->getOpcode() == UO_LNot)
    Cond = U->getSubExpr()->IgnoreParenImpCasts();
  bool Value;
  if (!Cond->isValueDependent() && Cond->EvaluateAsBooleanCondition(Value, Ctx))
    return Value;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const CXXRecordDecl *RD = MC->getRecordDecl();
    // std::atomic<bool>::load() / operator bool()
    if (M && RD && RD->getIdentifier() && RD->getName() == "atomic")
      return true;
    if (isa_and_nonnull<CXXConversionDecl>(M))
      Cond = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
    else
      return false;
  }
  if (isa<DeclRefExpr, MemberExpr>(Cond)) {
    QualType T = Cond->getType().getNonReferenceType();
    if (T->isBooleanType())
      return true;
    if (const auto *RD = T->getAsCXXRecordDecl())
      return RD->getIdentifier() && RD->getName() == "atomic";
  }
  return false;
}

/// The calls a loop repeats until their result says stop: in its body,
/// `v = call(...)` for a variable `v` its condition tests
/// (`do { id = insert(sql); } while (!id)`). Each run is a retry, or the
/// next batch of one query, not one query per item.
class RepeatedCalls : public RecursiveASTVisitor<RepeatedCalls> {
public:
  RepeatedCalls(const Expr *Cond, const Stmt *Body) {
    collectVars(Cond);
    if (!Vars.empty())
      TraverseStmt(const_cast<Stmt *>(Body));
  }
  llvm::SmallPtrSet<const Expr *, 4> Calls;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->getOpcode() == BO_Assign)
      note(B->getLHS(), B->getRHS());
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    if (C->getOperator() == OO_Equal && C->getNumArgs() == 2)
      note(C->getArg(0), C->getArg(1));
    return true;
  }

private:
  /// Local variables and members of `this` the condition reads.
  llvm::SmallPtrSet<const ValueDecl *, 4> Vars;

  static const ValueDecl *variable(const Expr *E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        return dyn_cast<FieldDecl>(ME->getMemberDecl());
    return nullptr;
  }

  void collectVars(const Stmt *S) {
    if (!S)
      return;
    if (const auto *E = dyn_cast<Expr>(S))
      if (const ValueDecl *D = variable(E))
        Vars.insert(D);
    for (const Stmt *Child : S->children())
      collectVars(Child);
  }

  void note(const Expr *LHS, const Expr *RHS) {
    const ValueDecl *D = variable(LHS);
    if (!D || !Vars.count(D))
      return;
    const Expr *R = RHS->IgnoreImplicit()->IgnoreParens();
    if (const auto *Cons = dyn_cast<CXXConstructExpr>(R);
        Cons && Cons->getNumArgs() == 1)
      R = Cons->getArg(0)->IgnoreImplicit()->IgnoreParens();
    if (isa<CallExpr>(R) && !isa<CXXOperatorCallExpr>(R))
      Calls.insert(R);
  }
};

} // namespace

Builder::Builder(ASTContext &Ctx, const RuleSet &Rules, const SqlSites &Sites)
    : Ctx(Ctx), SM(Ctx.getSourceManager()), Rules(Rules) {
  // The methods of a declared query class that prepare, and those that
  // run what it prepared: the `sql-arg: none` sinks of a class that also
  // prepares. In lower case: a project's subclass may spell them `Exec`.
  llvm::StringSet<> PreparingClasses;
  for (const Sink &K : Rules.sinks())
    if (auto [Class, Method] = methodOf(K); !Method.empty() && K.Prepares) {
      PreparingMethods.insert(Method.lower());
      PreparingClasses.insert(Class);
    }
  for (const Sink &K : Rules.sinks())
    if (auto [Class, Method] = methodOf(K);
        !Method.empty() && K.SqlArg == Sink::NoSqlArg &&
        PreparingClasses.count(Class))
      RunningMethods.insert(Method.lower());
  for (const SqlSite &S : Sites.Sites) {
    if (S.FromSink)
      SinkSites[S.Anchor] = &S;
    else if (S.Anchor) {
      FreeRoots[ignoreStringWrappers(S.Anchor)] = &S;
      if (S.Var)
        FreeVars[S.Var] = &S;
    } else if (!S.Sql.Pieces.empty() &&
               S.Sql.Pieces.front().RawLoc.isValid() &&
               SM.isInMainFile(S.Sql.Pieces.front().RawLoc)) {
      DroppedSite D{&S, SM.getFileOffset(S.Sql.Pieces.front().RawLoc), 0,
                    ""};
      D.Shape = droppedShape(S, D.Name);
      if (D.Shape)
        Dropped.push_back(std::move(D));
    }
  }
  for (const SqlSite &V : Sites.Variants)
    VariantsOf[V.Anchor].push_back(&V);
  for (const OpaqueSink &O : Sites.Opaque)
    // `QSqlQuery q(db)`: a query object built without SQL runs nothing.
    if (!isa<CXXConstructExpr>(O.Call) || hasTextArgument(O.Call))
      OpaqueSinks[O.Call] = &O;
}

TUSummary Builder::finish() {
  Out.MainFile = fileName(SM.getMainFileID());
  return std::move(Out);
}

bool Builder::TraverseDecl(Decl *D) {
  if (!D)
    return true;
  SourceLocation Loc = D->getLocation();
  if (Loc.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(Loc)))
    return true;
  auto *FD = dyn_cast<FunctionDecl>(D);
  if (!FD || !FD->doesThisDeclarationHaveABody())
    return Base::TraverseDecl(D);
  size_t Index = beginFunction(FD, functionId(FD), qualifiedName(FD));
  recogniseEntry(FD, Out.Functions[Index].Id);
  noteBody(FD->getBody(), Index);
  pushFunction(Index, FD);
  bool R = Base::TraverseDecl(D);
  Stack.pop_back();
  Out.Functions[Index].Once = onceGuard(FD);
  return R;
}

bool Builder::TraverseLambdaExpr(LambdaExpr *L) {
  CXXMethodDecl *Op = L->getCallOperator();
  std::string Enclosing = Stack.empty()
                              ? std::string()
                              : Out.Functions[Stack.back().Function].Name;
  size_t Index = beginFunction(
      Op, functionId(Op),
      "lambda" + (Enclosing.empty() ? std::string() : " in " + Enclosing));
  noteBody(L->getBody(), Index);
  pushFunction(Index, Op);
  bool R = Base::TraverseLambdaExpr(L);
  Stack.pop_back();
  return R;
}

bool Builder::TraverseForStmt(ForStmt *S) {
  TraverseStmt(S->getInit());
  TraverseStmt(S->getCond());
  TraverseStmt(S->getInc());
  LoopBound Bound = forBound(S, Ctx);
  LoopInfo L{range(S->getForLoc(), S->getForLoc()), "for", Bound.TripCount,
             Bound.NotPerItem};
  L.FixedList = Bound.FixedList;
  if (isEventLoopCondition(S->getCond(), Ctx))
    L.NotPerItem = "loop runs until stopped";
  if (mentionsRetryCounter(S->getCond()) ||
      mentionsRetryCounter(S->getInit()))
    L.NotPerItem = "retry loop";
  return inLoop(std::move(L), S->getBody());
}

bool Builder::TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
  TraverseStmt(S->getInit());
  TraverseStmt(S->getRangeInit());
  LoopBound Bound = rangeForBound(S, Ctx);
  LoopInfo L{range(S->getForLoc(), S->getForLoc()), "range-for",
             Bound.TripCount, Bound.NotPerItem};
  L.FixedList = Bound.FixedList;
  return inLoop(std::move(L), S->getBody());
}

bool Builder::TraverseSwitchStmt(SwitchStmt *S) {
  if (Stack.empty())
    return Base::TraverseSwitchStmt(S);
  Stack.back().BreakTargets.push_back('S');
  bool R = Base::TraverseSwitchStmt(S);
  Stack.back().BreakTargets.pop_back();
  return R;
}

bool Builder::TraverseCompoundStmt(CompoundStmt *S) {
  if (Stack.empty() || Stack.back().Loops.empty() || S->body_empty())
    return Base::TraverseCompoundStmt(S);
  const Stmt *Last = S->body_back();
  const auto *LastExpr = dyn_cast<Expr>(Last);
  bool LeavesFunction =
      isa<ReturnStmt>(Last) ||
      (LastExpr && isa<CXXThrowExpr>(LastExpr->IgnoreImplicit()));
  bool LeavesLoop = isa<BreakStmt>(Last) && !Stack.back().BreakTargets.empty() &&
                    Stack.back().BreakTargets.back() == 'L';
  if (!LeavesFunction && !LeavesLoop)
    return Base::TraverseCompoundStmt(S);
  std::vector<int> Saved = Stack.back().Loops;
  if (LeavesFunction)
    Stack.back().Loops.clear();
  else
    Stack.back().Loops.pop_back();
  bool R = Base::TraverseCompoundStmt(S);
  Stack.back().Loops = std::move(Saved);
  return R;
}

bool Builder::TraverseIfStmt(IfStmt *S) {
  if (!isRecoveredLoop(*S, SM, Ctx.getLangOpts()))
    return Base::TraverseIfStmt(S);
  TraverseStmt(S->getInit());
  TraverseStmt(S->getCond());
  SourceLocation For = SM.getExpansionLoc(S->getIfLoc());
  return inLoop(LoopInfo{range(For, For), "range-for", -1, ""}, S->getThen());
}

bool Builder::TraverseWhileStmt(WhileStmt *S) {
  TraverseStmt(S->getCond());
  LoopInfo L{range(S->getWhileLoc(), S->getWhileLoc()), "while", -1, ""};
  if (isEventLoopCondition(S->getCond(), Ctx))
    L.NotPerItem = "loop runs until stopped";
  if (mentionsRetryCounter(S->getCond()))
    L.NotPerItem = "retry loop";
  if (const Recognizer *R = requestLoopCall(S->getCond()))
    return requestLoop(std::move(L), S->getBody(), *R);
  noteRepeatedCalls(S->getCond(), S->getBody());
  return inLoop(std::move(L), S->getBody());
}

void Builder::noteRepeatedCalls(const Expr *Cond, const Stmt *Body) {
  if (Stack.empty())
    return;
  int Next = static_cast<int>(Out.Functions[Stack.back().Function].Loops.size());
  for (const Expr *C : RepeatedCalls(Cond, Body).Calls)
    Stack.back().Repeated[C] = Next;
}

bool Builder::TraverseDoStmt(DoStmt *S) {
  LoopInfo L{range(S->getDoLoc(), S->getDoLoc()), "do", -1, ""};
  if (isEventLoopCondition(S->getCond(), Ctx))
    L.NotPerItem = "loop runs until stopped";
  if (mentionsRetryCounter(S->getCond()))
    L.NotPerItem = "retry loop";
  noteRepeatedCalls(S->getCond(), S->getBody());
  bool R = inLoop(std::move(L), S->getBody());
  TraverseStmt(S->getCond());
  return R;
}

bool Builder::VisitCallExpr(CallExpr *C) {
  if (Stack.empty() || TaskCalls.count(C))
    return true;
  const FunctionDecl *FD = C->getDirectCallee();
  llvm::SmallVector<const Expr *, 8> Args(C->arg_begin(), C->arg_end());
  const CXXRecordDecl *Object = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    Object = MC->getRecordDecl();
  SourceLocation At = C->getExprLoc();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C))
    At = Op->getOperatorLoc();
  bool Virtual = false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    if (const auto *ME =
            dyn_cast<MemberExpr>(MC->getCallee()->IgnoreParens()))
      Virtual = !ME->hasQualifier() && MC->getMethodDecl() &&
                MC->getMethodDecl()->isVirtual();
  FunctionSummary &F = Out.Functions[Stack.back().Function];
  size_t EventsBefore = F.Events.size(), LoopsBefore = F.Loops.size();
  if (!FD && !isa<CXXOperatorCallExpr>(C))
    if (std::optional<Unresolved> U = unresolvedCallee(C->getCallee())) {
      onCall(C, nullptr, Args, nullptr,
             U->NameLoc.isValid() ? U->NameLoc : C->getBeginLoc(), false,
             &*U);
      return true;
    }
  onCall(C, FD, Args, Object, At, Virtual);
  FunctionSummary &After = Out.Functions[Stack.back().Function];
  // A per-element algorithm's loop sits inside the loops around the call.
  for (size_t I = LoopsBefore; I < After.Loops.size(); ++I)
    if (After.Loops[I].Parent < 0)
      After.Loops[I].Parent = currentLoop();
  linkPrepared(C, EventsBefore);
  // A call its loop repeats until the result says stop runs once per run
  // of the loop around that loop.
  if (auto Rep = Stack.back().Repeated.find(C);
      Rep != Stack.back().Repeated.end()) {
    FunctionSummary &Now = Out.Functions[Stack.back().Function];
    for (size_t I = EventsBefore; I < Now.Events.size(); ++I)
      if (Now.Events[I].InLoop == Rep->second)
        Now.Events[I].InLoop = Now.Loops[Rep->second].Parent;
  }
  return true;
}

bool Builder::VisitRecoveryExpr(RecoveryExpr *RE) {
  if (Stack.empty() || RE->subExpressions().empty())
    return true;
  const Expr *Callee = RE->subExpressions().front();
  std::optional<Token> Next = Lexer::findNextToken(
      SM.getFileLoc(Callee->getEndLoc()), SM, Ctx.getLangOpts());
  if (!Next || !Next->is(tok::l_paren))
    return true;
  llvm::SmallVector<const Expr *, 8> Args(RE->subExpressions().begin() + 1,
                                          RE->subExpressions().end());
  const Expr *C = Callee->IgnoreParenImpCasts();
  const ValueDecl *Known = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(C))
    Known = DRE->getDecl();
  else if (const auto *ME = dyn_cast<MemberExpr>(C))
    Known = ME->getMemberDecl();
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Known)) {
    onCall(RE, FD, Args, nullptr, Callee->getExprLoc(), false);
    return true;
  }
  if (std::optional<Unresolved> U = unresolvedCallee(Callee))
    onCall(RE, nullptr, Args, nullptr,
           U->NameLoc.isValid() ? U->NameLoc : RE->getBeginLoc(), false, &*U);
  return true;
}

bool Builder::VisitVarDecl(VarDecl *V) {
  if (!Stack.empty() && V->getIdentifier() && V->isLocalVarDeclOrParm())
    Stack.back().Locals[V->getName()] = V;
  return true;
}

bool Builder::VisitCXXConstructExpr(CXXConstructExpr *C) {
  if (Stack.empty() || !C->getConstructor())
    return true;
  llvm::SmallVector<const Expr *, 8> Args(C->arg_begin(), C->arg_end());
  onCall(C, C->getConstructor(), Args, nullptr, C->getLocation(),
         /*Virtual=*/false);
  return true;
}

void Builder::pushFunction(size_t Index, const FunctionDecl *FD) {
  FnState S;
  S.Function = Index;
  S.FD = FD;
  if (FD)
    for (const ParmVarDecl *P : FD->parameters())
      if (P->getIdentifier())
        S.Locals[P->getName()] = P;
  Stack.push_back(std::move(S));
}

std::vector<Event> &Builder::events() {
  return Out.Functions[Stack.back().Function].Events;
}

size_t Builder::beginFunction(const FunctionDecl *FD, std::string Id,
                     std::string Name) {
  FunctionSummary F;
  F.Id = std::move(Id);
  F.Name = std::move(Name);
  F.Def = range(FD->getLocation(), FD->getLocation());
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD))
    for (const CXXMethodDecl *O : M->overridden_methods())
      F.Overrides.push_back(functionId(O));
  F.MinArgs = FD->getMinRequiredArguments();
  F.MaxArgs = FD->isVariadic() || llvm::any_of(FD->parameters(),
                                               [](const ParmVarDecl *P) {
                                                 return P->isParameterPack();
                                               })
                  ? -1
                  : static_cast<int>(FD->getNumParams());
  Out.Functions.push_back(std::move(F));
  return Out.Functions.size() - 1;
}

bool Builder::inLoop(LoopInfo L, Stmt *Body) {
  if (Stack.empty())
    return TraverseStmt(Body);
  FunctionSummary &F = Out.Functions[Stack.back().Function];
  RetryFinder Retry;
  Retry.TraverseStmt(Body);
  if (Retry.Found)
    L.NotPerItem = "retry loop";
  L.Parent = currentLoop();
  F.Loops.push_back(std::move(L));
  int Index = static_cast<int>(F.Loops.size()) - 1;
  noteRange(LoopBodies, Body, Stack.back().Function, Index);
  Stack.back().Loops.push_back(Index);
  Stack.back().BreakTargets.push_back('L');
  bool R = TraverseStmt(Body);
  Stack.back().BreakTargets.pop_back();
  Stack.back().Loops.pop_back();
  // A loop that sleeps or waits between rounds polls; it is not per-item.
  // One over a collection visits each item once, whatever it waits for.
  FunctionSummary &After = Out.Functions[Stack.back().Function];
  for (const Event &E : After.Events)
    if (E.K == Event::Blocking && E.InLoop == Index &&
        After.Loops[Index].Kind != "range-for" &&
        (E.Category == "sleep" || E.Category == "wait") &&
        After.Loops[Index].NotPerItem.empty())
      After.Loops[Index].NotPerItem = "polling loop";
  return R;
}

int Builder::currentLoop() const {
  return Stack.back().Loops.empty() ? -1 : Stack.back().Loops.back();
}

void Builder::addEvent(Event E) {
  E.InLoop = E.InLoop >= 0 ? E.InLoop : currentLoop();
  events().push_back(std::move(E));
}

// --- Names and locations ---------------------------------------------------

std::string Builder::fileName(FileID FID) const {
  auto FE = SM.getFileEntryRefForID(FID);
  if (!FE)
    return "";
  llvm::StringRef Real = FE->getFileEntry().tryGetRealPathName();
  return Real.empty() ? FE->getName().str() : Real.str();
}

uint32_t Builder::offsetOf(SourceLocation L) const {
  return SM.getFileOffset(SM.getFileLoc(L));
}

SrcRange Builder::range(SourceLocation B, SourceLocation E) const {
  SrcRange R;
  if (B.isInvalid())
    return R;
  B = SM.getFileLoc(B);
  E = E.isValid() ? SM.getFileLoc(E) : B;
  auto [FID, Off] = SM.getDecomposedLoc(B);
  R.File = fileName(FID);
  R.Begin = R.End = Off;
  if (SM.getFileID(E) == FID) {
    unsigned Len = Lexer::MeasureTokenLength(E, SM, Ctx.getLangOpts());
    uint32_t EOff = SM.getFileOffset(E) + Len;
    if (EOff > Off)
      R.End = EOff;
  }
  return R;
}

std::string Builder::functionId(const FunctionDecl *FD) const {
  if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
    FD = P;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
      M && M->getParent()->isLambda()) {
    SrcRange R = range(M->getParent()->getLocation(), SourceLocation());
    return "lambda:" + R.File + ":" + std::to_string(R.Begin);
  }
  llvm::SmallString<128> USR;
  if (index::generateUSRForDecl(FD, USR))
    return "name:" + qualifiedName(FD);
  // Each program of a project has its `main` (tools, daemons, examples),
  // and nothing calls one: each is its own function.
  if (FD->isMain())
    return (USR + "@" + range(FD->getLocation(), SourceLocation()).File)
        .str();
  return std::string(USR);
}

std::string Builder::displayName(const FunctionDecl *FD) {
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
      M && M->getParent()->isLambda())
    return "lambda";
  return qualifiedName(FD);
}

llvm::SmallVector<std::string, 2>
Builder::calleeNames(const FunctionDecl *FD, const CXXRecordDecl *Object) {
  llvm::SmallVector<std::string, 2> Names{qualifiedName(FD)};
  if (Object && FD->getIdentifier())
    Names.push_back(qualifiedName(Object) + "::" + FD->getName().str());
  return Names;
}

bool Builder::matchesAny(const std::optional<NamePattern> &P,
                       llvm::ArrayRef<std::string> Names) {
  return P && llvm::any_of(
                  Names, [&](const std::string &N) { return P->matches(N); });
}

bool Builder::hasAnnotation(const FunctionDecl *FD, llvm::StringRef A) {
  if (A.empty() || !FD)
    return false;
  for (const FunctionDecl *R : FD->redecls())
    for (const auto *Attr : R->specific_attrs<AnnotateAttr>())
      if (Attr->getAnnotation() == A)
        return true;
  return false;
}

bool Builder::definedByMacro(const FunctionDecl *FD, const NamePattern &P) const {
  for (SourceLocation Loc : {FD->getBeginLoc(), FD->getLocation()})
    for (unsigned Guard = 0; Loc.isMacroID() && Guard < 32; ++Guard) {
      if (P.matches(Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts())))
        return true;
      Loc = SM.getImmediateMacroCallerLoc(Loc);
    }
  return false;
}

bool Builder::overridesMatching(const CXXMethodDecl *M, const NamePattern &P,
                              unsigned Depth) {
  if (!M || Depth > 16)
    return false;
  for (const CXXMethodDecl *O : M->overridden_methods())
    if (P.matches(qualifiedName(O)) || overridesMatching(O, P, Depth + 1))
      return true;
  return false;
}

bool Builder::hasParamOfType(const FunctionDecl *FD, const NamePattern &P) {
  for (const ParmVarDecl *Param : FD->parameters()) {
    QualType T = Param->getType().getNonReferenceType();
    // An alias template as written (Beast's http::request<Body> is
    // http::message<true, Body>), also when its arguments are dependent.
    if (const auto *TST = T->getAs<TemplateSpecializationType>())
      if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl();
          TD && P.matches(qualifiedName(TD)))
        return true;
    if (const auto *RD = T->getAsCXXRecordDecl())
      if (P.matches(qualifiedName(RD)))
        return true;
  }
  return false;
}

bool Builder::recognises(const Recognizer &R, const FunctionDecl *FD) const {
  if (R.Call)
    return false;
  if (hasAnnotation(FD, R.Annotation))
    return true;
  if (R.Override &&
      overridesMatching(dyn_cast<CXXMethodDecl>(FD), *R.Override))
    return true;
  if (R.Macro && definedByMacro(FD, *R.Macro))
    return true;
  if (R.ParamType)
    return hasParamOfType(FD, *R.ParamType) &&
           (!R.Function || R.Function->matches(qualifiedName(FD)));
  return R.Function && R.Function->matches(qualifiedName(FD));
}

void Builder::recogniseEntry(const FunctionDecl *FD, const std::string &Id) {
  bool Handler = false;
  for (auto [List, Kind] :
       {std::pair{&Rules.handlers(), EntryPoint::Handler},
        std::pair{&Rules.jobHandlers(), EntryPoint::JobHandler}})
    for (const Recognizer &R : *List)
      if (recognises(R, FD)) {
        Out.Entries.push_back({Kind, Id, displayName(FD), R.How,
                               range(FD->getLocation(), FD->getLocation())});
        Handler |= Kind == EntryPoint::Handler;
        break;
      }
  if (Handler)
    return;
  std::string How = inferredHandler(FD);
  if (!How.empty())
    Out.Entries.push_back({EntryPoint::Handler, Id, displayName(FD), How,
                           range(FD->getLocation(), FD->getLocation())});
}

// --- Handlers of frameworks nobody declared ---------------------------------

std::string Builder::declaredClass(const DeclaratorDecl *D) const {
  SourceLocation B = D->getOuterLocStart(), Name = D->getLocation();
  if (D->getIdentifier() && B.isValid() && Name.isValid() && B.isFileID() &&
      Name.isFileID() && SM.isBeforeInTranslationUnit(B, Name))
    return classOfTypeText(Lexer::getSourceText(
        CharSourceRange::getCharRange(B, Name), SM, Ctx.getLangOpts()));
  if (const TypeSourceInfo *TSI = D->getTypeSourceInfo())
    return classOfTypeText(Lexer::getSourceText(
        CharSourceRange::getTokenRange(TSI->getTypeLoc().getSourceRange()),
        SM, Ctx.getLangOpts()));
  return "";
}

std::string Builder::paramTypeName(const ParmVarDecl *P) const {
  std::string T = declaredClass(P);
  if (T.empty())
    if (const auto *RD =
            P->getType().getNonReferenceType()->getAsCXXRecordDecl())
      T = qualifiedName(RD);
  size_t Sep = T.rfind("::");
  return Sep == std::string::npos ? T : T.substr(Sep + 2);
}

bool Builder::isOverride(const CXXMethodDecl *M) const {
  if (M->size_overridden_methods() > 0)
    return true;
  for (const FunctionDecl *R : M->redecls())
    if (R->hasAttr<OverrideAttr>() || R->hasAttr<FinalAttr>() ||
        writtenOverride(R))
      return true;
  // An invalid definition (parameter types unknown) is not linked to its
  // declaration in the class.
  if (M->isInvalidDecl())
    for (const CXXMethodDecl *D : M->getParent()->methods())
      if (D != M && D->getDeclName() == M->getDeclName() &&
          D->getNumParams() == M->getNumParams() && writtenOverride(D))
        return true;
  return false;
}

bool Builder::writtenOverride(const FunctionDecl *FD) const {
  SourceLocation L = FD->getLocation();
  if (!L.isFileID())
    return false;
  int Depth = 0;
  for (unsigned Guard = 0; Guard < 256; ++Guard) {
    std::optional<Token> T = Lexer::findNextToken(L, SM, Ctx.getLangOpts());
    if (!T || T->is(tok::eof))
      return false;
    L = T->getLocation();
    if (T->isOneOf(tok::l_paren, tok::l_square))
      ++Depth;
    else if (T->isOneOf(tok::r_paren, tok::r_square))
      --Depth;
    else if (Depth == 0 &&
             T->isOneOf(tok::semi, tok::l_brace, tok::equal, tok::colon))
      return false;
    else if (Depth == 0 && T->is(tok::raw_identifier) &&
             (T->getRawIdentifier() == "override" ||
              T->getRawIdentifier() == "final"))
      return true;
  }
  return false;
}

std::string Builder::inferredHandler(const FunctionDecl *FD) const {
  const Inference &I = Rules.inference();
  if (!FD->getIdentifier())
    return "";
  llvm::StringRef Name = FD->getName();
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
      M && I.Overrides && I.OverrideName && I.OverrideName->matches(Name) &&
      isOverride(M))
    return ("inferred: override of '" + Name + "'").str();
  if (!I.ParamTypes || !I.RequestType ||
      (I.NotHandlerName && I.NotHandlerName->matches(Name)))
    return "";
  std::string Request, Response;
  for (const ParmVarDecl *P : FD->parameters()) {
    std::string T = paramTypeName(P);
    if (T.empty())
      continue;
    if (Request.empty() && I.RequestType->matches(T))
      Request = T;
    else if (Response.empty() && I.ResponseType &&
             I.ResponseType->matches(T))
      Response = T;
  }
  if (Request.empty())
    return "";
  if (!Response.empty())
    return "inferred: parameters '" + Request + "' and '" + Response + "'";
  if (I.HandlerName && I.HandlerName->matches(Name))
    return ("inferred: parameter '" + Request + "' and name '" + Name + "'")
        .str();
  return "";
}

void Builder::inferRegistration(const Expr *Call, llvm::StringRef CallName,
                       llvm::ArrayRef<const Expr *> Args, SourceLocation At) {
  const Inference &I = Rules.inference();
  if (!I.Routes || CallName.empty() ||
      (I.NotRegistration && I.NotRegistration->matches(CallName)))
    return;
  bool EndpointCall = I.EndpointCall && I.EndpointCall->matches(CallName);
  size_t Key = Args.size();
  bool Endpoint = false;
  for (size_t K = 0; K < Args.size() && Key == Args.size(); ++K) {
    const auto *SL =
        dyn_cast<StringLiteral>(stripWrappers(Args[K])->IgnoreParenImpCasts());
    if (!SL || SL->getCharByteWidth() != 1)
      continue;
    if (isRouteLike(SL->getString()))
      Key = K;
    else if (EndpointCall && isEndpointName(SL->getString())) {
      Key = K;
      Endpoint = true;
    }
  }
  std::string Id, Name;
  for (size_t K = Key + 1; K < Args.size() && Id.empty(); ++K) {
    if (const FunctionDecl *Target = callableOf(Args[K], nullptr)) {
      Id = functionId(Target);
      Name = displayName(Target);
    } else {
      Id = callableByName(Args[K], Name);
    }
  }
  if (Id.empty())
    return;
  Out.Entries.push_back(
      {EntryPoint::Handler, Id, Name,
       ("inferred: " + llvm::Twine(Endpoint ? "endpoint" : "route") +
        " registration '" + CallName + "'")
           .str(),
       range(At, Call->getEndLoc())});
}

std::string Builder::callableByName(const Expr *Arg, std::string &Shown,
                           unsigned Depth) const {
  if (!Arg || Depth > 4)
    return "";
  const Expr *E = stripWrappers(Arg)->IgnoreParenImpCasts();
  auto IsBind = [&](const Expr *Callee) {
    std::optional<Unresolved> U = unresolvedCallee(Callee);
    return U && (U->Name == "bind" || U->Name == "bind_front");
  };
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return Call->getNumArgs() > 0 && IsBind(Call->getCallee())
               ? callableByName(Call->getArg(0), Shown, Depth + 1)
               : "";
  const auto *RE = dyn_cast<RecoveryExpr>(E);
  if (RE && RE->subExpressions().size() >= 2 &&
      IsBind(RE->subExpressions().front()))
    return callableByName(RE->subExpressions()[1], Shown, Depth + 1);
  if (!(RE && RE->subExpressions().empty()) &&
      !isa<DependentScopeDeclRefExpr>(E))
    return "";
  llvm::StringRef Text = Lexer::getSourceText(
      CharSourceRange::getTokenRange(SM.getFileLoc(E->getBeginLoc()),
                                     SM.getFileLoc(E->getEndLoc())),
      SM, Ctx.getLangOpts());
  Text = Text.trim().ltrim("&").trim();
  Text.consume_front("::");
  if (Text.empty() ||
      Text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789_:") != llvm::StringRef::npos)
    return "";
  llvm::StringRef Scope, Name = Text;
  if (Text.contains("::"))
    std::tie(Scope, Name) = Text.rsplit("::");
  if (Name.empty() || llvm::isDigit(Name[0]))
    return "";
  Shown = Text.str();
  return byNameCallee(Name, ByNameCallee::AnyArity, Scope);
}

const Recognizer *Builder::requestLoopCall(const Stmt *S, unsigned Depth) const {
  if (!S || Depth > 16 || Rules.requestLoops().empty())
    return nullptr;
  std::string Name;
  if (const auto *C = dyn_cast<CallExpr>(S)) {
    if (const FunctionDecl *FD = C->getDirectCallee())
      Name = qualifiedName(FD);
    else if (std::optional<Unresolved> U = unresolvedCallee(C->getCallee()))
      Name = U->Name;
  } else if (const auto *RE = dyn_cast<RecoveryExpr>(S);
             RE && !RE->subExpressions().empty()) {
    if (std::optional<Unresolved> U =
            unresolvedCallee(RE->subExpressions().front()))
      Name = U->Name;
  }
  if (!Name.empty())
    for (const Recognizer &R : Rules.requestLoops())
      if (R.Call && R.Call->matches(Name))
        return &R;
  for (const Stmt *Child : S->children())
    if (const Recognizer *R = requestLoopCall(Child, Depth + 1))
      return R;
  return nullptr;
}

bool Builder::requestLoop(LoopInfo L, Stmt *Body, const Recognizer &R) {
  if (Stack.empty())
    return TraverseStmt(Body);
  L.NotPerItem = "request loop";
  SrcRange At = L.At;
  FunctionSummary &Enclosing = Out.Functions[Stack.back().Function];
  std::string Name = "request loop in " + Enclosing.Name;
  Enclosing.Loops.push_back(std::move(L));
  FunctionSummary F;
  F.Id = "request-loop:" + At.File + ":" + std::to_string(At.Begin);
  F.Name = Name;
  F.Def = At;
  Out.Functions.push_back(std::move(F));
  size_t Index = Out.Functions.size() - 1;
  Out.Entries.push_back({EntryPoint::Handler, Out.Functions[Index].Id, Name,
                         R.How, At});
  noteBody(Body, Index);
  pushFunction(Index, nullptr);
  bool Result = TraverseStmt(Body);
  Stack.pop_back();
  return Result;
}

// --- Calls Clang could not resolve (headers missing) ------------------------

std::string Builder::writtenText(SourceRange R) const {
  return Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM,
                              Ctx.getLangOpts())
      .str();
}

const CXXRecordDecl *Builder::enclosingRecord() const {
  for (auto It = Stack.rbegin(); It != Stack.rend(); ++It)
    if (const auto *M = dyn_cast_or_null<CXXMethodDecl>(It->FD);
        M && !M->getParent()->isLambda())
      return M->getParent();
  return nullptr;
}

std::string Builder::enclosingClass() const {
  const CXXRecordDecl *RD = enclosingRecord();
  return RD ? qualifiedName(RD) : "";
}

const std::vector<std::string> &Builder::writtenBases(const CXXRecordDecl *RD) const {
  auto [It, New] = WrittenBases.try_emplace(RD);
  if (!New || !RD || !RD->hasDefinition())
    return It->second;
  RD = RD->getDefinition();
  SourceLocation L = RD->getLocation();
  if (!L.isFileID())
    return It->second;
  FileID F = SM.getFileID(L);
  llvm::StringRef Buf = SM.getBufferData(F);
  Lexer Lex(SM.getLocForStartOfFile(F), Ctx.getLangOpts(), Buf.begin(),
            Buf.begin() + SM.getFileOffset(L), Buf.end());
  Token T;
  Lex.LexFromRawLexer(T); // The class's name.
  bool InBases = false;
  int Angle = 0;
  std::string Last;
  for (unsigned Guard = 0; Guard < 128; ++Guard) {
    Lex.LexFromRawLexer(T);
    if (T.isOneOf(tok::eof, tok::l_brace, tok::semi))
      break;
    if (T.is(tok::colon) && !InBases) {
      InBases = true;
    } else if (T.is(tok::less)) {
      ++Angle;
    } else if (T.is(tok::greater)) {
      --Angle;
    } else if (InBases && Angle == 0 && T.is(tok::comma)) {
      if (!Last.empty())
        It->second.push_back(Last);
      Last.clear();
    } else if (InBases && Angle == 0 && T.is(tok::raw_identifier)) {
      llvm::StringRef Id = T.getRawIdentifier();
      if (Id != "public" && Id != "protected" && Id != "private" &&
          Id != "virtual")
        Last = Id.str();
    }
  }
  if (!Last.empty())
    It->second.push_back(Last);
  return It->second;
}

bool Builder::inScope(llvm::StringRef Scope, const Unresolved &U) const {
  return scopeMatches(Scope, U.Scope) ||
         (U.ScopeClass &&
          llvm::any_of(writtenBases(U.ScopeClass), [&](const std::string &B) {
            return scopeMatches(Scope, B);
          }));
}

const DeclaratorDecl *Builder::objectDecl(const Expr *Obj) const {
  const Expr *O = Obj->IgnoreParenImpCasts();
  if (const auto *RE = dyn_cast<RecoveryExpr>(O)) {
    if (RE->subExpressions().size() == 1)
      O = RE->subExpressions().front()->IgnoreParenImpCasts();
    else if (RE->subExpressions().empty() && !Stack.empty())
      return Stack.back().Locals.lookup(writtenText(RE->getSourceRange()));
  }
  if (const auto *U = dyn_cast<UnaryOperator>(O);
      U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
    O = U->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(O))
    return dyn_cast<DeclaratorDecl>(DRE->getDecl());
  if (const auto *ME = dyn_cast<MemberExpr>(O))
    return dyn_cast<DeclaratorDecl>(ME->getMemberDecl());
  return nullptr;
}

std::string Builder::objectClass(const Expr *Obj, std::string &VarName) const {
  const Expr *O = Obj->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(O);
      U && U->getOpcode() == UO_Deref)
    O = U->getSubExpr()->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(O))
    if (const CXXRecordDecl *RD = O->getType()->getPointeeCXXRecordDecl())
      return qualifiedName(RD);
  const DeclaratorDecl *D = objectDecl(Obj);
  if (!D)
    return "";
  if (D->getIdentifier())
    VarName = D->getName().str();
  std::string T = declaredClass(D);
  if (T.empty() && !D->isInvalidDecl() && !D->getType()->isDependentType())
    if (const CXXRecordDecl *RD =
            D->getType().getNonReferenceType()->getPointeeCXXRecordDecl()
                ? D->getType().getNonReferenceType()->getPointeeCXXRecordDecl()
                : D->getType().getNonReferenceType()->getAsCXXRecordDecl())
      T = qualifiedName(RD);
  return T;
}

std::string Builder::qualifierText(NestedNameSpecifierLoc Q) const {
  if (!Q)
    return "";
  std::string T = classOfTypeText(writtenText(Q.getSourceRange()));
  llvm::StringRef R(T);
  while (R.consume_back(":"))
    ;
  return R.str();
}

std::string Builder::identifier(DeclarationName N) {
  return N.isIdentifier() ? N.getAsIdentifierInfo()->getName().str() : "";
}

std::optional<Builder::Unresolved> Builder::unresolvedCallee(const Expr *E) const {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  Unresolved U;
  const Expr *Object = nullptr;
  if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(E)) {
    U.Name = identifier(M->getMember());
    U.NameLoc = M->getMemberLoc();
    U.Member = true;
    if (!M->isImplicitAccess()) {
      Object = M->getBase();
    } else {
      U.Scope = enclosingClass();
      U.ScopeClass = enclosingRecord();
    }
  } else if (const auto *M = dyn_cast<UnresolvedMemberExpr>(E)) {
    U.Name = identifier(M->getMemberName());
    U.NameLoc = M->getMemberLoc();
    U.Member = true;
    if (!M->isImplicitAccess())
      Object = M->getBase();
    if (const CXXRecordDecl *RD = M->getNamingClass())
      U.Scope = qualifiedName(RD);
  } else if (const auto *L = dyn_cast<UnresolvedLookupExpr>(E)) {
    U.Name = identifier(L->getName());
    U.NameLoc = L->getNameLoc();
    U.Scope = qualifierText(L->getQualifierLoc());
    // The candidates Clang found, when they share one scope.
    std::string CandidateScope;
    bool OneScope = true;
    for (const NamedDecl *D : L->decls()) {
      const auto *Parent = dyn_cast<NamedDecl>(
          D->getUnderlyingDecl()->getDeclContext()->getRedeclContext());
      std::string S = Parent ? qualifiedName(Parent) : "";
      if (!CandidateScope.empty() && S != CandidateScope)
        OneScope = false;
      CandidateScope = S;
    }
    if (U.Scope.empty() && OneScope)
      U.Scope = CandidateScope;
    U.Member = llvm::any_of(L->decls(), [](const NamedDecl *D) {
      return isa<CXXMethodDecl>(D->getUnderlyingDecl()->getAsFunction());
    });
    // `exec()` in a method: a member of a base whose header is missing.
    if (L->decls().empty() && !L->getQualifier())
      U.ScopeClass = enclosingRecord();
  } else if (const auto *D = dyn_cast<DependentScopeDeclRefExpr>(E)) {
    U.Name = identifier(D->getDeclName());
    U.NameLoc = D->getLocation();
    U.Scope = qualifierText(D->getQualifierLoc());
  } else if (const auto *R = dyn_cast<RecoveryExpr>(E);
             R && R->subExpressions().size() == 1 &&
             R->getEndLoc().isFileID()) {
    // `q.prepare` where q's class has no such member (it is inherited
    // from a base whose header is missing): Clang keeps the object only.
    auto [File, Off] = SM.getDecomposedLoc(R->getEndLoc());
    llvm::StringRef Before =
        SM.getBufferData(File).take_front(Off).rtrim(" \t\r\n");
    Token Name;
    if (!(Before.endswith(".") || Before.endswith("->")) ||
        Lexer::getRawToken(R->getEndLoc(), Name, SM, Ctx.getLangOpts()) ||
        !Name.is(tok::raw_identifier))
      return std::nullopt;
    U.Name = Name.getRawIdentifier().str();
    U.NameLoc = R->getEndLoc();
    U.Member = true;
    Object = R->subExpressions().front();
  } else {
    return std::nullopt;
  }
  if (U.Name.empty())
    return std::nullopt;
  if (Object && U.Scope.empty())
    U.Scope = objectClass(Object, U.ObjectName);
  if (Object)
    U.Object = objectDecl(Object);
  if (U.Object && !U.ScopeClass) {
    QualType T = U.Object->getType().getNonReferenceType();
    U.ScopeClass = T->getPointeeCXXRecordDecl() ? T->getPointeeCXXRecordDecl()
                                                : T->getAsCXXRecordDecl();
  }
  return U;
}

const Sink *Builder::sinkByName(const Unresolved &U, size_t Arity) const {
  for (const Sink &K : Rules.sinks()) {
    llvm::StringRef P = K.Function.text();
    if (P.startswith("re:") || P.contains('*'))
      continue;
    llvm::StringRef Scope, Name = P;
    if (P.contains("::"))
      std::tie(Scope, Name) = P.rsplit("::");
    if (Name != U.Name || (Scope.empty() ? U.Member : !inScope(Scope, U)))
      continue;
    if (K.SqlArg == Sink::NoSqlArg ||
        (K.SqlArg >= 0 ? static_cast<size_t>(K.SqlArg) < Arity
                       : static_cast<size_t>(-K.SqlArg) <= Arity))
      return &K;
  }
  return nullptr;
}

bool Builder::looksLikeLogging(const Unresolved &U) const {
  for (const NamePattern &P : Rules.notSqlFunctions())
    if (P.matches(U.Name) || P.matches(U.names().front()))
      return true;
  std::string Obj = llvm::StringRef(U.ObjectName).lower();
  llvm::StringRef O(Obj);
  if (!O.consume_front("m_"))
    O.consume_front("_");
  std::string Scope = llvm::StringRef(U.Scope).rsplit("::").second.empty()
                          ? llvm::StringRef(U.Scope).lower()
                          : llvm::StringRef(U.Scope).rsplit("::").second.lower();
  return O.startswith("log") || O.contains("logger") ||
         llvm::StringRef(Scope).startswith("log") ||
         llvm::StringRef(Scope).contains("logger");
}

bool Builder::queryMethodNamed(llvm::StringRef Name, bool Prepares) const {
  return (Prepares ? PreparingMethods : RunningMethods).count(Name.lower());
}

std::pair<llvm::StringRef, llvm::StringRef> Builder::methodOf(const Sink &K) {
  llvm::StringRef F = K.Function.text();
  return F.contains("::") ? F.rsplit("::")
                          : std::pair<llvm::StringRef, llvm::StringRef>();
}

const Builder::Prepared *Builder::preparedOn(const Decl *Obj) const {
  if (!Obj || Stack.empty())
    return nullptr;
  auto It = Stack.back().PreparedOn.find(Obj);
  return It == Stack.back().PreparedOn.end() ? nullptr : &It->second;
}

void Builder::prepareUnresolved(const Unresolved &U, const SqlSite *S,
                       const Expr *Call, llvm::ArrayRef<const Expr *> Args,
                       SourceLocation At) {
  // `q.prepare(sql)`, the statement that built `sql` dropped.
  if (!S && Args.size() == 1)
    if (const DeclaratorDecl *V = objectDecl(Args[0]);
        V && V->getIdentifier()) {
      S = droppedFor('v', V->getName(), V->getLocation(), At);
      if (S)
        Taken.insert(S);
    }
  Event E;
  Prepared P;
  if (S) {
    E = sinkEvent(*S, At, Call->getEndLoc(), Call);
    P = {E.At, statementKind(*S->analysis(), S->Sql.Text), E.Text, E.Facts};
  } else {
    E.K = Event::Sink;
    E.At = range(At, Call->getEndLoc());
    P = {E.At, "unknown", "", {}};
  }
  E.Statement = "prepare";
  E.Category = U.shown();
  if (U.Object)
    Stack.back().PreparedOn[U.Object] = std::move(P);
  addEvent(std::move(E));
}

const Builder::Prepared *Builder::preparedOrDropped(const Decl *Obj, SourceLocation At) {
  if (const Prepared *P = preparedOn(Obj))
    return P;
  const auto *D = dyn_cast_or_null<DeclaratorDecl>(Obj);
  if (!D || !D->getIdentifier())
    return nullptr;
  const SqlSite *S = droppedFor('p', D->getName(), D->getLocation(), At);
  if (!S)
    return nullptr;
  Taken.insert(S);
  SrcRange Where = range(S->Sql.Pieces.front().RawLoc, SourceLocation());
  Event E = sinkEvent(*S, S->Sql.Pieces.front().RawLoc, SourceLocation());
  return &(Stack.back().PreparedOn[Obj] = {
               Where, statementKind(*S->analysis(), S->Sql.Text), E.Text,
               E.Facts});
}

void Builder::runPrepared(const Prepared &P, const Unresolved &U, const Expr *Call,
                 SourceLocation At) {
  Event E;
  E.K = Event::Sink;
  E.At = range(At, Call->getEndLoc());
  E.Statement = P.Statement;
  E.Text = P.Text;
  E.Facts = P.Facts;
  E.Origin = P.At;
  E.Category = U.shown();
  addEvent(std::move(E));
}

void Builder::unresolvedSink(const Unresolved &U, const Expr *Call,
                    llvm::ArrayRef<const Expr *> Args, SourceLocation At) {
  if (const Sink *K = sinkByName(U, Args.size())) {
    const Expr *SqlE = nullptr;
    if (K->SqlArg != Sink::NoSqlArg)
      SqlE = Args[K->SqlArg >= 0 ? K->SqlArg
                                 : static_cast<long>(Args.size()) + K->SqlArg];
    const SqlSite *S = SqlE ? freeSqlIn(SqlE) : nullptr;
    if (K->Prepares && U.Member) {
      prepareUnresolved(U, S, Call, Args, At);
      return;
    }
    if (S) {
      Event E = sinkEvent(*S, At, Call->getEndLoc(), Call);
      E.InProcess = K->InProcess;
      if (K->Prepares)
        E.Statement = "prepare";
      addEvent(std::move(E));
      return;
    }
    // A literal that is no data statement: `BEGIN`, a fragment.
    if (SqlE && isa<StringLiteral>(stripWrappers(SqlE)->IgnoreParenImpCasts()))
      return;
    if (const Prepared *P = preparedOn(U.Object);
        P && K->SqlArg == Sink::NoSqlArg && !K->Prepares) {
      runPrepared(*P, U, Call, At);
      return;
    }
    Event E;
    E.K = Event::Sink;
    E.At = range(At, Call->getEndLoc());
    E.Statement = K->Prepares ? "prepare" : "unknown";
    E.Category = K->Function.text();
    E.InProcess = K->InProcess;
    addEvent(std::move(E));
    return;
  }
  if (looksLikeLogging(U) || isTextBuilder(U.Name))
    return;
  // An object of a class nobody declared (a project's subclass of a query
  // class, its header missing): its `prepare` prepares, and the method
  // named like the query class's execution runs what it prepared.
  if (U.Member && U.Object) {
    if (queryMethodNamed(U.Name, /*Prepares=*/true)) {
      const SqlSite *S = nullptr;
      for (const Expr *A : Args)
        if (!S)
          S = freeSqlIn(A);
      prepareUnresolved(U, S, Call, Args, At);
      return;
    }
    if (!hasTextArgument(Call) &&
        queryMethodNamed(U.Name, /*Prepares=*/false))
      if (const Prepared *P = preparedOrDropped(U.Object, At)) {
        runPrepared(*P, U, Call, At);
        return;
      }
  }
  for (const Expr *A : Args)
    if (const SqlSite *S = freeSqlIn(A)) {
      Event E = sinkEvent(*S, At, Call->getEndLoc(), Call);
      E.Inferred = true;
      E.Callee = byNameCallee(U.Name, Args.size(), U.Scope);
      E.CalleeName = U.shown();
      addEvent(std::move(E));
      return;
    }
}

// --- SQL in code Clang dropped ---------------------------------------------

char Builder::droppedShape(const SqlSite &S, std::string &Name) const {
  SourceLocation L = S.Sql.Pieces.front().RawLoc;
  FileID F = SM.getFileID(L);
  llvm::StringRef Buf = SM.getBufferData(F);
  size_t Off = SM.getFileOffset(L), Begin = Off;
  // Back to the start of the statement: after `;`, `{` or `}`.
  while (Begin > 0 && !llvm::StringRef(";{}").contains(Buf[Begin - 1]))
    --Begin;
  Lexer Lex(SM.getLocForStartOfFile(F), Ctx.getLangOpts(), Buf.begin(),
            Buf.begin() + Begin, Buf.end());
  llvm::SmallVector<Token, 8> Toks;
  for (Token T; Toks.size() < 8;) {
    Lex.LexFromRawLexer(T);
    if (T.is(tok::eof) || SM.getFileOffset(T.getLocation()) >= Off)
      break;
    Toks.push_back(T);
  }
  auto Ident = [&](size_t I) {
    return I < Toks.size() && Toks[I].is(tok::raw_identifier)
               ? Toks[I].getRawIdentifier()
               : llvm::StringRef();
  };
  if (Toks.size() >= 4 && !Ident(0).empty() &&
      Toks[1].isOneOf(tok::period, tok::arrow) &&
      queryMethodNamed(Ident(2), /*Prepares=*/true) &&
      Toks[3].is(tok::l_paren)) {
    Name = Ident(0).str();
    return 'p';
  }
  // `Type name(` / `Type name =` / `name =`; not a call `f(` or `o.f(`.
  for (size_t I = 0; I + 1 < Toks.size(); ++I) {
    if (Toks[I].isOneOf(tok::period, tok::arrow, tok::l_paren))
      return 0;
    if (!Ident(I).empty() && Toks[I + 1].isOneOf(tok::l_paren, tok::equal)) {
      if (I == 0 && Toks[1].is(tok::l_paren))
        return 0;
      Name = Ident(I).str();
      return 'v';
    }
  }
  return 0;
}

const SqlSite *Builder::droppedFor(char Shape, llvm::StringRef Name,
                          SourceLocation After, SourceLocation Before) const {
  if (Name.empty() || !After.isFileID() || !SM.isInMainFile(After) ||
      !SM.isInMainFile(SM.getFileLoc(Before)))
    return nullptr;
  uint32_t From = SM.getFileOffset(After),
           To = SM.getFileOffset(SM.getFileLoc(Before));
  const DroppedSite *Best = nullptr;
  for (const DroppedSite &D : Dropped)
    if (D.Offset > From && D.Offset < To &&
        (!Best || D.Offset > Best->Offset) && D.Shape == Shape &&
        D.Name == Name)
      Best = &D;
  return Best ? Best->S : nullptr;
}

void Builder::noteRange(std::vector<BodyRange> &Into, const Stmt *Body,
               size_t Function, int Loop) {
  if (!Body)
    return;
  SourceLocation B = SM.getFileLoc(Body->getBeginLoc());
  SourceLocation E = SM.getFileLoc(Body->getEndLoc());
  if (SM.isInMainFile(B) && SM.isInMainFile(E))
    Into.push_back({SM.getFileOffset(B), SM.getFileOffset(E), Function, Loop});
}

void Builder::attachDroppedSql(const SqlSites &Sites) {
  for (const SqlSite &S : Sites.Sites) {
    if (S.Anchor || S.FromSink || S.Sql.Pieces.empty() ||
        Taken.count(&S))
      continue;
    SourceLocation L = S.Sql.Pieces.front().RawLoc;
    if (L.isInvalid() || !SM.isInMainFile(L))
      continue;
    uint32_t Off = SM.getFileOffset(L);
    const BodyRange *Best = nullptr;
    for (const BodyRange &B : Bodies)
      if (B.Begin <= Off && Off <= B.End &&
          (!Best || B.End - B.Begin < Best->End - Best->Begin))
        Best = &B;
    if (!Best)
      continue;
    Event E = sinkEvent(S, L, SourceLocation());
    E.Inferred = true;
    const BodyRange *Loop = nullptr;
    for (const BodyRange &B : LoopBodies)
      if (B.Function == Best->Function && B.Begin <= Off && Off <= B.End &&
          (!Loop || B.End - B.Begin < Loop->End - Loop->Begin))
        Loop = &B;
    if (Loop)
      E.InLoop = Loop->Loop;
    Out.Functions[Best->Function].Events.push_back(std::move(E));
  }
}

// --- Calls -----------------------------------------------------------------

const FunctionDecl *Builder::callableOf(const Expr *Arg, const Recognizer *R,
                               unsigned Depth) const {
  if (!Arg || Depth > 8)
    return nullptr;
  const Expr *E = stripWrappers(Arg);
  if (const auto *L = dyn_cast<LambdaExpr>(E))
    return L->getCallOperator();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
      return FD;
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasLocalStorage() && VD->getInit())
      return callableOf(VD->getInit(), R, Depth + 1);
    return nullptr;
  }
  if (const auto *RE = dyn_cast<RecoveryExpr>(E)) {
    // `std::bind(&C::m, this)` whose arguments did not resolve.
    auto Subs = RE->subExpressions();
    if (Subs.size() >= 2)
      if (std::optional<Unresolved> U = unresolvedCallee(Subs.front());
          U && (U->Name == "bind" || U->Name == "bind_front"))
        return callableOf(Subs[1], R, Depth + 1);
    return nullptr;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    std::string Name = Callee && Callee->getIdentifier()
                           ? Callee->getName().str()
                       : !Callee ? unresolvedCallee(Call->getCallee())
                                       .value_or(Unresolved())
                                       .Name
                                 : "";
    if ((Name == "bind" || Name == "bind_front") && Call->getNumArgs() > 0)
      return callableOf(Call->getArg(0), R, Depth + 1);
    if (R && R->TaskFromCall)
      return Callee;
    return nullptr;
  }
  if (R && !R->TaskMethod.empty()) {
    const CXXRecordDecl *RD = nullptr;
    if (const auto *New = dyn_cast<CXXNewExpr>(E))
      RD = New->getAllocatedType()->getAsCXXRecordDecl();
    else if (const auto *Ctor = dyn_cast<CXXConstructExpr>(E))
      RD = Ctor->getType()->getAsCXXRecordDecl();
    if (RD && RD->hasDefinition())
      for (const CXXMethodDecl *M : RD->methods())
        if (M->getIdentifier() && M->getName() == R->TaskMethod)
          return M;
  }
  return nullptr;
}

llvm::SmallVector<const FunctionDecl *, 2>
Builder::callablesFor(const Recognizer &R, llvm::ArrayRef<const Expr *> Args) const {
  llvm::SmallVector<const FunctionDecl *, 2> Found;
  size_t Written = Args.size();
  while (Written > 0 && isa<CXXDefaultArgExpr>(Args[Written - 1]))
    --Written;
  if (R.CallableArg != Recognizer::AnyCallableArg) {
    long I = R.CallableArg >= 0 ? R.CallableArg
                                : static_cast<long>(Written) + R.CallableArg;
    if (I >= 0 && static_cast<size_t>(I) < Written)
      if (const FunctionDecl *F = callableOf(Args[I], &R))
        Found.push_back(F);
    return Found;
  }
  for (size_t I = 0; I < Written; ++I)
    if (const FunctionDecl *F = callableOf(Args[I], &R)) {
      Found.push_back(F);
      break;
    }
  return Found;
}

const Recognizer *Builder::callRecognizer(const std::vector<Recognizer> &List,
                                 const FunctionDecl *FD,
                                 llvm::ArrayRef<std::string> Names) const {
  for (const Recognizer &R : List) {
    if (R.Call && matchesAny(R.Call, Names))
      return &R;
    if (!R.Call && !R.Annotation.empty() && hasAnnotation(FD, R.Annotation))
      return &R;
  }
  return nullptr;
}

const SqlSite *Builder::freeSqlIn(const Expr *Arg) const {
  for (const Expr *E = Arg; E;) {
    if (auto It = FreeRoots.find(ignoreStringWrappers(E));
        It != FreeRoots.end())
      return It->second;
    const Expr *Next = stripWrappers(E);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Next)) // sql.c_str()
      Next = MC->getImplicitObjectArgument();
    else if (const Expr *Text = builtTextOf(Next))
      Next = Text;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Next->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (auto It = FreeVars.find(VD); It != FreeVars.end())
          return It->second;
    if (Next == E)
      return nullptr;
    E = Next;
  }
  return nullptr;
}

std::string Builder::statementKind(const SqlAnalysis &A, llvm::StringRef Sql) {
  // Schema and attachment statements set up a database or a connection;
  // they are not data access (SQLite's PRAGMA and ATTACH do not parse).
  llvm::StringRef T = Sql.ltrim();
  std::string First =
      T.take_while([](char C) { return llvm::isAlpha(C); }).lower();
  static const llvm::StringRef Schema[] = {
      "create", "alter",   "drop",  "attach", "detach", "pragma",
      "vacuum", "reindex", "grant", "revoke", "comment"};
  if (llvm::is_contained(Schema, First))
    return "schema";
  return A.ParsedStatements == 0 && A.Statements > 0 &&
                 A.ControlStatements == 0 && A.WriteStatements == 0
             ? "unknown"
         : A.ControlStatements == A.Statements ? "control"
         : A.WriteStatements > 0               ? "write"
                                               : "read";
}

Event Builder::sinkEvent(const SqlSite &S, SourceLocation At, SourceLocation End,
                const Expr *Call) {
  Event E;
  E.K = Event::Sink;
  E.At = range(At, End);
  auto A = S.analysis();
  E.InProcess = S.InProcess;
  // Preparing is not running, unless the API's prepare is itself a round
  // trip (libpq's PQprepare); then it counts as the statement.
  E.Statement = S.Prepares && !preparesRoundTrip(S.SinkName, Call)
                    ? "prepare"
                    : statementKind(*A, S.Sql.Text);
  std::string Text;
  for (char Ch : llvm::StringRef(S.Sql.Text).trim()) {
    bool Space = llvm::isSpace(Ch);
    if (Space && (Text.empty() || Text.back() == ' '))
      continue;
    Text += Space ? ' ' : Ch;
    if (Text.size() > 72) {
      Text.resize(69);
      Text += "...";
      break;
    }
  }
  E.Text = Text;
  // The facts of every text the site may have (another branch, helper
  // return or call site's argument), each construct once.
  std::set<std::tuple<int, std::string, uint32_t, uint32_t>> Seen;
  auto AddFacts = [&](const SqlSite &Site, const SqlAnalysis &An) {
    for (SqlFact F : An.Facts) {
      F.Snippet = Site.Sql.sourceText(F.Begin, F.End, Ctx);
      SourceLocation B = Site.Sql.locationOf(F.Begin, Ctx);
      SourceLocation End =
          Site.Sql.locationOf(F.End > F.Begin ? F.End - 1 : F.Begin, Ctx);
      LocatedFact LF{std::move(F),
                     B.isValid() ? range(B, SourceLocation()) : E.At};
      if (B.isValid() && End.isValid() &&
          SM.getFileID(SM.getFileLoc(End)) ==
              SM.getFileID(SM.getFileLoc(B)) &&
          offsetOf(End) >= LF.Where.Begin)
        LF.Where.End = offsetOf(End) + 1;
      if (Seen.insert(
                  {LF.Fact.K, LF.Where.File, LF.Where.Begin, LF.Where.End})
              .second)
        E.Facts.push_back(std::move(LF));
    }
  };
  AddFacts(S, *A);
  if (auto It = VariantsOf.find(S.Anchor); It != VariantsOf.end())
    for (const SqlSite *V : It->second)
      AddFacts(*V, *V->analysis());
  return E;
}

void Builder::onCall(const Expr *Call, const FunctionDecl *FD,
            llvm::ArrayRef<const Expr *> Args, const CXXRecordDecl *Object,
            SourceLocation At, bool Virtual, const Unresolved *U) {
  bool ProjectCallee =
      FD && !SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()));
  // SQL executed here: a declared sink, or SQL text handed to any call.
  if (auto It = SinkSites.find(Call); It != SinkSites.end()) {
    addEvent(sinkEvent(*It->second, At, Call->getEndLoc(), Call));
  } else if (auto Op = OpaqueSinks.find(Call); Op != OpaqueSinks.end()) {
    Event E;
    E.K = Event::Sink;
    E.At = range(At, Call->getEndLoc());
    E.Statement = "unknown";
    E.Category = Op->second->SinkName;
    E.InProcess = Op->second->InProcess;
    addEvent(std::move(E));
  } else if (U) {
    unresolvedSink(*U, Call, Args, At);
  } else if (ProjectCallee && !isNotSql(FD) && !isa<CXXConstructExpr>(Call)) {
    // The project's own wrapper (`db.query(sql)`) runs the SQL it gets;
    // one that formats it (`safe_query("... '%q'", v)`, the call is the
    // site) runs it when it returns rows or a status, not text.
    const SqlSite *S = nullptr;
    if (auto It = FreeRoots.find(Call);
        It != FreeRoots.end() && !isTextType(FD->getReturnType()))
      S = It->second;
    for (const Expr *A : Args)
      if (!S)
        S = freeSqlIn(A);
    if (S) {
      Event E = sinkEvent(*S, At, Call->getEndLoc(), Call);
      E.Inferred = true;
      E.Callee = functionId(FD);
      E.CalleeName = displayName(FD);
      addEvent(std::move(E));
    }
  }
  if (!FD && !U)
    return;
  llvm::SmallVector<std::string, 2> Names =
      FD ? calleeNames(FD, Object) : U->names();
  std::string CalleeId =
      FD ? functionId(FD) : byNameCallee(U->Name, Args.size(), U->Scope);
  std::string Shown = FD ? displayName(FD) : U->shown();

  for (const Recognizer &R : Rules.blocking())
    if (matchesAny(R.Function, Names) || hasAnnotation(FD, R.Annotation)) {
      Event E;
      E.K = Event::Blocking;
      E.At = range(At, Call->getEndLoc());
      E.Callee = CalleeId;
      // A constructor reads best as the type written: 'std::ofstream'.
      E.CalleeName =
          isa<CXXConstructExpr>(Call)
              ? Call->getType().getAsString(Ctx.getPrintingPolicy())
          : FD ? Names.front()
               : Shown;
      E.Category = R.How;
      addEvent(std::move(E));
      break;
    }

  bool Registers = false;
  for (auto [List, Kind] :
       {std::pair{&Rules.handlers(), EntryPoint::Handler},
        std::pair{&Rules.jobHandlers(), EntryPoint::JobHandler}})
    if (const Recognizer *R = callRecognizer(*List, FD, Names); R && R->Call)
      for (const FunctionDecl *Target : callablesFor(*R, Args)) {
        Out.Entries.push_back({Kind, functionId(Target), displayName(Target),
                               R->How, range(At, Call->getEndLoc())});
        Registers = true;
      }

  const Recognizer *Dispatcher =
      callRecognizer(Rules.dispatchers(), FD, Names);
  const Recognizer *PerElement =
      Dispatcher ? nullptr : callRecognizer(Rules.perElement(), FD, Names);
  if (!Registers && !Dispatcher && !PerElement &&
      !isa<CXXConstructExpr>(Call))
    inferRegistration(Call,
                      FD ? (FD->getIdentifier() ? FD->getName() : "")
                         : llvm::StringRef(U->Name),
                      Args, At);

  if (const Recognizer *R = Dispatcher) {
    for (const FunctionDecl *Task : callablesFor(*R, Args)) {
      Event E;
      E.K = Event::Dispatch;
      E.At = range(At, Call->getEndLoc());
      E.Callee = functionId(Task);
      E.CalleeName = displayName(Task);
      E.Category = FD ? Names.front() : Shown;
      addEvent(std::move(E));
      // `co_spawn(ex, task(x), ...)`: the call creates the task, whose
      // body runs as the dispatched task, not here.
      if (R->TaskFromCall)
        for (const Expr *A : Args)
          if (const auto *TC = dyn_cast<CallExpr>(stripWrappers(A));
              TC && TC->getDirectCallee() == Task)
            TaskCalls.insert(TC);
    }
    return;
  }

  if (const Recognizer *R = PerElement) {
    // The callable runs once per element: a loop of its own.
    FunctionSummary &F = Out.Functions[Stack.back().Function];
    F.Loops.push_back({range(At, At), FD ? Names.front() : Shown, -1, ""});
    int Loop = static_cast<int>(F.Loops.size()) - 1;
    for (const FunctionDecl *Body : callablesFor(*R, Args)) {
      Event E;
      E.K = Event::Call;
      E.At = range(At, Call->getEndLoc());
      E.InLoop = Loop;
      E.Callee = functionId(Body);
      E.CalleeName = displayName(Body);
      addEvent(std::move(E));
    }
    return;
  }

  if (U ? !Rules.inference().ByName : !ProjectCallee)
    return;
  Event E;
  E.K = Event::Call;
  E.At = range(At, Call->getEndLoc());
  E.Callee = CalleeId;
  E.CalleeName = Shown;
  E.Virtual = Virtual;
  addEvent(std::move(E));
}

// --- Prepared statements ---------------------------------------------------

const Sink *Builder::preparingSink(llvm::StringRef Name, const Expr *Call) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  std::string ViaObject = MC ? nameViaObject(MC, MC->getMethodDecl()) : "";
  for (const Sink &K : Rules.sinks())
    if (K.Prepares && (K.Function.matches(Name) ||
                       (!ViaObject.empty() && K.Function.matches(ViaObject))))
      return &K;
  return nullptr;
}

bool Builder::preparesRoundTrip(llvm::StringRef Name, const Expr *Call) const {
  const Sink *K = preparingSink(Name, Call);
  return K && K->PrepareRoundTrips;
}

const Decl *Builder::queryObject(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 8; ++Guard) {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E);
        U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      return isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts())
                 ? ME->getMemberDecl()
                 : nullptr;
    return nullptr;
  }
  return nullptr;
}

void Builder::linkPrepared(const CallExpr *C, size_t From) {
  auto &PreparedOn = Stack.back().PreparedOn;
  const Decl *Obj = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    Obj = queryObject(MC->getImplicitObjectArgument());
  std::vector<Event> &Events = events();
  for (size_t I = From; I < Events.size(); ++I) {
    Event &E = Events[I];
    if (E.K == Event::Sink) {
      auto Site = SinkSites.find(C);
      auto Opaque = OpaqueSinks.find(C);
      bool Prepares =
          Site != SinkSites.end()
              ? Site->second->Prepares
              : Opaque != OpaqueSinks.end() &&
                    preparingSink(Opaque->second->SinkName, C);
      if (Prepares) {
        // SQL that is not known here: a prepare all the same.
        if (Site == SinkSites.end() &&
            !preparesRoundTrip(Opaque->second->SinkName, C))
          E.Statement = "prepare";
        if (!Obj)
          continue;
        Prepared P{E.At, E.Statement, E.Text, E.Facts};
        if (Site != SinkSites.end())
          P.Statement = statementKind(*Site->second->analysis(),
                                      Site->second->Sql.Text);
        else
          P.Statement = "unknown";
        PreparedOn[Obj] = std::move(P);
        continue;
      }
      // `q.exec()`: no SQL of its own; it runs what q prepared.
      if (Obj && Site == SinkSites.end() && !hasTextArgument(C))
        if (auto P = PreparedOn.find(Obj); P != PreparedOn.end()) {
          E.Statement = P->second.Statement;
          E.Text = P->second.Text;
          E.Facts = P->second.Facts;
          E.Origin = P->second.At;
        }
      continue;
    }
    if (E.K != Event::Call)
      continue;
    const Decl *Handed = Obj && preparedOrDropped(Obj, C->getBeginLoc())
                             ? Obj
                             : nullptr;
    for (unsigned A = 0; !Handed && A < C->getNumArgs(); ++A)
      if (const Decl *D = queryObject(C->getArg(A)); D && PreparedOn.count(D))
        Handed = D;
    if (!Handed)
      continue;
    const Prepared &P = PreparedOn.find(Handed)->second;
    E.Statement = P.Statement;
    E.Text = P.Text;
    E.Origin = P.At;
  }
}

bool Builder::isNotSql(const FunctionDecl *FD) const {
  return anyPatternMatches(Rules.notSqlFunctions(), FD) ||
         anyPatternMatches(Rules.batchFunctions(), FD);
}

} // namespace stresslint::graph

namespace stresslint {

TUSummary buildSummary(ASTContext &Ctx, const RuleSet &Rules,
                       const SqlSites &Sites) {
  graph::Builder B(Ctx, Rules, Sites);
  B.TraverseAST(Ctx);
  B.attachDroppedSql(Sites);
  return B.finish();
}

} // namespace stresslint
