//===--- Repetition.cpp - How often code repeats, as the code says ---------===//
///
/// \file
/// One file past 500 lines, on purpose: loop bounds (fixed lists,
/// configuration) and once guards (done flags, memo caches, searches that
/// load on a miss) read expressions through the same helpers at its top
/// (strip, persistentOf); splitting them would add a header for those
/// helpers alone. What a method does (a lookup, a store, a flag's read) is
/// said by name in the API files' method lists (rules/apis/std.yaml,
/// qt-core.yaml).
///
//===----------------------------------------------------------------------===//
#include "graph/Repetition.h"
#include "cpp/Names.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <climits>
#include <optional>

using namespace clang;

namespace stresslint {

namespace {

const Expr *strip(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 32; ++Guard) {
    const Expr *Next = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *C = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = C->getSubExpr();
    else if (const auto *C = dyn_cast<CStyleCastExpr>(Next))
      Next = C->getSubExpr();
    else if (const auto *R = dyn_cast<RecoveryExpr>(Next);
             R && R->subExpressions().size() == 1 && R->subExpressions().front())
      Next = R->subExpressions().front(); // `tables` of a type Clang half knows.
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

llvm::StringRef nameOf(const NamedDecl *D) {
  return D && D->getIdentifier() ? D->getName() : llvm::StringRef();
}

/// The number of elements a container's initialiser gives it: `{"a", "b"}`,
/// `std::vector<std::string>{"a", "b"}`, `QStringList() << "a" << "b"`, or
/// -1 when the initialiser does not enumerate them.
int enumeratedCount(const Expr *Init, unsigned Depth = 0) {
  Init = strip(Init);
  if (!Init || Depth > 8)
    return -1;
  if (const auto *IL = dyn_cast<CXXStdInitializerListExpr>(Init))
    return enumeratedCount(IL->getSubExpr(), Depth + 1);
  if (const auto *IL = dyn_cast<InitListExpr>(Init)) {
    // `std::vector<T> v = {{"a", "b"}}` is a list around the list.
    if (IL->getNumInits() == 1)
      if (const auto *Inner =
              dyn_cast<CXXStdInitializerListExpr>(strip(IL->getInit(0))))
        return enumeratedCount(Inner, Depth + 1);
    return static_cast<int>(IL->getNumInits());
  }
  if (const auto *C = dyn_cast<CXXConstructExpr>(Init)) {
    unsigned Written = 0;
    for (const Expr *A : C->arguments())
      Written += !isa<CXXDefaultArgExpr>(A);
    if (Written == 0)
      return 0;
    if (Written == 1) {
      const Expr *A = strip(C->getArg(0));
      if (isa<CXXStdInitializerListExpr, InitListExpr>(A))
        return enumeratedCount(A, Depth + 1);
      // A copy of another enumerated container.
      if (A->getType()->getAsCXXRecordDecl() == Init->getType()->getAsCXXRecordDecl())
        return enumeratedCount(A, Depth + 1);
    }
    return -1;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Init);
      Op && Op->getOperator() == OO_LessLess && Op->getNumArgs() == 2) {
    int Left = enumeratedCount(Op->getArg(0), Depth + 1);
    return Left < 0 ? -1 : Left + 1;
  }
  return -1;
}

/// Does anything in \p Body change \p VD (a call of a non-const method
/// other than reads (API YAML `read-methods:`), an assignment, `<<`, taking
/// its address, passing it by non-const reference)?
class MutationFinder : public RecursiveASTVisitor<MutationFinder> {
public:
  MutationFinder(const VarDecl *VD, const RuleSet &Rules) : VD(VD), Rules(Rules) {}
  bool Found = false;

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *C) {
    const CXXMethodDecl *M = C->getMethodDecl();
    if (isVar(C->getImplicitObjectArgument()) && M && !M->isConst() &&
        !methodHasRole(Rules, MethodRole::Read, M))
      Found = true;
    return !Found;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *C) {
    const auto *M = dyn_cast_or_null<CXXMethodDecl>(C->getDirectCallee());
    if (C->getNumArgs() > 0 && isVar(C->getArg(0)) &&
        ((M && !M->isConst()) || C->isAssignmentOp()))
      Found = true;
    return !Found;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    // `list << x` on a type whose header is missing is a dependent `<<`.
    if ((B->isAssignmentOp() || B->getType()->isDependentType()) && isVar(B->getLHS()))
      Found = true;
    return !Found;
  }
  bool VisitCXXDependentScopeMemberExpr(CXXDependentScopeMemberExpr *M) {
    if (!M->isImplicitAccess() && isVar(M->getBase()))
      Found = true; // `list.append(x)` unresolved: may change it.
    return !Found;
  }
  bool VisitRecoveryExpr(RecoveryExpr *R) {
    // `list << x` Clang could not build (the element type unknown): it may
    // change the list. The list alone (a loop's range re-spelled as a
    // condition) is a read.
    if (R->subExpressions().size() > 1 &&
        llvm::any_of(R->subExpressions(), [&](const Expr *E) { return isVar(E); }))
      Found = true;
    return !Found;
  }
  bool VisitUnaryOperator(UnaryOperator *U) {
    if (U->getOpcode() == UO_AddrOf && isVar(U->getSubExpr()))
      Found = true;
    return !Found;
  }
  bool VisitCallExpr(CallExpr *C) {
    const FunctionDecl *FD = C->getDirectCallee();
    if (!FD && C->containsErrors()) {
      // A call Clang could not resolve (`list.append(x)` where the class
      // lacks the member, `fill(list)` undeclared): it may change the list.
      if (isVar(C->getCallee()) ||
          llvm::any_of(C->arguments(), [&](const Expr *A) { return isVar(A); }))
        Found = true;
      return !Found;
    }
    if (!FD || isa<CXXOperatorCallExpr>(C))
      return true;
    for (unsigned I = 0; I < C->getNumArgs() && I < FD->getNumParams(); ++I) {
      QualType T = FD->getParamDecl(I)->getType();
      if (T->isReferenceType() && !T.getNonReferenceType().isConstQualified() &&
          isVar(C->getArg(I)))
        Found = true;
    }
    return !Found;
  }

private:
  bool isVar(const Expr *E) const {
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(strip(E));
    return DRE && DRE->getDecl() == VD;
  }
  const VarDecl *VD;
  const RuleSet &Rules;
};

bool isConstType(QualType T) { return T.getNonReferenceType().isConstQualified(); }

/// A local container initialised by enumeration and never changed in its
/// function, or a constant one anywhere: its element count, else -1.
int fixedContainerSize(const ValueDecl *D, const RuleSet &Rules) {
  if (const auto *FD = dyn_cast_or_null<FieldDecl>(D))
    return isConstType(FD->getType()) && FD->hasInClassInitializer()
               ? enumeratedCount(FD->getInClassInitializer())
               : -1;
  const auto *VD = dyn_cast_or_null<VarDecl>(D);
  if (!VD || !VD->getInit() || isa<ParmVarDecl>(VD))
    return -1;
  int N = enumeratedCount(VD->getInit());
  if (N < 0 || isConstType(VD->getType()))
    return N;
  // Built empty and looped over: filled where Clang lost the code that does
  // it (a statement it dropped without headers), not a list of none.
  if (N == 0 || !VD->hasLocalStorage())
    return -1;
  const auto *Fn = dyn_cast_or_null<FunctionDecl>(VD->getParentFunctionOrMethod());
  if (!Fn || !Fn->getBody())
    return -1;
  MutationFinder M(VD, Rules);
  M.TraverseStmt(Fn->getBody());
  return M.Found ? -1 : N;
}

/// The declaration a range or bound expression names, through a
/// `pass-through:` call (`std::as_const(x)`).
const ValueDecl *namedContainer(const Expr *E, const RuleSet &Rules) {
  E = strip(E);
  if (const auto *C = dyn_cast_or_null<CallExpr>(E);
      C && C->getNumArgs() == 1 &&
      methodHasRole(Rules, MethodRole::PassThrough, C->getDirectCallee()))
    E = strip(C->getArg(0));
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// The number of elements of a range known at compile time, or -1.
int constantRangeSize(const Expr *Range) {
  Range = Range->IgnoreImplicit()->IgnoreParens();
  if (const auto *IL = dyn_cast<CXXStdInitializerListExpr>(Range))
    Range = IL->getSubExpr()->IgnoreImplicit();
  if (const auto *IL = dyn_cast<InitListExpr>(Range))
    return static_cast<int>(IL->getNumInits());
  QualType T = Range->getType().getNonReferenceType();
  if (const auto *CA = dyn_cast_or_null<ConstantArrayType>(T->getAsArrayTypeUnsafe()))
    return static_cast<int>(CA->getSize().getLimitedValue(INT_MAX));
  if (const auto *TS =
          dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
      TS && TS->getIdentifier() && TS->getName() == "array" &&
      TS->getTemplateArgs().size() == 2 &&
      TS->getTemplateArgs()[1].getKind() == TemplateArgument::Integral)
    return static_cast<int>(
        TS->getTemplateArgs()[1].getAsIntegral().getLimitedValue(INT_MAX));
  return -1;
}

/// A name that says configuration: `config`, `settings_`, `opts`, `cfg`.
bool isConfigName(llvm::StringRef Name) {
  std::string L = Name.lower();
  llvm::StringRef S(L);
  return S.contains("config") || S.contains("setting") || S.contains("option") ||
         S.contains("cfg") || S == "opts" || S == "conf" || S.startswith("conf_") ||
         S.endswith("_conf");
}

/// Does \p E name, by a variable or member on the way, something \p Says
/// of its name?
template <typename Pred> bool namesSuch(const Stmt *E, Pred Says, unsigned Depth = 0) {
  if (!E || Depth > 16)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return Says(nameOf(DRE->getDecl()));
  if (const auto *ME = dyn_cast<MemberExpr>(E); ME && Says(nameOf(ME->getMemberDecl())))
    return true;
  for (const Stmt *C : E->children())
    if (namesSuch(C, Says, Depth + 1))
      return true;
  return false;
}

/// Does \p E name a pool (`m_poolSize`, `pool_.size()`)? A loop over a
/// pool runs once per pooled connection or worker, a number the
/// configuration sets, not the data.
bool namesPool(const Stmt *E) {
  return namesSuch(E, [](llvm::StringRef N) { return N.contains_insensitive("pool"); });
}

/// A name that says data store: `backends`, `d_shards`, `ReplicaSet`.
bool isStoreName(llvm::StringRef Name) {
  return Name.contains_insensitive("backend") || Name.contains_insensitive("shard") ||
         Name.contains_insensitive("replica");
}

/// Does \p T, or a type it is made of (`vector<unique_ptr<DnsBackend>>`,
/// `Backend *`), name a data store?
bool typeNamesStore(QualType T, unsigned Depth = 0) {
  if (T.isNull() || Depth > 4)
    return false;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    return typeNamesStore(T->getPointeeType(), Depth + 1);
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (isStoreName(nameOf(RD)))
    return true;
  if (const auto *TS = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : TS->getTemplateArgs().asArray())
      if (A.getKind() == TemplateArgument::Type &&
          typeNamesStore(A.getAsType(), Depth + 1))
        return true;
  return false;
}

/// Does \p E go over the data stores themselves (`for (b : backends)`,
/// `i < shards_.size()`)? Asking each configured backend or shard in turn
/// is one round trip per store, a number the configuration sets.
bool namesStores(const Expr *E) {
  return E && (namesSuch(E, isStoreName) || typeNamesStore(strip(E)->getType()));
}

/// Does \p E read its value from a configuration object (by the name of a
/// variable, member or type on the way)?
bool readsConfiguration(const Stmt *E, unsigned Depth = 0) {
  if (!E || Depth > 16)
    return false;
  auto TypeIsConfig = [](QualType T) {
    T = T.getNonReferenceType();
    if (T->isPointerType())
      T = T->getPointeeType();
    const auto *RD = T->getAsCXXRecordDecl();
    return RD && isConfigName(nameOf(RD));
  };
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return isConfigName(nameOf(DRE->getDecl())) || TypeIsConfig(DRE->getType());
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (isConfigName(nameOf(ME->getMemberDecl())) ||
        TypeIsConfig(ME->getBase()->getType()))
      return true;
  for (const Stmt *C : E->children())
    if (readsConfiguration(C, Depth + 1))
      return true;
  return false;
}

// --- Once guards -------------------------------------------------------------

/// The persistent variable \p E reads: a data member (of this object, or of
/// a member), or a variable with static storage.
const ValueDecl *persistentOf(const Expr *E, unsigned Depth = 0) {
  E = strip(E);
  if (!E || Depth > 8)
    return nullptr;
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (isa<VarDecl>(ME->getMemberDecl()))
      return ME->getMemberDecl(); // A static data member.
    const Expr *Base = strip(ME->getBase());
    if (isa<CXXThisExpr>(Base) || persistentOf(Base, Depth + 1))
      return ME->getMemberDecl();
    return nullptr;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    return VD && VD->hasGlobalStorage() ? VD : nullptr;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref)
    return persistentOf(U->getSubExpr(), Depth + 1);
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && (Op->getOperator() == OO_Arrow || Op->getOperator() == OO_Star))
    return persistentOf(Op->getArg(0), Depth + 1);
  return nullptr;
}

