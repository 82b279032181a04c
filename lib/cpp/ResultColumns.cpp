//===--- ResultColumns.cpp - The columns a program reads of a result -------===//
#include "cpp/ResultColumns.h"
#include "cpp/Names.h"
#include "cpp/Reconstruct.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace stresslint {
namespace {

/// The parent of every statement of the function bodies indexed (the
/// query's, then the helpers the rows are handed to), and the references
/// to each declaration in them, in source order.
class BodyIndex : public RecursiveASTVisitor<BodyIndex> {
public:
  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool dataTraverseStmtPre(Stmt *S) {
    if (!Stack.empty())
      Parent[S] = Stack.back();
    Stack.push_back(S);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      Refs[DRE->getDecl()].push_back(DRE);
    return true;
  }
  bool dataTraverseStmtPost(Stmt *) {
    Stack.pop_back();
    return true;
  }

  llvm::DenseMap<const Stmt *, const Stmt *> Parent;
  llvm::DenseMap<const ValueDecl *, std::vector<const DeclRefExpr *>> Refs;

private:
  std::vector<const Stmt *> Stack;
};

/// A use of a value in a call: as the object of a member call (or the
/// left operand of a member operator), or as argument Arg.
constexpr int AsObject = Sink::ObjectStatement;

class Follower {
public:
  Follower(ASTContext &Ctx, const RuleSet &Rules, BodyIndex &Index,
           const Expr *SiteCall)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Rules(Rules), Index(Index),
        SiteCall(SiteCall), Names(Ctx, Rules, NoMutations, NoCallers) {}

  ColumnReads Out;
  /// A call that reads the rows (a column, a row, or none) was met.
  bool SawResultCall = false;

