//===--- GraphBuilder.cpp - A translation unit's call-graph summary -------===//
///
/// \file
/// The summary builder's walk over functions, lambdas and calls, and
/// buildSummary; its other parts are in the Builder*.cpp files
/// (graph/Builder.h).
///
//===----------------------------------------------------------------------===//
#include "graph/GraphBuilder.h"
#include "graph/Builder.h"

#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace stresslint::graph {

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
        !Method.empty() && K.SqlArg == Sink::NoSqlArg && PreparingClasses.count(Class))
      RunningMethods.insert(Method.lower());
  for (const SqlSite &S : Sites.Sites) {
    if (S.FromSink)
      SinkSites[S.Anchor] = &S;
    else if (S.Anchor) {
      FreeRoots[ignoreStringWrappers(S.Anchor)] = &S;
      if (S.Var)
        FreeVars[S.Var] = &S;
      if (S.Buffer)
        BufferWrites[S.Buffer].push_back(&S);
    } else if (!S.Sql.Pieces.empty() && S.Sql.Pieces.front().RawLoc.isValid() &&
               inProjectFile(S.Sql.Pieces.front().RawLoc)) {
      DroppedSqlPlaces[place(S.Sql.Pieces.front().RawLoc)] = &S;
      DroppedSite D{&S, place(S.Sql.Pieces.front().RawLoc), 0, ""};
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

void Builder::collectInvalidFunctions(ASTContext &Ctx) {
  // Declarations only: a body declares nothing a call elsewhere names.
  struct Collector : RecursiveASTVisitor<Collector> {
    Builder &B;
    explicit Collector(Builder &B) : B(B) {}
    bool shouldVisitTemplateInstantiations() const { return false; }
    bool TraverseStmt(Stmt *) { return true; }
    bool TraverseDecl(Decl *D) {
      if (!D)
        return true;
      SourceLocation Loc = D->getLocation();
      if (Loc.isValid() && isLibraryCode(B.SM, Loc))
        return true;
      if (auto *FD = dyn_cast<FunctionDecl>(D);
          FD && FD->isInvalidDecl() && FD->getIdentifier())
        B.InvalidFunctions[FD->getName()].push_back(FD);
      return RecursiveASTVisitor::TraverseDecl(D);
    }
  } C(*this);
  C.TraverseAST(Ctx);
}

/// Whether \p Body is one statement, besides declarations of no variable
/// (`namespace fs = boost::filesystem;`, `using`) and empty ones: an
/// expression, a return or a declaration, also inside a `try` whose block
/// is that one statement. A `try`, `if` or loop around more is code of its
/// own.
static bool isOneStatement(const Stmt *Body) {
  const auto *C = dyn_cast_or_null<CompoundStmt>(Body);
  if (!C)
    return false;
  const Stmt *Only = nullptr;
  for (const Stmt *S : C->body()) {
    const auto *D = dyn_cast<DeclStmt>(S);
    if (isa<NullStmt>(S) ||
        (D && llvm::none_of(D->decls(), [](const Decl *X) { return isa<VarDecl>(X); })))
      continue;
    if (Only)
      return false;
    Only = S;
  }
  if (const auto *Try = dyn_cast_or_null<CXXTryStmt>(Only))
    return isOneStatement(Try->getTryBlock());
  return isa_and_nonnull<Expr, ReturnStmt, DeclStmt>(Only);
}

bool Builder::TraverseDecl(Decl *D) {
  if (!D)
    return true;
  SourceLocation Loc = D->getLocation();
  if (Loc.isValid() && isLibraryCode(SM, Loc))
    return true;
  auto *FD = dyn_cast<FunctionDecl>(D);
  if (!FD || !FD->doesThisDeclarationHaveABody())
    return Base::TraverseDecl(D);
  size_t Index = beginFunction(FD, functionId(FD), qualifiedName(FD));
  recogniseEntry(FD, Out.Functions[Index].Id);
  noteBody(FD->getBody(), Index);
  BodyOwners[Index] = FD;
  pushFunction(Index, FD);
  bool R = Base::TraverseDecl(D);
  if (!Stack.back().Given.empty())
    GivenOf[Index] = std::move(Stack.back().Given);
  Stack.pop_back();
  if (Ctx.getDiagnostics().hasErrorOccurred())
    droppedBaseCalls(FD, Index);
  Out.Functions[Index].Once = onceGuard(FD, Rules);
  Out.Functions[Index].Wraps = isOneStatement(FD->getBody());
  Out.Functions[Index].Returns = returnedStatement(FD);
  return R;
}

/// Appends to \p Out the return statements of \p S, not those of lambdas
/// or local classes in it.
static void collectReturns(const Stmt *S, std::vector<const ReturnStmt *> &Out) {
  if (!S || isa<LambdaExpr>(S) ||
      isa<DeclStmt>(S) && llvm::any_of(cast<DeclStmt>(S)->decls(), [](const Decl *D) {
        return isa<CXXRecordDecl>(D);
      }))
    return;
  if (const auto *R = dyn_cast<ReturnStmt>(S)) {
    Out.push_back(R);
    return;
  }
  for (const Stmt *Child : S->children())
    collectReturns(Child, Out);
}

std::string Builder::returnedStatement(const FunctionDecl *FD) const {
  if (!isTextType(FD->getReturnType()) || FreeRoots.empty())
    return "";
  std::vector<const ReturnStmt *> Returns;
  collectReturns(FD->getBody(), Returns);
  std::string Kind;
  for (const ReturnStmt *R : Returns) {
    const Expr *V = ignoreTextCopies(R->getRetValue());
    const SqlSite *S = nullptr;
    if (auto It = FreeRoots.find(V); V && It != FreeRoots.end())
      S = It->second;
    else if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(V))
      if (const auto *Var = dyn_cast<VarDecl>(DRE->getDecl()))
        S = FreeVars.lookup(Var);
    if (!S)
      return "";
    std::string K = statementKind(*S->analysis(), S->Sql.Text);
    if (!Kind.empty() && K != Kind)
      return "";
    Kind = std::move(K);
  }
  return Kind;
}

std::string Builder::lambdaName() const {
  if (Stack.empty() || Out.Functions[Stack.back().Function].Name.empty())
    return "lambda";
  return "lambda in " + Out.Functions[Stack.back().Function].Name;
}

bool Builder::TraverseLambdaExpr(LambdaExpr *L) {
  CXXMethodDecl *Op = L->getCallOperator();
  size_t Index = beginFunction(Op, functionId(Op), lambdaName());
  noteBody(L->getBody(), Index);
  pushFunction(Index, Op);
  bool R = Base::TraverseLambdaExpr(L);
  Stack.pop_back();
  Out.Functions[Index].Wraps = isOneStatement(L->getBody());
  invokedInPlace(L, Index);
  return R;
}

void Builder::invokedInPlace(const LambdaExpr *L, size_t Index) {
  // `auto [status, body] = [&] { ... }();` whose declaration Clang dropped
  // (a type in it unknown for want of headers) keeps the lambda but loses
  // its call: the enclosing function still runs it, here.
  if (Stack.empty() || !Ctx.getDiagnostics().hasErrorOccurred())
    return;
  std::optional<Token> Next =
      Lexer::findNextToken(SM.getFileLoc(L->getEndLoc()), SM, Ctx.getLangOpts());
  if (!Next || !Next->is(tok::l_paren))
    return;
  const std::string &Id = Out.Functions[Index].Id;
  if (llvm::any_of(events(), [&](const Event &E) { return E.Callee == Id; }))
    return;
  Event E;
  E.K = Event::Call;
  E.At = range(Next->getLocation(), Next->getLocation());
  E.Callee = Id;
  E.CalleeName = Out.Functions[Index].Name;
  E.Inferred = true;
  addEvent(std::move(E));
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
  // `q.exec(s)` with an argument Clang could not build is a plain call of
  // a member: at the member's name, as a member call is.
  const auto *CalleeMember = dyn_cast<MemberExpr>(C->getCallee()->IgnoreParens());
  if (CalleeMember && !isa<CXXMemberCallExpr>(C))
    At = CalleeMember->getMemberLoc();
  // A call Clang gave an overload that cannot take its arguments is not
  // that overload's: it chose `exec()` for `q.exec(s)` because `exec(const
  // QString &)` has a type it could not name. The call is read from the
  // tokens, of as many arguments as written (attachDroppedCalls).
  if (FD && FD->getIdentifier() && C->containsErrors() &&
      !isa<CXXOperatorCallExpr>(C) &&
      (Args.size() < FD->getMinRequiredArguments() ||
       (!FD->isVariadic() && Args.size() > FD->getNumParams())) &&
      InvalidFunctions.count(FD->getName()))
    return true;
  // A virtual call, also one Clang left dependent on an argument of a type
  // it does not know (`commitDirectory(dir)`, a plain CallExpr).
  bool Virtual = false;
  if (const auto *ME = dyn_cast<MemberExpr>(C->getCallee()->IgnoreParens()))
    if (const auto *M = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()))
      Virtual = !ME->hasQualifier() && M->isVirtual();
  if (FD && methodHasRole(Rules, MethodRole::SignalConnect, FD))
    recordConnection(C);
  FunctionSummary &F = Out.Functions[Stack.back().Function];
  size_t EventsBefore = F.Events.size(), LoopsBefore = F.Loops.size();
  // The calls this one adds are made on an object of the loop's item.
  struct MarkPerItem {
    Builder &B;
    size_t Function, From;
    bool On;
    ~MarkPerItem() {
      if (!On)
        return;
      std::vector<Event> &Events = B.Out.Functions[Function].Events;
      for (size_t I = From; I < Events.size(); ++I)
        if (Events[I].K == Event::Call)
          Events[I].PerItemObject = true;
    }
  } Mark{*this, Stack.back().Function, EventsBefore, onPerItemObject(C)};
  if (!FD && !isa<CXXOperatorCallExpr>(C))
    if (const FieldDecl *Field = calledField(C->getCallee())) {
      onFieldCall(C, Field, Args, At);
      return true;
    }
  if (!FD && !isa<CXXOperatorCallExpr>(C)) {
    chainedRegistration(C, Args);
    if (std::optional<Unresolved> U = unresolvedCallee(C->getCallee())) {
      // `connect(sender, &A::changed, this, [this] { ... })` in a class
      // whose QObject base is unknown, as of a recovered call below.
      if (Rules.hasMethodRoleNamed(MethodRole::SignalConnect, U->Name))
        recordConnection(Args, U->ScopeClass);
      noteCallName(At);
      onCall(C, nullptr, Args, nullptr,
             U->NameLoc.isValid() ? U->NameLoc : C->getBeginLoc(), false, &*U);
      return true;
    }
  }
  // A call of an empty recovery node (`f(x)`, `f` declared but not built)
  // is read from the tokens (attachDroppedCalls).
  if (FD && !isa<CXXOperatorCallExpr>(C)) {
    noteCallName(At);
    // `ItemScanner::resolveHistory(id, &ids)`: the tokens name the call
    // after its qualifier.
    if (const auto *DRE = dyn_cast<DeclRefExpr>(C->getCallee()->IgnoreParenImpCasts());
        DRE && DRE->hasQualifier())
      noteCallName(DRE->getLocation());
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
  if (auto Rep = Stack.back().Repeated.find(C); Rep != Stack.back().Repeated.end()) {
    FunctionSummary &Now = Out.Functions[Stack.back().Function];
    for (size_t I = EventsBefore; I < Now.Events.size(); ++I)
      if (Now.Events[I].InLoop == Rep->second)
        Now.Events[I].InLoop = Now.Loops[Rep->second].Parent;
  }
  return true;
}

bool Builder::VisitRecoveryExpr(RecoveryExpr *RE) {
  if (Stack.empty())
    return true;
  if (RE->subExpressions().empty()) {
    emptyRecoveryCalls(RE);
    return true;
  }
  const Expr *Callee = RE->subExpressions().front();
  std::optional<Token> Next =
      Lexer::findNextToken(SM.getFileLoc(Callee->getEndLoc()), SM, Ctx.getLangOpts());
  if (!Next || !Next->is(tok::l_paren))
    return true;
  llvm::SmallVector<const Expr *, 8> Args(RE->subExpressions().begin() + 1,
                                          RE->subExpressions().end());
  const Expr *C = Callee->IgnoreParenImpCasts();
  const ValueDecl *Known = nullptr;
  bool Virtual = false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(C)) {
    Known = DRE->getDecl();
  } else if (const auto *ME = dyn_cast<MemberExpr>(C)) {
    Known = ME->getMemberDecl();
    // `commitDirectory(dir)`, `dir` of an unknown type: still a virtual call.
    const auto *M = dyn_cast<CXXMethodDecl>(Known);
    Virtual = M && M->isVirtual() && !ME->hasQualifier();
  }
  if (const auto *FD = dyn_cast_or_null<FunctionDecl>(Known)) {
    onCall(RE, FD, Args, nullptr, Callee->getExprLoc(), Virtual);
    return true;
  }
  if (std::optional<Unresolved> U = unresolvedCallee(Callee)) {
    // `connect(this, SIGNAL(changed()), store, SLOT(reload()))` in a class
    // whose QObject base is unknown.
    if (Rules.hasMethodRoleNamed(MethodRole::SignalConnect, U->Name))
      recordConnection(Args, U->ScopeClass);
    onCall(RE, nullptr, Args, nullptr,
           U->NameLoc.isValid() ? U->NameLoc : RE->getBeginLoc(), false, &*U);
  }
  return true;
}