struct Guard {
  const ValueDecl *D = nullptr;
  bool Flag = false;       ///< A bool flag (else a container).
  bool Positive = true;    ///< True when set / found (the early-return case).
  bool Connection = false; ///< `if (db.isOpen()) return db;`
};

/// The variable an object expression names, local or persistent.
const ValueDecl *objectOf(const Expr *E) {
  if (const ValueDecl *D = persistentOf(E))
    return D;
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(strip(E));
  return DRE ? DRE->getDecl() : nullptr;
}

/// The guards of one function, read with the method lists of \p Rules.
class GuardReader {
public:
  GuardReader(const RuleSet &Rules, const ASTContext &Ctx) : Rules(Rules), Ctx(Ctx) {}

  std::optional<Guard> guardOf(const Expr *Cond, unsigned Depth = 0) const;
  bool writes(const Stmt *S, const ValueDecl *D, unsigned Depth = 0) const;
  const ValueDecl *lookupIn(const Expr *E) const;

private:
  bool has(MethodRole R, const NamedDecl *D) const {
    return methodHasRole(Rules, R, D);
  }
  const Expr *objectOfCall(const Expr *E, MethodRole R) const;
  bool isBoolish(QualType T) const;
  bool isEndCall(const Expr *E) const;
  const ValueDecl *iteratorOf(const Expr *E) const;

