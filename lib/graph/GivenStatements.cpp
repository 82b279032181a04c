//===--- GivenStatements.cpp - Loops that run the statements they are given ===//
#include "graph/GivenStatements.h"
#include "graph/Builder.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace stresslint {
namespace {

/// What graph::stripWrappers strips (conversions, temporaries, one-argument
/// constructions such as `QString(s)` or a copy), and also a `pass-through:`
/// call (`std::move(x)`, `qAsConst(x)`) and a recovery around one expression.
const Expr *strip(const Expr *E, const RuleSet &Rules) {
  for (unsigned Guard = 0; E && Guard < 32; ++Guard) {
    const Expr *Next = graph::stripWrappers(E);
    if (const auto *R = dyn_cast<RecoveryExpr>(Next);
        R && R->subExpressions().size() == 1)
      Next = R->subExpressions().front();
    else if (const auto *C = dyn_cast<CallExpr>(Next);
             C && C->getNumArgs() == 1 &&
             methodHasRole(Rules, MethodRole::PassThrough, C->getDirectCallee()))
      Next = C->getArg(0);
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

/// The object of a call with at most \p MaxArgs arguments of a method
/// \p Rules lists with role \p R, resolved (`CXXMemberCallExpr`) or not (no
/// headers: a dependent member, known by its plain name).
const Expr *objectOfCall(const Expr *E, unsigned MaxArgs, const RuleSet &Rules,
                         MethodRole R) {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    return MC->getNumArgs() <= MaxArgs && methodHasRole(Rules, R, MC->getMethodDecl())
               ? MC->getImplicitObjectArgument()
               : nullptr;
  if (const auto *C = dyn_cast<CallExpr>(E))
    if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(
            C->getCallee()->IgnoreParenImpCasts());
        M && !M->isImplicitAccess() && M->getMember().isIdentifier() &&
        C->getNumArgs() <= MaxArgs &&
        Rules.hasMethodRole(R, "", M->getMember().getAsIdentifierInfo()->getName()))
      return M->getBase();
  return nullptr;
}

/// Whether \p Text begins with the keyword of an SQL statement, of any kind
/// (`ANALYZE t`, `DROP TABLE t`: a list of those is written here too).
bool beginsStatement(llvm::StringRef Text) {
  static const llvm::StringRef Keywords[] = {
      "select",  "insert",  "update",  "delete",  "with",  "merge",
      "analyze", "vacuum",  "create",  "alter",   "drop",  "truncate",
      "replace", "pragma",  "attach",  "detach",  "grant", "revoke",
      "copy",    "lock",    "reindex", "refresh", "call",  "exec",
      "execute", "explain", "set",     "show",    "begin", "commit"};
  llvm::StringRef T = Text.ltrim(" \t\r\n(");
  llvm::StringRef Word = T.take_while(llvm::isAlpha);
  return !Word.empty() && Word.size() < T.size() &&
         llvm::is_contained(Keywords, Word.lower());
}

/// Whether a narrow string literal under \p S begins a statement.
bool writesSql(const Stmt *S) {
  if (!S)
    return false;
  if (const auto *L = dyn_cast<StringLiteral>(S))
    return L->getCharByteWidth() == 1 && beginsStatement(L->getString());
  return llvm::any_of(S->children(), [](const Stmt *C) { return writesSql(C); });
}

bool mentions(const Stmt *S, const ValueDecl *D) {
  if (!S)
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S); DRE && DRE->getDecl() == D)
    return true;
  if (const auto *ME = dyn_cast<MemberExpr>(S); ME && ME->getMemberDecl() == D)
    return true;
  return llvm::any_of(S->children(), [D](const Stmt *C) { return mentions(C, D); });
}

/// Whether a full expression of \p Body that names \p D carries SQL text:
/// `list.push_back("ANALYZE " + t)`, `list << "SELECT ..."`, `list = {...}`.
bool filledWithSql(const Stmt *Body, const ValueDecl *D) {
  if (!Body)
    return false;
  if (isa<Expr>(Body))
    return mentions(Body, D) && writesSql(Body);
  return llvm::any_of(Body->children(),
                      [D](const Stmt *C) { return filledWithSql(C, D); });
}

} // namespace

const VarDecl *textVariable(const Expr *E, const RuleSet &Rules) {
  for (unsigned Guard = 0; E && Guard < 16; ++Guard) {
    E = strip(E, Rules);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return dyn_cast<VarDecl>(DRE->getDecl());
    // `s.c_str()` and the like: the same text in another form.
    if (const Expr *Obj = objectOfCall(E, 0, Rules, MethodRole::TextView)) {
      E = Obj;
      continue;
    }
    // `QString::fromStdString(s)`, `QString::fromUtf8(s)`.
    if (const auto *C = dyn_cast<CallExpr>(E);
        C && C->getNumArgs() == 1 && C->getDirectCallee() &&
        C->getDirectCallee()->getIdentifier() &&
        C->getDirectCallee()->getName().startswith("from")) {
      E = C->getArg(0);
      continue;
    }
    // `cleanSql(s)`: a function of the program that takes the text alone,
    // returns text and writes no statement of its own (it strips comments,
    // trims): the same statement.
    if (const auto *C = dyn_cast<CallExpr>(E); C && C->getNumArgs() == 1) {
      const FunctionDecl *FD = C->getDirectCallee();
      QualType T = FD ? FD->getReturnType().getNonReferenceType() : QualType();
      if (FD && !T.isNull() &&
          (T->isRecordType() ||
           (T->isPointerType() && T->getPointeeType()->isAnyCharacterType())) &&
          writesNoStatement(FD)) {
        E = C->getArg(0);
        continue;
      }
    }
    return nullptr;
  }
  return nullptr;
}

bool writesNoStatement(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  return FD->hasBody(Def) && !writesSql(Def->getBody());
}

const Expr *elementContainer(const Expr *Init, const RuleSet &Rules) {
  const Expr *E = strip(Init, Rules);
  if (!E)
    return nullptr;
  if (const Expr *Obj = objectOfCall(E, 1, Rules, MethodRole::ElementRead))
    return Obj;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E);
      Op && Op->getOperator() == OO_Subscript && Op->getNumArgs() == 2)
    return Op->getArg(0);
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
    return A->getBase();
  return nullptr;
}

bool holdsGivenStatements(const Expr *Collection, const FunctionDecl *Fn,
                          const RuleSet &Rules) {
  const Expr *E = strip(Collection, Rules);
  if (!E || writesSql(E))
    return false;
  const ValueDecl *D = nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    D = DRE->getDecl();
  else if (const auto *ME = dyn_cast<MemberExpr>(E))
    D = ME->getMemberDecl();
  if (!D) // A call's result: `for (s : split(text))`.
    return true;
  return declHoldsGivenStatements(D, Fn);
}

bool declHoldsGivenStatements(const ValueDecl *D, const FunctionDecl *Fn) {
  if (const auto *V = dyn_cast<VarDecl>(D); V && writesSql(V->getInit()))
    return false;
  if (const auto *F = dyn_cast<FieldDecl>(D)) {
    if (F->hasInClassInitializer() && writesSql(F->getInClassInitializer()))
      return false;
    // A member is filled by the class's methods defined here.
    if (const auto *RD = dyn_cast<CXXRecordDecl>(F->getParent()))
      for (const CXXMethodDecl *M : RD->methods()) {
        const FunctionDecl *Def = nullptr;
        if (M->hasBody(Def) && filledWithSql(Def->getBody(), D))
          return false;
      }
  }
  return !(Fn && filledWithSql(Fn->getBody(), D));
}

} // namespace stresslint