bool Builder::VisitVarDecl(VarDecl *V) {
  if (!Stack.empty() && V->getIdentifier() && V->isLocalVarDeclOrParm())
    Stack.back().Locals[V->getName()] = V;
  if (!Stack.empty() && !V->getInit() && V->isLocalVarDecl() &&
      Ctx.getDiagnostics().hasErrorOccurred() && Rules.inference().ByName)
    droppedInitializerCalls(V);
  if (!Stack.empty() && V->isLocalVarDecl() && V->getInit() &&
      V->getInit()->containsErrors() && Rules.inference().ByName)
    unresolvedConstruction(V);
  // `sql = queue.front()`, `QString cmd(command)` in a loop: an item of a
  // list of statements the function was given.
  if (!Stack.empty() && currentLoop() >= 0 && V->getInit()) {
    FnState &S = Stack.back();
    const VarDecl *From = textVariable(V->getInit(), Rules);
    const Expr *List = elementContainer(V->getInit(), Rules);
    if ((From && S.Given.count(From)) ||
        (List && holdsGivenStatements(List, S.FD, Rules)))
      S.Given.insert(V);
  }
  // The same copy without headers, whose initializer Clang dropped.
  if (!Stack.empty() && currentLoop() >= 0 && !V->getInit() && V->isLocalVarDecl() &&
      Ctx.getDiagnostics().hasErrorOccurred())
    if (droppedGivenCopy(V))
      Stack.back().Given.insert(V);
  return true;
}

