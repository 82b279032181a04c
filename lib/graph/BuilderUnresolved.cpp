//===--- BuilderUnresolved.cpp - Calls Clang could not resolve ------------===//
///
/// \file
/// Calls Clang kept but could not resolve (a missing header): which API sink,
/// project function or method each one names, by its name, its arity and the
/// class of its object as written. Just past 500 lines: the name-based
/// matching of one call is one decision, read top to bottom.
///
//===----------------------------------------------------------------------===//
#include "graph/Builder.h"

#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <tuple>

namespace stresslint::graph {

// --- Calls Clang could not resolve (headers missing) ------------------------

std::string Builder::firstArgumentLiteral(const Expr *Call) const {
  CharSourceRange R = CharSourceRange::getTokenRange(Call->getSourceRange());
  R = Lexer::makeFileCharRange(R, SM, Ctx.getLangOpts());
  if (R.isInvalid())
    return "";
  // The lexer stops at a NUL after its buffer's end: lex a copy, not a
  // slice of the file (whose next byte is more code, or none).
  std::string Text = Lexer::getSourceText(R, SM, Ctx.getLangOpts()).str();
  Lexer Raw(R.getBegin(), Ctx.getLangOpts(), Text.data(), Text.data(),
            Text.data() + Text.size());
  Token T;
  bool InArguments = false;
  for (bool End = false; !End;) {
    End = Raw.LexFromRawLexer(T);
    if (T.is(tok::eof))
      break;
    InArguments |= T.is(tok::l_paren);
    if (InArguments && tok::isStringLiteral(T.getKind())) {
      llvm::StringRef S(T.getLiteralData(), T.getLength());
      S = S.drop_until([](char C) { return C == '"'; });
      return S.size() >= 2 ? S.drop_front().drop_back().str() : "";
    }
  }
  return "";
}

std::string Builder::writtenText(SourceRange R) const {
  return Lexer::getSourceText(CharSourceRange::getTokenRange(R), SM, Ctx.getLangOpts())
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
      if (Id != "public" && Id != "protected" && Id != "private" && Id != "virtual")
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
          llvm::any_of(writtenBases(U.ScopeClass),
                       [&](const std::string &B) { return scopeMatches(Scope, B); }));
}

const VarDecl *Builder::textVariableOf(const Expr *E) const {
  if (!E || Stack.empty())
    return nullptr;
  if (const VarDecl *V = textVariable(E, Rules))
    return V;
  // `cmd->sql` where cmd walks a list of given records, or `task.query`
  // of a record the function was handed (`runTask(const Task &task)`): the
  // record.
  if (const auto *ME = dyn_cast<MemberExpr>(E->IgnoreParenImpCasts()))
    if (const auto *DRE = dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts()))
      if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
          V && (Stack.back().Given.count(V) ||
                (isa<ParmVarDecl>(V) && isTextType(ME->getType()))))
        return V;
  return dyn_cast_or_null<VarDecl>(objectDecl(E));
}

/// The project function whose returned text \p Sql is, through copies and
/// conversions (`t.dropQuery()`, `QString(t.sql()).toUtf8()`), or null.
static const FunctionDecl *returnedTextOf(const Expr *Sql, const SourceManager &SM) {
  for (unsigned Depth = 0; Sql && Depth < 4; ++Depth) {
    const auto *Call = dyn_cast_or_null<CallExpr>(ignoreTextCopies(Sql));
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD)
      return nullptr;
    if (!isLibraryCode(SM, FD->getLocation()))
      return isTextType(FD->getReturnType()) ? FD : nullptr;
    // A library conversion of the text (`c_str()`, `toUtf8()`).
    const auto *M = dyn_cast<CXXMemberCallExpr>(Call);
    if (!M || M->getNumArgs() != 0)
      return nullptr;
    Sql = M->getImplicitObjectArgument();
  }
  return nullptr;
}

void Builder::noteSqlSource(Event &E, const Expr *Sql) const {
  if (const FunctionDecl *From = Sql ? returnedTextOf(Sql, SM) : nullptr)
    E.TextFrom = functionId(From);
  const VarDecl *V = textVariableOf(Sql);
  if (!V)
    return;
  E.RunsGiven = Stack.back().Given.count(V) > 0;
  if (const auto *P = dyn_cast<ParmVarDecl>(V);
      P && Stack.back().FD && P->getDeclContext() == Stack.back().FD)
    E.RunsParam = static_cast<int>(P->getFunctionScopeIndex());
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
  if (const auto *U = dyn_cast<UnaryOperator>(O); U && U->getOpcode() == UO_Deref)
    O = U->getSubExpr()->IgnoreParenImpCasts();
  if (isa<CXXThisExpr>(O))
    if (const CXXRecordDecl *RD = O->getType()->getPointeeCXXRecordDecl())
      return qualifiedName(RD);
  const DeclaratorDecl *D = objectDecl(Obj);
  if (!D)
    return "";
  if (D->getIdentifier())
    VarName = D->getName().str();
  std::string T = writtenOrReturnedClass(D);
  if (T.empty() && !D->isInvalidDecl() && !D->getType()->isDependentType())
    if (const CXXRecordDecl *RD =
            D->getType().getNonReferenceType()->getPointeeCXXRecordDecl()
                ? D->getType().getNonReferenceType()->getPointeeCXXRecordDecl()
                : D->getType().getNonReferenceType()->getAsCXXRecordDecl())
      T = qualifiedName(RD);
  return T;
}