  /// Follows every use of the value \p E.
  void follow(const Expr *E) {
    if (!Out.Complete || ++Steps > 10000)
      return fail("the result is used in too many places", E);
    const Expr *Cur = climb(E);
    const Stmt *P = parent(Cur);
    if (!P || isa<CompoundStmt>(P))
      return; // Discarded.
    if (const auto *ME = dyn_cast<MemberExpr>(P)) {
      const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(parent(ME));
      if (ME->getBase() != Cur || !MC || MC->getCallee() != ME)
        return fail("a member of the result is read", ME);
      return onCall(MC, AsObject);
    }
    if (const auto *Call = dyn_cast<CallExpr>(P)) {
      const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call);
      // `res = r;` of a class type (a callback handing its rows out).
      if (Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
          Op->getArg(1) == Cur) {
        const auto *DRE = dyn_cast<DeclRefExpr>(Op->getArg(0)->IgnoreParenImpCasts());
        if (DRE && isa<VarDecl>(DRE->getDecl()))
          return followVar(DRE->getDecl(), Op->getEndLoc(), nullptr);
        return fail("the result is stored where stresslint cannot follow it", Op);
      }
      if (Op && Op->getNumArgs() >= 1 && Op->getArg(0) == Cur &&
          isa_and_nonnull<CXXMethodDecl>(Op->getCalleeDecl()))
        return onCall(Call, AsObject);
      for (unsigned I = 0; I < Call->getNumArgs(); ++I)
        if (Call->getArg(I) == Cur)
          return onCall(Call, static_cast<int>(I));
      return fail("the result is called", Call);
    }
    if (const auto *For = dyn_cast<CXXForRangeStmt>(P)) {
      if (For->getRangeInit() == Cur)
        return followVar(For->getLoopVariable(), For->getBeginLoc(), nullptr);
      return fail("the result is used where stresslint cannot follow it", For);
    }
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D); VD && VD->getInit() == Cur)
          return followVar(VD, Cur->getBeginLoc(), nullptr);
      return fail("the result is used where stresslint cannot follow it", DS);
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->getOpcode() == BO_Assign && BO->getRHS() == Cur) {
        const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
        if (DRE && isa<VarDecl>(DRE->getDecl()))
          return followVar(DRE->getDecl(), BO->getBeginLoc(), nullptr);
        return fail("the result is stored where stresslint cannot follow it", BO);
      }
      if (BO->isAssignmentOp() && BO->getLHS() == Cur)
        return; // Given another value: the uses that follow read that one.
      if (BO->isEqualityOp() || BO->isLogicalOp())
        return; // A null check.
      return fail("the result is used where stresslint cannot follow it", BO);
    }
    if (const auto *IC = dyn_cast<ImplicitCastExpr>(P);
        IC && IC->getType()->isBooleanType())
      return; // `if (res)`, `if (!q.exec(...))`.
    if (const auto *U = dyn_cast<UnaryOperator>(P); U && U->getOpcode() == UO_LNot)
      return;
    if (isa<ReturnStmt>(P))
      return fail("the result is returned", P);
    if (isa<IfStmt, WhileStmt, DoStmt, ForStmt>(P))
      return; // Used as a condition.
    return fail("the result is used where stresslint cannot follow it", P);
  }

  /// Follows the uses of \p V from \p From on, up to the first that gives
  /// it another statement or value; \p Until, when given, ends them too.
  void followVar(const ValueDecl *V, SourceLocation From, const Expr *Until) {
    if (!Followed.insert(V).second)
      return;
    const auto *VD = dyn_cast<VarDecl>(V);
    if (!VD || !(VD->hasLocalStorage() || isa<ParmVarDecl>(VD)))
      return fail("the result is kept in '" + V->getNameAsString() +
                      "', which outlives the function",
                  SiteCall);
    auto It = Index.Refs.find(V);
    if (It == Index.Refs.end())
      return;
    SourceLocation End = boundaryAfter(It->second, From);
    if (Until &&
        (End.isInvalid() || SM.isBeforeInTranslationUnit(Until->getBeginLoc(), End)))
      End = Until->getBeginLoc();
    for (const DeclRefExpr *R : It->second) {
      SourceLocation L = R->getBeginLoc();
      if (SM.isBeforeInTranslationUnit(L, From) ||
          (End.isValid() && !SM.isBeforeInTranslationUnit(L, End)))
        continue;
      follow(R);
      if (!Out.Complete)
        return;
    }
  }

  /// Follows the result a callable \p Arg receives as its first parameter,
  /// when it is a lambda whose first parameter is a \p Type.
  void followCallback(const Expr *Arg, const NamePattern &Type, const Stmt *At) {
    for (unsigned Guard = 0; Arg && Guard < 8; ++Guard) {
      Arg = Arg->IgnoreImplicit();
      if (const auto *C = dyn_cast<CXXConstructExpr>(Arg); C && C->getNumArgs() >= 1)
        Arg = C->getArg(0); // std::function from the lambda
      else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(Arg))
        Arg = F->getSubExpr();
      else
        break;
    }
    const auto *L = dyn_cast_or_null<LambdaExpr>(Arg);
    const CXXMethodDecl *Op = L ? L->getCallOperator() : nullptr;
    if (!Op || Op->getNumParams() < 1)
      return fail("the rows are handed to a callable stresslint cannot see", At);
    const ParmVarDecl *P = Op->getParamDecl(0);
    const CXXRecordDecl *RD = P->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD || !Type.matches(qualifiedName(RD)))
      return fail("the rows are handed to a callable stresslint cannot see", At);
    followVar(P, L->getBody()->getBeginLoc(), nullptr);
  }

  /// The Callback entry \p Call (the sink itself: `execSqlAsync(sql, cb)`)
  /// matches, if any.
  const ResultCall *callbackOf(const CallExpr *Call) const {
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD)
      return nullptr;
    std::string Declared = qualifiedName(FD), Via = nameViaObject(Call, FD);
    for (const ResultCall &RC : Rules.resultCalls())
      if (RC.K == ResultCall::Callback &&
          (RC.Function.matches(Declared) || (!Via.empty() && RC.Function.matches(Via))))
        return &RC;
    return nullptr;
  }

  void fail(const std::string &Why, const Stmt *At) {
    if (!Out.Complete)
      return;
    Out.Complete = false;
    Out.Why = Why;
    Out.WhyLoc = At ? At->getBeginLoc() : SourceLocation();
  }

