//===--- BuilderHandlers.cpp - Handlers no API file declares --------------===//
#include "graph/Builder.h"

#include "clang/AST/Attr.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include <tuple>

namespace stresslint::graph {

bool isRouteLike(llvm::StringRef S) {
  if (!S.startswith("/") || S.startswith("//") || S.size() > 256 ||
      S.find_first_of(" \t\n\r\"'\\") != llvm::StringRef::npos)
    return false;
  llvm::StringRef First = S.drop_front().split('/').first;
  for (llvm::StringRef Root :
       {"tmp",   "usr",   "etc",     "var",    "dev",     "proc",
        "sys",   "home",  "opt",     "bin",    "sbin",    "lib",
        "lib64", "root",  "mnt",     "run",    "srv",     "boot",
        "media", "Users", "Library", "System", "Volumes", "Applications"})
    if (First == Root)
      return false;
  llvm::StringRef Last = S.rsplit('/').second;
  size_t Dot = Last.rfind('.');
  if (Dot == llvm::StringRef::npos)
    return true;
  std::string Ext = Last.drop_front(Dot + 1).lower();
  for (llvm::StringRef File :
       {"txt", "log",    "conf",    "cfg",  "ini",  "so",     "dll", "dylib",
        "db",  "sqlite", "sqlite3", "pid",  "lock", "sock",   "dat", "bak",
        "tmp", "csv",    "gz",      "zip",  "tar",  "tgz",    "pem", "key",
        "crt", "yaml",   "yml",     "toml", "sh",   "service"})
    if (Ext == File)
      return false;
  return true;
}

namespace {

/// `&UserController::list` whose method Clang dropped (declared with a type
/// from a missing header, `std::function` without `<functional>`): the
/// RecoveryExpr left covers `list` only. The qualifier written before it
/// (`UserController::`, `ns::Class::`) is put back, so the name keeps the
/// class that tells two controllers' `list` apart.
llvm::StringRef withWrittenQualifier(const SourceManager &SM, SourceLocation Begin,
                                     llvm::StringRef Text) {
  if (Text.empty() || !Begin.isFileID())
    return Text;
  auto [File, Offset] = SM.getDecomposedLoc(Begin);
  bool Invalid = false;
  llvm::StringRef Buffer = SM.getBufferData(File, &Invalid);
  if (Invalid || Offset > Buffer.size() || Buffer.substr(Offset).size() < Text.size())
    return Text;
  auto IsName = [](char C) { return llvm::isAlnum(C) || C == '_'; };
  size_t Start = Offset;
  for (;;) {
    size_t I = Start;
    while (I > 0 && llvm::isSpace(Buffer[I - 1]))
      --I;
    if (I < 2 || Buffer.substr(I - 2, 2) != "::")
      break;
    I -= 2;
    while (I > 0 && llvm::isSpace(Buffer[I - 1]))
      --I;
    size_t NameEnd = I;
    while (I > 0 && IsName(Buffer[I - 1]))
      --I;
    if (I == NameEnd || llvm::isDigit(Buffer[I]))
      break;
    Start = I;
  }
  if (Start == Offset)
    return Text;
  llvm::StringRef Qualified = Buffer.slice(Start, Offset + Text.size());
  // Spaces around `::` are allowed in C++; the name is read without them.
  if (Qualified.find_first_of(" \t\n\r") != llvm::StringRef::npos)
    return Text;
  return Qualified;
}

/// `"createItem"`, `"get_devices"`: an endpoint's name.
bool isEndpointName(llvm::StringRef S) {
  if (S.size() < 2 || S.size() > 64 || !(llvm::isAlpha(S[0]) || S[0] == '_'))
    return false;
  return llvm::all_of(S, [](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '-' || C == '.' || C == ':';
  });
}

} // namespace

// --- Handlers of frameworks nobody declared ---------------------------------

std::string Builder::declaredClass(const DeclaratorDecl *D) const {
  return writtenClass(D, SM, Ctx.getLangOpts());
}

std::string Builder::paramTypeName(const ParmVarDecl *P) const {
  std::string T = declaredClass(P);
  if (T.empty())
    if (const auto *RD = P->getType().getNonReferenceType()->getAsCXXRecordDecl())
      T = qualifiedName(RD);
  size_t Sep = T.rfind("::");
  return Sep == std::string::npos ? T : T.substr(Sep + 2);
}

bool Builder::isOverride(const CXXMethodDecl *M) const {
  if (M->size_overridden_methods() > 0)
    return true;
  for (const FunctionDecl *R : M->redecls())
    if (R->hasAttr<OverrideAttr>() || R->hasAttr<FinalAttr>() || writtenOverride(R))
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
    else if (Depth == 0 && T->isOneOf(tok::semi, tok::l_brace, tok::equal, tok::colon))
      return false;
    else if (Depth == 0 && T->is(tok::raw_identifier) &&
             (T->getRawIdentifier() == "override" || T->getRawIdentifier() == "final"))
      return true;
  }
  return false;
}