  const RuleSet &Rules;
  const ASTContext &Ctx;
};

/// The object of \p E when it calls a method with role \p R: resolved, or
/// named on an object of a class Clang knows by name only (`db.isOpen()`
/// without Qt's headers, read by the method's name); else null.
const Expr *GuardReader::objectOfCall(const Expr *E, MethodRole R) const {
  if (const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E))
    return has(R, MC->getMethodDecl()) ? MC->getImplicitObjectArgument() : nullptr;
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  if (!Call)
    return nullptr;
  // `d->backend->open(d->parameters)` with an argument of a type Clang could
  // not name: a plain call of the member Clang still resolved.
  if (const auto *ME = dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParens());
      ME && isa<CXXMethodDecl>(ME->getMemberDecl()))
    return has(R, ME->getMemberDecl()) ? ME->getBase() : nullptr;
  if (Call->getDirectCallee())
    return nullptr;
  std::optional<UnresolvedMember> U =
      unresolvedMember(Call->getCallee(), Ctx.getSourceManager(), Ctx.getLangOpts());
  return U && U->Object && Rules.hasMethodRole(R, "", U->Name) ? U->Object : nullptr;
}

/// A bool, or a `flag-types:` class (`std::atomic<bool>`).
bool GuardReader::isBoolish(QualType T) const {
  T = T.getNonReferenceType();
  if (T->isBooleanType())
    return true;
  return has(MethodRole::FlagType, T->getAsCXXRecordDecl());
}

/// `cache_.find(k)` / `cache_.contains(k)` / `cache_.count(k)` on a
/// persistent container (`lookup-methods:`): the container.
const ValueDecl *GuardReader::lookupIn(const Expr *E) const {
  const Expr *Object = objectOfCall(strip(E), MethodRole::Lookup);
  return Object ? persistentOf(Object) : nullptr;
}

/// `x.end()` (`end-methods:`).
bool GuardReader::isEndCall(const Expr *E) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(strip(E));
  return MC && has(MethodRole::End, MC->getMethodDecl());
}

/// The cache an iterator variable was looked up in (`auto it = c_.find(k)`).
const ValueDecl *GuardReader::iteratorOf(const Expr *E) const {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(strip(E));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->hasLocalStorage() && VD->getInit() ? lookupIn(VD->getInit())
                                                      : nullptr;
}

