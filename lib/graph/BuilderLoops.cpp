//===--- BuilderLoops.cpp - Loops, and why one is not per item ------------===//
///
/// \file
/// The statements that open a loop (for, range-for, while, do, the loops
/// Clang dropped) and the ways a loop is not once per item: a retry, a
/// poll, a fixed list, a pool, a once flag or a parameter test around it.
/// Just past 500 lines: each traversal asks the same questions of its loop,
/// and they read best beside each other.
///
//===----------------------------------------------------------------------===//
#include "graph/Builder.h"

#include "clang/AST/ParentMapContext.h"
#include "llvm/ADT/StringExtras.h"

namespace stresslint::graph {

/// A word of the name says retry or attempt (`retries`, `maxTries`,
/// `RETRY_COUNT`, `numAttempts`): the loop retries one operation. Words,
/// not letters: `entries`, `countries` and `retrieved` say nothing of it.
bool isRetryName(llvm::StringRef Name) {
  llvm::SmallVector<std::string, 4> Words;
  std::string Word;
  for (size_t I = 0; I <= Name.size(); ++I) {
    char C = I < Name.size() ? Name[I] : '_';
    bool Boundary =
        C == '_' || llvm::isDigit(C) ||
        (C >= 'A' && C <= 'Z' && I > 0 && Name[I - 1] >= 'a' && Name[I - 1] <= 'z');
    if (Boundary && !Word.empty()) {
      Words.push_back(Word);
      Word.clear();
    }
    if (C != '_' && !llvm::isDigit(C))
      Word += llvm::toLower(C);
  }
  return llvm::any_of(Words, [](llvm::StringRef W) {
    return W.startswith("retry") || W == "retries" || W == "retried" ||
           W.startswith("attempt") || W == "try" || W == "tries" || W == "trys";
  });
}

namespace {

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
    return DRE->getDecl()->getIdentifier() && isRetryName(DRE->getDecl()->getName());
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
  if (const auto *U = dyn_cast<UnaryOperator>(Cond); U && U->getOpcode() == UO_LNot)
    Cond = U->getSubExpr()->IgnoreParenImpCasts();
  // `!(terminate_ || shutdown)`, `running && !stopped`: flags, each of them.
  if (const auto *B = dyn_cast<BinaryOperator>(Cond);
      B && (B->getOpcode() == BO_LOr || B->getOpcode() == BO_LAnd))
    return isEventLoopCondition(B->getLHS(), Ctx) &&
           isEventLoopCondition(B->getRHS(), Ctx);
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
/// (`do { id = insert(sql); } while (!id)`), also through a local the
/// call initialises (`auto f = load(parent); parent = f.parentId;`, a walk
/// up a tree). Each run is a retry, the next batch of one query or the
/// next step of a walk, not one query per item.
class RepeatedCalls : public RecursiveASTVisitor<RepeatedCalls> {
public:
  RepeatedCalls(const Expr *Cond, const Stmt *Body) {
    collectVars(Cond);
    if (!Vars.empty())
      TraverseStmt(const_cast<Stmt *>(Body));
  }
  llvm::SmallPtrSet<const Expr *, 4> Calls;

  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitVarDecl(VarDecl *V) {
    if (const CallExpr *C = call(V->getInit()))
      Results[V] = C;
    return true;
  }
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
  /// Locals of the body initialised by a call, and the call.
  llvm::DenseMap<const VarDecl *, const CallExpr *> Results;

  /// The call \p E is, through a conversion or a copy.
  static const CallExpr *call(const Expr *E) {
    if (!E)
      return nullptr;
    const Expr *R = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *Cons = dyn_cast<CXXConstructExpr>(R);
        Cons && Cons->getNumArgs() == 1)
      R = Cons->getArg(0)->IgnoreImplicit()->IgnoreParens();
    const auto *C = dyn_cast<CallExpr>(R);
    return C && !isa<CXXOperatorCallExpr>(C) ? C : nullptr;
  }

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
    if (const CallExpr *C = call(RHS)) {
      Calls.insert(C);
      return;
    }
    // `parent = f.parentId`, `f` the result of a call in the body.
    const Expr *R = RHS->IgnoreParenImpCasts();
    while (const auto *ME = dyn_cast<MemberExpr>(R))
      R = ME->getBase()->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(R))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
        if (auto It = Results.find(V); It != Results.end())
          Calls.insert(It->second);
  }
};

} // namespace

