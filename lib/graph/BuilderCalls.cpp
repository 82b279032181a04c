//===--- BuilderCalls.cpp - Calls, callables and the SQL they run ---------===//
///
/// \file
/// What one resolved call is to the summary: the function or callable it
/// reaches (lambdas, function pointers and fields holding them, signal
/// connections), the SQL it runs or hands on, and the event it records.
/// Just past 500 lines: onCall is one decision over these, and the helpers
/// it takes are kept beside it.
///
//===----------------------------------------------------------------------===//
#include "graph/Builder.h"

#include "clang/Basic/CharInfo.h"
#include "llvm/ADT/StringExtras.h"

namespace stresslint::graph {

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
      if (const Expr *Bound = boundCallable(Subs.front(), Subs.drop_front()))
        return callableOf(Bound, R, Depth + 1);
    return nullptr;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    std::string Name =
        Callee && Callee->getIdentifier() ? Callee->getName().str()
        : !Callee ? unresolvedCallee(Call->getCallee()).value_or(Unresolved()).Name
                  : "";
    if (const Binder *B = Rules.binder(Name);
        B && Call->getNumArgs() > static_cast<unsigned>(B->CallableArg))
      return callableOf(Call->getArg(B->CallableArg), R, Depth + 1);
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
    long I =
        R.CallableArg >= 0 ? R.CallableArg : static_cast<long>(Written) + R.CallableArg;
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
    if (auto It = FreeRoots.find(ignoreStringWrappers(E)); It != FreeRoots.end())
      return It->second;
    const Expr *Next = stripWrappers(E);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Next)) // sql.c_str()
      Next = MC->getImplicitObjectArgument();
    else if (const Expr *Text = builtTextOf(Next, Rules))
      Next = Text;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Next->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (auto It = FreeVars.find(VD); It != FreeVars.end())
          return It->second;
        if (const SqlSite *W = lastBufferWrite(VD, DRE->getBeginLoc()))
          return W;
      }
    if (Next == E)
      return nullptr;
    E = Next;
  }
  return nullptr;
}

const SqlSite *Builder::lastBufferWrite(const VarDecl *Buffer,
                                        SourceLocation Use) const {
  auto It = BufferWrites.find(Buffer);
  if (It == BufferWrites.end())
    return nullptr;
  // A local buffer reused for several statements holds the latest.
  const SqlSite *Last = nullptr;
  for (const SqlSite *S : It->second)
    if (SM.isBeforeInTranslationUnit(S->Anchor->getBeginLoc(), Use))
      Last = S;
  return Last;
}

