//===--- SqlSites.cpp - Where a translation unit builds and runs SQL -------===//
///
/// \file
/// One RecursiveASTVisitor pass (SiteVisitor) finds where SQL runs, how its
/// text is built and bound, and which free literals hold SQL. Over 500
/// lines because the pass's state (pending sinks, binds, mutations of
/// string variables, free literal candidates) is shared by all its
/// members: split across files, that state would become a header's API.
/// The text itself is rebuilt by Reconstructor (cpp/Reconstruct.h).
///
//===----------------------------------------------------------------------===//
#include "cpp/SqlSites.h"
#include "cpp/Names.h"
#include "cpp/RecoveredLoops.h"
#include "rules/RuleSet.h"
#include "sql/SqlFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/LiteralSupport.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <iterator>
#include <map>
#include <set>

using namespace clang;

namespace stresslint {

namespace {

bool isStreamType(const RuleSet &Rules, QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->getIdentifier() && methodHasRole(Rules, MethodRole::TextStream, RD);
}

/// A container of texts (`QStringList`, `std::vector<std::string>`): a
/// class template's specialisation, or a class derived from one, whose
/// first argument is a class or a character pointer.
bool isTextListType(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  auto IsList = [](const CXXRecordDecl *C) {
    const auto *S = dyn_cast_or_null<ClassTemplateSpecializationDecl>(C);
    if (!S || S->getTemplateArgs().size() == 0 ||
        S->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
      return false;
    QualType E = S->getTemplateArgs()[0].getAsType();
    return E->isRecordType() ||
           (E->isPointerType() && E->getPointeeType()->isAnyCharacterType());
  };
  if (!RD || !RD->hasDefinition())
    return false;
  if (IsList(RD))
    return true;
  return llvm::any_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
    return IsList(B.getType()->getAsCXXRecordDecl());
  });
}

/// The variable at the far left of `v << a << b`, if that is a variable.
const VarDecl *streamRoot(const CXXOperatorCallExpr *Op) {
  const Expr *Cur = Op;
  while (const auto *P = dyn_cast<CXXOperatorCallExpr>(Cur)) {
    if (P->getOperator() != OO_LessLess || P->getNumArgs() != 2)
      return nullptr;
    Cur = ignoreStringWrappers(P->getArg(0));
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(Cur);
  return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
}

/// A variable whose writes we follow: any variable but a parameter passed
/// by reference (its writes reach the caller's variable).
const VarDecl *localVar(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(ignoreStringWrappers(E));
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (isa_and_nonnull<ParmVarDecl>(VD) && VD->getType()->isReferenceType())
    return nullptr;
  return VD;
}

/// The data member \p E names (`m_pattern`, `this->m_pattern`), if any.
const FieldDecl *memberField(const Expr *E) {
  const auto *ME = dyn_cast_or_null<MemberExpr>(ignoreStringWrappers(E));
  return ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
}

/// Is \p MC a call `strings:` declares of kind \p K (`appends: true`,
/// `builds: arg-template`)?
bool isStringMethod(const RuleSet &Rules, StringCall::Kind K,
                    const CXXMemberCallExpr *MC) {
  const CXXMethodDecl *M = MC->getMethodDecl();
  return M && M->getIdentifier() &&
         Rules.isStringCall(K, qualifiedName(M), M->getName());
}

unsigned writtenArgs(const CXXConstructExpr *C) {
  unsigned N = C->getNumArgs();
  while (N > 0 && isa<CXXDefaultArgExpr>(C->getArg(N - 1)))
    --N;
  return N;
}

template <typename Range> unsigned writtenArgCount(Range Args) {
  unsigned N = 0, Written = 0;
  for (const Expr *A : Args) {
    ++N;
    if (!isa<CXXDefaultArgExpr>(A))
      Written = N;
  }
  return Written;
}

bool isExceptionClass(const CXXRecordDecl *RD, unsigned Depth = 0) {
  if (!RD || !RD->hasDefinition() || Depth > 16)
    return false;
  if (RD->getIdentifier() &&
      (RD->getName() == "exception" || RD->getName().endswith("_error") ||
       RD->getName().endswith("Exception")))
    return true;
  for (const CXXBaseSpecifier &B : RD->bases())
    if (isExceptionClass(B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return true;
  return false;
}

struct PendingSink {
  llvm::SmallVector<const Expr *, 4> Parts;
  const Expr *Anchor;
  std::string Name;
  bool Prepares = false;
  bool InProcess = false;
  /// The statement later `binds:` calls name, if any.
  const ValueDecl *Statement = nullptr;
  /// The function whose body holds the call.
  const FunctionDecl *Function = nullptr;
  /// Values bound by the call itself (`params: following`, SOCI `use`).
  std::vector<BoundValue> Values;
  SqlDialect Dialect = SqlDialect::PostgreSQL;
};

/// A `binds:` call on a statement variable.
struct BindCall {
  const ValueDecl *Statement;
  const Bind *B;
  const CallExpr *Call;
  /// A method of a project's class named as B's (a wrapper of an API:
  /// `db->bindValue(1, v)` on its own SQLite class): its numbering, from 0
  /// or from 1, is read from the calls on the statement, not B's.
  bool Wrapper = false;
};

/// A call of a project's function (or one Clang could not resolve) and the
/// argument that hands it something.
struct Handed {
  /// A call, or the construction of a project's object (`Statement
  /// st(sql, db)`).
  const Expr *Call;
  unsigned Arg;
};

/// The variable or member an expression names (`stmt`, `&stmt`, `q_`).
const ValueDecl *statementDecl(const Expr *E) {
  E = ignoreStringWrappers(E);
  // `ps->setString(1, v)` on a smart pointer: the pointer variable.
  if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(E);
      Op && Op->getOperator() == OO_Arrow && Op->getNumArgs() == 1)
    E = ignoreStringWrappers(Op->getArg(0));
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = ignoreStringWrappers(U->getSubExpr());
  // `q` of `q.bindValue(...)` when q's class is unknown (a missing header).
  if (const auto *RE = dyn_cast_or_null<RecoveryExpr>(E);
      RE && RE->subExpressions().size() == 1)
    E = ignoreStringWrappers(RE->subExpressions().front());
  if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    return dyn_cast<FieldDecl>(ME->getMemberDecl());
  return nullptr;
}

/// The text of a placeholder's name written as a literal: `":t"`,
/// `QString(":t")`, `QStringLiteral(":t")` (UTF-16, through the functions
/// API YAML says build a literal, or Qt 5's immediately called lambda);
/// empty for anything else.
std::string literalName(const Expr *N, const RuleSet &Rules) {
  const Expr *S = N;
  for (unsigned Guard = 0; S && Guard < 8; ++Guard) {
    if (const auto *C = dyn_cast<CXXConstructExpr>(S)) {
      S = C->getNumArgs() ? ignoreStringWrappers(C->getArg(0)) : nullptr;
      continue;
    }
    if (const Expr *Text = builtTextOf(S, Rules)) {
      S = ignoreStringWrappers(Text); // Unresolved: `QStringLiteral(":t")`.
      continue;
    }
    if (const StringLiteral *L = immediateLambdaLiteral(S)) {
      S = L; // Qt 5's `QStringLiteral(":t")` with its header.
      break;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier() || Call->getNumArgs() != 1 ||
        !Rules.isStringCall(StringCall::Literal, qualifiedName(FD), FD->getName()))
      break;
    S = ignoreStringWrappers(Call->getArg(0));
  }
  const auto *L = dyn_cast_or_null<StringLiteral>(S);
  if (!L)
    return "";
  std::string Text;
  for (unsigned I = 0; I < L->getLength(); ++I) {
    uint32_t U = L->getCodeUnit(I);
    if (U >= 128)
      return "";
    Text += static_cast<char>(U);
  }
  return Text;
}

/// The value a `binds:` call binds, and to which placeholder.
BoundValue boundValue(const Bind &B, const CallExpr *Call, unsigned Args,
                      const RuleSet &Rules, const ASTContext &Ctx) {
  BoundValue V;
  V.Loc = Call->getBeginLoc();
  if (B.ValueArg >= 0 && static_cast<unsigned>(B.ValueArg) < Args)
    V.Value = Call->getArg(static_cast<unsigned>(B.ValueArg));
  if (B.NameArg >= 0 && static_cast<unsigned>(B.NameArg) < Args) {
    const Expr *N =
        ignoreStringWrappers(Call->getArg(static_cast<unsigned>(B.NameArg)));
    V.Name = literalName(N, Rules);
    Expr::EvalResult R;
    if (V.Name.empty() && !N->isValueDependent() && !N->containsErrors() &&
        N->getType()->isIntegralOrEnumerationType() && N->EvaluateAsInt(R, Ctx))
      V.Number = R.Val.getInt().isRepresentableByInt64() &&
                         std::abs(R.Val.getInt().getExtValue()) < INT_MAX / 2
                     ? static_cast<int>(R.Val.getInt().getExtValue()) -
                           (B.IndexBase == Bind::AutoIndexBase ? 1 : B.IndexBase)
                     : -1;
    if (V.Name.empty() && V.Number < 0)
      V.Value = nullptr; // Bound to a placeholder we cannot tell.
  }
  return V;
}

/// Does \p Text hold the word LIKE or ILIKE (a condition's operator written
/// apart from its column, `col + " LIKE " + ph`)?
bool holdsLikeWord(llvm::StringRef Text) {
  for (size_t I = 0; I < Text.size();) {
    size_t J = I;
    while (J < Text.size() && (llvm::isAlnum(Text[J]) || Text[J] == '_'))
      ++J;
    if (J == I) {
      ++I;
      continue;
    }
    llvm::StringRef Word = Text.slice(I, J);
    if (Word.equals_insensitive("like") || Word.equals_insensitive("ilike"))
      return true;
    I = J;
  }
  return false;
}

/// The neutral statement an SQL fragment is read in, chosen by how the
/// fragment begins: a further condition (` AND ...`, ` OR ...`), a
/// condition (`title LIKE ...`), a clause (` WHERE`, ` ORDER BY`, ` LIMIT`,
/// ` OFFSET`, ` FOR UPDATE`, ` JOIN`, ...). Empty when \p Text does not
/// begin like a fragment.
llvm::StringRef fragmentPrefix(llvm::StringRef Text) {
  llvm::SmallVector<std::string, 3> W;
  for (size_t I = 0; I < Text.size() && W.size() < 3;) {
    if (llvm::isSpace(Text[I])) {
      ++I;
      continue;
    }
    size_t J = I;
    // `$n`: a part of unknown text, here the column a condition is about.
    if (W.empty() && Text[J] == '$')
      ++J;
    while (J < Text.size() &&
           (llvm::isAlnum(Text[J]) || llvm::StringRef("_.`\"").contains(Text[J])))
      ++J;
    if (J == I)
      break;
    // `UPPER(title) LIKE ...`: a function of the column is the column.
    if (W.empty() && J < Text.size() && Text[J] == '(')
      for (int Depth = 0; J < Text.size(); ++J) {
        Depth += Text[J] == '(' ? 1 : Text[J] == ')' ? -1 : 0;
        if (Depth == 0) {
          ++J;
          break;
        }
      }
    W.push_back(Text.slice(I, J).lower());
    I = J;
  }
  W.resize(3);
  static constexpr llvm::StringLiteral Clause = "SELECT 1 FROM t ";
  auto OneOf = [](llvm::StringRef Word, std::initializer_list<llvm::StringRef> Set) {
    return llvm::is_contained(Set, Word);
  };
  if (W[0] == "and" || W[0] == "or")
    return "SELECT 1 FROM t WHERE TRUE ";
  if (OneOf(W[0], {"where", "limit", "offset", "fetch", "join", "having"}) ||
      ((W[0] == "order" || W[0] == "group") && W[1] == "by") ||
      (W[0] == "for" && OneOf(W[1], {"update", "share", "no", "key"})) ||
      (OneOf(W[0], {"left", "right", "inner", "full", "cross", "natural"}) &&
       (W[1] == "join" || W[1] == "outer")))
    return Clause;
  // `title LIKE '%...`: a column, then LIKE.
  auto Like = [](llvm::StringRef Word) { return Word == "like" || Word == "ilike"; };
  bool Column = !W[0].empty() && !llvm::isDigit(W[0][0]) && W[0] != "not";
  if (Column && (Like(W[1]) || (W[1] == "not" && Like(W[2]))))
    return "SELECT 1 FROM t WHERE ";
  // `(images.id IN (SELECT ... WHERE name LIKE ?))`: a condition in
  // parentheses that holds a LIKE further on.
  if (Text.ltrim().startswith("(") && holdsLikeWord(Text)) {
    llvm::StringRef Inner = Text.ltrim(" \t\r\n(");
    size_t N = 0;
    while (N < Inner.size() &&
           (llvm::isAlnum(Inner[N]) || Inner[N] == '_' || Inner[N] == '.'))
      ++N;
    std::string First = Inner.take_front(N).lower();
    if (N && !llvm::isDigit(Inner[0]) && First != "select" && First != "with" &&
        First != "values")
      return "SELECT 1 FROM t WHERE ";
  }
  // ` LIKE '%...`: the operator and its pattern, the column written apart
  // (`column + likeCondition(text)`), a hole.
  if (Like(W[0]) || (W[0] == "not" && Like(W[1])))
    return "SELECT 1 FROM t WHERE p__0 ";
  return "";
}

/// How many of the parentheses \p Text opens, outside its quotes, it
/// leaves open.
static size_t unclosedParentheses(llvm::StringRef Text) {
  size_t Open = 0;
  char Quote = 0;
  for (char C : Text) {
    if (Quote)
      Quote = C == Quote ? 0 : Quote;
    else if (C == '\'' || C == '"')
      Quote = C;
    else if (C == '(')
      ++Open;
    else if (C == ')' && Open > 0)
      --Open;
  }
  return Open;
}

/// Does \p Text begin with a template's hole and then a clause (`%1 ORDER
/// BY id LIMIT %3 OFFSET %2`, `{} WHERE ...`, `%s LIMIT 10`)? The hole is
/// the statement's head (`SELECT ... FROM t`), which the template's first
/// argument holds: a statement once filled, or nothing.
bool startsWithHeadHole(llvm::StringRef Text) {
  llvm::StringRef T = Text.ltrim();
  uint32_t Len = 0;
  if (T.startswith("{}") || T.startswith("%s"))
    Len = 2;
  else if (T.startswith("%") && !qtMarkerAt(T, 0, Len))
    Len = 0;
  if (Len == 0 || Len >= T.size() || !llvm::isSpace(T[Len]))
    return false;
  llvm::StringRef Prefix = fragmentPrefix(T.drop_front(Len));
  return Prefix == "SELECT 1 FROM t " || Prefix == "SELECT 1 FROM t WHERE TRUE ";
}

/// Is \p Text a statement that controls a transaction or a prepared
/// statement (`COMMIT`, `BEGIN TRANSACTION`, `ROLLBACK TO SAVEPOINT s`,
/// `DEALLOCATE stmt1`), so a call handed it runs no query? Only words no
/// message or key is likely to be: not `set`, `show`, `start`, `end`.
bool isTransactionControl(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 4> Words;
  Text.trim(" \t\r\n;").split(Words, ' ', 3, /*KeepEmpty=*/false);
  if (Words.empty())
    return false;
  std::string First = Words[0].lower();
  std::string Second = Words.size() > 1 ? Words[1].lower() : "";
  if (First == "begin" || First == "commit" || First == "rollback")
    return Second.empty() || Second == "transaction" || Second == "work" ||
           Second == "tran" || Second == "immediate" || Second == "exclusive" ||
           Second == "deferred" || (First == "rollback" && Second == "to");
  if (First == "start")
    return Second == "transaction";
  if (First == "savepoint" || First == "deallocate") // The name may follow.
    return Words.size() <= 3 && (Words.size() >= 2 || Text.endswith(" "));
  if (First == "release")
    return Second == "savepoint";
  return false;
}

/// Does \p Text run statements after a transaction control
/// (`BEGIN; SELECT ... FOR UPDATE; UPDATE ...; COMMIT;`)?
bool statementsAfterControl(llvm::StringRef Text) {
  auto [Head, Rest] = Text.split(';');
  return !Rest.empty() && isTransactionControl(Head) &&
         (startsWithStatementKeyword(Rest) || startsSchemaStatement(Rest));
}

struct FreeCandidate {
  const StringLiteral *Lit;
  /// Not a statement but a fragment of one (fragmentPrefix).
  bool Fragment = false;
  const Expr *Root = nullptr;           ///< Reconstruct this expression, or
  const VarDecl *Var = nullptr;         ///< the final value of this variable.
  const VarDecl *Initialises = nullptr; ///< Root initialises this variable,
  const VarDecl *Assigns = nullptr;     ///< or is assigned to this one.
  const VarDecl *Buffer = nullptr;      ///< Root writes this buffer (snprintf).
  /// A fragment Root appends to this local (`s += " OFFSET "`): when Root
  /// alone holds no fact, the local's final value is read.
  const VarDecl *AppendedTo = nullptr;
  /// Root is argument ArgIndex of this call to a project function: the
  /// arguments after it are the values of its placeholders.
  const Expr *Call = nullptr;
  unsigned ArgIndex = 0;
  /// For a fragment: the values handed over beside it in its branch arm
  /// (`args.push_back("%" + kw); where += " AND name LIKE ?";`), in order,
  /// for its placeholders when there are as many of them.
  std::vector<BoundValue> ArmValues;
};

class SiteVisitor : public RecursiveASTVisitor<SiteVisitor> {
  using Base = RecursiveASTVisitor<SiteVisitor>;

public:
  SiteVisitor(ASTContext &Ctx, const RuleSet &Rules)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Rules(Rules) {}

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  bool TraverseDecl(Decl *D) {
    if (!D)
      return true;
    SourceLocation Loc = D->getLocation();
    if (Loc.isValid() && isLibraryCode(SM, Loc))
      return true;
    const auto *VD = dyn_cast<VarDecl>(D);
    if (VD)
      Vars.push_back(VD);
    if (const auto *FD = dyn_cast<FunctionDecl>(D);
        FD && FD->doesThisDeclarationHaveABody() && FD->getBody() &&
        FD->getBody()->getBeginLoc().isFileID() &&
        !isLibraryCode(SM, FD->getBody()->getBeginLoc()))
      ProjectFunctions.push_back(FD);
    // `const QString sql = QStringLiteral("...")` with Qt 5: the literal is
    // in the lambda, the variable is what calls are handed. A static local
    // (`static const QString tpl = ...`, a template kept across calls) too.
    if (VD && VD->isLocalVarDecl()) {
      recordLambdaLiteralVar(VD, VD->getInit());
      recordGlobalCopy(VD, VD->getInit());
    }
    // `QString sql = "...";` with QString's header missing: Clang drops the
    // initializer (rawLiteralFallback finds its tokens by the name) and
    // keeps uses of the variable as text (the reconstructor's look-up).
    if (VD && VD->isInvalidDecl() && (VD->isLocalVarDecl() || VD->isFileVarDecl()) &&
        VD->getIdentifier())
      InvalidLocals[VD->getName()].push_back(VD);
    const auto *FD = dyn_cast<FunctionDecl>(D);
    if (FD && !FD->doesThisDeclarationHaveABody())
      FD = nullptr;
    if (FD)
      Functions.push_back(FD);
    bool R = Base::TraverseDecl(D);
    if (FD)
      Functions.pop_back();
    if (VD)
      Vars.pop_back();
    return R;
  }

  /// `QString m_filter;` with QString's header missing: Clang drops the
  /// member and every statement that writes it (writtenFieldWrites).
  bool VisitFieldDecl(FieldDecl *FD) {
    if (FD->isInvalidDecl() && FD->getIdentifier())
      InvalidFields[FD->getName()].push_back(FD);
    return true;
  }

  bool TraverseConstructorInitializer(CXXCtorInitializer *Init) {
    // `: m_sql("SELECT ...")`: a value of the member.
    if (Init->isMemberInitializer() && Init->isWritten() && Init->getInit())
      addFieldWrite(Init->getMember(), Init->getInit());
    return Base::TraverseConstructorInitializer(Init);
  }

  bool dataTraverseStmtPre(Stmt *S) {
    Stack.push_back(S);
    return true;
  }
  bool dataTraverseStmtPost(Stmt *S) {
    Stack.pop_back();
    return true;
  }

  /// `tpl.arg(x)`, with or without QString's header: the variable holds a
  /// template, whose `%N` markers its uses fill.
  void recordArgTemplateVar(const CallExpr *C) {
    const Expr *Object = nullptr;
    llvm::StringRef Name;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C)) {
      const CXXMethodDecl *M = MC->getMethodDecl();
      Name = M && M->getIdentifier() ? M->getName() : "";
      Object = MC->getImplicitObjectArgument();
    } else if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(
                   C->getCallee()->IgnoreParenImpCasts());
               M && !M->isImplicitAccess() && M->getMember().isIdentifier()) {
      Name = M->getMember().getAsIdentifierInfo()->getName();
      Object = M->getBase();
    }
    if (!Object || Name.empty() ||
        !Rules.isStringCall(StringCall::ArgTemplate, "", Name))
      return;
    Object = ignoreStringWrappers(Object);
    const VarDecl *VD = nullptr;
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Object))
      VD = dyn_cast<VarDecl>(DRE->getDecl());
    else if (const auto *RE = dyn_cast_or_null<RecoveryExpr>(Object);
             RE && RE->subExpressions().empty())
      VD = invalidLocalNamed(RE, InvalidLocals, Ctx);
    if (VD)
      ArgTemplateVars.insert(VD);
  }

  /// \p Texts, the values of \p VD: when \p VD is a template its uses fill
  /// (recordArgTemplateVar), each `%N` marker a hole (`name LIKE '%1%'` is
  /// a prefix pattern, not a leading wildcard).
  void fillArgTemplate(const VarDecl *VD, std::vector<ReconstructedSql> &Texts) {
    if (!VD || !(ArgTemplateVars.count(VD) || writtenArgTemplate(VD)))
      return;
    for (ReconstructedSql &T : Texts) {
      unsigned Counter = static_cast<unsigned>(placeholdersIn(T).size()) + 1;
      T = Reconstructor::fillMarkers(T, FormatCall::Qt, Counter, Ctx);
    }
  }

  /// Whether the tokens of \p VD's function, after its declaration, fill it
  /// as a template (`pattern.arg(v)`) where Clang dropped the call (the
  /// variable's type unknown without headers).
  bool writtenArgTemplate(const VarDecl *VD) {
    const auto *F = dyn_cast<FunctionDecl>(VD->getDeclContext());
    if (!VD->isInvalidDecl() || !F || !F->getBody() || !VD->getIdentifier())
      return false;
    const std::vector<Token> &Toks = projectTokens();
    size_t End = tokenAt(F->getBody()->getEndLoc());
    for (size_t K = tokenAt(SM.getSpellingLoc(VD->getLocation())) + 1; K + 3 < End; ++K)
      if (Toks[K].is(tok::raw_identifier) &&
          Toks[K].getRawIdentifier() == VD->getName() && Toks[K + 1].is(tok::period) &&
          Toks[K + 2].is(tok::raw_identifier) && Toks[K + 3].is(tok::l_paren) &&
          Rules.isStringCall(StringCall::ArgTemplate, "",
                             Toks[K + 2].getRawIdentifier()))
        return true;
    return false;
  }

  /// Records what \p C, a call of a project's function or one Clang could
  /// not resolve, is handed: literals Qt 5 wraps, local variables.
  template <typename CallOrConstruct> void recordHanded(const CallOrConstruct *C) {
    for (unsigned A = 0; A < C->getNumArgs(); ++A) {
      const Expr *Arg = viewed(C->getArg(A));
      if (const StringLiteral *L = Arg ? immediateLambdaLiteral(Arg) : nullptr)
        LiteralsHanded.try_emplace(L, Handed{C, A});
      else if (const VarDecl *V = Arg ? localVar(Arg) : nullptr)
        VariablesHanded[V].push_back({C, A});
      else if (const auto *RE = dyn_cast_or_null<RecoveryExpr>(Arg);
               RE && RE->subExpressions().empty())
        if (const VarDecl *V = invalidLocalNamed(RE, InvalidLocals, Ctx))
          VariablesHanded[V].push_back({C, A});
    }
  }

  /// The text \p E views (`sql` of `sql.c_str()`, `sql.toUtf8().constData()`).
  const Expr *viewed(const Expr *E) const {
    E = ignoreStringWrappers(E);
    for (unsigned Guard = 0; Guard < 4; ++Guard) {
      const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
      if (!MC || MC->getNumArgs() ||
          !methodHasRole(Rules, MethodRole::TextView, MC->getMethodDecl()))
        break;
      E = ignoreStringWrappers(MC->getImplicitObjectArgument());
    }
    return E;
  }

  /// `std::string query = kSearchQuery;` (or `filtered ? kA : kB`): the
  /// local \p VD starts as a copy of a global's text, which the function
  /// may then edit in place and hand to a call.
  void recordGlobalCopy(const VarDecl *VD, const Expr *Init) {
    Init = Init ? ignoreStringWrappers(Init) : nullptr;
    // The string class's copy, or its constructor from `const char *`.
    if (const auto *C = dyn_cast_or_null<CXXConstructExpr>(Init);
        C && C->getNumArgs() >= 1 &&
        llvm::all_of(llvm::drop_begin(C->arguments()),
                     [](const Expr *A) { return isa<CXXDefaultArgExpr>(A); }))
      Init = ignoreStringWrappers(C->getArg(0));
    if (const auto *CO = dyn_cast_or_null<ConditionalOperator>(Init)) {
      recordGlobalCopy(VD, CO->getTrueExpr());
      recordGlobalCopy(VD, CO->getFalseExpr());
      return;
    }
    const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Init);
    const auto *G = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    if (G && !G->hasLocalStorage() && G->getAnyInitializer())
      GlobalCopies[G->getCanonicalDecl()].push_back(VD);
  }

  /// `sql = QStringLiteral("...")` (or its initialisation) with Qt 5's
  /// lambda: the variable is what calls are handed.
  void recordLambdaLiteralVar(const VarDecl *VD, const Expr *Value) {
    if (const StringLiteral *L = VD ? lambdaLiteralIn(Value) : nullptr)
      LambdaLiteralVars.try_emplace(L, VD);
  }

  /// Qt 5's `QStringLiteral("...")` that \p Value is, maybe filled or
  /// viewed by a chain of calls on it (`.arg(x).arg(y)`, `.toUtf8()`).
  const StringLiteral *lambdaLiteralIn(const Expr *Value) const {
    const Expr *V = Value ? ignoreStringWrappers(Value) : nullptr;
    for (unsigned Guard = 0; Guard < 16; ++Guard) {
      const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(V);
      const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
      if (!M || !M->getIdentifier() ||
          !(Rules.isStringCall(StringCall::ArgTemplate, qualifiedName(M),
                               M->getName()) ||
            methodHasRole(Rules, MethodRole::TextView, M)))
        break;
      V = ignoreStringWrappers(MC->getImplicitObjectArgument());
    }
    return V ? immediateLambdaLiteral(V) : nullptr;
  }

  /// The local variable \p Parent assigns \p Value to (`sql = "..."`).
  static const VarDecl *assignedVar(const Stmt *Parent, const Expr *Value) {
    const Expr *LHS = nullptr, *RHS = nullptr;
    if (const auto *B = dyn_cast_or_null<BinaryOperator>(Parent);
        B && B->getOpcode() == BO_Assign) {
      LHS = B->getLHS();
      RHS = B->getRHS();
    } else if (const auto *Op = dyn_cast_or_null<CXXOperatorCallExpr>(Parent);
               Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2) {
      LHS = Op->getArg(0);
      RHS = Op->getArg(1);
    }
    if (!RHS || !Value || ignoreStringWrappers(RHS) != ignoreStringWrappers(Value))
      return nullptr;
    return localVar(LHS);
  }

  /// The call a free literal's statement is handed to, and as which
  /// argument: the call it is written in, the call its Qt 5 lambda is,
  /// or the first call after it the variable it initialises or is
  /// assigned to is handed to.
  std::optional<Handed> handedTo(const FreeCandidate &FC) const {
    if (FC.Call)
      return Handed{FC.Call, FC.ArgIndex};
    if (auto It = LiteralsHanded.find(FC.Lit); It != LiteralsHanded.end())
      return It->second;
    const VarDecl *Var = FC.Initialises && FC.Var == FC.Initialises ? FC.Var
                         : FC.Assigns                               ? FC.Assigns
                                      : LambdaLiteralVars.lookup(FC.Lit);
    auto It = Var ? VariablesHanded.find(Var) : VariablesHanded.end();
    if (It == VariablesHanded.end())
      return std::nullopt;
    for (const Handed &H : It->second)
      if (SM.isBeforeInTranslationUnit(FC.Lit->getBeginLoc(), H.Call->getBeginLoc()))
        return H;
    return std::nullopt;
  }

  bool VisitCallExpr(CallExpr *C) {
    recordArgTemplateVar(C);
    bool EditsInPlace = recordMutation(C);
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C);
        Op && Op->getOperator() == OO_Equal && Op->getNumArgs() == 2)
      recordLambdaLiteralVar(localVar(Op->getArg(0)), Op->getArg(1));
    const FunctionDecl *FD = C->getDirectCallee();
    if (!isa<CXXOperatorCallExpr>(C) && !EditsInPlace &&
        (!FD || !isLibraryCode(SM, FD->getLocation()))) {
      recordHanded(C);
      if (std::vector<BranchArm> Path = branchPath(Stack, SM); !Path.empty())
        CallArms[C] = std::move(Path);
    }
    if (!FD) {
      recordUnresolvedBind(C);
      return true;
    }
    if (!isa<CXXOperatorCallExpr>(C))
      Callers[FD->getCanonicalDecl()].push_back(C);
    if (const Bind *B = bindFor(FD, C)) {
      const Expr *St = nullptr;
      if (B->StatementArg >= 0 &&
          static_cast<unsigned>(B->StatementArg) < C->getNumArgs())
        St = C->getArg(static_cast<unsigned>(B->StatementArg));
      else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
        St = MC->getImplicitObjectArgument();
      if (const ValueDecl *D = St ? statementDecl(St) : nullptr)
        Binds[D].push_back({D, B, C});
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C);
               MC && !isLibraryCode(SM, FD->getLocation())) {
      // A method of the project's own class named as an API's: a wrapper.
      const ValueDecl *D = statementDecl(MC->getImplicitObjectArgument());
      const Bind *B = D && FD->getIdentifier()
                          ? bindNamed(FD->getName(), C->getNumArgs())
                          : nullptr;
      if (B)
        Binds[D].push_back({D, B, C, /*Wrapper=*/true});
    }
    const Sink *K = sinkFor(FD, C, writtenArgCount(C->arguments()));
    if (!K)
      return true;
    llvm::SmallVector<const Expr *, 8> Args;
    for (const Expr *A : C->arguments())
      Args.push_back(A);
    addSink(*K, Args, C, FD);
    return true;
  }

  bool VisitCXXConstructExpr(CXXConstructExpr *C) {
    const CXXConstructorDecl *CD = C->getConstructor();
    if (!CD || C->getNumArgs() == 0)
      return true;
    const Sink *K = sinkFor(CD, nullptr, writtenArgs(C));
    if (!K) {
      // `Statement st(sql, db)`: a project's object handed SQL when made,
      // as `st.prepare(sql)` would hand it.
      if (constructsProjectObject(C)) {
        Constructed[C] = Vars.back();
        recordHanded(C);
        if (std::vector<BranchArm> Path = branchPath(Stack, SM); !Path.empty())
          CallArms[C] = std::move(Path);
      }
      return true;
    }
    llvm::SmallVector<const Expr *, 8> Args(C->arg_begin(), C->arg_end());
    addSink(*K, Args, C, CD);
    return true;
  }

  /// Does \p C make a local object of a project's class (not an
  /// exception) that it hands a statement: `Statement st(sql, db)`?
  bool constructsProjectObject(const CXXConstructExpr *C) const {
    const CXXConstructorDecl *CD = C->getConstructor();
    const CXXRecordDecl *RD = CD->getParent();
    if (Vars.empty() || !Vars.back()->hasLocalStorage() || !Vars.back()->getInit() ||
        ignoreStringWrappers(Vars.back()->getInit()) != C ||
        CD->isCopyOrMoveConstructor() || isLibraryCode(SM, RD->getLocation()) ||
        isExceptionClass(RD) || isNotSql(CD))
      return false;
    return !Rules.isStringCall(StringCall::Text, qualifiedName(RD), RD->getName());
  }

  bool VisitIfStmt(IfStmt *S) {
    // `_Sf (QString s ; list)`: a range-for Clang dropped, brought back as
    // an `if` (cpp/RecoveredLoops.h); `s` is an element, not an empty text.
    if (const auto *Init = dyn_cast_or_null<DeclStmt>(S->getInit());
        Init && isRecoveredLoop(*S, SM, Ctx.getLangOpts()))
      for (const Decl *D : Init->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          LoopElements.insert(VD);
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->getOpcode() == BO_Assign)
      if (const VarDecl *VD = localVar(B->getLHS())) {
        addMutation(VD, {Mutation::Assign, B->getRHS(), B->getBeginLoc()});
        recordLambdaLiteralVar(VD, B->getRHS());
      }
    if (B->isAssignmentOp())
      if (const FieldDecl *F = memberField(B->getLHS()))
        addFieldWrite(F, B->getOpcode() == BO_Assign ? B->getRHS() : nullptr);
    // `sql += "..."` on a string whose type's header is missing.
    if (B->getOpcode() == BO_AddAssign && B->isTypeDependent())
      if (const VarDecl *VD = localVar(B->getLHS()); VD && VD->isInvalidDecl())
        addMutation(VD, {Mutation::Append, B->getRHS(), B->getRHS()->getBeginLoc()});
    return true;
  }

  bool VisitStringLiteral(StringLiteral *L) {
    for (unsigned T = 0; T < L->getNumConcatenated(); ++T)
      SeenTokens.insert(SM.getSpellingLoc(L->getStrTokenLoc(T)).getRawEncoding());
    if (L->getLength() < 4 || isLibraryCode(SM, L->getBeginLoc()))
      return true;
    std::string Text;
    if (L->getCharByteWidth() == 1)
      Text = L->getString().take_front(64).str();
    else
      for (unsigned I = 0; I < std::min(64u, L->getLength()); ++I)
        Text += static_cast<char>(std::min<uint32_t>(L->getCodeUnit(I), 127));
    bool Fragment = false;
    bool Short = L->getLength() < 8;
    // Whether it holds LIKE is read on the whole text: a long condition
    // names its column early and its LIKE late.
    std::string Whole = L->getCharByteWidth() == 1 ? L->getString().str() : Text;
    if (!isTransactionControl(Whole) &&
        (Short || (!startsWithStatementKeyword(Text) && !startsSchemaStatement(Text) &&
                   !startsWithHeadHole(Text) && !statementsAfterControl(Whole)))) {
      // A condition's operator written apart from its column (`col + " LIKE
      // " + ph`) is a fragment too: whether it is one is decided on the
      // whole string the expression builds (addFragments).
      if ((Short || fragmentPrefix(Text).empty()) && !holdsLikeWord(Whole))
        return true;
      Fragment = true;
    }
    if (inNotSqlMacro(L->getBeginLoc()))
      return true;
    // `sizeof("...")` is never run: Qt 5's QStringLiteral spells its text
    // twice, once to size it.
    if (llvm::any_of(Stack,
                     [](const Stmt *S) { return isa<UnaryExprOrTypeTraitExpr>(S); }))
      return true;
    FreeCandidate FC{L, Fragment};
    // Climb to the whole string-building expression; from Qt 5's
    // QStringLiteral("...") lambda, from the call of the lambda, so its
    // `.arg(x)` fills the text.
    size_t I = Stack.size() - 1;
    for (size_t J = I; J-- > 0;)
      if (const auto *E = dyn_cast<Expr>(Stack[J]);
          E && immediateLambdaLiteral(E) == L) {
        I = J;
        break;
      }
    while (I > 0 && buildsString(Stack[I - 1], Stack[I]))
      --I;
    const Stmt *Root = Stack[I];
    const Stmt *Parent = I > 0 ? Stack[I - 1] : nullptr;
    FC.Root = dyn_cast<Expr>(Root);
    FC.Assigns = assignedVar(Parent, FC.Root);
    // `std::string sql; sql += "SELECT *"; sql += " FROM t"; run(sql);`: a
    // statement's start appended to a local is its value where it is
    // handed on, as if assigned.
    if (!FC.Assigns && !FC.Fragment)
      if (const VarDecl *VD = appendedVar(Parent, FC.Root); VD && VD->isLocalVarDecl())
        FC.Assigns = VD;
    bool Listed = false;
    if (Parent) {
      if (isa<CXXThrowExpr>(Parent))
        return true;
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Parent);
          Op && Op->getOperator() == OO_LessLess) {
        const VarDecl *VD = streamRoot(Op);
        if (VD && VD->hasLocalStorage() && isTextListType(VD->getType()))
          Listed = true; // `conditions << "name LIKE ..."`, joined later.
        else if (!VD || !isStreamType(Rules, VD->getType()) || !VD->hasLocalStorage())
          return true; // Written to std::cout, a logger, ...
        else
          FC.Var = VD;
      } else if (const auto *Call = dyn_cast<CallExpr>(Parent)) {
        const FunctionDecl *FD = Call->getDirectCallee();
        std::optional<FormatCall> F = formatCallOf(Call, Rules);
        if (F && F->DestArg >= 0 && F->FormatArg < Call->getNumArgs() &&
            ignoreStringWrappers(Call->getArg(F->FormatArg)) ==
                ignoreStringWrappers(FC.Root)) {
          // `snprintf(buf, n, "SELECT ... %d", v)` writes a buffer, not a
          // message: the statement is what it writes, its template filled
          // with its arguments (a whole statement, as any free literal).
          if (FC.Fragment)
            return true;
          FC.Root = Call;
          FC.Buffer = localVar(Call->getArg(static_cast<unsigned>(F->DestArg)));
        } else if (FD && isNotSql(FD)) {
          return true;
        } else if (!FD || !isLibraryCode(SM, FD->getLocation())) {
          // A project function, or a call Clang could not resolve (a missing
          // header): its arguments after the SQL are its values.
          for (unsigned A = 0; A < Call->getNumArgs(); ++A)
            if (Call->getArg(A) == FC.Root) {
              FC.Call = Call;
              FC.ArgIndex = A;
            }
        }
      } else if (const auto *Ctor = dyn_cast<CXXConstructExpr>(Parent)) {
        if (isExceptionClass(Ctor->getConstructor()->getParent()) ||
            isNotSql(Ctor->getConstructor()))
          return true;
        if (Constructed.count(Ctor))
          for (unsigned A = 0; A < Ctor->getNumArgs(); ++A)
            if (Ctor->getArg(A) == FC.Root) {
              FC.Call = Ctor;
              FC.ArgIndex = A;
            }
      }
    }
    // A fragment in Qt 5's QStringLiteral lambda initialising a local: the
    // local's final value, its appends after it included.
    // Text in Qt 5's QStringLiteral lambda initialising or assigned to a
    // local (`.arg(x)` on it or not): the local's final value, its appends
    // after it included.
    if (const VarDecl *VD = LambdaLiteralVars.lookup(L);
        VD && !FC.Var && VD->isLocalVarDecl()) {
      FC.Var = VD;
      if (VD->getInit() && lambdaLiteralIn(VD->getInit()) == L)
        FC.Initialises = VD;
    }
    if (!Vars.empty() && Vars.back()->getInit() &&
        ignoreStringWrappers(Vars.back()->getInit()) == ignoreStringWrappers(FC.Root)) {
      FC.Initialises = Vars.back();
      if (!FC.Var && Vars.back()->isLocalVarDecl())
        FC.Var = Vars.back();
    }
    // `s += " OFFSET "; s += offset; return s;`: a fragment appended to a
    // local, a keyword and its value appended apart.
    if (FC.Fragment && !FC.Var)
      if (const VarDecl *VD = appendedVar(Parent, FC.Root); VD && VD->isLocalVarDecl())
        FC.AppendedTo = VD;
    if (FC.Fragment && !FC.Initialises && !FC.Var && !Listed &&
        !buildsClause(Parent, FC.Root))
      return true; // `sql.find(" FOR UPDATE")`, a message, a comparison.
    if (FC.Fragment)
      FC.ArmValues = armValues(I);
    Free.push_back(FC);
    return true;
  }

  std::unique_ptr<SqlSites> finish() {
    auto Result = std::make_unique<SqlSites>();
    for (auto &KV : Mutations)
      std::stable_sort(KV.second.begin(), KV.second.end(),
                       [&](const Mutation &A, const Mutation &B) {
                         return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
                       });
    for (const FieldDecl *F : FieldsWrittenOtherwise)
      FieldWrites[F].clear();
    WrittenFieldMap WrittenFields = writtenFieldWrites();
    WrittenCallMap WrittenCalls = writtenCallsOfInvalid();
    Reconstructor R(Ctx, Rules, Mutations, Callers, &FieldWrites, &InvalidLocals,
                    &LoopElements, &WrittenFields, &WrittenCalls);
    for (size_t SinkIndex = 0; SinkIndex < Sinks.size(); ++SinkIndex) {
      const PendingSink &P = Sinks[SinkIndex];
      SqlSite S;
      std::vector<ReconstructedSql> Texts;
      if (!P.Parts.empty())
        Texts = R.buildVariants(P.Parts, nullptr, P.Anchor->getBeginLoc(), MaxVariants);
      bindValues(Texts, boundTo(SinkIndex), R);
      S.Anchor = P.Anchor;
      S.FromSink = true;
      S.SinkName = P.Name;
      S.Prepares = P.Prepares;
      S.InProcess = P.InProcess;
      S.Dialect = P.Dialect;
      S.Statement = P.Statement;
      S.Function = P.Function;
      for (size_t I = 1; I < Texts.size(); ++I) {
        SqlSite V = S;
        V.Sql = std::move(Texts[I]);
        Result->Variants.push_back(std::move(V));
      }
      if (Texts.empty() || !Texts.front().HasLiteral) {
        Result->Opaque.push_back({P.Anchor, P.Name, P.InProcess,
                                  P.Parts.size() == 1 ? P.Parts.front() : nullptr});
        continue;
      }
      S.Sql = std::move(Texts.front());
      Result->Sites.push_back(std::move(S));
    }
    for (const FreeCandidate &FC : Free) {
      if (FC.Fragment || R.used().count(FC.Lit))
        continue;
      // Text assigned to a variable that a call is handed later: the
      // variable's value there, its edits after the assignment included
      // (`sql = "... {{op}} ?"; replace_all(sql, "{{op}}", "LIKE");`).
      const VarDecl *Var = FC.Var;
      SourceLocation Use;
      if (std::optional<Handed> H = !Var && FC.Assigns ? handedTo(FC) : std::nullopt) {
        Var = FC.Assigns;
        Use = H->Call->getBeginLoc();
      }
      std::vector<ReconstructedSql> Texts = R.buildVariants(
          Var ? llvm::ArrayRef<const Expr *>() : llvm::ArrayRef(FC.Root), Var, Use,
          MaxVariants);
      fillArgTemplate(Var ? Var : FC.Initialises, Texts);
      if (std::optional<Handed> H = handedTo(FC))
        bindValues(Texts, handedValues(*H), R);
      // A global's text that functions copy into a local, edit and hand to
      // a call: each copy's value at that call, with the values handed
      // beside it (`std::string q = kQuery; ReplaceAll(q, "{{op}}",
      // "LIKE"); Statement st(q.c_str(), db); st.BindText(0, "%" + f);`).
      if (!Var && FC.Initialises && !FC.Initialises->hasLocalStorage())
        if (auto It = GlobalCopies.find(FC.Initialises->getCanonicalDecl());
            It != GlobalCopies.end())
          for (const VarDecl *Copy : It->second) {
            auto Handing = VariablesHanded.find(Copy);
            if (Handing == VariablesHanded.end())
              continue;
            const Handed &H = Handing->second.front();
            std::vector<ReconstructedSql> CopyTexts =
                R.buildVariants({}, Copy, H.Call->getBeginLoc(), MaxVariants);
            bindValues(CopyTexts, handedValues(H), R);
            std::move(CopyTexts.begin(), CopyTexts.end(), std::back_inserter(Texts));
          }
      bool First = true;
      for (ReconstructedSql &T : Texts) {
        auto A = analyzeSqlCached(T.Text, /*AllowTokenFallback=*/false);
        // Schema statements are kept too, parsed or not (`c DEFAULT 0` with
        // no type is MySQL's, not PostgreSQL's): handed to a call, they say
        // the call sets up the database (`sql->query(buf)` after
        // `sprintf(buf, "CREATE TABLE %s ...")`), which the graph does not
        // count as a query.
        bool Schema = A->DataStatements == 0 &&
                      (startsSchemaStatement(T.Text) || isTransactionControl(T.Text));
        if (A->Statements == 0 || (!Schema && (A->ParsedStatements != A->Statements ||
                                               A->DataStatements == 0)))
          continue;
        SqlSite S;
        S.Sql = std::move(T);
        S.Anchor = FC.Root;
        S.Var = FC.Initialises;
        S.Buffer = FC.Buffer;
        // The first text that is a statement is the site; the call graph
        // sees it. Other branches only add facts.
        (First ? Result->Sites : Result->Variants).push_back(std::move(S));
        First = false;
      }
    }
    addFragments(R, *Result);
    if (Ctx.getDiagnostics().hasErrorOccurred()) {
      SeenTokens.insert(R.usedRawTokens().begin(), R.usedRawTokens().end());
      rawLiteralFallback(R, *Result);
      // A fragment appended to a variable whose initializer Clang dropped
      // (`sql += " FOR UPDATE"`) is part of the statement read from the
      // tokens since.
      llvm::SmallPtrSet<const StringLiteral *, 32> InSql =
          literalsInStatements(*Result);
      llvm::erase_if(Result->Fragments, [&](const SqlSite &F) {
        return llvm::any_of(F.Sql.Pieces, [&](const SqlPiece &P) {
          return P.Lit && InSql.count(P.Lit);
        });
      });
    }
    return Result;
  }

  /// Fragments that are part of no statement found above, each read inside
  /// a neutral statement; kept when that parses and the fragment itself
  /// holds a fact.
  /// The string literals the statements found so far are made of.
  static llvm::SmallPtrSet<const StringLiteral *, 32>
  literalsInStatements(const SqlSites &Result) {
    llvm::SmallPtrSet<const StringLiteral *, 32> InSql;
    for (const auto *Sites : {&Result.Sites, &Result.Variants})
      for (const SqlSite &S : *Sites)
        for (const SqlPiece &P : S.Sql.Pieces)
          if (P.Lit)
            InSql.insert(P.Lit);
    return InSql;
  }

  void addFragments(Reconstructor &R, SqlSites &Result) {
    llvm::SmallPtrSet<const StringLiteral *, 32> InSql = literalsInStatements(Result);
    auto Mark = [&](const SqlSite &S) {
      for (const SqlPiece &P : S.Sql.Pieces)
        if (P.Lit)
          InSql.insert(P.Lit);
    };
    for (const FreeCandidate &FC : Free) {
      if (!FC.Fragment || InSql.count(FC.Lit))
        continue;
      // The fragment as written, or the final value of the local it is
      // appended to when that alone holds no fact (its value appended
      // apart); the written one first, as the local's value may start
      // with what the analysis does not know.
      auto Read = [&](const VarDecl *Var) {
        std::vector<ReconstructedSql> Texts = R.buildVariants(
            Var ? llvm::ArrayRef<const Expr *>() : llvm::ArrayRef(FC.Root), Var,
            SourceLocation(), MaxVariants);
        fillArgTemplate(Var ? Var : FC.Initialises, Texts);
        bool Found = false;
        for (ReconstructedSql &T : Texts) {
          if (!FC.ArmValues.empty() && placeholdersIn(T).size() == FC.ArmValues.size())
            T = substituteBound(T, FC.ArmValues, R, Ctx, 0).front();
          std::optional<SqlSite> S = fragmentSite(T, /*Anchored=*/true);
          if (!S)
            continue;
          S->Anchor = FC.Root;
          S->Var = FC.Initialises;
          Mark(*S);
          Result.Fragments.push_back(std::move(*S));
          Found = true;
        }
        return Found;
      };
      if (!Read(FC.Var) && FC.AppendedTo)
        Read(FC.AppendedTo);
    }
  }

  /// \p Texts with \p Values in their placeholders; after them, the texts
  /// with each other value a bound parameter may have (its argument at each
  /// call site of the function), up to MaxBoundOthers of them.
  void bindValues(std::vector<ReconstructedSql> &Texts,
                  llvm::ArrayRef<BoundValue> Values, Reconstructor &R) const {
    if (Texts.empty() || Values.empty())
      return;
    std::vector<ReconstructedSql> Others;
    // Every text may take the other values, within one budget: the first
    // text may be a branch that is not SQL (`{{op}}` made REGEXP or LIKE).
    unsigned Budget = MaxBoundOthers;
    for (size_t I = 0; I < Texts.size(); ++I) {
      std::vector<ReconstructedSql> Bound =
          substituteBound(Texts[I], Values, R, Ctx, Budget);
      Budget -= std::min<unsigned>(Budget, static_cast<unsigned>(Bound.size() - 1));
      Texts[I] = std::move(Bound.front());
      std::move(Bound.begin() + 1, Bound.end(), std::back_inserter(Others));
    }
    std::set<std::string> Seen;
    for (const ReconstructedSql &T : Texts)
      Seen.insert(T.Text);
    for (ReconstructedSql &T : Others)
      if (Seen.insert(T.Text).second)
        Texts.push_back(std::move(T));
  }

  /// The values bound to the SQL of sink \p Index: by the call itself,
  /// then by `binds:` calls on its statement after it and before the next
  /// sink that gives that statement other SQL.
  std::vector<BoundValue> boundTo(size_t Index) {
    const PendingSink &P = Sinks[Index];
    std::vector<BoundValue> Out = P.Values;
    if (!P.Statement)
      return Out;
    SourceLocation To;
    for (size_t I = Index + 1; I < Sinks.size() && To.isInvalid(); ++I)
      if (Sinks[I].Statement == P.Statement && !Sinks[I].Parts.empty())
        To = Sinks[I].Anchor->getBeginLoc();
    addBoundBetween(P.Statement, P.Anchor->getBeginLoc(), To, Out);
    return Out;
  }

  /// The values of the SQL handed over as \p H: `db.query("... LIKE ?",
  /// "%" + term)`, a project function that takes the SQL and then its
  /// values; `q.prepare(sql)` unresolved or a project's method, the values
  /// bound on q after it.
  std::vector<BoundValue> handedValues(const Handed &H) {
    std::vector<BoundValue> Values = boundToUnresolved(H.Call);
    // Binding calls Clang dropped: `m_db->bindValue(1, escaped(t))` where
    // escaped() returns a class whose header is missing.
    if (Ctx.getDiagnostics().hasErrorOccurred())
      if (const FunctionDecl *F = functionAt(H.Call->getBeginLoc())) {
        const std::vector<Token> &Toks = projectTokens();
        size_t At = tokenAt(H.Call->getBeginLoc());
        if (auto M = rawMemberCall(Toks, At)) {
          std::vector<BoundValue> Dropped =
              rawBindsOn(Toks, M->first, At + 3, F, H.Call);
          std::move(Dropped.begin(), Dropped.end(), std::back_inserter(Values));
        }
      }
    // A call's arguments after the SQL are its values; a constructor's are
    // what the statement runs on (`Statement st(sql, db)`).
    if (const auto *Call = dyn_cast<CallExpr>(H.Call))
      for (unsigned A = H.Arg + 1; A < Call->getNumArgs(); ++A)
        if (!isa<CXXDefaultArgExpr>(Call->getArg(A)))
          Values.push_back({"", -1, Call->getArg(A), Call->getBeginLoc()});
    return Values;
  }

  /// The values bound to a free literal handed to `q.prepare(sql)` where
  /// Clang could not resolve the call: by `binds:` calls on `q` after it and
  /// before the next call that hands `q` other SQL.
  std::vector<BoundValue> boundToUnresolved(const Expr *Call) {
    std::vector<BoundValue> Out;
    const ValueDecl *St = statementOf(Call);
    if (!St || !Binds.count(St))
      return Out;
    SourceLocation From = Call->getBeginLoc(), To;
    for (const FreeCandidate &Next : Free) {
      std::optional<Handed> H = handedTo(Next);
      if (H && H->Call != Call &&
          SM.isBeforeInTranslationUnit(From, H->Call->getBeginLoc()) &&
          (To.isInvalid() ||
           SM.isBeforeInTranslationUnit(H->Call->getBeginLoc(), To)) &&
          !exclusive(Call, H->Call))
        if (statementOf(H->Call) == St)
          To = H->Call->getBeginLoc();
    }
    // `if (a) q.prepare(A); else q.prepare(B); q.addBindValue(v);`: each
    // SQL gets the values bound after it, but not those of the other arm.
    addBoundBetween(St, From, To, Out,
                    [&](const CallExpr *Bind) { return !exclusive(Call, Bind); });
    return Out;
  }

  /// Are \p A and \p B in different arms of one `if` or `switch` (so that
  /// no run reaches both)? Only calls recordHanded saw have their arms.
  bool exclusive(const Expr *A, const Expr *B) const {
    auto PA = CallArms.find(A), PB = CallArms.find(B);
    return PA != CallArms.end() && PB != CallArms.end() &&
           armExcluding(PA->second, PB->second);
  }

  /// The arm of \p Other's path in another arm of an `if`/`switch` that
  /// \p Path is in, or null.
  static const BranchArm *armExcluding(llvm::ArrayRef<BranchArm> Path,
                                       llvm::ArrayRef<BranchArm> Other) {
    for (const BranchArm &X : Path)
      for (const BranchArm &Y : Other)
        if (X.Cond == Y.Cond && X.Arm != Y.Arm)
          return &Y;
    return nullptr;
  }

  /// `q` of an unresolved member call `q.prepare(...)`, of a call of a
  /// project's method `db->prepare(...)` or of its construction `Statement
  /// q(sql, db)`, or null.
  const ValueDecl *statementOf(const Expr *E) const {
    if (const auto *C = dyn_cast<CXXConstructExpr>(E))
      return Constructed.lookup(C);
    const auto *Call = cast<CallExpr>(E);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      return statementDecl(MC->getImplicitObjectArgument());
    std::optional<UnresolvedMember> M =
        unresolvedMember(Call->getCallee(), SM, Ctx.getLangOpts());
    return M && M->Object ? statementDecl(M->Object) : nullptr;
  }

  /// Appends to \p Out the values of the `binds:` calls on \p Statement
  /// from \p From up to \p To (invalid: the end of the file) that a run
  /// through \p From may reach.
  void addBoundBetween(
      const ValueDecl *Statement, SourceLocation From, SourceLocation To,
      std::vector<BoundValue> &Out,
      llvm::function_ref<bool(const CallExpr *)> Reached = [](const CallExpr *) {
        return true;
      }) {
    auto It = Binds.find(Statement);
    if (It == Binds.end())
      return;
    auto InRange = [&](const BindCall &B) {
      SourceLocation L = B.Call->getBeginLoc();
      return !SM.isBeforeInTranslationUnit(L, From) &&
             (To.isInvalid() || SM.isBeforeInTranslationUnit(L, To)) && Reached(B.Call);
    };
    // A wrapper's numbers count from 0 when one of its calls binds 0, else
    // from 1.
    auto Auto = [](const BindCall &B) {
      return B.Wrapper || B.B->IndexBase == Bind::AutoIndexBase;
    };
    auto Bound = [&](const BindCall &B) {
      Bind Numbered = *B.B;
      if (Auto(B))
        Numbered.IndexBase = 0;
      return boundValue(Numbered, B.Call, writtenArgCount(B.Call->arguments()), Rules,
                        Ctx);
    };
    bool WrapperFromZero = false;
    for (const BindCall &B : It->second)
      if (Auto(B) && B.B->NameArg >= 0 && InRange(B)) {
        BoundValue V = Bound(B);
        WrapperFromZero |= V.Name.empty() && V.Number == 0;
      }
    for (const BindCall &B : It->second) {
      if (!InRange(B))
        continue;
      BoundValue V = Bound(B);
      if (Auto(B) && B.B->NameArg >= 0 && V.Name.empty() && !WrapperFromZero &&
          --V.Number < 0)
        V.Value = nullptr;
      if (V.Value && V.Value->containsErrors())
        addWrittenTokens(V);
      if (V.Value)
        Out.push_back(std::move(V));
    }
  }

  /// The tokens of the project's files (the main file and the headers that
  /// are no library's), as the raw lexer reads them (lexed once): file after
  /// file in the order of their places in the source manager, each ended by
  /// its `eof`, so the tokens' locations only grow.
  const std::vector<Token> &projectTokens() {
    if (!ProjectTokens.empty())
      return ProjectTokens;
    for (unsigned I = 0, N = SM.local_sloc_entry_size(); I < N; ++I) {
      const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
      if (!E.isFile() || !E.getFile().getContentCache().OrigEntry)
        continue;
      SourceLocation Start = SourceLocation::getFromRawEncoding(E.getOffset());
      if (isLibraryCode(SM, Start))
        continue;
      FileID F = SM.getFileID(Start);
      std::optional<llvm::StringRef> Buf = SM.getBufferDataOrNone(F);
      if (!Buf)
        continue;
      Lexer Raw(Start, Ctx.getLangOpts(), Buf->begin(), Buf->begin(), Buf->end());
      Token T;
      do {
        Raw.LexFromRawLexer(T);
        ProjectTokens.push_back(T);
      } while (T.isNot(tok::eof) && ProjectTokens.size() < 5000000);
    }
    return ProjectTokens;
  }

  /// A value Clang could not make sense of (`QStringLiteral("%%1%")
  /// .arg(escaped(t))` where escaped() returns an unknown class) keeps its
  /// tokens too, to be read when its expression tells nothing.
  void addWrittenTokens(BoundValue &V) {
    SourceRange Range = V.Value->getSourceRange();
    if (Range.getBegin().isMacroID() || Range.getEnd().isMacroID())
      return;
    const std::vector<Token> &Toks = projectTokens();
    size_t Begin = tokenAt(Range.getBegin()), End = tokenAt(Range.getEnd());
    if (Begin <= End && End < Toks.size()) {
      V.Written = llvm::ArrayRef<Token>(Toks).slice(Begin, End + 1 - Begin);
      V.WrittenIn = functionAt(Range.getBegin());
    }
  }

  /// The index of the last token of the `if`/`switch` arm that holds the
  /// call at \p Loc and excludes \p From; 0 when there is none.
  size_t otherArmEnd(const Expr *From, SourceLocation Loc) {
    auto FromArms = From ? CallArms.find(From) : CallArms.end();
    if (FromArms == CallArms.end())
      return 0;
    Loc = SM.getExpansionLoc(Loc);
    for (const auto &[C, Arms] : CallArms)
      if (SM.getExpansionLoc(C->getBeginLoc()) == Loc)
        if (const BranchArm *Y = armExcluding(FromArms->second, Arms)) {
          size_t End = tokenAt(Y->Arm->getEndLoc());
          return End < projectTokens().size() ? End : 0;
        }
    return 0;
  }

  /// The index of the project's token at \p Loc (its expansion), or the
  /// number of tokens.
  size_t tokenAt(SourceLocation Loc) {
    const std::vector<Token> &Toks = projectTokens();
    Loc = SM.getExpansionLoc(Loc);
    if (Loc.isInvalid() || isLibraryCode(SM, Loc))
      return Toks.size();
    auto It = llvm::partition_point(
        Toks, [&](const Token &T) { return T.getLocation() < Loc; });
    return It != Toks.end() && It->isNot(tok::eof) && It->getLocation() == Loc
               ? static_cast<size_t>(It - Toks.begin())
               : Toks.size();
  }

  /// After a compile error (a missing header, an unknown type) Clang drops
  /// declarations and bodies it cannot make sense of, with the string
  /// literals in them. Clang's raw lexer still sees those literals in the
  /// project's files: whole statements among them are analysed like free
  /// literals.
  void rawLiteralFallback(Reconstructor &R, SqlSites &Result) {
    const std::vector<Token> &Toks = projectTokens();
    std::vector<const VarDecl *> FragmentVars;
    llvm::DenseSet<const VarDecl *> RawVariablesRead;
    for (size_t I = 0; I < Toks.size();) {
      if (!tok::isStringLiteral(Toks[I].getKind())) {
        ++I;
        continue;
      }
      size_t End = I;
      while (End < Toks.size() && tok::isStringLiteral(Toks[End].getKind()))
        ++End;
      llvm::ArrayRef<Token> Run(&Toks[I], End - I);
      size_t Before = I;
      I = End;
      if (SeenTokens.count(Run.front().getLocation().getRawEncoding()) ||
          !rawContextMayBeSql(Toks, Before))
        continue;
      if (const VarDecl *VD = droppedInitialiser(Toks, Before)) {
        // The initial text of a variable: the site is its final value,
        // read once (the other arm of its conditional is in it).
        if (!RawVariablesRead.insert(VD).second)
          continue;
        if (!addRawVariable(R, VD, Result, rawBoundValues(Toks, Before, VD)))
          FragmentVars.push_back(VD);
        continue;
      }
      SqlSite S;
      NextRawParam = 1; // Each text numbers its own holes.
      if (!appendRawLiterals(Run, Ctx, S.Sql))
        continue;
      if (std::optional<ReconstructedSql> Filled =
              rawTemplate(R, Toks, Before, End, S.Sql))
        S.Sql = std::move(*Filled);
      // `"..." + x + "..."`: further literal operands extend the text, any
      // other operand is an unknown part. A literal in a text wrapper is
      // the literal (`QString::fromUtf8("... LIKE '%") + v + ...`).
      if (beforeTextWrapper(Toks, Before) != Before && I + 1 < Toks.size() &&
          Toks[I].is(tok::r_paren) && Toks[I + 1].is(tok::plus))
        ++I;
      while (I + 1 < Toks.size() && Toks[I].is(tok::plus)) {
        size_t J = ++I;
        auto [First, Last] = wrappedLiterals(Toks, J);
        if (Last > First) {
          if (!appendRawLiterals(llvm::ArrayRef<Token>(&Toks[First], Last - First), Ctx,
                                 S.Sql))
            break;
          I = Last + (First == J ? 0 : 1);
          continue;
        }
        int Depth = 0;
        for (; J < Toks.size(); ++J) {
          bool Closes = Toks[J].isOneOf(tok::r_paren, tok::r_square, tok::r_brace);
          if ((Closes && Depth == 0) ||
              (Depth == 0 && Toks[J].isOneOf(tok::plus, tok::comma, tok::semi)))
            break;
          if (Toks[J].isOneOf(tok::l_paren, tok::l_square, tok::l_brace))
            ++Depth;
          else if (Closes)
            --Depth;
        }
        Reconstructor::appendPlaceholder(S.Sql, nullptr, NextRawParam);
        I = J;
      }
      // A schema statement is kept too, parsed or not (SQLite's ATTACH):
      // the execution it is prepared for is then known to be no data access.
      auto A = analyzeSqlCached(S.Sql.Text, /*AllowTokenFallback=*/false);
      if (A->Statements == 0 ||
          ((A->ParsedStatements != A->Statements || A->DataStatements == 0) &&
           !startsWithSchemaKeyword(S.Sql.Text))) {
        if (writtenToString(Toks, Before)) {
          // The values its placeholders take, handed over after it in the
          // same arm (`*bound << "%" + v + "%";`), as armValues reads them.
          std::vector<BoundValue> Values = rawArmValues(Toks, End, Before);
          if (!Values.empty() && placeholdersIn(S.Sql).size() == Values.size())
            S.Sql = substituteBound(S.Sql, Values, R, Ctx, 0).front();
          addRawFragment(S.Sql, Result);
        }
        continue;
      }
      std::vector<ReconstructedSql> Texts{std::move(S.Sql)};
      bindValues(Texts, rawBoundValues(Toks, Before, nullptr), R);
      S.Sql = std::move(Texts.front());
      for (size_t K = 1; K < Texts.size(); ++K) {
        SqlSite V = S;
        V.Sql = std::move(Texts[K]);
        Result.Variants.push_back(std::move(V));
      }
      Result.Sites.push_back(std::move(S));
    }
    addRawFragmentVariables(R, FragmentVars, Result);
  }

  /// The text the template written as string tokens Toks[\p First, \p End)
  /// (read as \p Sql) has where Clang dropped the call that fills it: an
  /// `.arg(...)` chain after it (`QStringLiteral("... %1").arg(id)`), with
  /// the values written there where they are known; the template of a call
  /// that formats, known by its name (`QString::asprintf("... %d", n)`,
  /// `fmt::format("... {}", n)`), with the numbers written as its values and
  /// holes for the others (fillMarkers). None when neither.
  std::optional<ReconstructedSql> rawTemplate(Reconstructor &R,
                                              const std::vector<Token> &Toks,
                                              size_t First, size_t End,
                                              const ReconstructedSql &Sql) {
    auto ArgCallAt = [&](size_t J) {
      return J + 2 < Toks.size() && Toks[J].is(tok::period) &&
             Toks[J + 1].is(tok::raw_identifier) && Toks[J + 2].is(tok::l_paren) &&
             Rules.isStringCall(StringCall::ArgTemplate, "",
                                Toks[J + 1].getRawIdentifier());
    };
    size_t Wrapper = beforeTextWrapper(Toks, First);
    if (Wrapper < First && End < Toks.size() && Toks[End].is(tok::r_paren) &&
        ArgCallAt(End + 1)) {
      size_t J = End + 1;
      while (ArgCallAt(J) && (J = closingBracket(Toks, J + 2)) < Toks.size())
        ++J;
      ReconstructedSql Written =
          R.buildWritten(llvm::ArrayRef(&Toks[Wrapper], J - Wrapper),
                         functionAt(Toks[First].getLocation()));
      if (Written.HasLiteral) {
        NextRawParam = static_cast<unsigned>(placeholdersIn(Written).size()) + 1;
        return Written;
      }
      return Reconstructor::fillMarkers(Sql, FormatCall::Qt, NextRawParam, Ctx);
    }
    // The callee's name as written: `QString :: asprintf (`.
    if (First < 2 || !Toks[First - 1].is(tok::l_paren) || End >= Toks.size() ||
        !Toks[End].is(tok::comma))
      return std::nullopt;
    size_t K = First - 2;
    while (K >= 2 && Toks[K].is(tok::raw_identifier) &&
           Toks[K - 1].is(tok::coloncolon) && Toks[K - 2].is(tok::raw_identifier))
      K -= 2;
    if (!Toks[K].is(tok::raw_identifier))
      return std::nullopt;
    std::string Qualified;
    for (size_t J = K; J < First - 1; ++J)
      Qualified +=
          Toks[J].is(tok::coloncolon) ? "::" : Toks[J].getRawIdentifier().str();
    llvm::StringRef Plain = Toks[First - 2].getRawIdentifier();
    FormatCall::Style Style;
    if (Rules.isStringCall(StringCall::Format, Qualified, Plain))
      Style = FormatCall::Brace;
    else if (Rules.isStringCall(StringCall::Printf, Qualified, Plain))
      Style = FormatCall::Printf;
    else
      return std::nullopt;
    // Its values as written after the template.
    llvm::SmallVector<size_t, 4> Commas;
    size_t Close = closingBracket(Toks, First - 1, &Commas);
    Commas.push_back(Close);
    llvm::SmallVector<llvm::ArrayRef<Token>, 4> Args;
    for (size_t C = 0; Close < Toks.size() && C + 1 < Commas.size(); ++C)
      if (Commas[C] >= End)
        Args.push_back(
            llvm::ArrayRef(&Toks[Commas[C] + 1], Commas[C + 1] - Commas[C] - 1));
    return Reconstructor::fillMarkers(Sql, Style, NextRawParam, Ctx, Args);
  }

  /// The index of the first token of the text whose string tokens start at
  /// \p First: of a text wrapper's name before them (`QStringLiteral (`).
  size_t beforeTextWrapper(const std::vector<Token> &Toks, size_t First) const {
    if (First >= 2 && Toks[First - 1].is(tok::l_paren) &&
        Toks[First - 2].is(tok::raw_identifier) &&
        Rules.buildsText(Toks[First - 2].getRawIdentifier())) {
      // `QString::fromUtf8 (`: the class before the wrapper's name.
      if (First >= 4 && Toks[First - 3].is(tok::coloncolon) &&
          Toks[First - 4].is(tok::raw_identifier))
        return First - 4;
      return First - 2;
    }
    return First;
  }

  /// The string tokens of the operand at \p Toks[\p At]: literals written
  /// there, or in a text wrapper (`QString::fromUtf8("...")`,
  /// `QStringLiteral("...")`); an empty range when it is something else.
  std::pair<size_t, size_t> wrappedLiterals(const std::vector<Token> &Toks,
                                            size_t At) const {
    size_t K = At;
    if (K + 2 < Toks.size() && Toks[K].is(tok::raw_identifier) &&
        Toks[K + 1].is(tok::coloncolon))
      K += 2;
    bool Wrapped = K + 2 < Toks.size() && Toks[K].is(tok::raw_identifier) &&
                   Rules.buildsText(Toks[K].getRawIdentifier()) &&
                   Toks[K + 1].is(tok::l_paren);
    size_t First = Wrapped ? K + 2 : At, Last = First;
    while (Last < Toks.size() && tok::isStringLiteral(Toks[Last].getKind()))
      ++Last;
    if (Wrapped && (Last >= Toks.size() || !Toks[Last].is(tok::r_paren)))
      return {0, 0};
    return {First, Last};
  }

  /// Is the text whose string tokens start at \p First assigned or appended
  /// to a variable (`where += QString(" AND name LIKE '%%1%'").arg(w)`),
  /// put in a list or stream (`conditions << ...`), or joined to a text
  /// before it (`return col + " LIKE '%" + v + "%'";`)?
  bool writtenToString(const std::vector<Token> &Toks, size_t First) const {
    size_t K = beforeTextWrapper(Toks, First);
    return K >= 2 && ((Toks[K - 1].isOneOf(tok::plusequal, tok::equal, tok::lessless) &&
                       Toks[K - 2].is(tok::raw_identifier)) ||
                      (Toks[K - 1].is(tok::plus) &&
                       Toks[K - 2].isOneOf(tok::raw_identifier, tok::r_paren)));
  }

  /// The `;` that ends the statement going on at \p Toks[\p From] (which
  /// may be inside brackets the statement closes), or Toks.size() when a
  /// brace comes first; the `<<` outside brackets go to \p Shifts.
  static size_t statementEnd(const std::vector<Token> &Toks, size_t From,
                             llvm::SmallVectorImpl<size_t> *Shifts = nullptr) {
    for (int Depth = 0; From < Toks.size(); ++From) {
      if (Toks[From].isOneOf(tok::l_brace, tok::r_brace))
        return Toks.size();
      if (Toks[From].isOneOf(tok::l_paren, tok::l_square))
        ++Depth;
      else if (Toks[From].isOneOf(tok::r_paren, tok::r_square))
        --Depth;
      else if (Depth <= 0 && Shifts && Toks[From].is(tok::lessless))
        Shifts->push_back(From);
      else if (Depth <= 0 && Toks[From].is(tok::semi))
        return From;
    }
    return Toks.size();
  }

  /// The values handed to one list in the statements after the one whose
  /// text ends before \p Toks[\p From] (written to the variable before
  /// \p Toks[\p First]), up to the end of its arm: `bound.append(v);`,
  /// `*bound << a << b;`. Empty when the run has nested control flow or
  /// hands values to more than one list.
  std::vector<BoundValue> rawArmValues(const std::vector<Token> &Toks, size_t From,
                                       size_t First) const {
    const FunctionDecl *F = functionAt(Toks[First].getLocation());
    size_t K = beforeTextWrapper(Toks, First);
    auto Ident = [&](size_t J) -> llvm::StringRef {
      return J < Toks.size() && Toks[J].is(tok::raw_identifier)
                 ? Toks[J].getRawIdentifier()
                 : "";
    };
    // The variable written (`where += ...`); none for a text joined to
    // another (`col + " LIKE ..."`).
    llvm::StringRef Target =
        K >= 2 && !Toks[K - 1].is(tok::plus) ? Ident(K - 2) : llvm::StringRef();
    // The end of the text's own statement.
    size_t J = statementEnd(Toks, From);
    if (J >= Toks.size())
      return {};
    std::vector<BoundValue> Out;
    llvm::StringRef Object;
    while (++J < Toks.size()) {
      llvm::StringRef Word = Ident(J);
      if (Toks[J].is(tok::r_brace) || Word == "break" || Word == "case" ||
          Word == "default" || Word == "return" || Word == "continue")
        break;
      if (Word == "if" || Word == "for" || Word == "while" || Word == "switch" ||
          Word == "do" || Word == "else" || Toks[J].is(tok::l_brace))
        return {};
      // One statement: [*]name, then `.method(v)` or `<< v << ...`.
      size_t Begin = J + (Toks[J].is(tok::star) ? 1 : 0);
      llvm::SmallVector<size_t, 4> Shifts;
      size_t End = statementEnd(Toks, Begin, &Shifts);
      if (End >= Toks.size())
        return {};
      llvm::StringRef Name = Ident(Begin);
      llvm::SmallVector<llvm::ArrayRef<Token>, 2> Values;
      if (!Name.empty() && !Shifts.empty() && Shifts.front() == Begin + 1) {
        Shifts.push_back(End);
        for (size_t I = 0; I + 1 < Shifts.size(); ++I)
          Values.push_back(llvm::ArrayRef<Token>(Toks).slice(
              Shifts[I] + 1, Shifts[I + 1] - Shifts[I] - 1));
      } else if (!Name.empty() && Begin + 3 < End &&
                 Toks[Begin + 1].isOneOf(tok::period, tok::arrow) &&
                 Rules.isStringCall(StringCall::Append, "", Ident(Begin + 2)) &&
                 Toks[Begin + 3].is(tok::l_paren) &&
                 closingBracket(Toks, Begin + 3) + 1 == End) {
        Values.push_back(llvm::ArrayRef<Token>(Toks).slice(Begin + 4, End - Begin - 5));
      }
      J = End;
      if (Values.empty() || Name == Target)
        continue;
      if (!Object.empty() && Name != Object)
        return {};
      Object = Name;
      for (llvm::ArrayRef<Token> V : Values) {
        if (V.size() > 2 && V.front().is(tok::l_paren) &&
            closingBracket(V, 0) + 1 == V.size())
          V = V.drop_front().drop_back(); // `bound << ("%" + v + "%")`
        if (V.empty())
          return {};
        BoundValue B;
        B.Loc = V.front().getLocation();
        B.Written = V;
        B.WrittenIn = F;
        Out.push_back(B);
      }
    }
    return Out;
  }

  /// A fragment Clang dropped with its statement, read from its tokens, kept
  /// as addFragments keeps one.
  void addRawFragment(const ReconstructedSql &T, SqlSites &Result) {
    if (std::optional<SqlSite> S = fragmentSite(T, /*Anchored=*/false))
      Result.Fragments.push_back(std::move(*S));
  }

  /// Fragment \p T inside its neutral statement, when that parses and
  /// holds a fact of the fragment's own; located in the source unless the
  /// site will have an \p Anchored expression to report at instead.
  std::optional<SqlSite> fragmentSite(const ReconstructedSql &T, bool Anchored) const {
    llvm::StringRef Prefix = fragmentPrefix(T.Text);
    if (Prefix.empty())
      return std::nullopt;
    SqlSite S;
    S.Sql.Text = Prefix.str();
    S.Sql.appendSlice(T, 0, static_cast<uint32_t>(T.Text.size()));
    S.Prefix = static_cast<uint32_t>(Prefix.size());
    // `( Upper(codec) LIKE '%x%' `: a condition whose parenthesis a later
    // fragment closes is closed in the made-up statement.
    S.Sql.Text.append(unclosedParentheses(T.Text), ')');
    auto A = analyzeSqlCached(S.Sql.Text, /*AllowTokenFallback=*/false);
    if (A->Statements != 1 || A->ParsedStatements != 1 ||
        llvm::none_of(A->Facts, [&](const SqlFact &F) {
          return F.Begin >= S.Prefix &&
                 (Anchored || S.Sql.locationOf(F.Begin, Ctx).isValid());
        }))
      return std::nullopt;
    return S;
  }

  /// The invalid variable whose dropped initializer starts at string token
  /// \p First: `name =`, `name (` or `name {`, then perhaps a text
  /// wrapper's `QStringLiteral (`.
  const VarDecl *droppedInitialiser(const std::vector<Token> &Toks,
                                    size_t First) const {
    size_t K = beforeTextWrapper(Toks, First);
    if (K >= 2 && Toks[K - 1].isOneOf(tok::equal, tok::l_paren, tok::l_brace))
      if (const VarDecl *VD = invalidLocalAt(Toks[K - 2]))
        return VD;
    // `static_qstring(name, "text")`: a macro declares the variable.
    if (K >= 2 && Toks[K - 1].is(tok::comma))
      if (const VarDecl *VD = invalidLocalAt(Toks[K - 2], /*MacroArgument=*/true))
        return VD;
    // `name = empty ? "" : "WHERE ..."`, `name = (exact ? "a" : "b")`: an
    // arm of a conditional the initializer is (not an argument of a call).
    bool Arm = false;
    int Nesting = 0;
    for (size_t J = K; J-- > 1 && K - J < 64;) {
      const Token &T = Toks[J];
      if (T.isOneOf(tok::semi, tok::l_brace, tok::r_brace))
        return nullptr;
      if (T.isOneOf(tok::r_paren, tok::r_square)) {
        ++Nesting;
      } else if (T.isOneOf(tok::l_paren, tok::l_square) && Nesting-- == 0) {
        // Only a parenthesis that groups: after an operator, not a call's.
        if (!Toks[J - 1].isOneOf(tok::equal, tok::plus, tok::question, tok::colon,
                                 tok::l_paren))
          return nullptr;
        Nesting = 0;
      } else if (Nesting == 0 && T.isOneOf(tok::question, tok::colon)) {
        Arm = true;
      } else if (Nesting == 0 && T.is(tok::equal)) {
        return Arm ? invalidLocalAt(Toks[J - 1]) : nullptr;
      }
    }
    return nullptr;
  }

  /// The invalid variable declared at \p Name; with \p MacroArgument, by
  /// a macro \p Name is an argument of.
  const VarDecl *invalidLocalAt(const Token &Name, bool MacroArgument = false) const {
    if (!Name.is(tok::raw_identifier))
      return nullptr;
    auto It = InvalidLocals.find(Name.getRawIdentifier());
    if (It == InvalidLocals.end())
      return nullptr;
    for (const VarDecl *VD : It->second) {
      SourceLocation L = VD->getLocation();
      if (MacroArgument) {
        if (!L.isMacroID() || !SM.isMacroArgExpansion(L))
          continue;
        L = SM.getSpellingLoc(L);
      }
      if (!VD->getInit() && L == Name.getLocation())
        return VD;
    }
    return nullptr;
  }

  /// The final value of a variable whose initializer Clang dropped, as a
  /// site when it is a statement (its appends are in the AST).
  /// \p Dropped: the values bound after it where Clang dropped the calls
  /// that hand it over and bind them (rawBoundValues).
  bool addRawVariable(Reconstructor &R, const VarDecl *VD, SqlSites &Result,
                      const std::vector<BoundValue> &Dropped) {
    std::vector<ReconstructedSql> Texts =
        R.buildVariants({}, VD, SourceLocation(), MaxVariants);
    fillArgTemplate(VD, Texts);
    // `QString sql = "... LIKE ?"; q.prepare(sql); q.addBindValue(v);`
    bool Handed = false;
    if (auto It = VariablesHanded.find(VD); It != VariablesHanded.end())
      for (const struct Handed &H : It->second)
        if (SM.isBeforeInTranslationUnit(VD->getLocation(), H.Call->getBeginLoc())) {
          bindValues(Texts, handedValues(H), R);
          Handed = true;
          break;
        }
    if (!Handed)
      bindValues(Texts, Dropped, R);
    bool First = true;
    for (ReconstructedSql &T : Texts) {
      // A schema statement too, parsed or not (`ALTER TABLE %1 ADD COLUMN
      // %2`): what runs it is then known to run no data access.
      auto A = analyzeSqlCached(T.Text, /*AllowTokenFallback=*/false);
      if (A->Statements == 0 ||
          ((A->ParsedStatements != A->Statements || A->DataStatements == 0) &&
           !startsWithSchemaKeyword(T.Text)))
        continue;
      SqlSite S;
      S.Sql = std::move(T);
      S.Var = VD;
      (First ? Result.Sites : Result.Variants).push_back(std::move(S));
      First = false;
    }
    return !First;
  }

  /// The final values of variables whose dropped initializers began a
  /// fragment (`QString ret = QStringLiteral(" LIKE "); ret += ...`), as
  /// fragments, unless a statement found holds them.
  void addRawFragmentVariables(Reconstructor &R, llvm::ArrayRef<const VarDecl *> Vars,
                               SqlSites &Result) {
    llvm::DenseSet<unsigned> InSites;
    for (const std::vector<SqlSite> *L : {&Result.Sites, &Result.Variants})
      for (const SqlSite &S : *L)
        for (const SqlPiece &P : S.Sql.Pieces)
          if (P.RawLoc.isValid())
            InSites.insert(P.RawLoc.getRawEncoding());
    for (const VarDecl *VD : Vars) {
      std::vector<ReconstructedSql> Texts =
          R.buildVariants({}, VD, SourceLocation(), MaxVariants);
      fillArgTemplate(VD, Texts);
      for (const ReconstructedSql &T : Texts) {
        if (llvm::any_of(T.Pieces, [&](const SqlPiece &P) {
              return P.RawLoc.isValid() && InSites.count(P.RawLoc.getRawEncoding());
            }))
          break;
        addRawFragment(T, Result);
      }
    }
  }

  /// The innermost function of the project's files whose body holds
  /// \p Loc, or null.
  const FunctionDecl *functionAt(SourceLocation Loc) const {
    const FunctionDecl *Best = nullptr;
    for (const FunctionDecl *FD : ProjectFunctions) {
      SourceRange B = FD->getBody()->getSourceRange();
      if (!SM.isBeforeInTranslationUnit(Loc, B.getBegin()) &&
          !SM.isBeforeInTranslationUnit(B.getEnd(), Loc) &&
          (!Best ||
           SM.isBeforeInTranslationUnit(Best->getBody()->getBeginLoc(), B.getBegin())))
        Best = FD;
    }
    return Best;
  }

  /// Is \p Toks[\p J] a token of \p F's body (or before it)?
  bool inBody(const std::vector<Token> &Toks, size_t J, const FunctionDecl &F) const {
    return J < Toks.size() && !Toks[J].is(tok::eof) &&
           !SM.isBeforeInTranslationUnit(F.getBody()->getEndLoc(),
                                         Toks[J].getLocation());
  }

  /// `obj.m(` or `obj->m(` at \p Toks[\p K]: the object's and the
  /// method's names.
  static std::optional<std::pair<llvm::StringRef, llvm::StringRef>>
  rawMemberCall(const std::vector<Token> &Toks, size_t K) {
    if (K + 3 >= Toks.size() || !Toks[K].is(tok::raw_identifier) ||
        !Toks[K + 1].isOneOf(tok::period, tok::arrow) ||
        !Toks[K + 2].is(tok::raw_identifier) || !Toks[K + 3].is(tok::l_paren))
      return std::nullopt;
    return std::make_pair(Toks[K].getRawIdentifier(), Toks[K + 2].getRawIdentifier());
  }

  /// Does the argument \p Toks[\p Begin, \p End) start with text written
  /// as a literal (`"..."`, `QStringLiteral("...")`)?
  bool rawTextArgument(const std::vector<Token> &Toks, size_t Begin) const {
    if (Begin + 2 < Toks.size() && Toks[Begin].is(tok::raw_identifier) &&
        Toks[Begin + 1].is(tok::l_paren) &&
        Rules.buildsText(Toks[Begin].getRawIdentifier()))
      Begin += 2;
    return Begin < Toks.size() && tok::isStringLiteral(Toks[Begin].getKind());
  }

  /// The values bound to the SQL whose string tokens start at \p First
  /// where Clang dropped the code that hands it over and binds them (their
  /// classes' headers are missing): the SQL is the first argument of a
  /// method call on an object (`db->prepare(QStringLiteral("..."))`), or
  /// the text of variable \p Var (or of the local it is assigned to) that
  /// a later such call is handed (`m_db->prepare(sql)`); then each call
  /// on the same object after it whose method is a `binds:` entry's binds
  /// one, up to the next call that hands the object other text or the end
  /// of the function.
  std::vector<BoundValue> rawBoundValues(const std::vector<Token> &Toks, size_t First,
                                         const VarDecl *Var) {
    std::vector<BoundValue> Out;
    const FunctionDecl *F = functionAt(Toks[First].getLocation());
    if (!F)
      return Out;
    auto InFunction = [&](size_t J) { return inBody(Toks, J, *F); };
    size_t K = beforeTextWrapper(Toks, First);
    llvm::StringRef Object;
    size_t Open = 0;
    if (K >= 4 && Toks[K - 1].is(tok::l_paren))
      if (auto M = rawMemberCall(Toks, K - 4)) {
        Object = M->first;
        Open = K - 1;
      }
    if (Object.empty()) {
      // The variable the text is written to, then the first call on an
      // object it is handed to as the first argument.
      llvm::StringRef Name = Var ? Var->getName() : "";
      if (!Var && K >= 2 && Toks[K - 1].is(tok::equal) &&
          Toks[K - 2].is(tok::raw_identifier) &&
          (K < 3 || !Toks[K - 3].isOneOf(tok::period, tok::arrow)))
        Name = Toks[K - 2].getRawIdentifier();
      if (Name.empty())
        return Out;
      for (size_t J = First; InFunction(J) && Object.empty(); ++J)
        if (auto M = rawMemberCall(Toks, J);
            M && J + 5 < Toks.size() && Toks[J + 4].is(tok::raw_identifier) &&
            Toks[J + 4].getRawIdentifier() == Name &&
            Toks[J + 5].isOneOf(tok::r_paren, tok::comma)) {
          Object = M->first;
          Open = J + 3;
        }
      if (Object.empty())
        return Out;
    }
    return rawBindsOn(Toks, Object, Open, F, nullptr);
  }

  /// The values bound by calls Clang dropped on \p Object after the call
  /// whose `(` is \p Toks[\p Open] (\p From, where the AST holds it), in
  /// function \p F: each call on it whose method is a `binds:` entry's, up
  /// to the next call that hands it other text outside the arms \p From
  /// excludes, or the end of \p F. Calls the AST holds are not read.
  std::vector<BoundValue> rawBindsOn(const std::vector<Token> &Toks,
                                     llvm::StringRef Object, size_t Open,
                                     const FunctionDecl *F, const Expr *From) {
    std::vector<BoundValue> Out;
    auto InFunction = [&](size_t J) { return inBody(Toks, J, *F); };
    if (BindLocations.empty())
      for (const auto &KV : Binds)
        for (const BindCall &B : KV.second)
          BindLocations.insert(
              SM.getExpansionLoc(B.Call->getBeginLoc()).getRawEncoding());
    size_t J = closingBracket(Toks, Open);
    bool FromZero = false;
    for (; InFunction(J); ++J) {
      auto M = rawMemberCall(Toks, J);
      if (!M || M->first != Object)
        continue;
      llvm::SmallVector<size_t, 4> Commas;
      size_t Close = closingBracket(Toks, J + 3, &Commas);
      if (Close >= Toks.size())
        break;
      unsigned Args = Close == J + 4 ? 0 : static_cast<unsigned>(Commas.size() + 1);
      const Bind *B = bindNamed(M->second, Args);
      if (!B && rawTextArgument(Toks, J + 4)) {
        // The object is handed other SQL; in the other arm of an `if`
        // (`if (a) q.prepare(A); else q.prepare(B);`) the binds after that
        // arm are still this SQL's.
        size_t ArmEnd = otherArmEnd(From, Toks[J].getLocation());
        if (ArmEnd <= J)
          break;
        J = ArmEnd;
        continue;
      }
      if (!B || BindLocations.count(Toks[J].getLocation().getRawEncoding()))
        continue;
      auto Arg = [&](int A) {
        size_t Begin = A == 0 ? J + 4 : Commas[A - 1] + 1;
        size_t End = static_cast<size_t>(A) < Commas.size() ? Commas[A] : Close;
        return llvm::ArrayRef<Token>(Toks).slice(Begin, End - Begin);
      };
      BoundValue V;
      V.Loc = Toks[J].getLocation();
      V.Written = Arg(B->ValueArg);
      V.WrittenIn = F;
      if (B->NameArg >= 0) {
        llvm::ArrayRef<Token> N = Arg(B->NameArg);
        if (N.size() > 2 && N[0].is(tok::raw_identifier) && N[1].is(tok::l_paren))
          N = N.slice(2, 1);
        if (N.size() == 1 && N[0].is(tok::string_literal)) {
          llvm::StringRef Spelled(SM.getCharacterData(N[0].getLocation()),
                                  N[0].getLength());
          V.Name = Spelled.drop_front().drop_back().str();
        } else if (N.size() == 1 && N[0].is(tok::numeric_constant)) {
          llvm::StringRef Spelled(SM.getCharacterData(N[0].getLocation()),
                                  N[0].getLength());
          if (Spelled.getAsInteger(10, V.Number))
            continue;
          FromZero |= V.Number == 0;
        } else {
          continue; // Bound to a placeholder we cannot tell.
        }
      }
      if (!V.Written.empty())
        Out.push_back(std::move(V));
    }
    // Numbers count from 0 when one of the calls binds 0, else from 1.
    if (!FromZero)
      for (BoundValue &V : Out)
        if (V.Number > 0)
          --V.Number;
    return Out;
  }

  /// Not an argument of a logging/printing call, a stream insertion into an
  /// output stream, or a thrown exception.
  bool rawContextMayBeSql(const std::vector<Token> &Toks, size_t First) {
    if (First == 0)
      return true;
    auto Ident = [&](size_t K) -> llvm::StringRef {
      return Toks[K].is(tok::raw_identifier) ? Toks[K].getRawIdentifier() : "";
    };
    for (size_t K = First; K-- > 0;) {
      const Token &P = Toks[K];
      if (P.isOneOf(tok::semi, tok::l_brace, tok::r_brace))
        return true;
      if (Ident(K) == "throw")
        return false;
      if (P.is(tok::l_paren) && K > 0 && !Ident(K - 1).empty()) {
        llvm::StringRef Callee = Ident(K - 1);
        for (const NamePattern &N : Rules.notSqlFunctions())
          if (N.matches(Callee))
            return false;
        // A macro's name is read loosely (`LOG_QUERY`, `PRINT_ERR`), but not
        // over a call that builds text (`QString::asprintf`).
        for (const NamePattern &N : Rules.notSqlMacros())
          if (N.matches(Callee) &&
              !Rules.isStringCall(StringCall::Printf, "", Callee) &&
              !Rules.isStringCall(StringCall::Format, "", Callee))
            return false;
        if (Callee.endswith("error") || Callee.endswith("exception") ||
            Callee.endswith("Exception"))
          return false;
      }
      if (P.is(tok::lessless) && K > 0) {
        llvm::StringRef Stream = Ident(K - 1);
        if (Stream == "cout" || Stream == "cerr" || Stream == "clog" ||
            Stream.contains_insensitive("log"))
          return false;
      }
    }
    return true;
  }