std::string Builder::inferredHandler(const FunctionDecl *FD) const {
  const Inference &I = Rules.inference();
  if (!FD->getIdentifier())
    return "";
  llvm::StringRef Name = FD->getName();
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && I.Overrides && I.OverrideName &&
                                                   I.OverrideName->matches(Name) &&
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
    else if (Response.empty() && I.ResponseType && I.ResponseType->matches(T))
      Response = T;
  }
  if (Request.empty())
    return "";
  if (!Response.empty())
    return "inferred: parameters '" + Request + "' and '" + Response + "'";
  if (I.HandlerName && I.HandlerName->matches(Name))
    return ("inferred: parameter '" + Request + "' and name '" + Name + "'").str();
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
  auto Callable = [&](size_t K) {
    if (const FunctionDecl *Target = callableOf(Args[K], nullptr)) {
      Id = functionId(Target);
      Name = displayName(Target);
    } else {
      Id = callableByName(Args[K], Name);
    }
  };
  // The callable after the route (`route("/x", f)`), else before it
  // (Drogon's `registerMethod(&Ctrl::list, "/items")`).
  for (size_t K = Key + 1; K < Args.size() && Id.empty(); ++K)
    Callable(K);
  for (size_t K = 0; K < Key && Key < Args.size() && Id.empty(); ++K)
    Callable(K);
  if (Id.empty())
    return;
  Out.Entries.push_back({EntryPoint::Handler, Id, Name,
                         ("inferred: " + llvm::Twine(Endpoint ? "endpoint" : "route") +
                          " registration '" + CallName + "'")
                             .str(),
                         range(At, Call->getEndLoc())});
}

void Builder::chainedRegistration(const CallExpr *C,
                                  llvm::ArrayRef<const Expr *> Args) {
  // `CROW_ROUTE(app, "/x").methods(...)([&] { ... })`, `app.route("/x")(f)`
  // with their headers missing: the callable goes to what a call with the
  // route returned. Down the callee to that call, through member calls.
  const Expr *E = C->getCallee()->IgnoreParenImpCasts();
  for (unsigned Depth = 0; E && Depth < 4; ++Depth) {
    // The call with the route: a call Clang built, or one it recovered
    // (`CROW_ROUTE(app, "/x")` once `app`'s type is known and the macro's
    // name still is not): its callee then its arguments.
    const Expr *InnerCallee = nullptr;
    llvm::SmallVector<const Expr *, 8> InnerArgs;
    bool Direct = false;
    if (const auto *Inner = dyn_cast<CallExpr>(E)) {
      InnerCallee = Inner->getCallee();
      InnerArgs.append(Inner->arg_begin(), Inner->arg_end());
      Direct = Inner->getDirectCallee();
    } else if (const auto *RE = dyn_cast<RecoveryExpr>(E);
               RE && !RE->subExpressions().empty() &&
               isa<UnresolvedLookupExpr>(
                   RE->subExpressions().front()->IgnoreParenImpCasts())) {
      InnerCallee = RE->subExpressions().front();
      InnerArgs.append(RE->subExpressions().begin() + 1, RE->subExpressions().end());
    }
    if (!InnerCallee) {
      if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(E))
        E = M->isImplicitAccess() ? nullptr : M->getBase()->IgnoreParenImpCasts();
      else if (const auto *M = dyn_cast<MemberExpr>(E))
        E = M->getBase()->IgnoreParenImpCasts();
      else
        E = nullptr;
      continue;
    }
    bool Route = llvm::any_of(InnerArgs, [](const Expr *A) {
      const auto *SL = dyn_cast<StringLiteral>(stripWrappers(A)->IgnoreParenImpCasts());
      return SL && SL->getCharByteWidth() == 1 && isRouteLike(SL->getString());
    });
    std::optional<Unresolved> U =
        Route && !Direct ? unresolvedCallee(InnerCallee) : std::nullopt;
    if (U) {
      InnerArgs.append(Args.begin(), Args.end());
      inferRegistration(C, U->Name, InnerArgs,
                        U->NameLoc.isValid() ? U->NameLoc : E->getBeginLoc());
      return;
    }
    E = InnerCallee->IgnoreParenImpCasts();
  }
}

std::string Builder::callableByName(const Expr *Arg, std::string &Shown,
                                    unsigned Depth) const {
  if (!Arg || Depth > 4)
    return "";
  const Expr *E = stripWrappers(Arg)->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    const Expr *Bound = boundCallable(Call->getCallee(), Call->arguments());
    return Bound ? callableByName(Bound, Shown, Depth + 1) : "";
  }
  const auto *RE = dyn_cast<RecoveryExpr>(E);
  if (RE && !RE->subExpressions().empty())
    if (const Expr *Bound = boundCallable(RE->subExpressions().front(),
                                          RE->subExpressions().drop_front()))
      return callableByName(Bound, Shown, Depth + 1);
  if (!(RE && RE->subExpressions().empty()) && !isa<DependentScopeDeclRefExpr>(E))
    return "";
  SourceLocation Begin = SM.getFileLoc(E->getBeginLoc());
  llvm::StringRef Text = Lexer::getSourceText(
      CharSourceRange::getTokenRange(Begin, SM.getFileLoc(E->getEndLoc())), SM,
      Ctx.getLangOpts());
  Text = withWrittenQualifier(SM, Begin, Text).trim().ltrim("&").trim();
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
    if (std::optional<Unresolved> U = unresolvedCallee(RE->subExpressions().front()))
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
  Out.Entries.push_back(
      {EntryPoint::Handler, Out.Functions[Index].Id, Name, R.How, At});
  noteBody(Body, Index);
  pushFunction(Index, nullptr);
  bool Result = TraverseStmt(Body);
  Stack.pop_back();
  return Result;
}

} // namespace stresslint::graph