/// The cursor of a loop that walks a list of records, `for (c = first(l);
/// c; c = next(l))` or `for (T *c = head; c; c = c->next)`, with the
/// expression it starts from; else null.
static const VarDecl *listCursor(const ForStmt *S, const Expr *&Start) {
  const VarDecl *V = nullptr;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(S->getInit());
      DS && DS->isSingleDecl()) {
    V = dyn_cast<VarDecl>(DS->getSingleDecl());
    Start = V ? V->getInit() : nullptr;
  } else if (const auto *B = dyn_cast_or_null<BinaryOperator>(S->getInit());
             B && B->getOpcode() == BO_Assign) {
    const auto *DRE = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
    V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    Start = B->getRHS();
  }
  const auto *Inc = dyn_cast_or_null<BinaryOperator>(S->getInc());
  const auto *Next = Inc && Inc->getOpcode() == BO_Assign
                         ? dyn_cast<DeclRefExpr>(Inc->getLHS()->IgnoreParenImpCasts())
                         : nullptr;
  if (!S->getInit() && Next) {
    // `for (; c; c = next(l))`, c set before the loop: the walk is the step.
    V = dyn_cast<VarDecl>(Next->getDecl());
    Start = Inc->getRHS();
  }
  if (!V || !Start || !Next || Next->getDecl() != V || !V->getType()->isPointerType())
    return nullptr;
  return V;
}

/// A foreach macro's expansion (Qt 5's `foreach (const QString &s, list)`):
/// `for (auto c = make(list); ...; ...) if (s = *c.i; false) {} else body`,
/// or before C++17 `for (s = *c.i; c.control; c.control = 0) body`, a loop
/// that runs once. The loop goes over the elements of make's one argument,
/// and the inner statement's init takes each in turn. Read by its shape,
/// not by the macro's name: the list, the item declared or assigned, and
/// what to traverse as the loop's body.
struct ForeachExpansion {
  const Expr *Range = nullptr;
  const VarDecl *Item = nullptr;
  Stmt *Init = nullptr, *Body = nullptr;
};
static ForeachExpansion foreachExpansion(ForStmt *S) {
  const auto *DS = dyn_cast_or_null<DeclStmt>(S->getInit());
  const auto *Cursor =
      DS && DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl()) : nullptr;
  if (!Cursor || !Cursor->getInit())
    return {};
  const auto *Make =
      dyn_cast<CallExpr>(Cursor->getInit()->IgnoreUnlessSpelledInSource());
  if (!Make || Make->getNumArgs() != 1)
    return {};
  ForeachExpansion F;
  if (auto *If = dyn_cast_or_null<IfStmt>(S->getBody()); If && If->getElse()) {
    F.Init = If->getInit();
    F.Body = If->getElse();
  } else if (auto *Once = dyn_cast_or_null<ForStmt>(S->getBody())) {
    F.Init = Once->getInit();
    F.Body = Once->getBody();
  }
  // The item: `T s = *c.i` declared, or `s = *c.i` assigned.
  const Expr *Value = nullptr;
  if (const auto *Init = dyn_cast_or_null<DeclStmt>(F.Init);
      Init && Init->isSingleDecl()) {
    F.Item = dyn_cast<VarDecl>(Init->getSingleDecl());
    Value = F.Item ? F.Item->getInit() : nullptr;
  } else if (const auto *B = dyn_cast_or_null<BinaryOperator>(F.Init);
             B && B->getOpcode() == BO_Assign) {
    if (const auto *D = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts()))
      F.Item = dyn_cast<VarDecl>(D->getDecl());
    Value = B->getRHS();
  }
  // `*c.i`: the built-in `*` of a pointer, or an iterator's operator*.
  const Expr *Iterator = nullptr;
  Value = Value ? Value->IgnoreUnlessSpelledInSource() : nullptr;
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(Value);
      U && U->getOpcode() == UO_Deref)
    Iterator = U->getSubExpr();
  else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Value);
           Op && Op->getOperator() == OO_Star && Op->getNumArgs() == 1)
    Iterator = Op->getArg(0);
  if (!F.Item || !F.Body || !Iterator)
    return {};
  const auto *Member = dyn_cast<MemberExpr>(Iterator->IgnoreParenImpCasts());
  const auto *Base =
      Member ? dyn_cast<DeclRefExpr>(Member->getBase()->IgnoreParenImpCasts())
             : nullptr;
  if (!Base || Base->getDecl() != Cursor)
    return {};
  F.Range = Make->getArg(0);
  return F;
}