std::optional<Guard> GuardReader::guardOf(const Expr *Cond, unsigned Depth) const {
  Cond = strip(Cond);
  if (!Cond || Depth > 8)
    return std::nullopt;
  if (const auto *U = dyn_cast<UnaryOperator>(Cond); U && U->getOpcode() == UO_LNot) {
    std::optional<Guard> G = guardOf(U->getSubExpr(), Depth + 1);
    if (G)
      G->Positive = !G->Positive;
    return G;
  }
  // `lhs != rhs`, `lhs == rhs` (built-in or overloaded).
  const Expr *L = nullptr, *R = nullptr;
  bool Equal = false;
  if (const auto *B = dyn_cast<BinaryOperator>(Cond)) {
    if (B->getOpcode() == BO_LOr || B->getOpcode() == BO_LAnd) {
      if (auto G = guardOf(B->getLHS(), Depth + 1))
        return G;
      return guardOf(B->getRHS(), Depth + 1);
    }
    if (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE || B->getOpcode() == BO_GT ||
        B->getOpcode() == BO_GE) {
      L = B->getLHS();
      R = B->getRHS();
      Equal = B->getOpcode() == BO_EQ;
    }
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
             Op && Op->getNumArgs() == 2 &&
             (Op->getOperator() == OO_EqualEqual ||
              Op->getOperator() == OO_ExclaimEqual)) {
    L = Op->getArg(0);
    R = Op->getArg(1);
    Equal = Op->getOperator() == OO_EqualEqual;
  }
  if (L && R) {
    for (auto [A, B] : {std::pair{L, R}, std::pair{R, L}}) {
      if (!isEndCall(B))
        continue;
      if (const ValueDecl *D = lookupIn(A) ? lookupIn(A) : iteratorOf(A))
        return Guard{D, false, !Equal};
    }
    // `count(k) == 0`, `flag == true`; `i > -1`, `i >= 0` of an index
    // looked up (`indexOf(k)`, -1 when missing).
    bool Zero = false, True = false;
    Expr::EvalResult V;
    if (!R->isValueDependent() && R->EvaluateAsInt(V, Ctx)) {
      // `npos`, an unsigned all-ones, is no small sentinel.
      int64_t N = V.Val.getInt().isRepresentableByInt64() ? V.Val.getInt().getExtValue()
                                                          : INT64_MAX;
      bool Ge =
          isa<BinaryOperator>(Cond) && cast<BinaryOperator>(Cond)->getOpcode() == BO_GE;
      (N == 0 || N == -1 ? Zero : True) = !Ge || N == 0;
    } else if (isa<CXXNullPtrLiteralExpr, GNUNullExpr>(R->IgnoreParenImpCasts()))
      Zero = true; // `s_instance == nullptr`
    if (std::optional<Guard> G = (Zero || True) ? guardOf(L, Depth + 1) : std::nullopt)
      return Guard{G->D, G->Flag, Equal == True ? G->Positive : !G->Positive};
    return std::nullopt;
  }
  if (const ValueDecl *D = lookupIn(Cond) ? lookupIn(Cond) : iteratorOf(Cond))
    return Guard{D, false, true};
  // A connection already open: what follows sets it up, once per
  // connection.
  if (const Expr *Object = objectOfCall(Cond, MethodRole::OpenCheck))
    if (const ValueDecl *D = objectOf(Object))
      return Guard{D, true, true, true};
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond)) {
    const ValueDecl *D = persistentOf(MC->getImplicitObjectArgument());
    if (!D)
      return std::nullopt;
    if (has(MethodRole::EmptyCheck, MC->getMethodDecl()))
      return Guard{D, false, false};
    if (isBoolish(D->getType()) && (has(MethodRole::FlagRead, MC->getMethodDecl()) ||
                                    isa<CXXConversionDecl>(MC->getMethodDecl())))
      return Guard{D, true, true};
    return std::nullopt;
  }
  // A flag, or a pointer set once (`if (!s_instance) s_instance = new C;`).
  if (const ValueDecl *D = persistentOf(Cond);
      D && (isBoolish(D->getType()) || D->getType()->isPointerType()))
    return Guard{D, true, true};
  return std::nullopt;
}

/// Does \p S store into \p D (assign it, assign an element, insert, set;
/// open it when it is a connection)?
bool GuardReader::writes(const Stmt *S, const ValueDecl *D, unsigned Depth) const {
  if (!S || Depth > 64)
    return false;
  if (const Expr *Object = objectOfCall(dyn_cast<Expr>(S), MethodRole::Open);
      Object && objectOf(Object) == D)
    return true;
  if (const auto *B = dyn_cast<BinaryOperator>(S);
      B && B->isAssignmentOp() && persistentOf(B->getLHS()) == D)
    return true;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S); Op && Op->getNumArgs() > 0) {
    const Expr *Target = Op->getArg(0);
    if (const auto *Sub = dyn_cast<CXXOperatorCallExpr>(strip(Target));
        Sub && Sub->getOperator() == OO_Subscript)
      Target = Sub->getArg(0);
    if ((Op->isAssignmentOp() || Op->getOperator() == OO_Subscript) &&
        persistentOf(Target) == D)
      return true;
  }
  if (const Expr *Object = objectOfCall(dyn_cast<Expr>(S), MethodRole::Store);
      Object && persistentOf(Object) == D)
    return true;
  for (const Stmt *C : S->children())
    if (writes(C, D, Depth + 1))
      return true;
  return false;
}

bool endsInReturn(const Stmt *S) {
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    return !CS->body_empty() && isa<ReturnStmt>(CS->body_back());
  return isa_and_nonnull<ReturnStmt>(S);
}

std::string describe(const Guard &G) {
  std::string Name = G.D->getNameAsString();
  if (G.Connection)
    return "sets up connection '" + Name + "' once";
  return G.Flag ? "runs once ('" + Name + "')" : "memoised in '" + Name + "'";
}

} // namespace

LoopBound rangeBound(const Expr *Range, const RuleSet &Rules) {
  LoopBound B;
  if (!Range)
    return B;
  B.TripCount = constantRangeSize(Range);
  if (B.TripCount < 0)
    B.TripCount = enumeratedCount(Range); // A temporary: `QStringList{...}`.
  if (B.TripCount < 0)
    B.TripCount = fixedContainerSize(namedContainer(Range, Rules), Rules);
  B.FixedList = B.TripCount >= 0;
  if (!B.FixedList && namesPool(Range))
    B.NotPerItem = "once per pooled connection";
  else if (!B.FixedList && namesStores(Range))
    B.NotPerItem = "once per backend";
  return B;
}