private:
  /// The values handed over beside the statement of \p Stack[RootIndex]:
  /// by one-argument calls on one object (`args.push_back(v)`,
  /// `bound.append(v)`, `params << v`) in the same straight run of
  /// statements (its block, or its `case` arm), in order. Empty when the
  /// run has nested control flow or the calls go to more than one object:
  /// which value belongs to which placeholder is then not plain.
  std::vector<BoundValue> armValues(size_t RootIndex) const {
    size_t J = RootIndex;
    while (J > 0 && !isa<CompoundStmt>(Stack[J - 1])) {
      if (!isa<Expr, ReturnStmt, SwitchCase>(Stack[J - 1]))
        return {};
      --J;
    }
    if (J == 0)
      return {};
    const auto *Block = cast<CompoundStmt>(Stack[J - 1]);
    const Stmt *Own = Stack[J];
    llvm::ArrayRef<Stmt *> Body(Block->body_begin(), Block->body_end());
    size_t At = llvm::find(Body, Own) - Body.begin();
    if (At == Body.size())
      return {};
    size_t Begin = At, End = At + 1;
    while (Begin > 0 && !isa<SwitchCase>(Body[Begin]))
      --Begin;
    while (End < Body.size() && !isa<SwitchCase>(Body[End]))
      ++End;
    std::string Target = objectKey(targetOf(Own));
    std::string Object;
    std::vector<BoundValue> Out;
    for (size_t K = Begin; K < End; ++K) {
      const Stmt *X = Body[K];
      while (const auto *SC = dyn_cast<SwitchCase>(X))
        X = SC->getSubStmt();
      if (K == At || isa<DeclStmt, NullStmt>(X))
        continue;
      if (isa<ReturnStmt, BreakStmt, ContinueStmt>(X)) {
        if (K > At)
          break;
        continue;
      }
      const auto *E = dyn_cast<Expr>(X);
      if (!E)
        return {}; // Nested control flow.
      auto [Obj, Values] = handedOver(E->IgnoreImplicit());
      if (Values.empty())
        continue;
      std::string Key = objectKey(Obj);
      if (Key.empty() || Key == Target)
        continue;
      if (!Object.empty() && Key != Object)
        return {};
      Object = Key;
      for (const Expr *Value : Values)
        Out.push_back({"", -1, Value, E->getBeginLoc()});
    }
    return Out;
  }

  /// The object and value of `obj.f(value)` or `obj << value` (not a stream).
  std::pair<const Expr *, llvm::SmallVector<const Expr *, 2>>
  handedOver(const Expr *E) const {
    // `values << a << b`, left to right; also where the list's class is
    // unknown (a built-in `<<` of dependent type, or a RecoveryExpr that
    // kept both operands).
    llvm::SmallVector<const Expr *, 2> Shifted;
    const Expr *Obj = E;
    for (unsigned Guard = 0; Guard < 16; ++Guard) {
      const Expr *L = nullptr, *R = nullptr;
      Obj = Obj->IgnoreImplicit();
      if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Obj);
          Op && Op->getOperator() == OO_LessLess && Op->getNumArgs() == 2) {
        L = Op->getArg(0);
        R = Op->getArg(1);
      } else if (const auto *B = dyn_cast<BinaryOperator>(Obj);
                 B && B->getOpcode() == BO_Shl &&
                 (B->isTypeDependent() || B->containsErrors())) {
        L = B->getLHS();
        R = B->getRHS();
      } else if (const auto *RE = dyn_cast<RecoveryExpr>(Obj);
                 RE && RE->subExpressions().size() == 2) {
        std::optional<Token> Op = Lexer::findNextToken(
            RE->subExpressions()[0]->getEndLoc(), SM, Ctx.getLangOpts());
        if (Op && Op->is(tok::lessless)) {
          L = RE->subExpressions()[0];
          R = RE->subExpressions()[1];
        }
      }
      if (!L)
        break;
      Shifted.insert(Shifted.begin(), R);
      Obj = L;
    }
    if (!Shifted.empty()) {
      if (isStreamType(Rules, Obj->getType().getNonReferenceType()))
        return {};
      return {Obj, Shifted};
    }
    const auto *C = dyn_cast<CallExpr>(E);
    if (!C || writtenArgCount(C->arguments()) != 1)
      return {};
    const Expr *Callee = C->getCallee()->IgnoreImplicit();
    if (const auto *M = dyn_cast<MemberExpr>(Callee))
      return {M->getBase(), {C->getArg(0)}};
    if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(Callee))
      return {M->isImplicitAccess() ? nullptr : M->getBase(), {C->getArg(0)}};
    if (const auto *M = dyn_cast<UnresolvedMemberExpr>(Callee))
      return {M->isImplicitAccess() ? nullptr : M->getBase(), {C->getArg(0)}};
    // `values.append(v)` on a declared class that lacks the member (an
    // empty stand-in for a type whose header is missing).
    if (isa<RecoveryExpr>(Callee))
      if (auto M = unresolvedMember(Callee, SM, Ctx.getLangOpts()); M && M->Object)
        return {M->Object, {C->getArg(0)}};
    return {};
  }

  /// What the statement \p S writes SQL to: `x` of `x += ...`, `x = ...`,
  /// `x.append(...)`.
  static const Expr *targetOf(const Stmt *S) {
    while (const auto *SC = dyn_cast_or_null<SwitchCase>(S))
      S = SC->getSubStmt();
    const auto *E = dyn_cast_or_null<Expr>(S);
    if (!E)
      return nullptr;
    E = E->IgnoreImplicit();
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
      return Op->getNumArgs() == 2 ? Op->getArg(0) : nullptr;
    if (const auto *B = dyn_cast<BinaryOperator>(E))
      return B->getLHS();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
      return MC->getImplicitObjectArgument();
    return nullptr;
  }

  /// \p E as written, the key that tells one object from another.
  std::string objectKey(const Expr *E) const {
    if (!E)
      return "";
    CharSourceRange R = CharSourceRange::getTokenRange(E->getSourceRange());
    return Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  }

  /// The local text variable \p Parent appends \p Child to (`s += x`,
  /// `s.append(x)`), or null.
  const VarDecl *appendedVar(const Stmt *Parent, const Expr *Child) const {
    if (!Parent || !Child)
      return nullptr;
    const Expr *C = ignoreStringWrappers(Child);
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Parent);
        Op && Op->getOperator() == OO_PlusEqual && Op->getNumArgs() == 2 &&
        ignoreStringWrappers(Op->getArg(1)) == C)
      return localVar(Op->getArg(0));
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Parent);
        MC && editKind(MC) == Mutation::Append && MC->getNumArgs() >= 1 &&
        ignoreStringWrappers(MC->getArg(0)) == C)
      return localVar(MC->getImplicitObjectArgument());
    return nullptr;
  }

  /// Does \p Parent write \p Child to a string (`where = ...`, `where +=
  /// ...`, `where.append(...)`) or return it?
  bool buildsClause(const Stmt *Parent, const Expr *Child) const {
    if (!Parent || !Child)
      return false;
    if (isa<ReturnStmt>(Parent))
      return true;
    const Expr *C = ignoreStringWrappers(Child);
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Parent))
      return (Op->getOperator() == OO_Equal || Op->getOperator() == OO_PlusEqual) &&
             Op->getNumArgs() == 2 && ignoreStringWrappers(Op->getArg(1)) == C;
    // `where += ...` on a text variable whose class is unknown: built-in;
    // `conditions << ...` on a local of unknown class (a list, a stream).
    if (const auto *B = dyn_cast<BinaryOperator>(Parent)) {
      if (B->getOpcode() == BO_Shl && B->containsErrors())
        return unknownLocal(B->getLHS()) && ignoreStringWrappers(B->getRHS()) == C;
      return (B->getOpcode() == BO_Assign || B->getOpcode() == BO_AddAssign) &&
             ignoreStringWrappers(B->getRHS()) == C;
    }
    // The same `<<` on a class the stubs header declares empty: Clang keeps
    // its two operands.
    if (const auto *R = dyn_cast<RecoveryExpr>(Parent);
        R && R->subExpressions().size() == 2 &&
        ignoreStringWrappers(R->subExpressions()[1]) == C &&
        unknownLocal(R->subExpressions()[0])) {
      std::optional<Token> Op = Lexer::findNextToken(
          R->subExpressions()[0]->getEndLoc(), SM, Ctx.getLangOpts());
      return Op && Op->isOneOf(tok::lessless, tok::plusequal, tok::equal);
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Parent))
      return editKind(MC) && MC->getNumArgs() >= 1 &&
             ignoreStringWrappers(MC->getArg(0)) == C;
    // `where.append(...)` on a local whose class is unknown.
    if (const auto *Call = dyn_cast<CallExpr>(Parent);
        Call && !Call->getDirectCallee() && Call->getNumArgs() >= 1 &&
        ignoreStringWrappers(Call->getArg(0)) == C)
      if (std::optional<UnresolvedMember> U =
              unresolvedMember(Call->getCallee(), SM, Ctx.getLangOpts()))
        return U->Object && editKind(U->Name) && unknownLocal(U->Object);
    return false;
  }

  /// A local whose class is unknown: its header is missing.
  bool unknownLocal(const Expr *E) const {
    const VarDecl *VD = localVar(E);
    return VD && VD->hasLocalStorage() &&
           (VD->isInvalidDecl() || isStubClass(VD->getType(), SM));
  }

  /// Does \p Parent only pass on, or add to, the string \p Child?
  bool buildsString(const Stmt *Parent, const Stmt *Child) const {
    if (isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            ExprWithCleanups, CXXFunctionalCastExpr, CXXNamedCastExpr, ConstantExpr>(
            Parent))
      return true;
    if (const auto *C = dyn_cast<CXXConstructExpr>(Parent))
      return writtenArgs(C) == 1 && C->getArg(0) == Child;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Parent))
      return Op->getOperator() == OO_Plus;
    // `QStringLiteral("...")`, `QString("...").arg(x)` unresolved.
    if (const auto *PE = dyn_cast<Expr>(Parent); PE && isa<Expr>(Child))
      if (const Expr *Text = builtTextOf(PE, Rules);
          Text && ignoreStringWrappers(Text) == ignoreStringWrappers(cast<Expr>(Child)))
        return true;
    if (const auto *RE = dyn_cast<RecoveryExpr>(Parent))
      return isRecoveredConcat(RE) || RE->subExpressions().size() == 1;
    if (const auto *B = dyn_cast<BinaryOperator>(Parent))
      return B->getOpcode() == BO_Add &&
             (B->isTypeDependent() || B->containsErrors()); // Unresolved `+`.
    if (const auto *U = dyn_cast<UserDefinedLiteral>(Parent))
      return U->getLiteralOperatorKind() == UserDefinedLiteral::LOK_String;
    // `QString("... %1").arg(x)`, `s.c_str()`: the walk up from the object
    // meets the member (`.arg`), then the call whose callee it is.
    auto TextMethod = [&](const CXXMethodDecl *M) {
      return M && M->getIdentifier() &&
             (methodHasRole(Rules, MethodRole::TextView, M) ||
              Rules.isStringCall(StringCall::ArgTemplate, qualifiedName(M),
                                 M->getName()));
    };
    // The same walk where Clang could not resolve the object's type (a
    // missing header): by the member's name, to the call whose callee it is.
    if (const auto *DM = dyn_cast<CXXDependentScopeMemberExpr>(Parent)) {
      if (DM->isImplicitAccess() || DM->getBase() != Child ||
          !DM->getMember().isIdentifier())
        return false;
      llvm::StringRef Name = DM->getMember().getAsIdentifierInfo()->getName();
      return Rules.isStringCall(StringCall::ArgTemplate, "", Name) ||
             Rules.hasMethodRole(MethodRole::TextView, "", Name);
    }
    if (const auto *Call = dyn_cast<CallExpr>(Parent);
        Call && isa<CXXDependentScopeMemberExpr>(Child) &&
        Call->getCallee()->IgnoreParenImpCasts() == Child)
      return true; // The member above passed the name test.
    if (const auto *ME = dyn_cast<MemberExpr>(Parent))
      return ignoreStringWrappers(ME->getBase()) ==
                 ignoreStringWrappers(dyn_cast<Expr>(Child)) &&
             TextMethod(dyn_cast<CXXMethodDecl>(ME->getMemberDecl()));
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Parent)) {
      const Expr *Callee = MC->getCallee()->IgnoreParenImpCasts();
      const Expr *Obj = MC->getImplicitObjectArgument();
      if ((Callee == Child ||
           (Obj && ignoreStringWrappers(Obj) ==
                       ignoreStringWrappers(dyn_cast<Expr>(Child)))) &&
          TextMethod(MC->getMethodDecl()))
        return true;
    }
    if (const auto *Call = dyn_cast<CallExpr>(Parent)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      if (FD && FD->getIdentifier() &&
          Rules.isStringCall(StringCall::Literal, qualifiedName(FD), FD->getName()))
        return true;
      // `QString::fromUtf8("...")`: a function that makes its first
      // argument text.
      if (FD && FD->getIdentifier() && Rules.buildsText(FD->getName()) &&
          Call->getNumArgs() >= 1 &&
          ignoreStringWrappers(Call->getArg(0)) ==
              ignoreStringWrappers(dyn_cast<Expr>(Child)))
        return true;
      // The template of a formatting call that is not a message.
      std::optional<FormatCall> F = formatCallOf(Call, Rules);
      return F && F->DestArg < 0 && F->FormatArg < Call->getNumArgs() &&
             ignoreStringWrappers(Call->getArg(F->FormatArg)) ==
                 ignoreStringWrappers(dyn_cast<Expr>(Child)) &&
             !isNotSql(FD);
    }
    return false;
  }

  bool isNotSql(const FunctionDecl *FD) const {
    return anyPatternMatches(Rules.notSqlFunctions(), FD);
  }

  bool inNotSqlMacro(SourceLocation Loc) {
    for (unsigned Guard = 0; Loc.isMacroID() && Guard < 64; ++Guard) {
      llvm::StringRef Name = Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts());
      for (const NamePattern &P : Rules.notSqlMacros())
        if (P.matches(Name))
          return true;
      Loc = SM.getImmediateMacroCallerLoc(Loc);
    }
    return false;
  }

  /// The first sink entry for \p FD that applies to a call with \p Args
  /// written arguments (`q.exec()` runs a prepared statement, `q.exec(sql)`
  /// its argument).
  const Sink *sinkFor(const FunctionDecl *FD, const CallExpr *C, unsigned Args) {
    const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(C);
    auto Key = std::make_pair(FD, Args);
    if (!MC) {
      auto It = SinkCache.find(Key);
      if (It != SinkCache.end())
        return It->second;
    }
    std::string Declared = qualifiedName(FD);
    std::string ViaObject = nameViaObject(MC, FD);
    const Sink *Found = nullptr;
    for (const Sink &K : Rules.sinks()) {
      bool Applies = K.SqlArg == Sink::NoSqlArg ||
                     (K.SqlArg >= 0 ? static_cast<unsigned>(K.SqlArg) < Args
                                    : static_cast<unsigned>(-K.SqlArg) <= Args);
      if (Applies && (K.Function.matches(Declared) ||
                      (!ViaObject.empty() && K.Function.matches(ViaObject)))) {
        Found = &K;
        break;
      }
    }
    if (!MC)
      SinkCache[Key] = Found;
    return Found;
  }

  /// `q.bindValue(":t", v)` where Clang could not resolve the call (a
  /// missing header): a `binds:` entry whose method has that name and whose
  /// class is the one the object's type is written with (`QSqlQuery q`).
  void recordUnresolvedBind(const CallExpr *C) {
    std::optional<UnresolvedMember> M =
        unresolvedMember(C->getCallee(), SM, Ctx.getLangOpts());
    const Expr *Base = M ? M->Object : nullptr;
    const auto *D =
        Base ? dyn_cast_or_null<DeclaratorDecl>(statementDecl(Base)) : nullptr;
    if (!D)
      return;
    std::optional<std::string> Class; // Read from the source only on a name match.
    for (const Bind &B : Rules.binds()) {
      llvm::StringRef P = B.Function.text();
      if (B.StatementArg != Sink::ObjectStatement || P.startswith("re:") ||
          !P.contains("::"))
        continue;
      auto [Scope, Name] = P.rsplit("::");
      if (Name != M->Name)
        continue;
      if (!Class)
        Class = writtenClass(D, SM, Ctx.getLangOpts());
      if (scopeMatches(Scope, *Class)) {
        Binds[D].push_back({D, &B, C});
        return;
      }
    }
    // No API's class: a wrapper of one, as a resolved call would be.
    if (const Bind *B = bindNamed(M->Name, C->getNumArgs()))
      Binds[D].push_back({D, B, C, /*Wrapper=*/true});
  }

  /// The first `binds:` entry on a statement object whose method is named
  /// \p Name and whose arguments a call with \p Args arguments has.
  const Bind *bindNamed(llvm::StringRef Name, unsigned Args) const {
    if (Name.empty())
      return nullptr;
    for (const Bind &B : Rules.binds()) {
      llvm::StringRef P = B.Function.text();
      if (B.StatementArg != Sink::ObjectStatement ||
          (P.startswith("re:") ? !B.Function.matches(Name)
                               : P.rsplit("::").second != Name))
        continue;
      if (B.ValueArg >= 0 && static_cast<unsigned>(B.ValueArg) < Args &&
          (B.NameArg < 0 || static_cast<unsigned>(B.NameArg) < Args))
        return &B;
    }
    return nullptr;
  }

  const Bind *bindFor(const FunctionDecl *FD, const CallExpr *C) {
    if (Rules.binds().empty())
      return nullptr;
    std::string Declared = qualifiedName(FD);
    std::string ViaObject = nameViaObject(C, FD);
    for (const Bind &B : Rules.binds())
      if (B.Function.matches(Declared) ||
          (!ViaObject.empty() && B.Function.matches(ViaObject)))
        return &B;
    return nullptr;
  }

  /// The statement variable binds name for a sink call: `statement-arg`,
  /// else the variable its result initialises (`auto st =
  /// con->prepareStatement(sql)`), else the object it is called on.
  const ValueDecl *sinkStatement(const Sink &K, llvm::ArrayRef<const Expr *> Args,
                                 const Expr *Call) {
    if (K.StatementArg != Sink::ObjectStatement) {
      long I = K.StatementArg >= 0 ? K.StatementArg
                                   : static_cast<long>(Args.size()) + K.StatementArg;
      return I >= 0 && static_cast<size_t>(I) < Args.size() ? statementDecl(Args[I])
                                                            : nullptr;
    }
    QualType T = Call->getType();
    if (!Vars.empty() && Vars.back()->getInit() && !T.isNull() &&
        (T->isPointerType() || T->isRecordType() || isa<CXXConstructExpr>(Call))) {
      const Expr *Init = ignoreStringWrappers(Vars.back()->getInit());
      if (const auto *C = dyn_cast<CXXConstructExpr>(Init);
          C && C != Call && C->getNumArgs() == 1)
        Init = ignoreStringWrappers(C->getArg(0));
      if (Init == Call)
        return Vars.back();
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      return statementDecl(MC->getImplicitObjectArgument());
    return nullptr;
  }

  void addSink(const Sink &K, llvm::ArrayRef<const Expr *> Args, const Expr *Call,
               const FunctionDecl *FD) {
    if (K.SqlArg == Sink::NoSqlArg) {
      PendingSink P;
      P.Anchor = Call;
      P.Name = qualifiedName(FD);
      P.InProcess = K.InProcess;
      Sinks.push_back(std::move(P));
      return;
    }
    // Arguments as written: defaulted ones do not count from the end.
    size_t Written = Args.size();
    while (Written > 0 && isa<CXXDefaultArgExpr>(Args[Written - 1]))
      --Written;
    long Index = K.SqlArg >= 0 ? K.SqlArg : static_cast<long>(Written) + K.SqlArg;
    if (Index < 0 || static_cast<size_t>(Index) >= Written)
      return;
    PendingSink P;
    // A sink that formats its SQL (`safe_query("... '%q'", name)`): the
    // template with its arguments.
    std::optional<FormatCall> F;
    if (const auto *C = dyn_cast<CallExpr>(Call))
      F = formatCallOf(C, Rules);
    if (F && F->FormatArg == static_cast<unsigned>(Index))
      P.Parts.push_back(Call);
    else
      P.Parts.push_back(Args[Index]);
    P.Anchor = Call;
    P.Name = qualifiedName(FD);
    P.Prepares = K.Prepares;
    P.InProcess = K.InProcess;
    P.Statement = sinkStatement(K, Args.take_front(Written), Call);
    P.Function = Functions.empty() ? nullptr : Functions.back();
    if (K.ParamsFollow)
      for (size_t I = static_cast<size_t>(Index) + 1; I < Written; ++I)
        P.Values.push_back({"", -1, Args[I], Call->getBeginLoc()});
    P.Dialect = K.Dialect;
    if (const auto *SinkOp = dyn_cast<CXXOperatorCallExpr>(Call);
        SinkOp && SinkOp->getOperator() == OO_LessLess) {
      // `sql << "a" << b << "c"`: with `stream: concat` the following
      // operands extend the query; `, use(v)` binds a value either way.
      const Stmt *Cur = Call;
      for (size_t I = Stack.size(); I-- > 1;) {
        if (Stack[I] != Cur)
          continue;
        const Stmt *Parent = Stack[I - 1];
        if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
                ParenExpr, CXXConstructExpr>(Parent)) {
          Cur = Parent;
          continue;
        }
        const auto *Op = dyn_cast<CXXOperatorCallExpr>(Parent);
        if (!Op || Op->getNumArgs() != 2 || Op->getArg(0) != Cur)
          break;
        if (Op->getOperator() == OO_Comma) {
          // `sql << "... :p", use(v, "p"), into(x)`: the binds that follow.
          const Expr *Arg = ignoreStringWrappers(Op->getArg(1));
          // Through a conversion to the library's bind holder type.
          for (unsigned Guard = 0; Arg && Guard < 8; ++Guard) {
            if (const auto *C = dyn_cast<CXXConstructExpr>(Arg);
                C && C->getNumArgs() >= 1)
              Arg = ignoreStringWrappers(C->getArg(0));
            else if (const auto *M = dyn_cast<CXXMemberCallExpr>(Arg);
                     M && isa_and_nonnull<CXXConversionDecl>(M->getMethodDecl()))
              Arg = ignoreStringWrappers(M->getImplicitObjectArgument());
            else
              break;
          }
          const auto *BC = dyn_cast_or_null<CallExpr>(Arg);
          const FunctionDecl *BF = BC ? BC->getDirectCallee() : nullptr;
          if (const Bind *B = BF ? bindFor(BF, BC) : nullptr)
            P.Values.push_back(
                boundValue(*B, BC, writtenArgCount(BC->arguments()), Rules, Ctx));
          Cur = Op;
          continue;
        }
        if (Op->getOperator() != OO_LessLess || K.Stream != "concat")
          break;
        P.Parts.push_back(Op->getArg(1));
        Cur = Op;
      }
    }
    Sinks.push_back(std::move(P));
  }

  /// Records an assignment of \p Value to the data member \p F, or (null)
  /// a write that is no plain assignment: its value is then unknown.
  void addFieldWrite(const FieldDecl *F, const Expr *Value) {
    std::vector<const Expr *> &W = FieldWrites[F];
    if (!Value)
      FieldsWrittenOtherwise.insert(F);
    else if (W.size() < 16)
      W.push_back(Value);
  }

  /// Records a write with the if/switch arms it is in.
  void addMutation(const VarDecl *VD, Mutation M) {
    M.Path = branchPath(Stack, SM);
    Mutations[VD].push_back(std::move(M));
  }

  /// Records the write \p C makes to a local text; true when it only
  /// edits one in place (`replaces:`), handing it nowhere.
  bool recordMutation(const CallExpr *C) {
    // `snprintf(buf, n, "SELECT ... LIMIT %d", n)` writes buf.
    if (std::optional<FormatCall> F = formatCallOf(C, Rules); F && F->DestArg >= 0) {
      if (const VarDecl *VD = localVar(C->getArg(static_cast<unsigned>(F->DestArg))))
        addMutation(VD, {Mutation::Assign, C, C->getBeginLoc()});
      return false;
    }
    if (recordReplace(C))
      return true;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(C)) {
      if (Op->getNumArgs() != 2)
        return false;
      if (const FieldDecl *F = memberField(Op->getArg(0));
          F && (Op->getOperator() == OO_Equal || Op->getOperator() == OO_PlusEqual ||
                Op->getOperator() == OO_LessLess))
        addFieldWrite(F, Op->getOperator() == OO_Equal ? Op->getArg(1) : nullptr);
      if (Op->getOperator() == OO_PlusEqual || Op->getOperator() == OO_Equal) {
        if (const VarDecl *VD = localVar(Op->getArg(0)))
          addMutation(
              VD, {Op->getOperator() == OO_Equal ? Mutation::Assign : Mutation::Append,
                   Op->getArg(1), Op->getArg(1)->getBeginLoc()});
      } else if (Op->getOperator() == OO_LessLess) {
        if (const VarDecl *VD = streamRoot(Op);
            VD && isStreamType(Rules, VD->getType()))
          addMutation(VD,
                      {Mutation::Append, Op->getArg(1), Op->getArg(1)->getBeginLoc()});
      }
      return false;
    }
    if (std::optional<UnresolvedMember> U =
            C->getDirectCallee()
                ? std::nullopt
                : unresolvedMember(C->getCallee(), SM, Ctx.getLangOpts());
        U && U->Object && C->getNumArgs() == 1) {
      // `sql.append("...")` on a string whose type's header is missing
      // (a dependent member, or one Clang kept only the object of).
      std::optional<Mutation::Kind> K = editKind(U->Name);
      if (const VarDecl *VD = localVar(U->Object); K && VD && VD->isInvalidDecl())
        addMutation(VD, {*K, C->getArg(0), C->getArg(0)->getBeginLoc()});
      return false;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C)) {
      // `sql.clear()`: empty again, as `sql = ""` makes it.
      if (MC->getNumArgs() == 0 && isStringMethod(Rules, StringCall::Clear, MC)) {
        if (const VarDecl *VD = localVar(MC->getImplicitObjectArgument()))
          addMutation(VD, {Mutation::Assign, nullptr, C->getBeginLoc()});
        return false;
      }
      std::optional<Mutation::Kind> K = editKind(MC);
      if (!K || MC->getNumArgs() == 0)
        return false;
      // `s.append(a).append(b)`, `s.prepend(a).append(b)`: both edit `s`.
      const Expr *Obj = ignoreStringWrappers(MC->getImplicitObjectArgument());
      while (const auto *Inner = dyn_cast_or_null<CXXMemberCallExpr>(Obj)) {
        if (!editKind(Inner))
          return false;
        Obj = ignoreStringWrappers(Inner->getImplicitObjectArgument());
      }
      if (const VarDecl *VD = localVar(Obj))
        addMutation(VD, {*K, MC->getArg(0), MC->getArg(0)->getBeginLoc()});
      if (const FieldDecl *F = memberField(Obj))
        addFieldWrite(F, nullptr);
    }
    return false;
  }

  /// `sql.replace("{op}", x)` on a local, or `replace_all(sql, "{op}", x)`
  /// (`replaces:` in API YAML), also by name where Clang could not resolve
  /// the call: each place of the marker takes x's text.
  bool recordReplace(const CallExpr *C) {
    const FunctionDecl *FD = C->getDirectCallee();
    std::string Name, Qualified;
    const Expr *Object = nullptr;
    if (FD && FD->getIdentifier()) {
      Name = FD->getName().str();
      Qualified = qualifiedName(FD);
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
        Object = MC->getImplicitObjectArgument();
    } else if (std::optional<UnresolvedMember> U =
                   FD ? std::nullopt
                      : unresolvedMember(C->getCallee(), SM, Ctx.getLangOpts())) {
      Name = U->Name;
      Object = U->Object;
    } else if (const auto *L = dyn_cast<UnresolvedLookupExpr>(
                   C->getCallee()->IgnoreParenImpCasts());
               L && L->getName().isIdentifier()) {
      Name = L->getName().getAsIdentifierInfo()->getName().str();
    }
    if (Name.empty() || !Rules.isStringCall(StringCall::Replace, Qualified, Name))
      return false;
    // The edited text, then the marker and its replacement.
    llvm::SmallVector<const Expr *, 3> Args(C->arguments());
    if (!Object && !Args.empty()) {
      Object = Args.front();
      Args.erase(Args.begin());
    }
    if (!Object || Args.size() < 2)
      return false;
    std::string Marker = markerText(Args[0], Rules);
    const VarDecl *VD = localVar(Object);
    if (Marker.empty() || !VD)
      return false;
    addMutation(VD, {Mutation::Replace, Args[1], Args[1]->getBeginLoc(), {}, Marker});
    return true;
  }

  /// The writes of the members Clang dropped, read from the tokens of their
  /// class's methods: `m_filter = "%" + text + "%";` (also `this->`), an
  /// `m_filter(...)` in a constructor's initializer list; `m_filter +=`,
  /// `<<` or an append makes its value unknown.
  WrittenFieldMap writtenFieldWrites() {
    WrittenFieldMap Out;
    if (InvalidFields.empty())
      return Out;
    const std::vector<Token> &Toks = projectTokens();
    auto FieldOf = [&](const Token &T,
                       const CXXRecordDecl *Class) -> const FieldDecl * {
      auto It = InvalidFields.find(T.getRawIdentifier());
      if (It == InvalidFields.end() || !Class)
        return nullptr;
      for (const FieldDecl *FD : It->second)
        if (FD->getParent() == Class)
          return FD;
      return nullptr;
    };
    // The value after `=` at \p J: up to the `;` (or the bracket that
    // closes the statement's own).
    auto ValueFrom = [&](size_t J) {
      size_t End = J;
      for (int Depth = 0; End < Toks.size() && Toks[End].isNot(tok::eof); ++End) {
        bool Ends = false;
        if (Toks[End].isOneOf(tok::l_paren, tok::l_square, tok::l_brace))
          ++Depth;
        else if (Toks[End].isOneOf(tok::r_paren, tok::r_square, tok::r_brace))
          Ends = --Depth < 0;
        else
          Ends = Depth == 0 && Toks[End].isOneOf(tok::semi, tok::comma);
        if (Ends)
          break;
      }
      return llvm::ArrayRef<Token>(Toks).slice(J, End - J);
    };
    for (size_t J = 1; J + 2 < Toks.size(); ++J) {
      if (Toks[J].isNot(tok::raw_identifier) ||
          !InvalidFields.count(Toks[J].getRawIdentifier()))
        continue;
      bool ThroughThis = J >= 2 && Toks[J - 1].is(tok::arrow) &&
                         Toks[J - 2].is(tok::raw_identifier) &&
                         Toks[J - 2].getRawIdentifier() == "this";
      if (!ThroughThis && Toks[J - 1].isOneOf(tok::period, tok::arrow, tok::coloncolon))
        continue;
      const FunctionDecl *F = functionAt(Toks[J].getLocation());
      const DeclContext *DC = F;
      while (DC && !(isa<CXXMethodDecl>(DC) &&
                     !cast<CXXMethodDecl>(DC)->getParent()->isLambda()))
        DC = DC->getParent();
      const FieldDecl *FD =
          DC ? FieldOf(Toks[J], cast<CXXMethodDecl>(DC)->getParent()) : nullptr;
      if (!FD)
        continue;
      const Token &Next = Toks[J + 1];
      if (Next.is(tok::equal))
        Out[FD].Writes.emplace_back(ValueFrom(J + 2), F);
      else if (Next.isOneOf(tok::plusequal, tok::lessless) ||
               (Next.is(tok::period) && Toks[J + 2].is(tok::raw_identifier) &&
                editKind(Toks[J + 2].getRawIdentifier())))
        Out[FD].Otherwise = true;
    }
    // `Search() : m_prefix("a%") {`: between a constructor's name and body.
    for (const FunctionDecl *F : ProjectFunctions) {
      const auto *Ctor = dyn_cast<CXXConstructorDecl>(F);
      if (!Ctor)
        continue;
      size_t From = tokenAt(Ctor->getLocation()),
             To = tokenAt(Ctor->getBody()->getBeginLoc());
      for (size_t J = From + 1; J + 1 < To && To < Toks.size(); ++J)
        if (Toks[J].is(tok::raw_identifier) &&
            Toks[J - 1].isOneOf(tok::colon, tok::comma) &&
            Toks[J + 1].isOneOf(tok::l_paren, tok::l_brace))
          if (const FieldDecl *FD = FieldOf(Toks[J], Ctor->getParent()))
            Out[FD].Writes.emplace_back(ValueFrom(J + 2), F);
    }
    return Out;
  }

  /// The calls of the project's functions Clang marked invalid (a parameter
  /// of a type whose header is missing), read from the tokens of the
  /// functions that make them: `name(args)` or `Class::name(args)` written
  /// in a body, with as many arguments as the function takes.
  WrittenCallMap writtenCallsOfInvalid() {
    WrittenCallMap Out;
    llvm::StringMap<llvm::SmallVector<const FunctionDecl *, 2>> Invalid;
    for (const FunctionDecl *F : ProjectFunctions)
      if (F->isInvalidDecl() && F->getIdentifier() && F->getNumParams() > 0)
        Invalid[F->getName()].push_back(F);
    if (Invalid.empty())
      return Out;
    const std::vector<Token> &Toks = projectTokens();
    for (size_t J = 1; J + 1 < Toks.size(); ++J) {
      if (Toks[J].isNot(tok::raw_identifier) || Toks[J + 1].isNot(tok::l_paren))
        continue;
      auto It = Invalid.find(Toks[J].getRawIdentifier());
      if (It == Invalid.end() || Toks[J - 1].isOneOf(tok::period, tok::arrow))
        continue;
      const FunctionDecl *Caller = functionAt(Toks[J].getLocation());
      if (!Caller)
        continue;
      llvm::SmallVector<size_t, 4> Commas;
      size_t Close = closingBracket(Toks, J + 1, &Commas);
      if (Close >= Toks.size())
        continue;
      WrittenCall Call;
      Call.Caller = Caller;
      if (Close > J + 2) {
        size_t Begin = J + 2;
        for (size_t Comma : Commas) {
          Call.Args.push_back(llvm::ArrayRef<Token>(Toks).slice(Begin, Comma - Begin));
          Begin = Comma + 1;
        }
        Call.Args.push_back(llvm::ArrayRef<Token>(Toks).slice(Begin, Close - Begin));
      }
      // The one function of that name that takes as many arguments.
      const FunctionDecl *Callee = nullptr;
      bool Ambiguous = false;
      for (const FunctionDecl *F : It->second)
        if (Call.Args.size() >= F->getMinRequiredArguments() &&
            Call.Args.size() <= F->getNumParams() && F != Caller) {
          Ambiguous |= Callee && Callee->getCanonicalDecl() != F->getCanonicalDecl();
          Callee = F;
        }
      if (Callee && !Ambiguous)
        Out[Callee->getCanonicalDecl()].push_back(std::move(Call));
    }
    return Out;
  }

  /// `s.append(x)` or `s.prepend(x)` by the method's name, as written.
  std::optional<Mutation::Kind> editKind(llvm::StringRef Name) const {
    if (Rules.isStringCall(StringCall::Append, "", Name))
      return Mutation::Append;
    if (Rules.isStringCall(StringCall::Prepend, "", Name))
      return Mutation::Prepend;
    return std::nullopt;
  }
  std::optional<Mutation::Kind> editKind(const CXXMemberCallExpr *MC) const {
    if (isStringMethod(Rules, StringCall::Append, MC))
      return Mutation::Append;
    if (isStringMethod(Rules, StringCall::Prepend, MC))
      return Mutation::Prepend;
    return std::nullopt;
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const RuleSet &Rules;
  std::vector<const Stmt *> Stack;
  std::vector<Token> ProjectTokens;
  /// Where the calls in Binds are (expansion locations), once needed.
  llvm::DenseSet<unsigned> BindLocations;
  /// The functions with a body in the project's files, for code read from
  /// tokens.
  std::vector<const FunctionDecl *> ProjectFunctions;
  /// The `if`/`switch` arms around the calls recordHanded saw, where any.
  llvm::DenseMap<const Expr *, std::vector<BranchArm>> CallArms;
  /// The local each project object handed SQL when made is (`Statement
  /// st(sql, db)`).
  llvm::DenseMap<const CXXConstructExpr *, const VarDecl *> Constructed;
  std::vector<const VarDecl *> Vars;
  /// The functions whose bodies are being traversed, innermost last.
  std::vector<const FunctionDecl *> Functions;
  MutationMap Mutations;
  FieldWriteMap FieldWrites;
  InvalidLocalMap InvalidLocals;
  /// The data members Clang marked invalid, by name.
  llvm::StringMap<llvm::SmallVector<const FieldDecl *, 1>> InvalidFields;
  llvm::SmallPtrSet<const VarDecl *, 8> LoopElements;
  llvm::SmallPtrSet<const FieldDecl *, 8> FieldsWrittenOtherwise;
  std::vector<PendingSink> Sinks;
  std::vector<FreeCandidate> Free;
  std::map<std::pair<const FunctionDecl *, unsigned>, const Sink *> SinkCache;
  CallSiteMap Callers;
  llvm::DenseMap<const ValueDecl *, std::vector<BindCall>> Binds;
  /// Qt 5's `QStringLiteral("...")` handed to such a call: the literal sits
  /// in the lambda, not in the call.
  llvm::DenseMap<const StringLiteral *, Handed> LiteralsHanded;
  /// Locals whose text starts as a copy of a global's (recordGlobalCopy).
  llvm::DenseMap<const VarDecl *, llvm::SmallVector<const VarDecl *, 2>> GlobalCopies;
  /// Local variables initialised with Qt 5's `QStringLiteral("...")`.
  llvm::DenseMap<const StringLiteral *, const VarDecl *> LambdaLiteralVars;
  /// Local variables handed to such calls (`db->prepare(sql)`), in order.
  llvm::DenseMap<const VarDecl *, std::vector<Handed>> VariablesHanded;
  /// Other texts per site: branches, helper returns, call sites.
  static constexpr unsigned MaxVariants = 64;
  /// Other values a bound placeholder may take (call sites of a parameter).
  static constexpr unsigned MaxBoundOthers = 8;
  llvm::DenseSet<unsigned> SeenTokens; ///< Spelling of every AST string token.
  unsigned NextRawParam = 1;
  /// Variables whose text is a template `.arg(...)` calls fill.
  llvm::SmallPtrSet<const VarDecl *, 8> ArgTemplateVars;
};

} // namespace

std::unique_ptr<SqlSites> collectSqlSites(ASTContext &Ctx, const RuleSet &Rules) {
  SiteVisitor V(Ctx, Rules);
  V.TraverseAST(Ctx);
  return V.finish();
}

} // namespace stresslint