int Builder::parameterIndex(const Expr *E) const {
  E = E ? E->IgnoreParenImpCasts() : nullptr;
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E);
  const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  return P && !Stack.empty() && P->getDeclContext() == Stack.back().FD
             ? static_cast<int>(P->getFunctionScopeIndex())
             : -1;
}

int Builder::countedParameter(const Expr *Cond) const {
  // `i < ids.count()`, `i != ids.size()`: the parameter counted.
  const auto *B =
      dyn_cast_or_null<BinaryOperator>(Cond ? Cond->IgnoreParenImpCasts() : nullptr);
  if (!B ||
      !(B->getOpcode() == BO_LT || B->getOpcode() == BO_LE || B->getOpcode() == BO_NE))
    return -1;
  const Expr *Bound = B->getRHS()->IgnoreParenImpCasts();
  std::string Name;
  const Expr *Object = nullptr;
  if (const auto *Call = dyn_cast<CXXMemberCallExpr>(Bound)) {
    if (const NamedDecl *M = Call->getMethodDecl(); M && M->getIdentifier())
      Name = M->getName().str();
    Object = Call->getImplicitObjectArgument();
  } else if (const auto *C = dyn_cast<CallExpr>(Bound)) {
    // `ids.count()` on a parameter of a type unknown without headers.
    if (std::optional<UnresolvedMember> U =
            unresolvedMember(C->getCallee(), SM, Ctx.getLangOpts())) {
      Name = U->Name;
      Object = U->Object;
    }
  }
  if (!Object ||
      !llvm::is_contained(
          std::initializer_list<llvm::StringRef>{"size", "count", "length"}, Name))
    return -1;
  return parameterIndex(Object);
}

bool Builder::TraverseForStmt(ForStmt *S) {
  TraverseStmt(S->getInit());
  TraverseStmt(S->getCond());
  TraverseStmt(S->getInc());
  if (ForeachExpansion F = foreachExpansion(S); F.Range) {
    TraverseStmt(F.Init);
    return rangeLoop(S->getForLoc(), F.Range, F.Item, F.Body);
  }
  // A walk over records the function was given (a layout read from a file,
  // a queue): a text field of the record run as a statement is one of a
  // list of statements, each run once (graph/GivenStatements.h).
  const Expr *Start = nullptr;
  if (const VarDecl *Cursor = listCursor(S, Start);
      Cursor && !Stack.empty() && holdsGivenStatements(Start, Stack.back().FD, Rules))
    Stack.back().Given.insert(Cursor);
  LoopBound Bound = forBound(S, Ctx, Rules);
  LoopInfo L{range(S->getForLoc(), S->getForLoc()), "for", Bound.TripCount,
             Bound.NotPerItem};
  L.FixedList = Bound.FixedList;
  L.OverParam = countedParameter(S->getCond());
  if (isEventLoopCondition(S->getCond(), Ctx))
    L.NotPerItem = "loop runs until stopped";
  if (mentionsRetryCounter(S->getCond()) || mentionsRetryCounter(S->getInit()))
    L.NotPerItem = "retry loop";
  return inLoop(std::move(L), S->getBody());
}

bool Builder::TraverseCXXForRangeStmt(CXXForRangeStmt *S) {
  TraverseStmt(S->getInit());
  TraverseStmt(S->getRangeInit());
  return rangeLoop(S->getForLoc(), S->getRangeInit(), S->getLoopVariable(),
                   S->getBody());
}