std::string Builder::statementKind(const SqlAnalysis &A, llvm::StringRef Sql) {
  // Schema and attachment statements set up a database or a connection;
  // they are not data access (SQLite's PRAGMA and ATTACH do not parse).
  // Reading the catalog (`sqlite_master`, `information_schema.tables`)
  // inspects the schema, once per table or database it knows of.
  if (startsWithSchemaKeyword(Sql) ||
      (Sql.ltrim().take_while(llvm::isAlpha).equals_insensitive("select") &&
       readsOnlyCatalog(Sql)))
    return "schema";
  // `DELETE FROM "<table>"` with the table spliced in: once per table.
  if (wholeSplicedTable(Sql))
    return "per-table";
  return A.ParsedStatements == 0 && A.Statements > 0 && A.ControlStatements == 0 &&
                 A.WriteStatements == 0
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
      LocatedFact LF{std::move(F), B.isValid() ? range(B, SourceLocation()) : E.At};
      if (B.isValid() && End.isValid() &&
          SM.getFileID(SM.getFileLoc(End)) == SM.getFileID(SM.getFileLoc(B)) &&
          offsetOf(End) >= LF.Where.Begin)
        LF.Where.End = offsetOf(End) + 1;
      if (Seen.insert({LF.Fact.K, LF.Where.File, LF.Where.Begin, LF.Where.End}).second)
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
  bool ProjectCallee = FD && !isLibraryCode(SM, FD->getLocation());
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
    noteSqlSource(E, Op->second->Sql);
    addEvent(std::move(E));
  } else if (U) {
    unresolvedSink(*U, Call, Args, At);
  } else if (ProjectCallee && !isNotSql(FD) && !isa<CXXConstructExpr>(Call) &&
             !isTextMethod(FD)) {
    // The project's own wrapper (`db.query(sql)`) runs the SQL it gets;
    // one that formats it (`safe_query("... '%q'", v)`, the call is the
    // site) runs it when it returns rows or a status, not text.
    const SqlSite *S = nullptr;
    if (auto It = FreeRoots.find(Call);
        It != FreeRoots.end() && !isTextType(FD->getReturnType()))
      S = It->second;
    addHandedSql(Call, S, Args, At, functionId(FD), displayName(FD));
  }
  if (!FD && !U)
    return;
  llvm::SmallVector<std::string, 2> Names = FD ? calleeNames(FD, Object) : U->names();
  std::string CalleeId =
      FD ? functionId(FD) : byNameCallee(U->Name, Args.size(), U->Scope);
  std::string Shown = FD ? displayName(FD) : U->shown();

  // A stream built without a file name (`std::ifstream in;`) opens nothing;
  // its `open(path)` is the I/O.
  const auto *Ctor = dyn_cast<CXXConstructExpr>(Call);
  bool Opens = !Ctor || llvm::any_of(Ctor->arguments(), [](const Expr *A) {
    return !isa<CXXDefaultArgExpr>(A);
  });
  for (const Recognizer &R : Rules.blocking())
    if (Opens && (matchesAny(R.Function, Names) || hasAnnotation(FD, R.Annotation))) {
      // A wait before connecting again runs after a lost connection, not
      // per request.
      if (R.Polls && backingOff(Call))
        break;
      // A constructor reads best as the type written: 'std::ofstream'.
      addEvent(blockingEvent(R, range(At, Call->getEndLoc()), CalleeId,
                             isa<CXXConstructExpr>(Call)
                                 ? Call->getType().getAsString(Ctx.getPrintingPolicy())
                             : FD ? Names.front()
                                  : Shown));
      break;
    }

  bool Registers = false;
  for (auto [List, Kind] : {std::pair{&Rules.handlers(), EntryPoint::Handler},
                            std::pair{&Rules.jobHandlers(), EntryPoint::JobHandler}})
    if (const Recognizer *R = callRecognizer(*List, FD, Names); R && R->Call)
      for (const FunctionDecl *Target : callablesFor(*R, Args)) {
        Out.Entries.push_back({Kind, functionId(Target), displayName(Target), R->How,
                               range(At, Call->getEndLoc())});
        Registers = true;
      }

  const Recognizer *Dispatcher = callRecognizer(Rules.dispatchers(), FD, Names);
  const Recognizer *PerElement =
      Dispatcher ? nullptr : callRecognizer(Rules.perElement(), FD, Names);
  if (!Registers && !Dispatcher && !PerElement && !isa<CXXConstructExpr>(Call))
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
  addCallEvent(Call, Args, At, CalleeId, Shown, Virtual);
}

Event Builder::blockingEvent(const Recognizer &R, SrcRange At, std::string Callee,
                             std::string Shown) {
  Event E;
  E.K = Event::Blocking;
  E.At = std::move(At);
  E.Callee = std::move(Callee);
  E.CalleeName = std::move(Shown);
  E.Category = R.How;
  E.Polls = R.Polls;
  return E;
}

void Builder::addCallEvent(const Expr *Call, llvm::ArrayRef<const Expr *> Args,
                           SourceLocation At, std::string Callee, std::string Shown,
                           bool Virtual) {
  Event E;
  E.K = Event::Call;
  E.At = range(At, Call->getEndLoc());
  E.Callee = std::move(Callee);
  E.CalleeName = std::move(Shown);
  E.Virtual = Virtual;
  // An item of a list of statements handed over, and the caller's own text
  // parameters handed on (graph/Link: a wrapper that prepares its text
  // through one method and runs it through another).
  for (size_t I = 0; I < Args.size(); ++I) {
    if (Args[I] && !isa<CXXDefaultArgExpr>(Args[I]) &&
        writesOneElementList(writtenText(Args[I]->getSourceRange())))
      E.SingleItemArgs.push_back(static_cast<int>(I));
    const VarDecl *V = textVariableOf(Args[I]);
    if (V && E.GivenArg < 0 && Stack.back().Given.count(V))
      E.GivenArg = static_cast<int>(I);
    if (const auto *P = dyn_cast_or_null<ParmVarDecl>(V);
        P && P->getDeclContext() == Stack.back().FD)
      E.Passes.emplace_back(static_cast<int>(I),
                            static_cast<int>(P->getFunctionScopeIndex()));
    // A bool flag: a literal, or this function's own flag handed on.
    const Expr *A = Args[I];
    if (const auto *D = dyn_cast_or_null<CXXDefaultArgExpr>(A))
      A = D->getExpr();
    A = A ? A->IgnoreParenImpCasts() : nullptr;
    if (const auto *B = dyn_cast_or_null<CXXBoolLiteralExpr>(A))
      E.Flags.emplace_back(static_cast<int>(I), B->getValue() ? 1 : 0);
    else if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(A))
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl());
          P && P->getDeclContext() == Stack.back().FD && P->getType()->isBooleanType())
        E.Flags.emplace_back(static_cast<int>(I),
                             2 + static_cast<int>(P->getFunctionScopeIndex()));
  }
  addEvent(std::move(E));
}