void Builder::unresolvedConstruction(const VarDecl *V) {
  const auto *RD = V->getType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return;
  const Expr *Init = V->getInit()->IgnoreImplicit();
  llvm::SmallVector<const Expr *, 4> Args;
  if (const auto *PL = dyn_cast<ParenListExpr>(Init))
    for (unsigned I = 0; I < PL->getNumExprs(); ++I)
      Args.push_back(PL->getExpr(I));
  else if (const auto *RE = dyn_cast<RecoveryExpr>(Init))
    Args.append(RE->subExpressions().begin(), RE->subExpressions().end());
  Unresolved U;
  U.Name = U.Scope = RD->getName().str();
  U.NameLoc = V->getLocation();
  const Sink *K = Args.empty() ? nullptr : sinkByName(U, Args.size());
  if (!K || K->SqlArg < 0 || K->Prepares ||
      static_cast<size_t>(K->SqlArg) >= Args.size())
    return;
  // Only with its SQL: `QSqlQuery q(db)` runs nothing.
  if (const SqlSite *S = freeSqlIn(Args[static_cast<size_t>(K->SqlArg)])) {
    Event E = sinkEvent(*S, V->getLocation(), Init->getEndLoc(), Init);
    E.InProcess = K->InProcess;
    E.Inferred = true;
    addEvent(std::move(E));
  }
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
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD)) {
    for (const CXXMethodDecl *O : M->overridden_methods())
      F.Overrides.push_back(functionId(O));
    // Written `virtual`, `override` or `final` in the class, yet overriding
    // nothing Clang could see: the base's declaration is invalid (an
    // unknown type in it). An out-of-line definition whose signature is
    // invalid too is not matched to its declaration: look it up by name.
    auto WrittenVirtual = [](const NamedDecl *ND) {
      const auto *D = dyn_cast<CXXMethodDecl>(ND);
      return D && (D->isVirtualAsWritten() || D->hasAttr<OverrideAttr>() ||
                   D->hasAttr<FinalAttr>());
    };
    if (F.Overrides.empty() && !isa<CXXDestructorDecl>(M) && M->getIdentifier() &&
        (WrittenVirtual(M->getCanonicalDecl()) ||
         llvm::any_of(M->getParent()->lookup(M->getDeclName()), WrittenVirtual)))
      F.ClassBases = writtenBases(M->getParent());
  }
  F.MinArgs = FD->getMinRequiredArguments();
  // A member defined out of line whose declaration Clang dropped (its
  // header's types are missing): the defaults are written there, unseen,
  // so any trailing argument may be left out.
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD);
      M && M->isOutOfLine() && (M->isInvalidDecl() || M->isFirstDecl()))
    F.MinArgs = 0;
  F.MaxArgs = FD->isVariadic() || llvm::any_of(FD->parameters(),
                                               [](const ParmVarDecl *P) {
                                                 return P->isParameterPack();
                                               })
                  ? -1
                  : static_cast<int>(FD->getNumParams());
  Out.Functions.push_back(std::move(F));
  return Out.Functions.size() - 1;
}