std::string Builder::writtenOrReturnedClass(const DeclaratorDecl *D) const {
  std::string T = declaredClass(D);
  if (!T.empty() && T != "auto")
    return T;
  const auto *V = dyn_cast<VarDecl>(D);
  if (!V || (!D->getType()->isUndeducedType() && !D->getType()->isDependentType() &&
             !D->isInvalidDecl()))
    return "";
  auto Written = writtenInitializer(V, SM, Ctx.getLangOpts());
  if (!Written || Written->size() < 3 || !Written->back().is(tok::r_paren))
    return "";
  // `db->execSqlAsyncFuture(sql, id)`: the name before the last
  // parenthesised argument list.
  llvm::ArrayRef<Token> Toks = *Written;
  int Depth = 0;
  size_t Open = Toks.size();
  for (size_t I = Toks.size(); I-- > 0;) {
    Depth += Toks[I].is(tok::r_paren) - Toks[I].is(tok::l_paren);
    if (Depth == 0) {
      Open = I;
      break;
    }
  }
  if (Open == 0 || Open >= Toks.size())
    return "";
  // `auto *svc = app().getPlugin<UserService>();`, `locator.get<Cache>()`:
  // a function template given the class it hands back, as make_shared and
  // casts are; its explicit argument names the object's class.
  if (Toks[Open - 1].is(tok::greater)) {
    std::string Class;
    size_t I = Open - 1;
    while (I-- > 0 && !Toks[I].is(tok::less)) {
      if (Toks[I].is(tok::raw_identifier) && Toks[I].getRawIdentifier() != "const")
        Class.insert(0, Toks[I].getRawIdentifier().str());
      else if (Toks[I].is(tok::coloncolon))
        Class.insert(0, "::");
      else if (!Toks[I].isOneOf(tok::star, tok::amp, tok::raw_identifier))
        return "";
    }
    if (I == 0 || I >= Toks.size() || !Toks[I - 1].is(tok::raw_identifier) ||
        Class.empty() || llvm::StringRef(Class).startswith("::") ||
        llvm::StringRef(Class).endswith("::"))
      return "";
    return Class;
  }
  if (!Toks[Open - 1].is(tok::raw_identifier))
    return "";
  // `auto task = std::future(std::async(...))`: the object is of the class
  // written, whatever Clang made of its arguments.
  std::string Cast;
  for (size_t I = 0; I < Open; ++I) {
    if (Toks[I].is(tok::raw_identifier) && (I % 2 == 0))
      Cast += Toks[I].getRawIdentifier().str();
    else if (Toks[I].is(tok::coloncolon) && (I % 2 == 1))
      Cast += "::";
    else {
      Cast.clear();
      break;
    }
  }
  if (!Cast.empty())
    if (const NamedDecl *D = lookupWritten(Cast);
        isa_and_nonnull<CXXRecordDecl, ClassTemplateDecl>(D))
      return qualifiedName(D);
  llvm::StringRef Name = Toks[Open - 1].getRawIdentifier();
  for (const Sink &K : Rules.sinks())
    if (!K.Returns.empty() && methodOf(K).second == Name)
      return K.Returns;
  // `auto task = std::async(std::launch::async, [] {...})`.
  size_t First = Open - 1;
  while (First >= 2 && Toks[First - 1].is(tok::coloncolon) &&
         Toks[First - 2].is(tok::raw_identifier))
    First -= 2;
  std::string Called;
  for (size_t I = First; I < Open; ++I)
    Called += Toks[I].is(tok::coloncolon) ? llvm::StringRef("::")
                                          : Toks[I].getRawIdentifier();
  for (const Recognizer &R : Rules.dispatchers())
    if (!R.Returns.empty() && R.Call && matchesAny(R.Call, {Called}))
      return R.Returns;
  return "";
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

const CXXRecordDecl *Builder::smartPointee(const DeclaratorDecl &Object,
                                           SourceLocation NameLoc) const {
  // `p->name` on an object, not a pointer: a smart pointer whose
  // operator-> Clang could not see (inherited from a base whose header is
  // missing): the method is its pointee's, the first template argument.
  QualType T = Object.getType().getNonReferenceType();
  if (T.isNull() || T->isPointerType() || NameLoc.isInvalid() || !NameLoc.isFileID())
    return nullptr;
  auto [File, Off] = SM.getDecomposedLoc(NameLoc);
  if (!SM.getBufferData(File).take_front(Off).rtrim(" \t\r\n").endswith("->"))
    return nullptr;
  const auto *Spec =
      dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0)
    return nullptr;
  TemplateArgument First = Spec->getTemplateArgs()[0];
  if (First.getKind() == TemplateArgument::Pack) // A stub's `class...`.
    First = First.pack_size() ? First.pack_begin()[0] : TemplateArgument();
  if (First.getKind() != TemplateArgument::Type)
    return nullptr;
  const CXXRecordDecl *Pointee = First.getAsType()->getAsCXXRecordDecl();
  return Pointee && Pointee->hasDefinition() &&
                 !isLibraryCode(SM, Pointee->getLocation())
             ? Pointee
             : nullptr;
}

