//===--- BuilderDropped.cpp - SQL in code Clang dropped -------------------===//
#include "cpp/Names.h"
#include "graph/Builder.h"

#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

namespace stresslint::graph {

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
      queryMethodNamed(Ident(2), /*Prepares=*/true) && Toks[3].is(tok::l_paren)) {
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
  uint32_t From = SM.getFileOffset(After), To = SM.getFileOffset(SM.getFileLoc(Before));
  const DroppedSite *Best = nullptr;
  for (const DroppedSite &D : Dropped)
    if (D.Offset > From && D.Offset < To && (!Best || D.Offset > Best->Offset) &&
        D.Shape == Shape && D.Name == Name)
      Best = &D;
  return Best ? Best->S : nullptr;
}

/// The index of the `)` that closes the `(` at \p Open in \p Toks (or
/// Toks.size()), and in \p Args the number of arguments between: none, or
/// one more than the commas at its own depth.
static size_t closingParen(llvm::ArrayRef<Token> Toks, size_t Open, unsigned &Args) {
  unsigned Commas = 0, Level = 0;
  size_t Close = Open;
  for (; Close < Toks.size(); ++Close) {
    if (Toks[Close].isOneOf(tok::l_paren, tok::l_brace, tok::l_square))
      ++Level;
    else if (Toks[Close].isOneOf(tok::r_paren, tok::r_brace, tok::r_square) &&
             --Level == 0)
      break;
    else if (Level == 1 && Toks[Close].is(tok::comma))
      ++Commas;
  }
  Args = Close == Open + 1 ? 0 : Commas + 1;
  return Close;
}

void Builder::droppedInitializerCalls(const VarDecl *V) {
  if (!V->getLocation().isFileID() || !SM.isInMainFile(V->getLocation()))
    return;
  auto Written = writtenInitializer(V, SM, Ctx.getLangOpts());
  if (!Written)
    return;
  llvm::ArrayRef<Token> Toks = *Written;
  for (size_t I = 0; I + 1 < Toks.size(); ++I) {
    if (!Toks[I].is(tok::raw_identifier) || !Toks[I + 1].is(tok::l_paren) ||
        (I > 0 && Toks[I - 1].isOneOf(tok::period, tok::arrow, tok::coloncolon)))
      continue;
    unsigned Arity = 0;
    size_t Close = closingParen(Toks, I + 1, Arity);
    if (Close >= Toks.size())
      continue;
    llvm::StringRef Name = Toks[I].getRawIdentifier();
    noteCallName(Toks[I].getLocation());
    Event E;
    E.K = Event::Call;
    E.At = range(Toks[I].getLocation(), Toks[Close].getLocation());
    E.Callee = byNameCallee(Name, Arity, "");
    E.CalleeName = Name.str();
    E.Inferred = true;
    addEvent(std::move(E));
  }
}

const VarDecl *Builder::droppedCopySource(const VarDecl *V) const {
  if (Stack.empty() || !V->getLocation().isFileID())
    return nullptr;
  auto Written = writtenInitializer(V, SM, Ctx.getLangOpts());
  if (!Written || Written->empty())
    return nullptr;
  llvm::ArrayRef<Token> T = *Written;
  bool Bare = T.size() == 1;
  bool Viewed = T.size() == 5 && T[1].is(tok::period) && T[2].is(tok::raw_identifier) &&
                T[3].is(tok::l_paren) && T[4].is(tok::r_paren) &&
                Rules.hasMethodRole(MethodRole::TextView, "", T[2].getRawIdentifier());
  if (!T[0].is(tok::raw_identifier) || !(Bare || Viewed))
    return nullptr;
  auto It = Stack.back().Locals.find(T[0].getRawIdentifier());
  return It == Stack.back().Locals.end() ? nullptr : dyn_cast<VarDecl>(It->second);
}