/// Does \p Inc, a for loop's step, move \p Counter down (`--i`, `i -= 2`)?
static bool countsDown(const Expr *Inc, const VarDecl *Counter) {
  const Expr *E = Inc ? Inc->IgnoreParenImpCasts() : nullptr;
  auto IsCounter = [&](const Expr *X) {
    const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == Counter;
  };
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E))
    return U->isDecrementOp() && IsCounter(U->getSubExpr());
  if (const auto *B = dyn_cast_or_null<BinaryOperator>(E))
    return B->getOpcode() == BO_SubAssign && IsCounter(B->getLHS());
  return false;
}

/// Does \p Inc, a for loop's step, move \p Counter by a batch (`i +=
/// batchSize`, `from = from + chunk`, `i += 500`), not by one item? Each
/// pass then covers a range of items: one statement per batch. A step of
/// a record's length (`off += len`) or of a pair (`i += 2`) is per item.
static bool stepsByBatch(const Expr *Inc, const VarDecl *Counter, ASTContext &Ctx) {
  Inc = Inc ? Inc->IgnoreParenImpCasts() : nullptr;
  const auto *B = dyn_cast_or_null<BinaryOperator>(Inc);
  if (!B)
    return false;
  auto IsCounter = [&](const Expr *X) {
    const auto *DRE = dyn_cast<DeclRefExpr>(X->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == Counter;
  };
  const Expr *Step = nullptr;
  if (B->getOpcode() == BO_AddAssign && IsCounter(B->getLHS()))
    Step = B->getRHS();
  else if (const auto *Sum =
               dyn_cast<BinaryOperator>(B->getRHS()->IgnoreParenImpCasts());
           B->getOpcode() == BO_Assign && IsCounter(B->getLHS()) && Sum &&
           Sum->getOpcode() == BO_Add)
    Step = IsCounter(Sum->getLHS())   ? Sum->getRHS()
           : IsCounter(Sum->getRHS()) ? Sum->getLHS()
                                      : nullptr;
  if (!Step || Step->isValueDependent())
    return false;
  Expr::EvalResult R;
  if (Step->EvaluateAsInt(R, Ctx))
    return !R.Val.getInt().isRepresentableByInt64() ||
           R.Val.getInt().getExtValue() >= 10;
  return namesSuch(Step, [](llvm::StringRef N) {
    return N.contains_insensitive("batch") || N.contains_insensitive("chunk") ||
           N.contains_insensitive("step") || N.contains_insensitive("page");
  });
}

/// Does \p Inc, a for loop's step, switch the loop off (`enabled = false`,
/// `holder.control = false`)? A logging macro's `for` runs its body once.
static bool switchesOff(const Expr *Inc, ASTContext &Ctx) {
  const Expr *Value = nullptr;
  Inc = Inc ? Inc->IgnoreParenImpCasts() : nullptr;
  if (const auto *B = dyn_cast_or_null<BinaryOperator>(Inc);
      B && B->getOpcode() == BO_Assign)
    Value = B->getRHS();
  else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Inc);
           Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
    Value = Op->getArg(1);
  bool Result = true;
  return Value && !Value->isValueDependent() &&
         Value->EvaluateAsBooleanCondition(Result, Ctx) && !Result;
}

LoopBound forBound(const ForStmt *S, ASTContext &Ctx, const RuleSet &Rules) {
  LoopBound B;
  if (switchesOff(S->getInc(), Ctx)) {
    B.TripCount = 1;
    B.FixedList = true;
    return B;
  }
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(
      S->getCond() ? S->getCond()->IgnoreParenImpCasts() : nullptr);
  if (!Cond || !Cond->isComparisonOp())
    return B;
  const VarDecl *Counter = nullptr;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(S->getInit());
      DS && DS->isSingleDecl())
    Counter = dyn_cast<VarDecl>(DS->getSingleDecl());
  if (!Counter || !Counter->getInit())
    return B;
  auto ConstValue = [&](const Expr *E) -> std::optional<int64_t> {
    if (E->isValueDependent())
      return std::nullopt;
    Expr::EvalResult R;
    if (!E->EvaluateAsInt(R, Ctx) || !R.Val.getInt().isRepresentableByInt64())
      return std::nullopt;
    return R.Val.getInt().getExtValue();
  };
  auto IsCounter = [&](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == Counter;
  };
  const Expr *Bound = IsCounter(Cond->getLHS())   ? Cond->getRHS()
                      : IsCounter(Cond->getRHS()) ? Cond->getLHS()
                                                  : nullptr;
  if (!Bound)
    return B;
  std::optional<int64_t> Start = ConstValue(Counter->getInit());
  std::optional<int64_t> End = ConstValue(Bound);
  if (Start && End) {
    int64_t N = *End > *Start ? *End - *Start : *Start - *End;
    if (Cond->getOpcode() == BO_LE || Cond->getOpcode() == BO_GE)
      ++N;
    B.TripCount = N > INT_MAX ? -1 : static_cast<int>(N);
  }
  // Up to a constant (`v <= kSchemaVersion`, `i < std::size(kTables)`), or
  // to the size of a fixed container: the program fixes the count. Down to
  // a constant (`for (i = n - 1; i >= 0; --i)`) the start fixes it.
  const auto *SizeCall = dyn_cast<CXXMemberCallExpr>(strip(Bound));
  bool FixedSize =
      SizeCall && methodHasRole(Rules, MethodRole::Size, SizeCall->getMethodDecl()) &&
      fixedContainerSize(namedContainer(SizeCall->getImplicitObjectArgument(), Rules),
                         Rules) >= 0;
  if ((End && (Start || !countsDown(S->getInc(), Counter))) || FixedSize)
    B.FixedList = true;
  else if (readsConfiguration(Bound))
    B.NotPerItem = "trip count from configuration";
  else if (namesPool(Bound))
    B.NotPerItem = "once per pooled connection";
  else if (namesStores(Bound))
    B.NotPerItem = "once per backend";
  else if (stepsByBatch(S->getInc(), Counter, Ctx))
    B.NotPerItem = "once per batch";
  return B;
}