bool Builder::rangeLoop(SourceLocation For, const Expr *Range, const VarDecl *Item,
                        Stmt *Body) {
  LoopBound Bound = rangeBound(Range, Rules);
  LoopInfo L{range(For, For), "range-for", Bound.TripCount, Bound.NotPerItem};
  L.FixedList = Bound.FixedList;
  L.OverParam = parameterIndex(Range);
  if (!Stack.empty() && Item && holdsGivenStatements(Range, Stack.back().FD, Rules))
    Stack.back().Given.insert(Item);
  return inLoop(std::move(L), Body);
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
  bool R = traverseBlock(S);
  if (!Stack.empty() && Ctx.getDiagnostics().hasErrorOccurred())
    droppedStatementCalls(S);
  return R;
}

bool Builder::traverseBlock(CompoundStmt *S) {
  if (Stack.empty() || Stack.back().Loops.empty() || S->body_empty())
    return Base::TraverseCompoundStmt(S);
  const Stmt *Last = S->body_back();
  const auto *LastExpr = dyn_cast<Expr>(Last);
  bool LeavesFunction = isa<ReturnStmt>(Last) ||
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
  noteRange(ExitBlocks, S, Stack.back().Function,
            Stack.back().Loops.empty() ? -1 : Stack.back().Loops.back());
  bool R = Base::TraverseCompoundStmt(S);
  Stack.back().Loops = std::move(Saved);
  return R;
}

std::vector<std::pair<int, int>> Builder::parameterTests(const Expr *Cond,
                                                         bool &Whole) const {
  std::vector<std::pair<int, int>> Out;
  Whole = false;
  if (!Cond || Stack.empty() || !Stack.back().FD)
    return Out;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(Cond); B && B->getOpcode() == BO_LAnd) {
    // Each side's tests hold; the negation of the whole is no conjunction
    // of tests, so Whole stays false.
    bool Side = false;
    Out = parameterTests(B->getLHS(), Side);
    for (auto T : parameterTests(B->getRHS(), Side))
      Out.push_back(T);
    Whole = false;
    return Out;
  }
  bool Value = true;
  for (unsigned Guard = 0; Guard < 8; ++Guard) {
    if (const auto *U = dyn_cast<UnaryOperator>(Cond); U && U->getOpcode() == UO_LNot) {
      Value = !Value;
      Cond = U->getSubExpr()->IgnoreParenImpCasts();
    } else if (const auto *B = dyn_cast<BinaryOperator>(Cond);
               B && (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE) &&
               isa<CXXBoolLiteralExpr>(B->getRHS()->IgnoreParenImpCasts())) {
      bool Lit =
          cast<CXXBoolLiteralExpr>(B->getRHS()->IgnoreParenImpCasts())->getValue();
      Value = Value == (Lit == (B->getOpcode() == BO_EQ));
      Cond = B->getLHS()->IgnoreParenImpCasts();
    } else {
      break;
    }
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(Cond);
  const auto *P = DRE ? dyn_cast<ParmVarDecl>(DRE->getDecl()) : nullptr;
  if (!P || P->getDeclContext() != Stack.back().FD || !P->getType()->isBooleanType())
    return Out;
  Out.emplace_back(static_cast<int>(P->getFunctionScopeIndex()), Value ? 1 : 0);
  Whole = true;
  return Out;
}

const VarDecl *Builder::onceFlag(const IfStmt *S) const {
  if (Stack.empty() || Stack.back().Loops.empty() || !Stack.back().FD ||
      !Stack.back().FD->getBody() || !S->getCond())
    return nullptr;
  const Expr *C = S->getCond()->IgnoreParenImpCasts();
  while (const auto *B = dyn_cast<BinaryOperator>(C))
    if (B->getOpcode() == BO_LAnd)
      C = B->getLHS()->IgnoreParenImpCasts();
    else
      break;
  bool On = true; // The value that passes the test.
  if (const auto *U = dyn_cast<UnaryOperator>(C); U && U->getOpcode() == UO_LNot) {
    On = false;
    C = U->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(C);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || isa<ParmVarDecl>(V) || !V->isLocalVarDecl() ||
      !V->getType()->isBooleanType())
    return nullptr;
  // The assignments of V under \p Root: how many set it on, how many off.
  auto Count = [&](const Stmt *Root, unsigned &Ons, unsigned &Offs) {
    llvm::SmallVector<const Stmt *, 32> Work{Root};
    while (!Work.empty()) {
      const Stmt *X = Work.pop_back_val();
      if (!X)
        continue;
      if (const auto *B = dyn_cast<BinaryOperator>(X); B && B->isAssignmentOp()) {
        const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
        if (L && L->getDecl() == V) {
          const auto *Lit =
              dyn_cast<CXXBoolLiteralExpr>(B->getRHS()->IgnoreParenImpCasts());
          ++(Lit && Lit->getValue() != On ? Offs : Ons);
        }
      }
      for (const Stmt *Child : X->children())
        Work.push_back(Child);
    }
  };
  unsigned OnInArm = 0, OffInArm = 0, Ons = 0, Offs = 0;
  Count(S->getThen(), OnInArm, OffInArm);
  Count(Stack.back().FD->getBody(), Ons, Offs);
  return OffInArm > 0 && Ons == 0 ? V : nullptr;
}