std::optional<Builder::Unresolved> Builder::unresolvedCallee(const Expr *E) const {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  Unresolved U;
  const Expr *Object = nullptr;
  if (std::optional<UnresolvedMember> M = unresolvedMember(E, SM, Ctx.getLangOpts())) {
    U.Name = M->Name;
    U.NameLoc = M->NameLoc;
    U.Member = true;
    Object = M->Object;
    if (const auto *UM = dyn_cast<UnresolvedMemberExpr>(E)) {
      if (const CXXRecordDecl *RD = UM->getNamingClass())
        U.Scope = qualifiedName(RD);
    } else if (!Object) {
      U.Scope = enclosingClass();
      U.ScopeClass = enclosingRecord();
    }
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
  } else {
    return std::nullopt;
  }
  if (U.Name.empty())
    return std::nullopt;
  if (Object && U.Scope.empty())
    U.Scope = objectClass(Object, U.ObjectName);
  if (Object)
    U.Object = objectDecl(Object);
  if (const CXXRecordDecl *Pointee = U.Member && U.Object && !U.ScopeClass
                                         ? smartPointee(*U.Object, U.NameLoc)
                                         : nullptr) {
    U.Scope = qualifiedName(Pointee);
    U.ScopeClass = Pointee;
    return U;
  }
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
  // A pattern names no one method (`re:mysqlpp::Connection::query` is kept
  // from giving every unresolved `query(...)` its meaning).
  llvm::StringRef F = K.Function.text();
  return F.contains("::") && !F.startswith("re:") && !F.contains('*')
             ? F.rsplit("::")
             : std::pair<llvm::StringRef, llvm::StringRef>();
}

const Builder::Prepared *Builder::preparedOn(const Decl *Obj) const {
  if (!Obj || Stack.empty())
    return nullptr;
  auto It = Stack.back().PreparedOn.find(Obj);
  return It == Stack.back().PreparedOn.end() ? nullptr : &It->second;
}

void Builder::prepareUnresolved(const Unresolved &U, const SqlSite *S, const Expr *Call,
                                llvm::ArrayRef<const Expr *> Args, SourceLocation At) {
  // `q.prepare(sql)`, the statement that built `sql` dropped; also a
  // template it fills (`q.prepare(sql.arg(table))`, `sql` of a text class
  // whose header is missing).
  if (!S && Args.size() == 1) {
    if (const DeclaratorDecl *V = objectDecl(Args[0]); V && V->getIdentifier())
      S = droppedFor('v', V->getName(), V->getLocation(), At);
    if (!S)
      S = droppedTextIn(Args[0], At);
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
    if (Args.size() == 1)
      noteSqlSource(E, Args[0]);
    P = {E.At, "unknown", "", {}, E.RunsParam, E.RunsGiven};
  }
  E.Statement = "prepare";
  E.Category = U.shown();
  if (U.Object)
    Stack.back().PreparedOn[U.Object] = std::move(P);
  addEvent(std::move(E));
}

const Builder::Prepared *Builder::preparedOrDropped(const Decl *Obj,
                                                    SourceLocation At) {
  if (const Prepared *P = preparedOn(Obj))
    return P;
  const auto *D = dyn_cast_or_null<DeclaratorDecl>(Obj);
  if (!D || !D->getIdentifier())
    return nullptr;
  // `q.prepare("...")` dropped, or `QSqlQuery *q = db->prepare("...");`
  // whose declaration Clang dropped with its initializer.
  const SqlSite *S = droppedFor('p', D->getName(), D->getLocation(), At);
  if (!S)
    S = droppedFor('v', D->getName(), D->getLocation(), At);
  if (!S)
    return nullptr;
  Taken.insert(S);
  SrcRange Where = range(S->Sql.Pieces.front().RawLoc, SourceLocation());
  Event E = sinkEvent(*S, S->Sql.Pieces.front().RawLoc, SourceLocation());
  return &(Stack.back().PreparedOn[Obj] = {
               Where, statementKind(*S->analysis(), S->Sql.Text), E.Text, E.Facts});
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
  E.RunsParam = P.RunsParam;
  E.RunsGiven = P.RunsGiven;
  addEvent(std::move(E));
}