/// The persistent variable \p S reads anywhere in it (`cache_`,
/// `first(table)` with `table` global), or null.
static const ValueDecl *readsPersistent(const Stmt *S, unsigned Depth = 0) {
  if (!S || Depth > 16)
    return nullptr;
  if (const auto *E = dyn_cast<Expr>(S))
    if (isa<DeclRefExpr, MemberExpr>(strip(E)))
      if (const ValueDecl *D = persistentOf(E))
        return D;
  for (const Stmt *C : S->children())
    if (const ValueDecl *D = readsPersistent(C, Depth + 1))
      return D;
  return nullptr;
}

/// Does \p S return a value found at run time (not a constant: `return
/// nullptr;`, `return false;` are not finds)?
static bool returnsFound(const Stmt *S, const ASTContext &Ctx, unsigned Depth = 0) {
  if (!S || Depth > 32 || isa<LambdaExpr>(S))
    return false;
  if (const auto *R = dyn_cast<ReturnStmt>(S)) {
    const Expr *V = R->getRetValue();
    return V && !V->isValueDependent() && !V->isEvaluatable(Ctx) &&
           !V->getType()->isBooleanType();
  }
  for (const Stmt *C : S->children())
    if (returnsFound(C, Ctx, Depth + 1))
      return true;
  return false;
}

/// The persistent container a loop of \p S searches, returning what it
/// finds: `for (e = first(cache_, k); e; e = next(e)) if (...) return e;`,
/// `for (auto *x : items_) if (x->id == id) return x;`; or null.
static const ValueDecl *searchedContainer(const Stmt *S, const ASTContext &Ctx,
                                          unsigned Depth = 0) {
  if (!S || Depth > 32 || isa<LambdaExpr>(S))
    return nullptr;
  const Stmt *Header = nullptr, *Body = nullptr;
  if (const auto *F = dyn_cast<ForStmt>(S)) {
    Header = F->getInit() ? F->getInit() : F->getCond();
    Body = F->getBody();
  } else if (const auto *R = dyn_cast<CXXForRangeStmt>(S)) {
    Header = R->getRangeInit();
    Body = R->getBody();
  } else if (const auto *W = dyn_cast<WhileStmt>(S)) {
    Header = W->getCond();
    Body = W->getBody();
  }
  if (Header && Body)
    if (const ValueDecl *D = readsPersistent(Header); D && returnsFound(Body, Ctx))
      return D;
  for (const Stmt *C : S->children())
    if (const ValueDecl *D = searchedContainer(C, Ctx, Depth + 1))
      return D;
  return nullptr;
}

/// `static Database db; return db;`: the body of an accessor whose work is
/// the initializer of a static local, which runs once per program; the
/// local's name, or empty.
static std::string staticLocalAccessor(llvm::ArrayRef<Stmt *> Stmts) {
  std::string Name;
  for (const Stmt *S : Stmts) {
    if (const auto *D = dyn_cast<DeclStmt>(S)) {
      for (const Decl *X : D->decls()) {
        const auto *V = dyn_cast<VarDecl>(X);
        if (!V || !V->isStaticLocal())
          return "";
        if (V->hasInit() && Name.empty())
          Name = V->getNameAsString();
      }
      continue;
    }
    // What is returned is the local (or its address), nothing computed.
    const auto *R = dyn_cast<ReturnStmt>(S);
    const Expr *V =
        R && R->getRetValue() ? R->getRetValue()->IgnoreParenImpCasts() : nullptr;
    if (const auto *U = dyn_cast_or_null<UnaryOperator>(V);
        U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
      V = U->getSubExpr()->IgnoreParenImpCasts();
    if (!isa_and_nonnull<DeclRefExpr>(V))
      return "";
  }
  return Name;
}

std::string onceGuard(const FunctionDecl *FD, const RuleSet &Rules) {
  const auto *Body = dyn_cast_or_null<CompoundStmt>(FD ? FD->getBody() : nullptr);
  if (!Body)
    return "";
  llvm::ArrayRef<Stmt *> Stmts(Body->body_begin(), Body->body_end());
  if (std::string Local = staticLocalAccessor(Stmts); !Local.empty())
    return "initialised once (static local '" + Local + "')";
  const GuardReader Reader(Rules, FD->getASTContext());
  for (size_t I = 0; I < Stmts.size(); ++I) {
    const auto *If = dyn_cast<IfStmt>(Stmts[I]);
    if (!If || If->isConstexpr())
      continue;
    // `if (auto it = c_.find(k); it != c_.end())` / `if (auto *p = c_.object(k))`
    std::optional<Guard> G = Reader.guardOf(If->getCond());
    if (!G)
      if (const VarDecl *CV = If->getConditionVariable(); CV && CV->getInit())
        if (const ValueDecl *D = Reader.lookupIn(CV->getInit()))
          G = Guard{D, false, true};
    if (!G)
      continue;
    // Early return when set or found; the rest of the body (or the else
    // arm) sets it.
    if (G->Positive && endsInReturn(If->getThen())) {
      if (If->getElse() && Reader.writes(If->getElse(), G->D))
        return describe(*G);
      for (size_t J = I + 1; J < Stmts.size() && !If->getElse(); ++J)
        if (Reader.writes(Stmts[J], G->D))
          return describe(*G);
      continue;
    }
    // `if (!c_.contains(k)) c_[k] = load(k); return c_[k];`: the if does the
    // work and sets it; nothing after it but the return.
    if (!G->Positive && !If->getElse() && Reader.writes(If->getThen(), G->D) &&
        llvm::all_of(Stmts.drop_front(I + 1),
                     [](const Stmt *S) { return isa<ReturnStmt>(S); }))
      return describe(*G);
  }
  // A search of a persistent container that returns what it finds, then
  // `return load(k);`: the load (which keeps what it loads there) runs on
  // a miss only.
  const auto *Last = Stmts.empty() ? nullptr : dyn_cast<ReturnStmt>(Stmts.back());
  if (Last && isa_and_nonnull<CallExpr>(strip(Last->getRetValue())))
    if (const ValueDecl *D = searchedContainer(Body, FD->getASTContext()))
      return describe(Guard{D, false, true});
  return "";
}

namespace {

/// Whether \p E holds a call (what it is built from is loaded).
bool holdsCall(const Stmt *E, unsigned Depth = 0) {
  if (!E || Depth > 32)
    return false;
  if (isa<CallExpr, CXXConstructExpr>(E) && !isa<CXXOperatorCallExpr>(E))
    return true;
  return llvm::any_of(E->children(),
                      [&](const Stmt *C) { return holdsCall(C, Depth + 1); });
}

/// The methods of this object \p S calls (`setKnown(...)`,
/// `this->reset()`), with a body in this translation unit.
void ownMethodCalls(const Stmt *S,
                    llvm::SmallVectorImpl<const CXXMemberCallExpr *> &Out,
                    unsigned Depth = 0) {
  if (!S || Depth > 32)
    return;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S))
    if (isa<CXXThisExpr>(strip(MC->getImplicitObjectArgument())) &&
        MC->getMethodDecl() && MC->getMethodDecl()->hasBody())
      Out.push_back(MC);
  for (const Stmt *C : S->children())
    ownMethodCalls(C, Out, Depth + 1);
}