void Builder::droppedBaseCalls(const FunctionDecl *FD, size_t Function) {
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  const Stmt *Body = FD->getBody();
  if (!M || !Body)
    return;
  const CXXRecordDecl *RD = M->getParent()->getDefinition();
  if (!RD)
    return;
  // The bases written but not in the class Clang built.
  std::vector<llvm::StringRef> Gone;
  for (const std::string &W : writtenBases(RD))
    if (llvm::none_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
          const CXXRecordDecl *BD = B.getType()->getAsCXXRecordDecl();
          return BD && BD->getIdentifier() && BD->getName() == W;
        }))
      Gone.push_back(W);
  SourceLocation Begin = SM.getFileLoc(Body->getBeginLoc()),
                 End = SM.getFileLoc(Body->getEndLoc());
  if (Gone.empty() || !SM.isInMainFile(Begin) || !SM.isInMainFile(End))
    return;
  std::vector<Token> Toks =
      mainFileTokens(SM.getFileOffset(Begin), SM.getFileOffset(End));
  for (size_t I = 0; I + 3 < Toks.size(); ++I) {
    if (!Toks[I].is(tok::raw_identifier) || !Toks[I + 1].is(tok::coloncolon) ||
        !Toks[I + 2].is(tok::raw_identifier) || !Toks[I + 3].is(tok::l_paren) ||
        !llvm::is_contained(Gone, Toks[I].getRawIdentifier()) ||
        (I > 0 && Toks[I - 1].isOneOf(tok::coloncolon, tok::period, tok::arrow)))
      continue;
    unsigned Arity = 0;
    size_t Close = closingParen(Toks, I + 3, Arity);
    if (Close >= Toks.size())
      continue;
    Unresolved U;
    U.Name = Toks[I + 2].getRawIdentifier().str();
    U.Scope = Toks[I].getRawIdentifier().str();
    U.Member = true;
    U.ScopeClass = RD;
    const Sink *K = sinkByName(U, Arity);
    if (!K || K->Prepares)
      continue;
    Event E;
    E.K = Event::Sink;
    E.At = range(Toks[I + 2].getLocation(), Toks[Close].getLocation());
    E.Statement = "unknown";
    E.Category = K->Function.text();
    E.InProcess = K->InProcess;
    E.InLoop = loopAt(Function, SM.getFileOffset(Toks[I + 2].getLocation()));
    Out.Functions[Function].Events.push_back(std::move(E));
  }
}

void Builder::noteRange(std::vector<BodyRange> &Into, const Stmt *Body, size_t Function,
                        int Loop) {
  if (!Body)
    return;
  SourceLocation B = SM.getFileLoc(Body->getBeginLoc());
  SourceLocation E = SM.getFileLoc(Body->getEndLoc());
  if (SM.isInMainFile(B) && SM.isInMainFile(E))
    Into.push_back({SM.getFileOffset(B), SM.getFileOffset(E), Function, Loop});
}

void Builder::attachDroppedSql(const SqlSites &Sites) {
  for (const SqlSite &S : Sites.Sites) {
    if (S.Anchor || S.FromSink || S.Sql.Pieces.empty() || Taken.count(&S))
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
    E.InLoop = loopAt(Best->Function, Off);
    Out.Functions[Best->Function].Events.push_back(std::move(E));
  }
}

std::vector<Token> Builder::mainFileTokens(uint32_t From, uint32_t To) const {
  llvm::StringRef Buf = SM.getBufferData(SM.getMainFileID());
  // The lexer reads up to the buffer's terminating NUL; stop at \p To.
  Lexer Lex(SM.getLocForStartOfFile(SM.getMainFileID()), Ctx.getLangOpts(), Buf.begin(),
            Buf.begin() + From, Buf.end());
  std::vector<Token> Toks;
  for (Token T; !Lex.LexFromRawLexer(T) && !T.is(tok::eof) &&
                SM.getFileOffset(T.getLocation()) <= To;)
    Toks.push_back(T);
  return Toks;
}

int Builder::loopAt(size_t Function, uint32_t Off) const {
  const BodyRange *Loop = nullptr;
  for (const BodyRange &B : LoopBodies)
    if (B.Function == Function && B.Begin <= Off && Off <= B.End &&
        (!Loop || B.End - B.Begin < Loop->End - Loop->Begin))
      Loop = &B;
  return Loop ? Loop->Loop : -1;
}