/// A method of a class that builds text (`QString::operator=`, `append`,
/// `arg`: API YAML `builds: text`): it keeps the SQL it is handed, it runs
/// nothing, wherever its header is (Qt named with -I is not a system
/// header).
bool Builder::isTextMethod(const FunctionDecl *FD) const {
  const auto *MD = dyn_cast<CXXMethodDecl>(FD);
  const CXXRecordDecl *RD = MD ? MD->getParent() : nullptr;
  return RD && RD->getIdentifier() && Rules.buildsText(RD->getName());
}

void Builder::addHandedSql(const Expr *Call, const SqlSite *S,
                           llvm::ArrayRef<const Expr *> Args, SourceLocation At,
                           const std::string &Callee, const std::string &Shown) {
  for (const Expr *A : Args)
    if (!S)
      S = freeSqlIn(A);
  if (!S)
    return;
  Event E = sinkEvent(*S, At, Call->getEndLoc(), Call);
  E.Inferred = true;
  E.Callee = Callee;
  E.CalleeName = Shown;
  addEvent(std::move(E));
}

const FieldDecl *Builder::calledField(const Expr *Callee) {
  const Expr *E = Callee->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_Deref)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *ME = dyn_cast<MemberExpr>(E);
  const auto *F = ME ? dyn_cast<FieldDecl>(ME->getMemberDecl()) : nullptr;
  return F && isFunctionPointer(F) ? F : nullptr;
}

bool Builder::isFunctionPointer(const FieldDecl *F) {
  QualType T = F->getType().getNonReferenceType();
  if (const auto *P = T->getAs<PointerType>())
    T = P->getPointeeType();
  return T->isFunctionType();
}

void Builder::recordFieldStore(const FieldDecl *F, const Expr *Value) {
  if (!F || !Value || !isFunctionPointer(F))
    return;
  const Expr *V = Value->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(V); UO && UO->getOpcode() == UO_AddrOf)
    V = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(V);
  const auto *FD = DRE ? dyn_cast<FunctionDecl>(DRE->getDecl()) : nullptr;
  if (!FD || isLibraryCode(SM, FD->getLocation()))
    return;
  std::pair<std::string, std::string> Store{fieldId(F), functionId(FD)};
  if (!llvm::is_contained(Out.FieldStores, Store))
    Out.FieldStores.push_back(std::move(Store));
}

/// The name of the signal or slot Qt's SIGNAL()/SLOT() macro spells in
/// \p E (`"2changed(int)"`, maybe in `qFlagLocation(...)`), and whether it
/// is a signal; the name is empty otherwise.
static std::pair<std::string, bool> signatureName(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *C = dyn_cast<CallExpr>(E); C && C->getNumArgs() == 1)
    E = C->getArg(0)->IgnoreParenImpCasts(); // qFlagLocation("2changed(int)" ...)
  const auto *L = dyn_cast<StringLiteral>(E);
  if (!L || L->getCharByteWidth() != 1)
    return {"", false};
  llvm::StringRef S = L->getString();
  if (S.size() < 3 || (S[0] != '1' && S[0] != '2'))
    return {"", false};
  llvm::StringRef Name = S.drop_front().take_until([](char C) { return C == '('; });
  if (Name.size() + 1 == S.size() || Name.empty())
    return {"", false};
  return {Name.trim().str(), S[0] == '2'};
}

std::string memberPointerName(llvm::StringRef Text) {
  llvm::StringRef T = Text.trim();
  if (!T.consume_front("&"))
    return "";
  auto [Scope, Name] = T.rsplit("::");
  if (Name.empty() || Scope.empty() || !isValidAsciiIdentifier(Name.trim()) ||
      !llvm::all_of(Scope, [](char C) {
        return isAsciiIdentifierContinue(C) || C == ':' || C == ' ';
      }))
    return "";
  return Name.trim().str();
}

std::string Builder::droppedMemberPointer(const Expr *E) const {
  // `&DataManager::feedRemoved` where the signal's declaration was dropped
  // (a parameter of a type whose header is missing): only the text says.
  return E->containsErrors() ? memberPointerName(writtenText(E->getSourceRange())) : "";
}

void Builder::recordConnection(const CallExpr *C) {
  llvm::SmallVector<const Expr *, 6> Args;
  for (const Expr *A : C->arguments())
    if (!isa<CXXDefaultArgExpr>(A))
      Args.push_back(A);
  const CXXRecordDecl *Receiver = nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C))
    Receiver = MC->getImplicitObjectArgument()->getType()->getPointeeCXXRecordDecl();
  recordConnection(Args, Receiver);
}