/// Whether \p S stores a loaded value in the object besides \p Flag:
/// `cache_ = load()`, `setKnown(load())` (a method of this object handed a
/// call's result).
bool storesLoaded(const Stmt *S, const ValueDecl *Flag, unsigned Depth = 0) {
  if (!S || Depth > 32)
    return false;
  const Expr *Target = nullptr, *Value = nullptr;
  if (const auto *B = dyn_cast<BinaryOperator>(S); B && B->isAssignmentOp()) {
    Target = B->getLHS();
    Value = B->getRHS();
  } else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
             Op && Op->isAssignmentOp() && Op->getNumArgs() == 2) {
    Target = Op->getArg(0);
    Value = Op->getArg(1);
  } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
             MC && isa<CXXThisExpr>(strip(MC->getImplicitObjectArgument()))) {
    if (llvm::any_of(MC->arguments(), [](const Expr *A) { return holdsCall(A); }))
      return true;
  }
  if (Target) {
    const ValueDecl *D = persistentOf(Target);
    if (D && D != Flag && holdsCall(Value))
      return true;
  }
  return llvm::any_of(S->children(),
                      [&](const Stmt *C) { return storesLoaded(C, Flag, Depth + 1); });
}

} // namespace

std::string lazyLoadGuard(const IfStmt *If, const RuleSet &Rules,
                          const ASTContext &Ctx) {
  if (!If || If->isConstexpr() || If->getElse() || !If->getCond() || !If->getThen())
    return "";
  const GuardReader Reader(Rules, Ctx);
  std::optional<Guard> G = Reader.guardOf(If->getCond());
  if (!G || G->Connection)
    return "";
  // The arm resets the guard: itself, or through a method of this object.
  bool Resets = Reader.writes(If->getThen(), G->D);
  if (!Resets) {
    llvm::SmallVector<const CXXMemberCallExpr *, 4> Calls;
    ownMethodCalls(If->getThen(), Calls);
    Resets = llvm::any_of(Calls, [&](const CXXMemberCallExpr *MC) {
      return Reader.writes(MC->getMethodDecl()->getBody(), G->D);
    });
  }
  if (!Resets)
    return "";
  // Unset, empty or missing, then set: the first call does the work. A
  // flag that says the object changed (`if (dirty_) { ...; dirty_ = false;
  // }`) refreshes a cache only when the arm stores what it loads; else it
  // may be a write-back, repeated per change.
  if (G->Positive && !(G->Flag && storesLoaded(If->getThen(), G->D)))
    return "";
  return describe(*G);
}

bool hasTextArgument(const Expr *Call) {
  llvm::ArrayRef<const Expr *> Args;
  if (const auto *C = dyn_cast<CallExpr>(Call))
    Args = llvm::ArrayRef(C->getArgs(), C->getNumArgs());
  else if (const auto *C = dyn_cast<CXXConstructExpr>(Call))
    Args = llvm::ArrayRef(C->getArgs(), C->getNumArgs());
  for (const Expr *A : Args) {
    if (isa<CXXDefaultArgExpr>(A))
      continue;
    if (isTextType(A->getType()) || isTextType(strip(A)->getType()))
      return true;
  }
  return false;
}

bool isTextType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isDependentType())
    return true;
  if (T->isPointerType() || T->isArrayType()) {
    QualType E = T->isPointerType() ? T->getPointeeType()
                                    : QualType(T->getPointeeOrArrayElementType(), 0);
    return E->isAnyCharacterType() || E->isDependentType();
  }
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  std::string L = nameOf(RD).lower();
  llvm::StringRef N(L);
  return N.contains("str") || N.contains("latin1") || N.contains("bytearray") ||
         N.contains("text") || N.contains("char") || N.contains("zview");
}

// --- Batches -----------------------------------------------------------------