/// Does a name after token \p Before start a declaration (`QString
/// name(x)`, `QList<int> ids(n)`, `~T(`) rather than a call?
static bool declaresName(const Token &Before) {
  if (Before.isOneOf(tok::greater, tok::tilde))
    return true;
  if (!Before.is(tok::raw_identifier))
    return false;
  static constexpr llvm::StringLiteral Keywords[] = {
      "return", "co_return", "co_await", "co_yield", "throw",
      "case",   "else",      "do",       "delete"};
  return !llvm::is_contained(Keywords, Before.getRawIdentifier());
}

/// The scope a call of \p Name with \p Arity arguments reaches among the
/// declarations \p Decls Clang could not build: the one class or namespace
/// all those that take that many arguments are in (empty: the global
/// namespace), else the class \p Own (the caller's) when one of them is
/// its; nothing when none fits or the scopes differ.
static std::optional<std::string>
droppedCallScope(llvm::ArrayRef<const FunctionDecl *> Decls, unsigned Arity,
                 const CXXRecordDecl *Own) {
  std::set<std::string> Scopes;
  bool InOwn = false;
  for (const FunctionDecl *FD : Decls) {
    if (Arity < FD->getMinRequiredArguments() ||
        (!FD->isVariadic() && Arity > FD->getNumParams()))
      continue;
    const auto *Parent = dyn_cast<NamedDecl>(FD->getDeclContext()->getRedeclContext());
    const auto *RD = dyn_cast_or_null<CXXRecordDecl>(Parent);
    InOwn |= RD && Own && RD->getCanonicalDecl() == Own->getCanonicalDecl();
    Scopes.insert(Parent ? qualifiedName(Parent) : "");
  }
  if (Scopes.size() == 1)
    return *Scopes.begin();
  if (InOwn)
    return qualifiedName(Own);
  return std::nullopt;
}

void Builder::attachDroppedCalls() {
  if (InvalidFunctions.empty() || !Ctx.getDiagnostics().hasErrorOccurred())
    return;
  for (const BodyRange &Body : Bodies) {
    // The body's tokens; those of a nested body (a lambda's) are its own.
    std::vector<Token> Toks = mainFileTokens(Body.Begin, Body.End);
    const auto *Own = dyn_cast_or_null<CXXMethodDecl>(BodyOwners.lookup(Body.Function));
    for (size_t I = 0; I + 1 < Toks.size(); ++I) {
      if (!Toks[I].is(tok::raw_identifier) || !Toks[I + 1].is(tok::l_paren) ||
          (I > 0 && declaresName(Toks[I - 1])))
        continue;
      auto It = InvalidFunctions.find(Toks[I].getRawIdentifier());
      uint32_t Off = SM.getFileOffset(Toks[I].getLocation());
      if (It == InvalidFunctions.end() || CallNames.count(Off) ||
          llvm::any_of(Bodies, [&](const BodyRange &B) {
            return B.Begin <= Off && Off <= B.End &&
                   B.End - B.Begin < Body.End - Body.Begin;
          }))
        continue;
      // `x.size()` on an object of unknown class is most likely a library
      // member of that name (`library-methods:`), as for calls Clang left
      // unresolved; `this->name()` is the class's own.
      bool OnObject = I > 0 && Toks[I - 1].isOneOf(tok::period, tok::arrow) &&
                      !(I > 1 && Toks[I - 2].is(tok::raw_identifier) &&
                        Toks[I - 2].getRawIdentifier() == "this");
      if (OnObject && Rules.hasMethodRole(MethodRole::LibraryMethod, "", It->first()))
        continue;
      unsigned Arity = 0;
      size_t Close = closingParen(Toks, I + 1, Arity);
      if (Close >= Toks.size())
        continue;
      std::optional<std::string> Scope =
          droppedCallScope(It->second, Arity, Own ? Own->getParent() : nullptr);
      if (!Scope)
        continue;
      CallNames.insert(Off);
      Event E;
      E.K = Event::Call;
      E.At = range(Toks[I].getLocation(), Toks[Close].getLocation());
      E.Callee = byNameCallee(It->first(), Arity, *Scope);
      E.CalleeName =
          Scope->empty() ? It->first().str() : *Scope + "::" + It->first().str();
      E.Inferred = true;
      E.InLoop = loopAt(Body.Function, Off);
      Out.Functions[Body.Function].Events.push_back(std::move(E));
    }
  }
}

} // namespace stresslint::graph