bool Builder::traverseBatchIf(IfStmt *S) {
  const Stmt *Body =
      Stack.empty() || !Stack.back().FD ? nullptr : Stack.back().FD->getBody();
  if (!Body || !S->getCond())
    return false;
  llvm::SmallVector<Expr *, 4> Operands{S->getCond()};
  for (size_t I = 0; I < Operands.size();)
    if (auto *B = dyn_cast<BinaryOperator>(Operands[I]->IgnoreParens());
        B && B->getOpcode() == BO_LAnd) {
      Operands[I] = B->getRHS();
      Operands.insert(Operands.begin() + I, B->getLHS());
    } else {
      ++I;
    }
  auto Full = llvm::find_if(
      Operands, [&](const Expr *Op) { return testsFullBatch(Op, Body, S, Ctx); });
  if (Full == Operands.end())
    return false;
  TraverseStmt(S->getInit());
  for (auto It = Operands.begin(); It != Full; ++It)
    TraverseStmt(*It);
  ++Stack.back().Batched;
  for (auto It = Full; It != Operands.end(); ++It)
    TraverseStmt(*It);
  TraverseStmt(S->getThen());
  --Stack.back().Batched;
  TraverseStmt(S->getElse());
  return true;
}

bool Builder::TraverseLabelStmt(LabelStmt *S) {
  if (!Stack.empty() && S->getDecl() && S->getDecl()->getIdentifier() &&
      isRetryName(S->getDecl()->getName()))
    Stack.back().AfterRetryLabel = true;
  return Base::TraverseLabelStmt(S);
}

/// Does \p S call something named like connecting (`mysql_real_connect`,
/// `db.reconnect()`, `connectToDatabase`)?
static bool callsConnect(const Stmt *S, unsigned Depth = 0) {
  if (!S || Depth > 64)
    return false;
  if (const auto *C = dyn_cast<CallExpr>(S)) {
    std::string Name;
    const Expr *Callee = C->getCallee()->IgnoreParenImpCasts();
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Callee))
      Name = DRE->getNameInfo().getAsString();
    else if (const auto *ME = dyn_cast<MemberExpr>(Callee))
      Name = ME->getMemberNameInfo().getAsString();
    else if (const auto *O = dyn_cast<OverloadExpr>(Callee))
      Name = O->getName().getAsString();
    if (llvm::StringRef(Name).contains_insensitive("connect"))
      return true;
  }
  for (const Stmt *Child : S->children())
    if (callsConnect(Child, Depth + 1))
      return true;
  return false;
}

bool Builder::backingOff(const Expr *Call) {
  if (Stack.empty())
    return false;
  const FnState &S = Stack.back();
  int Loop = currentLoop();
  bool InRetryLoop =
      Loop >= 0 && Out.Functions[S.Function].Loops[Loop].NotPerItem == "retry loop";
  if (!(S.Retrying > 0 || S.AfterRetryLabel || InRetryLoop))
    return false;
  // What is retried: the retry loop's body, else the whole function (a
  // `retry:` label, an `if (!firstAttempt)` before the attempt).
  const Stmt *Scope = S.FD ? S.FD->getBody() : nullptr;
  if (InRetryLoop && !S.Retrying && !S.AfterRetryLabel && Scope)
    for (DynTypedNode Node = DynTypedNode::create(*Call); Scope == S.FD->getBody();) {
      DynTypedNodeList Parents = Ctx.getParents(Node);
      if (Parents.empty())
        break;
      Node = Parents[0];
      if (const auto *Up = Node.get<Stmt>();
          isa_and_nonnull<ForStmt, WhileStmt, DoStmt>(Up))
        Scope = Up;
    }
  return callsConnect(Scope);
}