namespace {

/// The variable or member \p E names (`n`, `this->length`, `rows_`), through
/// casts and parentheses, or null.
const ValueDecl *variableNamed(const Expr *E) {
  E = strip(E);
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// The variable or member \p E measures: itself (`length`, `m_count`), or
/// the object of a `size()`/`length()`/`count()` call (`insertQuery.length()`,
/// `rows_.size()`), also one Clang could not resolve.
const ValueDecl *measured(const Expr *E) {
  E = strip(E);
  if (const ValueDecl *D = variableNamed(E))
    return D;
  const auto *C = dyn_cast_or_null<CallExpr>(E);
  if (!C || C->getNumArgs() != 0)
    return nullptr;
  const Expr *Callee = C->getCallee()->IgnoreParens();
  const Expr *Object = nullptr;
  llvm::StringRef Name;
  if (const auto *ME = dyn_cast<MemberExpr>(Callee)) {
    Object = ME->getBase();
    Name = nameOf(ME->getMemberDecl());
  } else if (const auto *U = dyn_cast<UnresolvedMemberExpr>(Callee)) {
    Object = U->isImplicitAccess() ? nullptr : U->getBase();
    if (const IdentifierInfo *II = U->getMemberName().getAsIdentifierInfo())
      Name = II->getName();
  } else if (const auto *D = dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
    Object = D->isImplicitAccess() ? nullptr : D->getBase();
    if (const IdentifierInfo *II = D->getMember().getAsIdentifierInfo())
      Name = II->getName();
  }
  if (!Object || !(Name == "size" || Name == "length" || Name == "count" ||
                   Name == "bytes" || Name == "byteSize"))
    return nullptr;
  return variableNamed(Object);
}

/// The variables \p E measures, anywhere in a sum (`a.length() + b.length()
/// + 1`).
void measuredIn(const Expr *E, llvm::SmallVectorImpl<const ValueDecl *> &Out,
                unsigned Depth = 0) {
  E = strip(E);
  if (!E || Depth > 8)
    return;
  if (const ValueDecl *D = measured(E)) {
    Out.push_back(D);
    return;
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E); B && B->isAdditiveOp()) {
    measuredIn(B->getLHS(), Out, Depth + 1);
    measuredIn(B->getRHS(), Out, Depth + 1);
  }
}

/// Does \p S add to \p D: `D += x`, `++D`, `D.append(x)`, `D << x`,
/// `D.push_back(x)`?
bool accumulates(const Stmt *S, const ValueDecl *D, unsigned Depth = 0) {
  if (!S || Depth > 64)
    return false;
  auto Is = [D](const Expr *E) { return variableNamed(E) == D; };
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(S);
      CA && CA->getOpcode() == BO_AddAssign && Is(CA->getLHS()))
    return true;
  if (const auto *U = dyn_cast<UnaryOperator>(S);
      U && U->isIncrementOp() && Is(U->getSubExpr()))
    return true;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->getNumArgs() == 2 &&
      (Op->getOperator() == OO_PlusEqual || Op->getOperator() == OO_LessLess) &&
      Is(Op->getArg(0)))
    return true;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      MC && Is(MC->getImplicitObjectArgument()))
    if (llvm::StringRef N = nameOf(MC->getMethodDecl());
        N == "append" || N == "push_back" || N == "emplace_back" || N == "push" ||
        N == "insert" || N == "add")
      return true;
  for (const Stmt *C : S->children())
    if (accumulates(C, D, Depth + 1))
      return true;
  return false;
}

/// A constant of at most 1 (`0`, `1`): `size() > 0` tests for any, not a
/// full batch.
bool atMostOne(const Expr *E, ASTContext &Ctx) {
  Expr::EvalResult R;
  return E && !E->isValueDependent() && E->EvaluateAsInt(R, Ctx) &&
         R.Val.getInt().isRepresentableByInt64() && R.Val.getInt().getExtValue() <= 1;
}

/// Does \p S empty \p D (`D = 0`, `D = q.length()`, `D.clear()`), itself
/// or in a method it calls (`execute()` that clears the buffer)?
bool resets(const Stmt *S, const ValueDecl *D, unsigned Depth = 0) {
  if (!S || Depth > 64)
    return false;
  auto Is = [D](const Expr *E) { return variableNamed(E) == D; };
  if (const auto *B = dyn_cast<BinaryOperator>(S);
      B && B->getOpcode() == BO_Assign && Is(B->getLHS()))
    return true;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2 && Is(Op->getArg(0)))
    return true;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    llvm::StringRef N = nameOf(MC->getMethodDecl());
    if (Is(MC->getImplicitObjectArgument()) &&
        (N == "clear" || N == "reset" || N == "str" || N == "resize" ||
         N == "truncate"))
      return true;
    // A method of the same object that flushes: one level into its body.
    if (const CXXMethodDecl *M = MC->getMethodDecl();
        M && Depth < 32 && isa<CXXThisExpr>(strip(MC->getImplicitObjectArgument())))
      if (const FunctionDecl *Def = M->getDefinition();
          Def && Def->getBody() && resets(Def->getBody(), D, 32))
        return true;
  }
  for (const Stmt *C : S->children())
    if (resets(C, D, Depth + 1))
      return true;
  return false;
}

} // namespace

bool testsFullBatch(const Expr *Cond, const Stmt *Body, const Stmt *Arm,
                    ASTContext &Ctx) {
  const auto *B = dyn_cast_or_null<BinaryOperator>(strip(Cond));
  if (!B || !Body)
    return false;
  // `++n % 500 == 0`: once every 500.
  if (B->getOpcode() == BO_EQ || B->getOpcode() == BO_NE)
    for (const Expr *Side : {B->getLHS(), B->getRHS()})
      if (const auto *M = dyn_cast<BinaryOperator>(strip(Side));
          M && M->getOpcode() == BO_Rem && !atMostOne(M->getRHS(), Ctx))
        return true;
  if (!B->isRelationalOp())
    return false;
  // The measured side is the greater one: `size >= max`, `max < size`.
  bool Greater = B->getOpcode() == BO_GT || B->getOpcode() == BO_GE;
  const Expr *Size = Greater ? B->getLHS() : B->getRHS();
  const Expr *Limit = Greater ? B->getRHS() : B->getLHS();
  if (atMostOne(Limit, Ctx))
    return false;
  // A batch is emptied when it is sent: a count that only grows is a
  // threshold (`if (++alarms >= needed)` opens an event), not a batch.
  llvm::SmallVector<const ValueDecl *, 4> Measured;
  measuredIn(Size, Measured);
  return llvm::any_of(Measured, [&](const ValueDecl *D) {
    return accumulates(Body, D) && resets(Arm, D);
  });
}

} // namespace stresslint