void Builder::recordConnection(llvm::ArrayRef<const Expr *> Args,
                               const CXXRecordDecl *Receiver) {
  auto MethodOf = [](const Expr *E) -> const CXXMethodDecl * {
    E = E->IgnoreParenImpCasts();
    if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr()->IgnoreParenImpCasts();
    const auto *DRE = dyn_cast<DeclRefExpr>(E);
    return DRE ? dyn_cast<CXXMethodDecl>(DRE->getDecl()) : nullptr;
  };
  // The signal: a member pointer or a SIGNAL() string, after the sender.
  std::string Signal;
  size_t At = 1;
  for (; At < Args.size() && Signal.empty(); ++At) {
    if (const CXXMethodDecl *M = MethodOf(Args[At]))
      Signal = isLibraryCode(SM, M->getLocation()) ? "" : functionId(M);
    else if (auto [Name, IsSignal] = signatureName(Args[At]); IsSignal)
      Signal = "signal:" + Name;
    else if (std::string Written = droppedMemberPointer(Args[At]); !Written.empty())
      Signal = "signal:" + Written; // Its declaration dropped: by its name.
    else
      continue;
    if (Signal.empty())
      return;
  }
  if (Signal.empty())
    return;
  // The slot: a member pointer, a lambda, or a SLOT()/SIGNAL() string on
  // the receiver before it (the object connect() is called on without one).
  if (!Receiver)
    if (const auto *M =
            Stack.empty() ? nullptr : dyn_cast_or_null<CXXMethodDecl>(Stack.back().FD))
      Receiver = M->getParent();
  std::string Slot;
  for (size_t I = At; I < Args.size() && Slot.empty(); ++I) {
    const Expr *A = Args[I]->IgnoreParenImpCasts();
    if (const CXXMethodDecl *M = MethodOf(A)) {
      if (!isLibraryCode(SM, M->getLocation()))
        Slot = functionId(M);
      break;
    }
    if (const auto *L = dyn_cast<LambdaExpr>(A)) {
      Slot = functionId(L->getCallOperator());
      break;
    }
    auto [Name, IsSignal] = signatureName(A);
    if (Name.empty()) {
      // The receiver, before a SLOT() string.
      QualType T = A->getType();
      if (const CXXRecordDecl *RD = T->isPointerType() ? T->getPointeeCXXRecordDecl()
                                                       : T->getAsCXXRecordDecl())
        Receiver = RD;
      continue;
    }
    if (IsSignal) {
      Slot = "signal:" + Name; // A signal relayed by another.
      break;
    }
    if (Receiver && Receiver->hasDefinition())
      for (const CXXMethodDecl *M : Receiver->getDefinition()->methods())
        if (M->getIdentifier() && M->getName() == Name) {
          Slot = functionId(M);
          break;
        }
    break;
  }
  std::pair<std::string, std::string> Store{Signal, Slot};
  if (!Slot.empty() && !llvm::is_contained(Out.FieldStores, Store))
    Out.FieldStores.push_back(std::move(Store));
}

bool Builder::VisitInitListExpr(InitListExpr *IL) {
  const InitListExpr *Sem = IL->isSemanticForm() ? IL : IL->getSemanticForm();
  if (!Sem)
    return true;
  const RecordDecl *RD = Sem->getType()->getAsRecordDecl();
  if (!RD || RD->isUnion() || !RD->getDefinition())
    return true;
  unsigned I = 0;
  for (const FieldDecl *F : RD->getDefinition()->fields()) {
    if (I >= Sem->getNumInits())
      break;
    recordFieldStore(F, Sem->getInit(I++));
  }
  return true;
}

bool Builder::VisitBinaryOperator(BinaryOperator *B) {
  if (B->getOpcode() != BO_Assign)
    return true;
  if (const auto *ME = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenImpCasts()))
    recordFieldStore(dyn_cast<FieldDecl>(ME->getMemberDecl()), B->getRHS());
  return true;
}

void Builder::onFieldCall(const CallExpr *C, const FieldDecl *F,
                          llvm::ArrayRef<const Expr *> Args, SourceLocation At) {
  if (isLibraryCode(SM, F->getLocation()))
    return;
  std::string Id = fieldId(F);
  std::string Shown = F->getQualifiedNameAsString();
  addHandedSql(C, nullptr, Args, At, Id, Shown);
  addCallEvent(C, Args, At, std::move(Id), std::move(Shown), /*Virtual=*/true);
}

} // namespace stresslint::graph