void Builder::unresolvedSink(const Unresolved &U, const Expr *Call,
                             llvm::ArrayRef<const Expr *> Args, SourceLocation At) {
  if (const Sink *K = sinkByName(U, Args.size())) {
    const Expr *SqlE = nullptr;
    if (K->SqlArg != Sink::NoSqlArg)
      SqlE =
          Args[K->SqlArg >= 0 ? K->SqlArg : static_cast<long>(Args.size()) + K->SqlArg];
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
    // Text Clang could not type (`QString("SAVEPOINT %1").arg(name)`, its
    // class unknown) begins as its first literal says: transaction control
    // is no query.
    if (K->SqlArg != Sink::NoSqlArg &&
        startsWithControlKeyword(firstArgumentLiteral(Call)))
      return;
    if (const Prepared *P = K->SqlArg == Sink::NoSqlArg && !K->Prepares
                                ? preparedOrDropped(U.Object, At)
                                : nullptr) {
      runPrepared(*P, U, Call, At);
      return;
    }
    Event E;
    E.K = Event::Sink;
    E.At = range(At, Call->getEndLoc());
    E.Statement = K->Prepares ? "prepare" : "unknown";
    E.Category = K->Function.text();
    E.InProcess = K->InProcess;
    noteSqlSource(E, SqlE);
    addEvent(std::move(E));
    return;
  }
  if (looksLikeLogging(U) || Rules.buildsText(U.Name))
    return;
  // `statements.append(sql)`, `parts.push_back(sql)` (`strings:` appends,
  // prepends): an edit of a text or a list keeps what it is handed.
  if (U.Member && (Rules.isStringCall(StringCall::Append, "", U.Name) ||
                   Rules.isStringCall(StringCall::Prepend, "", U.Name)))
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
    if (!hasTextArgument(Call) && queryMethodNamed(U.Name, /*Prepares=*/false))
      if (const Prepared *P = preparedOrDropped(U.Object, At)) {
        runPrepared(*P, U, Call, At);
        return;
      }
  }
  const SqlSite *S = nullptr;
  for (const Expr *A : Args)
    if (!S)
      S = freeSqlIn(A);
  // `storage->query(insert.arg(id))`, `insert` declared with a text class
  // whose header is missing: the SQL read from its dropped initializer is
  // handed on here, not run where it is written.
  for (const Expr *A : Args) {
    if (S)
      break;
    S = droppedTextIn(A, At);
    if (S)
      Taken.insert(S);
  }
  if (S) {
    Event E = sinkEvent(*S, At, Call->getEndLoc(), Call);
    E.Inferred = true;
    E.Callee = byNameCallee(U.Name, Args.size(), U.Scope);
    E.CalleeName = U.shown();
    addEvent(std::move(E));
  }
}

const SqlSite *Builder::droppedTextIn(const Expr *Arg, SourceLocation At) const {
  if (!Arg || Stack.empty())
    return nullptr;
  // The name the argument is, or starts with before a method that fills
  // or views its text: `insert`, `insert.arg(id)`, `sql.toUtf8()`; not
  // `query->value(0)`.
  std::string Written = writtenText(Arg->getSourceRange());
  llvm::StringRef Text = llvm::StringRef(Written).trim();
  auto Word = [](llvm::StringRef &T) {
    size_t N = 0;
    while (N < T.size() && (llvm::isAlnum(T[N]) || T[N] == '_'))
      ++N;
    llvm::StringRef W = T.take_front(N);
    T = T.drop_front(N).ltrim();
    return W;
  };
  llvm::StringRef Name = Word(Text);
  if (Name.empty() || llvm::isDigit(Name.front()))
    return nullptr;
  if (!Text.empty()) {
    if (!Text.consume_front(".") && !Text.consume_front("->"))
      return nullptr;
    Text = Text.ltrim();
    llvm::StringRef Method = Word(Text);
    if (!Text.startswith("(") ||
        !(Rules.isStringCall(StringCall::ArgTemplate, "", Method) ||
          Rules.hasMethodRole(MethodRole::TextView, "", Method)))
      return nullptr;
  }
  // Declared with a text class (`const QString insert = ...`), not a query
  // object (`QSqlQuery *q = db->prepare("...")`).
  const DeclaratorDecl *V = Stack.back().Locals.lookup(Name);
  if (!V || !Rules.buildsText(writtenClass(V, SM, Ctx.getLangOpts())))
    return nullptr;
  return droppedFor('v', Name, V->getLocation(), At);
}

} // namespace stresslint::graph