private:
  const Stmt *parent(const Stmt *S) const { return Index.Parent.lookup(S); }

  /// The outermost expression around \p E that is still the same value
  /// (parentheses, temporaries, copies, `*it`, `&stmt`).
  const Expr *climb(const Expr *E) const {
    for (const Stmt *P = parent(E); P; P = parent(E)) {
      if (const auto *IC = dyn_cast<ImplicitCastExpr>(P)) {
        if (IC->getType()->isBooleanType())
          break;
        E = IC;
        continue;
      }
      // `co_await db.execSqlCoro(sql)`: the rows the awaiter gives.
      if (isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              ExprWithCleanups, CoawaitExpr>(P)) {
        E = cast<Expr>(P);
        continue;
      }
      if (const auto *C = dyn_cast<CXXConstructExpr>(P);
          C && C->getNumArgs() == 1 && C->getConstructor()->isCopyOrMoveConstructor()) {
        E = C;
        continue;
      }
      if (const auto *U = dyn_cast<UnaryOperator>(P);
          U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf)) {
        E = U;
        continue;
      }
      break;
    }
    return E;
  }

  /// The first use of \p V after \p From that gives it another value or
  /// other SQL, or an invalid location.
  SourceLocation boundaryAfter(llvm::ArrayRef<const DeclRefExpr *> Refs,
                               SourceLocation From) const {
    for (const DeclRefExpr *R : Refs) {
      if (!SM.isBeforeInTranslationUnit(From, R->getBeginLoc()))
        continue;
      const Expr *Cur = climb(R);
      const Stmt *P = parent(Cur);
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(P);
          BO && BO->isAssignmentOp() && BO->getLHS() == Cur)
        return R->getBeginLoc();
      if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(P);
          Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 &&
          Op->getArg(0) == Cur)
        return R->getBeginLoc(); // `f = other;` of a class type.
      const CallExpr *Call = nullptr;
      if (const auto *ME = dyn_cast_or_null<MemberExpr>(P))
        Call = dyn_cast_or_null<CXXMemberCallExpr>(parent(ME));
      else
        Call = dyn_cast_or_null<CallExpr>(P);
      if (Call && Call != SiteCall && runsOtherSql(Call))
        return R->getBeginLoc();
    }
    return {};
  }

  /// Is \p Call a sink that gives its statement SQL of its own?
  bool runsOtherSql(const CallExpr *Call) const {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      return false;
    std::string Declared = qualifiedName(FD), Via = nameViaObject(Call, FD);
    for (const Sink &K : Rules.sinks())
      if (K.SqlArg != Sink::NoSqlArg &&
          (K.SqlArg < 0 || static_cast<unsigned>(K.SqlArg) < Call->getNumArgs()) &&
          (K.Function.matches(Declared) || (!Via.empty() && K.Function.matches(Via))))
        return true;
    return false;
  }

  /// \p Call uses the followed value at \p Pos.
  void onCall(const CallExpr *Call, int Pos) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD)
      return fail("the result is passed to a call stresslint cannot resolve", Call);
    std::string Declared = qualifiedName(FD), Via = nameViaObject(Call, FD);
    // A member operator's arguments count from its object.
    unsigned Shift = isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(FD) ? 1 : 0;
    auto Matches = [&](const NamePattern &P) {
      return P.matches(Declared) || (!Via.empty() && P.matches(Via));
    };
    for (const ResultCall &RC : Rules.resultCalls()) {
      int At = RC.ResultArg == AsObject || RC.ResultArg == ResultCall::AnyArg
                   ? RC.ResultArg
                   : RC.ResultArg + static_cast<int>(Shift);
      if ((At != Pos && At != ResultCall::AnyArg) || !Matches(RC.Function))
        continue;
      SawResultCall = true;
      if (RC.K == ResultCall::Callback) {
        unsigned A = static_cast<unsigned>(RC.CallableArg) + Shift;
        if (RC.CallableArg < 0 || A >= Call->getNumArgs() || !RC.ResultType)
          continue;
        return followCallback(Call->getArg(A), *RC.ResultType, Call);
      }
      switch (RC.K) {
      case ResultCall::NoColumn:
      case ResultCall::Callback:
        return;
      case ResultCall::Row:
        return follow(Call);
      case ResultCall::Column: {
        unsigned K = static_cast<unsigned>(RC.KeyArg) + Shift;
        if (RC.KeyArg < 0 || K >= Call->getNumArgs())
          return fail("a column is read in a way stresslint does not know", Call);
        return readKey(Call->getArg(K), Call);
      }
      }
    }
    if (Call == SiteCall)
      return;
    for (const Sink &K : Rules.sinks())
      if (Matches(K.Function))
        return; // Runs the statement (`q.exec()`, `sqlite3_step`).
    for (const Bind &B : Rules.binds())
      if (Matches(B.Function))
        return;
    if (Pos != AsObject && followIntoHelper(FD, static_cast<unsigned>(Pos) - Shift))
      return;
    fail(Pos == AsObject ? "'" + FD->getNameAsString() + "' is called on the result"
                         : "the result is passed to '" + FD->getNameAsString() + "'",
         Call);
  }

  /// Follows the rows into a function of the project they are handed to
  /// (`render(row)`, `toItem(r)`) through its parameter \p Arg, when its
  /// body is in this translation unit and no override may run instead.
  bool followIntoHelper(const FunctionDecl *FD, unsigned Arg) {
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def) || !Def || Arg >= Def->getNumParams() || HelperDepth >= 4 ||
        isLibraryCode(SM, Def->getLocation()))
      return false;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Def); MD && MD->isVirtual())
      return false;
    if (!Entered.insert(Def).second)
      return true; // Entered before (recursion, a second call): read once.
    Index.TraverseStmt(const_cast<Stmt *>(Def->getBody()));
    ++HelperDepth;
    followVar(Def->getParamDecl(Arg), Def->getBody()->getBeginLoc(), nullptr);
    --HelperDepth;
    return true;
  }

  /// Records the column \p Key names or counts.
  void readKey(const Expr *Key, const CallExpr *Call) {
    Key = Key->IgnoreParenImpCasts();
    Expr::EvalResult R;
    if (!Key->isValueDependent() && !Key->containsErrors() &&
        Key->getType()->isIntegralOrEnumerationType() && Key->EvaluateAsInt(R, Ctx)) {
      llvm::APSInt V = R.Val.getInt();
      if (V.isNegative() || V.getActiveBits() > 16)
        return fail("a column is read at an unusual position", Call);
      unsigned Pos = static_cast<unsigned>(V.getZExtValue());
      auto It = llvm::lower_bound(Out.Positions, Pos);
      if (It == Out.Positions.end() || *It != Pos)
        Out.Positions.insert(It, Pos);
      return;
    }
    // `PQgetvalue(res, i, PQfnumber(res, "title"))`: the position a column
    // read by name gives is that column, already counted.
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Key))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->getInit() && positionByName(VD->getInit()))
        return;
    if (positionByName(Key))
      return;
    ReconstructedSql Text = Names.build(Key, SourceLocation());
    if (!Text.HasLiteral || !Text.Holes.empty() || Text.Text.empty())
      return fail("a column is chosen at run time", Call);
    if (llvm::none_of(Out.Names, [&](const std::string &N) {
          return llvm::StringRef(N).equals_insensitive(Text.Text);
        }))
      Out.Names.push_back(Text.Text);
  }

  /// Is \p E a column read on a value this follower follows, whose value
  /// is the column's position (`PQfnumber(res, "title")`)? That read names
  /// the column where its own use of the value is followed.
  bool positionByName(const Expr *E) const {
    const auto *Call = dyn_cast<CallExpr>(E->IgnoreParenImpCasts());
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || isa<CXXMethodDecl>(FD) ||
        !Call->getType()->isIntegralOrEnumerationType())
      return false;
    std::string Declared = qualifiedName(FD);
    for (const ResultCall &RC : Rules.resultCalls()) {
      if (RC.K != ResultCall::Column || RC.ResultArg < 0 ||
          static_cast<unsigned>(RC.ResultArg) >= Call->getNumArgs() ||
          !RC.Function.matches(Declared))
        continue;
      const auto *DRE = dyn_cast<DeclRefExpr>(
          Call->getArg(static_cast<unsigned>(RC.ResultArg))->IgnoreParenImpCasts());
      if (DRE && Followed.count(DRE->getDecl()))
        return true;
    }
    return false;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const RuleSet &Rules;
  BodyIndex &Index;
  const Expr *SiteCall;
  /// The helpers entered, and how deep the current one is.
  llvm::SmallPtrSet<const FunctionDecl *, 4> Entered;
  unsigned HelperDepth = 0;
  MutationMap NoMutations;
  CallSiteMap NoCallers;
  Reconstructor Names;
  llvm::SmallPtrSet<const ValueDecl *, 8> Followed;
  unsigned Steps = 0;
};