bool Builder::onPerItemObject(const CallExpr *C) const {
  int Loop = currentLoop();
  if (Loop < 0)
    return false;
  const Expr *Object = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    Object = MC->getImplicitObjectArgument();
  else if (const auto *ME = dyn_cast<MemberExpr>(C->getCallee()->IgnoreParens()))
    Object = ME->getBase();
  else if (std::optional<UnresolvedMember> M =
               unresolvedMember(C->getCallee(), SM, Ctx.getLangOpts()))
    Object = M->Object;
  const auto *DRE =
      Object ? dyn_cast<DeclRefExpr>(Object->IgnoreParenImpCasts()) : nullptr;
  return DRE && declaredInLoop(DRE->getDecl(), Loop);
}

bool Builder::declaredInLoop(const Decl *D, int Loop) const {
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  if (Loop < 0 || Stack.empty() || !VD || !VD->hasLocalStorage() ||
      isa<ParmVarDecl>(VD))
    return false;
  // Declared after the loop's keyword, and used in its body: declared in
  // the loop (its element, or a local of the body).
  const SrcRange &At = Out.Functions[Stack.back().Function].Loops[Loop].At;
  SrcRange Decl = range(VD->getLocation(), VD->getLocation());
  return Decl.File == At.File && Decl.Begin > At.Begin;
}

void Builder::addEvent(Event E) {
  E.InLoop = E.InLoop >= 0 ? E.InLoop : currentLoop();
  if (!Stack.empty()) {
    E.Requires = Stack.back().Requires;
    E.Batched = Stack.back().Batched > 0;
    E.Memoised = Stack.back().Memoised > 0;
  }
  events().push_back(std::move(E));
}

} // namespace stresslint::graph

namespace stresslint {

TUSummary buildSummary(ASTContext &Ctx, const RuleSet &Rules, const SqlSites &Sites) {
  graph::Builder B(Ctx, Rules, Sites);
  if (Ctx.getDiagnostics().hasErrorOccurred())
    B.collectInvalidFunctions(Ctx);
  B.TraverseAST(Ctx);
  // The calls first: a dropped statement one is handed is not run where it
  // is written.
  B.attachDroppedCalls();
  B.attachDroppedSql(Sites);
  return B.finish();
}

} // namespace stresslint