bool Builder::TraverseIfStmt(IfStmt *S) {
  if (!isRecoveredLoop(*S, SM, Ctx.getLangOpts()) && traverseBatchIf(S))
    return true;
  if (!Stack.empty() && !isRecoveredLoop(*S, SM, Ctx.getLangOpts()) &&
      mentionsRetryCounter(S->getCond())) {
    TraverseStmt(S->getInit());
    TraverseStmt(S->getCond());
    ++Stack.back().Retrying;
    TraverseStmt(S->getThen());
    --Stack.back().Retrying;
    TraverseStmt(S->getElse());
    return true;
  }
  if (!Stack.empty() && !isRecoveredLoop(*S, SM, Ctx.getLangOpts()) &&
      !lazyLoadGuard(S, Rules, Ctx).empty()) {
    TraverseStmt(S->getInit());
    TraverseStmt(S->getCond());
    ++Stack.back().Memoised;
    TraverseStmt(S->getThen());
    --Stack.back().Memoised;
    return true;
  }
  if (const VarDecl *Flag = onceFlag(S)) {
    // The loops entered after the flag was declared do not repeat the arm.
    SrcRange Decl = range(Flag->getLocation(), Flag->getLocation());
    const FunctionSummary &F = Out.Functions[Stack.back().Function];
    std::vector<int> Saved = Stack.back().Loops;
    llvm::erase_if(Stack.back().Loops, [&](int L) {
      return F.Loops[L].At.File == Decl.File && F.Loops[L].At.Begin > Decl.Begin;
    });
    TraverseStmt(S->getInit());
    TraverseStmt(S->getCond());
    TraverseStmt(S->getThen());
    Stack.back().Loops = std::move(Saved);
    TraverseStmt(S->getElse());
    return true;
  }
  if (!isRecoveredLoop(*S, SM, Ctx.getLangOpts())) {
    bool Whole = false;
    std::vector<std::pair<int, int>> Tests = S->getConditionVariable()
                                                 ? std::vector<std::pair<int, int>>()
                                                 : parameterTests(S->getCond(), Whole);
    if (Tests.empty())
      return Base::TraverseIfStmt(S);
    // `if (!unload) db.exec(...)`: what the arms run needs the flag so.
    TraverseStmt(S->getInit());
    TraverseStmt(S->getCond());
    std::vector<std::pair<int, int>> &Requires = Stack.back().Requires;
    size_t Depth = Requires.size();
    Requires.insert(Requires.end(), Tests.begin(), Tests.end());
    TraverseStmt(S->getThen());
    Stack.back().Requires.resize(Depth);
    if (S->getElse()) {
      if (Whole)
        Stack.back().Requires.emplace_back(Tests.front().first,
                                           1 - Tests.front().second);
      TraverseStmt(S->getElse());
      Stack.back().Requires.resize(Depth);
    }
    return true;
  }
  TraverseStmt(S->getInit());
  TraverseStmt(S->getCond());
  // `_Sf (T x ; range)`: the item is the init-statement's variable.
  const VarDecl *Item = nullptr;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(S->getInit());
      DS && DS->isSingleDecl())
    Item = dyn_cast<VarDecl>(DS->getSingleDecl());
  return rangeLoop(SM.getExpansionLoc(S->getIfLoc()), S->getCond(), Item, S->getThen());
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
        After.Loops[Index].Kind != "range-for" && E.Polls &&
        After.Loops[Index].NotPerItem.empty())
      After.Loops[Index].NotPerItem = "polling loop";
  return R;
}

int Builder::currentLoop() const {
  return Stack.back().Loops.empty() ? -1 : Stack.back().Loops.back();
}

} // namespace stresslint::graph