/// Is the value of \p Call used (not a statement of its own)?
bool valueUsed(const Expr *Call, const BodyIndex &Index) {
  const Stmt *P = Index.Parent.lookup(Call);
  while (
      isa_and_nonnull<ExprWithCleanups, CXXBindTemporaryExpr, MaterializeTemporaryExpr>(
          P))
    P = Index.Parent.lookup(P);
  return P && !isa<CompoundStmt>(P);
}

} // namespace

ColumnReads readColumns(const Expr *Sink, const ValueDecl *Statement,
                        const FunctionDecl *Function, ASTContext &Ctx,
                        const RuleSet &Rules) {
  ColumnReads Out;
  if (!Function || !Function->hasBody()) {
    Out.Complete = false;
    Out.Why = "the query runs outside a function";
    return Out;
  }
  BodyIndex Index;
  Index.TraverseStmt(Function->getBody());
  Follower F(Ctx, Rules, Index, Sink);
  QualType T = Sink->getType();
  bool Value = !T.isNull() && (T->isRecordType() || T->isPointerType()) &&
               valueUsed(Sink, Index);
  const auto *SinkCall = dyn_cast<CallExpr>(Sink);
  if (const ResultCall *RC = F.callbackOf(SinkCall)) {
    // `client->execSqlAsync(sql, [](const Result &r) {...}, ...)`.
    F.SawResultCall = true;
    if (RC->CallableArg >= 0 &&
        static_cast<unsigned>(RC->CallableArg) < SinkCall->getNumArgs() &&
        RC->ResultType)
      F.followCallback(SinkCall->getArg(static_cast<unsigned>(RC->CallableArg)),
                       *RC->ResultType, Sink);
    else
      F.fail("the rows are handed to a callable stresslint cannot see", Sink);
  } else if (Value) {
    // `auto r = txn.exec(sql)`, `PGresult *res = PQexec(...)`, `for (auto &row
    // : db.execSqlSync(sql))`.
    F.follow(Sink);
  } else if (Statement) {
    // `q.exec(sql); while (q.next()) q.value("title")`; sqlite3's `&stmt`.
    F.followVar(Statement, Sink->getBeginLoc(), nullptr);
  } else {
    F.fail("the rows are not read in this function", Sink);
  }
  // Nothing read the rows here (a statement prepared by name and run
  // elsewhere): not "no column is read".
  if (!F.SawResultCall)
    F.fail("the rows are not read in this function", nullptr);
  return std::move(F.Out);
}

} // namespace stresslint
