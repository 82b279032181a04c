//===--- BuilderDropped.cpp - SQL in code Clang dropped -------------------===//
///
/// \file
/// The call graph's reading of code Clang dropped (a file linted without its
/// headers): statements, initializers and calls read from their tokens, and
/// the SQL of the sites SqlSites found there attached to them. Past 500
/// lines on purpose: every reader resolves what it reads through the same
/// helpers at its top (closingParen, writtenArguments, methodsTaking,
/// droppedCallScope), which would otherwise become a header of their own.
///
//===----------------------------------------------------------------------===//
#include "cpp/Names.h"
#include "graph/Builder.h"
#include "graph/GivenStatements.h"

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
  Before = SM.getFileLoc(Before);
  if (Name.empty() || !inOneProjectFile(After, Before))
    return nullptr;
  uint32_t From = place(After), To = place(Before);
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

/// The arguments written between the parentheses at \p Open and \p Close.
static llvm::SmallVector<llvm::ArrayRef<Token>, 4>
writtenArguments(llvm::ArrayRef<Token> Toks, size_t Open, size_t Close) {
  llvm::SmallVector<llvm::ArrayRef<Token>, 4> Out;
  for (size_t A = Open + 1; A < Close;) {
    size_t End = A;
    for (unsigned Level = 0; End < Close; ++End) {
      if (Toks[End].isOneOf(tok::l_paren, tok::l_brace, tok::l_square))
        ++Level;
      else if (Toks[End].isOneOf(tok::r_paren, tok::r_brace, tok::r_square))
        --Level;
      else if (Level == 0 && Toks[End].is(tok::comma))
        break;
    }
    Out.push_back(Toks.slice(A, End - A));
    A = End + 1;
  }
  return Out;
}

/// The methods of \p RD and of its bases named \p Name that take \p Arity
/// arguments, into \p Out; \p Any is set when one of that name exists.
static void methodsTaking(const CXXRecordDecl *RD, llvm::StringRef Name, unsigned Arity,
                          bool &Any, llvm::SmallVectorImpl<const FunctionDecl *> &Out,
                          unsigned Depth = 0) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD || Depth > 8)
    return;
  for (const CXXMethodDecl *M : RD->methods())
    if (M->getIdentifier() && M->getName() == Name) {
      Any = true;
      if (!M->isInvalidDecl() && Arity >= M->getMinRequiredArguments() &&
          (M->isVariadic() || Arity <= M->getNumParams()))
        Out.push_back(M);
    }
  for (const CXXBaseSpecifier &B : RD->bases())
    methodsTaking(B.getType()->getAsCXXRecordDecl(), Name, Arity, Any, Out, Depth + 1);
}

void Builder::setCallee(Event &E, llvm::ArrayRef<const FunctionDecl *> Fits,
                        llvm::StringRef Name, unsigned Arity) const {
  const auto *Scope = dyn_cast<CXXRecordDecl>(Fits.front()->getDeclContext());
  E.Callee = Fits.size() == 1
                 ? functionId(Fits.front())
                 : byNameCallee(Name, Arity, Scope ? qualifiedName(Scope) : "");
  E.CalleeName = qualifiedName(Fits.front());
}

void Builder::droppedInitializerCalls(const VarDecl *V) {
  if (!inProjectFile(V->getLocation()))
    return;
  auto Written = writtenInitializer(V, SM, Ctx.getLangOpts());
  if (!Written)
    return;
  llvm::ArrayRef<Token> Toks = *Written;
  for (size_t I = 0; I + 1 < Toks.size(); ++I) {
    // `auto ids = DataManager::instance().findIds(names);`
    if (droppedAccessorCall(Toks, I))
      continue;
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
    E.SingleItemArgs = singleItemArguments(Toks, I + 1, Close);
    E.Callee = byNameCallee(Name, Arity, "");
    E.CalleeName = Name.str();
    // `SongList list = GetSongsById(QStringList() << s, db);` in a method:
    // the class's own method of that name, when it has one taking as many.
    const auto *Method =
        Stack.empty() ? nullptr : dyn_cast_or_null<CXXMethodDecl>(Stack.back().FD);
    bool Any = false;
    llvm::SmallVector<const FunctionDecl *, 2> Fits;
    methodsTaking(Method ? Method->getParent() : nullptr, Name, Arity, Any, Fits);
    if (!Fits.empty())
      setCallee(E, Fits, Name, Arity);
    E.Inferred = true;
    addEvent(std::move(E));
  }
  // `SongList old = backend_->GetSongsByUrl(QUrl::fromLocalFile(f));`: the
  // member calls on an object whose class is known, read as a statement
  // Clang dropped is (the plain calls above are taken already).
  if (!Toks.empty() && !Stack.empty()) {
    SourceLocation End =
        Lexer::getLocForEndOfToken(Toks.back().getLocation(), 0, SM, Ctx.getLangOpts());
    if (End.isValid() && inOneProjectFile(Toks.front().getLocation(), End))
      droppedCallsIn({{place(Toks.front().getLocation()), place(End)}});
  }
}

bool Builder::droppedGivenCopy(const VarDecl *V) const {
  if (Stack.empty() || !V->getLocation().isFileID())
    return false;
  auto Written = writtenInitializer(V, SM, Ctx.getLangOpts());
  if (!Written || Written->empty())
    return false;
  const FnState &S = Stack.back();
  llvm::ArrayRef<Token> T = *Written;
  auto Ident = [&](size_t K) {
    return K < T.size() && T[K].is(tok::raw_identifier) ? T[K].getRawIdentifier()
                                                        : llvm::StringRef();
  };
  for (unsigned Guard = 0; !T.empty() && Guard < 8; ++Guard) {
    // `.trimmed()` and other text views at the end: the same text.
    size_t N = T.size();
    if (N > 4 && T[N - 4].is(tok::period) && T[N - 2].is(tok::l_paren) &&
        T[N - 1].is(tok::r_paren) &&
        Rules.hasMethodRole(MethodRole::TextView, "", Ident(N - 3))) {
      T = T.drop_back(4);
      continue;
    }
    if (T.size() == 1 && !Ident(0).empty()) {
      const auto *From = dyn_cast_or_null<VarDecl>(S.Locals.lookup(Ident(0)));
      return From && S.Given.count(From);
    }
    unsigned Arity = 0;
    size_t Close =
        T.size() > 2 && T[1].is(tok::l_paren) ? closingParen(T, 1, Arity) : 0;
    // `cleanSql(sql)`: a function of the program, of the text alone.
    if (Close + 1 == T.size() && Arity == 1 && !Ident(0).empty()) {
      auto It = InvalidFunctions.find(Ident(0));
      if (It == InvalidFunctions.end() ||
          llvm::none_of(It->second, [](const FunctionDecl *F) {
            return F->getNumParams() == 1 && writesNoStatement(F);
          }))
        return false;
      T = T.slice(2, T.size() - 3);
      continue;
    }
    // `statements.at(i)`, `statements[i]`: an element of a list.
    bool Element =
        (T.size() > 4 && T[1].is(tok::period) && T[3].is(tok::l_paren) &&
         T.back().is(tok::r_paren) &&
         Rules.hasMethodRole(MethodRole::ElementRead, "", Ident(2))) ||
        (T.size() > 3 && T[1].is(tok::l_square) && T.back().is(tok::r_square));
    if (Element && !Ident(0).empty()) {
      const auto *List = dyn_cast_or_null<ValueDecl>(S.Locals.lookup(Ident(0)));
      return List && declHoldsGivenStatements(List, S.FD);
    }
    return false;
  }
  return false;
}

void Builder::droppedBaseCalls(const FunctionDecl *FD, size_t Function) {
  const auto *M = dyn_cast<CXXMethodDecl>(FD);
  const Stmt *Body = FD->getBody();
  if (!M || !Body)
    return;
  const CXXRecordDecl *RD = M->getParent()->getDefinition();
  if (!RD)
    return;
  // The bases written but not in the class Clang built, or built from the
  // stubs (cpp/RecoveredLoops.h).
  std::vector<llvm::StringRef> Gone;
  for (const std::string &W : writtenBases(RD))
    if (llvm::none_of(RD->bases(), [&](const CXXBaseSpecifier &B) {
          const CXXRecordDecl *BD = B.getType()->getAsCXXRecordDecl();
          return BD && BD->getIdentifier() && BD->getName() == W &&
                 !isStubClass(B.getType(), SM);
        }))
      Gone.push_back(W);
  SourceLocation Begin = SM.getFileLoc(Body->getBeginLoc()),
                 End = SM.getFileLoc(Body->getEndLoc());
  if (Gone.empty() || !inOneProjectFile(Begin, End))
    return;
  std::vector<Token> Toks = fileTokens(place(Begin), place(End));
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
    // A prepare that is its own round trip is left out, as before: which
    // statement it runs is not read here. A plain prepare runs nothing, but
    // says which text the function's later execution runs (graph/Link.cpp:
    // a query class that prepares its parameter and runs it).
    if (!K || (K->Prepares && K->PrepareRoundTrips))
      continue;
    noteCallName(Toks[I + 2].getLocation());
    Event E;
    E.K = Event::Sink;
    E.At = range(Toks[I + 2].getLocation(), Toks[Close].getLocation());
    E.Statement = K->Prepares ? "prepare" : "unknown";
    E.Category = K->Function.text();
    E.InProcess = K->InProcess;
    E.InLoop = loopAt(Function, place(Toks[I + 2].getLocation()));
    // `QSqlQuery::exec(query)`: the text of a parameter, or of an item of
    // a list of statements (noteSqlSource, for a call the AST holds).
    llvm::SmallVector<llvm::ArrayRef<Token>, 4> Written =
        writtenArguments(Toks, I + 3, Close);
    int SqlArg = K->SqlArg == Sink::NoSqlArg ? -1
                 : K->SqlArg >= 0            ? K->SqlArg
                                             : static_cast<int>(Arity) + K->SqlArg;
    if (SqlArg >= 0 && SqlArg < static_cast<int>(Written.size()))
      if (const VarDecl *V = droppedArgument(Function, Written[SqlArg])) {
        auto Given = GivenOf.find(Function);
        E.RunsGiven = Given != GivenOf.end() && Given->second.count(V);
        if (const auto *P = dyn_cast<ParmVarDecl>(V); P && P->getDeclContext() == FD)
          E.RunsParam = static_cast<int>(P->getFunctionScopeIndex());
      }
    Out.Functions[Function].Events.push_back(std::move(E));
  }
}

llvm::SmallVector<const DeclContext *, 4>
Builder::enclosingScopes(const FunctionDecl *FD) {
  llvm::SmallVector<const DeclContext *, 4> Out;
  for (const DeclContext *DC = FD ? FD->getDeclContext() : nullptr; DC;
       DC = DC->getParent())
    if (isa<NamespaceDecl>(DC))
      Out.push_back(DC);
  Out.push_back(Ctx.getTranslationUnitDecl());
  if (!AnonymousNamespaces) {
    AnonymousNamespaces.emplace();
    for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *NS = dyn_cast<NamespaceDecl>(D);
          NS && NS->isAnonymousNamespace() && !isLibraryCode(SM, NS->getLocation()))
        AnonymousNamespaces->push_back(NS);
  }
  Out.append(AnonymousNamespaces->begin(), AnonymousNamespaces->end());
  return Out;
}

/// The braces of the first lambda written as an argument between the
/// parentheses at \p Open and \p Close (`[&](const auto &a) { ... }`), or
/// {0, 0}.
static std::pair<size_t, size_t> lambdaArgumentBody(llvm::ArrayRef<Token> Toks,
                                                    size_t Open, size_t Close) {
  for (llvm::ArrayRef<Token> Arg : writtenArguments(Toks, Open, Close)) {
    if (Arg.empty() || !Arg.front().is(tok::l_square))
      continue;
    size_t Begin = static_cast<size_t>(Arg.data() - Toks.data());
    size_t End = Begin + Arg.size();
    // Past the captures and the parameters to the body's brace.
    size_t Brace = Begin;
    for (int Level = 0; Brace < End; ++Brace) {
      if (Level == 0 && Toks[Brace].is(tok::l_brace))
        break;
      if (Toks[Brace].isOneOf(tok::l_paren, tok::l_square))
        ++Level;
      else if (Toks[Brace].isOneOf(tok::r_paren, tok::r_square))
        --Level;
    }
    if (Brace < End && Toks[End - 1].is(tok::r_brace))
      return {Brace, End - 1};
  }
  return {0, 0};
}

size_t Builder::droppedAlgorithmLoop(llvm::ArrayRef<Token> Toks, size_t I,
                                     size_t Function) {
  // `std::remove_if(list.begin(), list.end(), [&](const auto &a) {...})`
  // over a list of an unknown type: the API YAML's per-element algorithm
  // runs the lambda once per element.
  if (I + 1 >= Toks.size() || !Toks[I].is(tok::raw_identifier) ||
      !Toks[I + 1].is(tok::l_paren) ||
      (I > 0 && Toks[I - 1].isOneOf(tok::period, tok::arrow)))
    return 0;
  std::string Name = Toks[I].getRawIdentifier().str();
  for (size_t Q = I;
       Q >= 2 && Toks[Q - 1].is(tok::coloncolon) && Toks[Q - 2].is(tok::raw_identifier);
       Q -= 2)
    Name.insert(0, (Toks[Q - 2].getRawIdentifier() + "::").str());
  if (!callRecognizer(Rules.perElement(), nullptr, {Name}))
    return 0;
  unsigned Arity = 0;
  size_t Close = closingParen(Toks, I + 1, Arity);
  if (Close >= Toks.size())
    return 0;
  auto [Begin, End] = lambdaArgumentBody(Toks, I + 1, Close);
  uint32_t From = place(Toks[Begin].getLocation());
  // A lambda Clang kept is a function of its own, its calls in its body;
  // one read already is a loop already.
  if (End <= Begin ||
      llvm::any_of(Bodies,
                   [&](const BodyRange &B) {
                     return B.Begin == From && B.Function != Function;
                   }) ||
      llvm::any_of(LoopBodies, [&](const BodyRange &B) {
        return B.Begin == From && B.Function == Function;
      }))
    return 0;
  FunctionSummary &F = Out.Functions[Function];
  LoopInfo L{range(Toks[I].getLocation(), Toks[I].getLocation()), Name, -1, ""};
  L.Parent = loopAt(Function, From);
  if (L.Parent < 0 && !Stack.empty() && Stack.back().Function == Function)
    L.Parent = currentLoop();
  F.Loops.push_back(std::move(L));
  BodyRange Body{From, place(Toks[End].getLocation()), Function,
                 static_cast<int>(F.Loops.size()) - 1};
  LoopBodies.push_back(Body);
  DroppedLoopBodies.push_back(Body);
  return Close;
}

void Builder::droppedLoops(llvm::ArrayRef<Token> Toks) {
  for (size_t I = 0; I + 1 < Toks.size(); ++I) {
    if (size_t After = droppedAlgorithmLoop(Toks, I, Stack.back().Function)) {
      I = After;
      continue;
    }
    // `_Sf (T x ; range) body`, re-spelled for the second parse and
    // dropped again: its body does not compile either.
    if (!Toks[I].is(tok::raw_identifier) ||
        Toks[I].getRawIdentifier() != RecoveredLoopMarker ||
        !Toks[I + 1].is(tok::l_paren))
      continue;
    unsigned Arity = 0;
    size_t Close = closingParen(Toks, I + 1, Arity);
    if (Close + 1 >= Toks.size())
      return;
    // The body: a block to its brace, or one statement to its `;`.
    size_t End = Close + 1;
    for (int Level = 0; End < Toks.size(); ++End) {
      if (Toks[End].isOneOf(tok::l_paren, tok::l_brace, tok::l_square))
        ++Level;
      else if (Toks[End].isOneOf(tok::r_paren, tok::r_brace, tok::r_square))
        --Level;
      if (Level == 0 && (Toks[End].is(tok::semi) || (Toks[End].is(tok::r_brace) &&
                                                     Toks[Close + 1].is(tok::l_brace))))
        break;
      if (Level < 0)
        break;
    }
    if (End >= Toks.size())
      return;
    uint32_t Begin = place(Toks[Close + 1].getLocation());
    uint32_t Last = place(Toks[End].getLocation());
    // A loop in a lambda the gap hands to a registration or a signal
    // (droppedLambdaSlots) is the lambda's.
    size_t Function = Stack.back().Function;
    bool InSlot = false;
    for (const BodyRange &B : GapSlots)
      if (B.Begin <= Begin && Begin <= B.End) {
        Function = B.Function;
        InSlot = true;
      }
    FunctionSummary &F = Out.Functions[Function];
    LoopInfo L{range(Toks[I].getLocation(), Toks[I].getLocation()), "range-for", -1,
               ""};
    L.Parent = loopAt(Function, Begin);
    if (L.Parent < 0 && !InSlot)
      L.Parent = currentLoop();
    F.Loops.push_back(std::move(L));
    BodyRange Body{Begin, Last, Function, static_cast<int>(F.Loops.size()) - 1};
    LoopBodies.push_back(Body);
    DroppedLoopBodies.push_back(Body);
    I = Close;
  }
}

void Builder::noteRange(std::vector<BodyRange> &Into, const Stmt *Body, size_t Function,
                        int Loop) {
  if (!Body)
    return;
  SourceLocation B = SM.getFileLoc(Body->getBeginLoc());
  SourceLocation E = SM.getFileLoc(Body->getEndLoc());
  if (inOneProjectFile(B, E))
    Into.push_back({place(B), place(E), Function, Loop});
}

void Builder::attachDroppedSql(const SqlSites &Sites) {
  for (const SqlSite &S : Sites.Sites) {
    if (S.Anchor || S.FromSink || S.Sql.Pieces.empty() || Taken.count(&S))
      continue;
    SourceLocation L = S.Sql.Pieces.front().RawLoc;
    if (!inProjectFile(L))
      continue;
    uint32_t Off = place(L);
    const BodyRange *Best = nullptr;
    for (const BodyRange &B : Bodies)
      if (B.Begin <= Off && Off <= B.End &&
          (!Best || B.End - B.Begin < Best->End - Best->Begin))
        Best = &B;
    if (!Best)
      continue;
    Event E = sinkEvent(S, L, SourceLocation());
    E.Inferred = true;
    size_t Function = Best->Function;
    // Handed to a dropped call (`q.exec(sql)`): it runs there.
    if (auto H = HandedTo.find(&S); H != HandedTo.end()) {
      E.At = H->second.At;
      Function = H->second.Function;
      Off = H->second.Place;
    }
    E.InLoop = loopAt(Function, Off);
    Out.Functions[Function].Events.push_back(std::move(E));
  }
}

std::vector<Token> Builder::fileTokens(uint32_t From, uint32_t To) const {
  auto [File, Offset] = SM.getDecomposedLoc(SourceLocation::getFromRawEncoding(From));
  llvm::StringRef Buf = SM.getBufferData(File);
  // The lexer reads up to the buffer's terminating NUL; stop at \p To.
  Lexer Lex(SM.getLocForStartOfFile(File), Ctx.getLangOpts(), Buf.begin(),
            Buf.begin() + Offset, Buf.end());
  std::vector<Token> Toks;
  for (Token T;
       !Lex.LexFromRawLexer(T) && !T.is(tok::eof) && place(T.getLocation()) <= To;)
    Toks.push_back(T);
  return Toks;
}

int Builder::droppedLoopAt(size_t Function, uint32_t Off) const {
  int Loop = -1;
  for (const BodyRange &B : DroppedLoopBodies)
    if (B.Function == Function && B.Begin <= Off && Off <= B.End)
      Loop = B.Loop;
  return Loop;
}

int Builder::loopAt(size_t Function, uint32_t Off) const {
  const BodyRange *Loop = nullptr;
  for (const BodyRange &B : LoopBodies)
    if (B.Function == Function && B.Begin <= Off && Off <= B.End &&
        (!Loop || B.End - B.Begin < Loop->End - Loop->Begin))
      Loop = &B;
  if (!Loop)
    return -1;
  // A block of the loop's that leaves it (`{ stepFailed(step); return; }`)
  // runs once.
  const BodyRange *Exit = nullptr;
  for (const BodyRange &B : ExitBlocks)
    if (B.Function == Function && B.Begin <= Off && Off <= B.End &&
        Loop->Begin <= B.Begin && B.End <= Loop->End &&
        (!Exit || B.End - B.Begin < Exit->End - Exit->Begin))
      Exit = &B;
  return Exit ? Exit->Loop : Loop->Loop;
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
      "case",   "else",      "do",       "delete",   "new"};
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

/// The class of \p RD, or of one of its bases, that declares one of
/// \p Decls taking \p Arity arguments.
static std::optional<std::string>
methodScope(llvm::ArrayRef<const FunctionDecl *> Decls, unsigned Arity,
            const CXXRecordDecl *RD, unsigned Depth = 0) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (!RD || Depth > 8)
    return std::nullopt;
  for (const FunctionDecl *FD : Decls)
    if (const auto *Parent = dyn_cast<CXXRecordDecl>(FD->getDeclContext());
        Parent && Parent->getCanonicalDecl() == RD->getCanonicalDecl() &&
        Arity >= FD->getMinRequiredArguments() &&
        (FD->isVariadic() || Arity <= FD->getNumParams()))
      return qualifiedName(RD);
  for (const CXXBaseSpecifier &B : RD->bases())
    if (auto S =
            methodScope(Decls, Arity, B.getType()->getAsCXXRecordDecl(), Depth + 1))
      return S;
  return std::nullopt;
}

/// The member of \p RD named \p Name, if it has one.
static const FieldDecl *fieldNamed(const CXXRecordDecl *RD, llvm::StringRef Name) {
  RD = RD ? RD->getDefinition() : nullptr;
  if (RD)
    for (const FieldDecl *F : RD->fields())
      if (F->getIdentifier() && F->getName() == Name)
        return F;
  return nullptr;
}

/// The class of the object \p D holds, or points to with \p Arrow.
static const CXXRecordDecl *classOfObject(const DeclaratorDecl *D, bool Arrow) {
  QualType T = D ? D->getType().getNonReferenceType() : QualType();
  if (!T.isNull() && Arrow)
    T = T->isPointerType() ? T->getPointeeType() : QualType();
  return T.isNull() ? nullptr : T->getAsCXXRecordDecl();
}

const DeclaratorDecl *Builder::objectDeclaration(size_t Function,
                                                 const Token &Object) const {
  if (!Object.is(tok::raw_identifier))
    return nullptr;
  const DeclaratorDecl *D = droppedArgument(Function, llvm::ArrayRef(Object));
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(BodyOwners.lookup(Function));
  if (!D && M)
    D = fieldNamed(M->getParent(), Object.getRawIdentifier());
  return D;
}

const CXXRecordDecl *Builder::objectClass(size_t Function, const Token &Object,
                                          bool Arrow) const {
  return classOfObject(objectDeclaration(Function, Object), Arrow);
}

void Builder::droppedStatementCalls(const CompoundStmt *S) {
  SourceLocation LB = S->getLBracLoc(), RB = S->getRBracLoc();
  if (!inOneProjectFile(LB, RB))
    return;
  FileID File = SM.getFileID(LB);
  // The gaps between the statements the block holds.
  std::vector<std::pair<uint32_t, uint32_t>> Gaps;
  uint32_t Cursor = place(LB) + 1;
  for (const Stmt *C : S->body()) {
    SourceLocation B = SM.getFileLoc(C->getBeginLoc());
    SourceLocation E = Lexer::getLocForEndOfToken(SM.getFileLoc(C->getEndLoc()), 0, SM,
                                                  Ctx.getLangOpts());
    if (B.isInvalid() || E.isInvalid() || !B.isFileID() || !E.isFileID() ||
        SM.getFileID(B) != File || SM.getFileID(E) != File)
      continue;
    if (place(B) > Cursor)
      Gaps.emplace_back(Cursor, place(B));
    Cursor = std::max(Cursor, place(E));
  }
  if (place(RB) > Cursor)
    Gaps.emplace_back(Cursor, place(RB));
  droppedCallsIn(Gaps);
}

void Builder::emptyRecoveryCalls(const RecoveryExpr *E) {
  SourceLocation B = E->getBeginLoc(), End = E->getEndLoc();
  if (!inOneProjectFile(B, End))
    return;
  End = Lexer::getLocForEndOfToken(End, 0, SM, Ctx.getLangOpts());
  if (End.isValid())
    droppedCallsIn({{place(B), place(End)}});
}

void Builder::droppedCallsIn(llvm::ArrayRef<std::pair<uint32_t, uint32_t>> Gaps) {
  FnState &F = Stack.back();
  const auto *Method = dyn_cast_or_null<CXXMethodDecl>(F.FD);
  const CXXRecordDecl *Own = Method ? Method->getParent() : nullptr;
  // What a name means here: a local or parameter declared before, else a
  // member of the method's class, else a variable of the translation unit
  // (`extern CSQLHelper m_sql;`).
  auto Named = [&](const Token &T) -> const DeclaratorDecl * {
    llvm::StringRef N = T.getRawIdentifier();
    if (const DeclaratorDecl *D = F.Locals.lookup(N);
        D && SM.isBeforeInTranslationUnit(D->getLocation(), T.getLocation()))
      return D;
    if (const FieldDecl *FD = fieldNamed(Own, N))
      return FD;
    for (const NamedDecl *D :
         Ctx.getTranslationUnitDecl()->lookup(DeclarationName(&Ctx.Idents.get(N))))
      if (const auto *V = dyn_cast<VarDecl>(D))
        return V;
    return nullptr;
  };
  for (auto [From, To] : Gaps) {
    std::vector<Token> Toks = fileTokens(From, To - 1);
    // Code a conditional directive left out is in a gap too: not read.
    if (llvm::any_of(Toks, [](const Token &T) { return T.is(tok::hash); }))
      continue;
    GapSlots = droppedLambdaSlots(Toks);
    droppedLoops(Toks);
    for (size_t I = 0; I + 1 < Toks.size(); ++I) {
      // `obj.name(` / `obj->name(`, or `name(` alone.
      if (droppedAccessorCall(Toks, I) ||
          (Toks[I].isOneOf(tok::raw_identifier, tok::r_paren) &&
           droppedBlockingCall(
               Toks, I, Toks[I].is(tok::raw_identifier) ? Named(Toks[I]) : nullptr)) ||
          droppedBlockingFree(Toks, I))
        continue;
      bool Member = I + 3 < Toks.size() && Toks[I].is(tok::raw_identifier) &&
                    Toks[I + 1].isOneOf(tok::period, tok::arrow) &&
                    Toks[I + 2].is(tok::raw_identifier) && Toks[I + 3].is(tok::l_paren);
      bool Plain = !Member && Toks[I].is(tok::raw_identifier) &&
                   Toks[I + 1].is(tok::l_paren) &&
                   !(I > 0 && declaresName(Toks[I - 1]));
      if ((!Member && !Plain) ||
          (I > 0 && Toks[I - 1].isOneOf(tok::period, tok::arrow, tok::coloncolon)) ||
          inStringizedArgument(Toks, I))
        continue;
      const Token &NameTok = Member ? Toks[I + 2] : Toks[I];
      size_t Open = Member ? I + 3 : I + 1;
      uint32_t Off = place(NameTok.getLocation());
      unsigned Arity = 0;
      size_t Close = closingParen(Toks, Open, Arity);
      // A statement handed as text is a site of its own, which the dropped
      // literals give (attachDroppedSql); other text (`tables["name"]`)
      // is an argument like any.
      if (CallNames.count(Off) || Close >= Toks.size() ||
          std::any_of(Toks.begin() + Open, Toks.begin() + Close, [&](const Token &A) {
            return tok::isStringLiteral(A.getKind()) &&
                   DroppedSqlPlaces.count(place(A.getLocation()));
          }))
        continue;
      llvm::StringRef Name = NameTok.getRawIdentifier();
      const DeclaratorDecl *Obj = nullptr;
      const CXXRecordDecl *RD = Own;
      if (Member) {
        Obj = Named(Toks[I]);
        RD = classOfObject(Obj, Toks[I + 1].is(tok::arrow));
        if (!RD)
          continue;
      }
      bool Any = false;
      llvm::SmallVector<const FunctionDecl *, 2> Fits;
      methodsTaking(RD, Name, Arity, Any, Fits);
      bool Free = Plain && Fits.empty() && !Any;
      // `m_entries[id] = new Entry(id);` where Clang dropped the statement:
      // the class's constructors that take as many arguments, or those the
      // run defines when Clang dropped their declarations too.
      const CXXRecordDecl *Constructed = nullptr;
      bool AfterNew = I > 0 && Toks[I - 1].is(tok::raw_identifier) &&
                      Toks[I - 1].getRawIdentifier() == "new";
      if (Free) {
        for (const DeclContext *Scope : enclosingScopes(F.FD)) {
          for (const NamedDecl *D :
               Scope->lookup(DeclarationName(&Ctx.Idents.get(Name)))) {
            const auto *FD = dyn_cast<FunctionDecl>(D);
            if (FD && !FD->isInvalidDecl() && Arity >= FD->getMinRequiredArguments() &&
                (FD->isVariadic() || Arity <= FD->getNumParams()) &&
                !llvm::is_contained(Fits, FD)) {
              Fits.push_back(FD);
              continue;
            }
            const auto *RD = dyn_cast<CXXRecordDecl>(D);
            if (!RD || Constructed || !AfterNew || !RD->hasDefinition())
              continue;
            Constructed = RD->getDefinition();
            for (const CXXConstructorDecl *C : Constructed->ctors())
              if (!C->isInvalidDecl() && !C->isImplicit() &&
                  Arity >= C->getMinRequiredArguments() &&
                  (C->isVariadic() || Arity <= C->getNumParams()))
                Fits.push_back(C);
          }
        }
      }
      const Prepared *P = Obj ? preparedOrDropped(Obj, Toks[I].getLocation()) : nullptr;
      Event E;
      E.At = range(NameTok.getLocation(), Toks[Close].getLocation());
      E.Inferred = true;
      E.SingleItemArgs = singleItemArguments(Toks, Open, Close);
      // In a loop Clang dropped with its body, once per item.
      E.InLoop = droppedLoopAt(F.Function, Off);
      E.PerItemObject =
          Obj && declaredInLoop(Obj, E.InLoop >= 0 ? E.InLoop : currentLoop());
      if (!Fits.empty()) {
        // A function of the program's (a query class's `exec()`) or of a
        // library the TU declares: a call, running what obj prepared. Of
        // overloads that all take as many arguments, any may be meant.
        E.K = Event::Call;
        setCallee(E, Fits, Name, Arity);
        if (P) {
          E.Statement = P->Statement;
          E.Text = P->Text;
          E.Origin = P->At;
          E.RunsGiven = P->RunsGiven;
        }
      } else if (Constructed && !isLibraryCode(SM, Constructed->getLocation())) {
        E.K = Event::Call;
        E.Callee = byNameCallee(Name, Arity, qualifiedName(Constructed));
        E.CalleeName = qualifiedName(Constructed) + "::" + Name.str();
      } else if (Member && !Any && (P || isa_and_nonnull<ParmVarDecl>(Obj))) {
        // A class whose header is missing (an empty stub): the sink the
        // API YAML declares by its name, running what obj prepared, or
        // what the caller prepared on the object it hands over
        // (`writeTag(tag, query)` runs `query.exec()`).
        Unresolved U;
        U.Name = Name.str();
        U.Scope = qualifiedName(RD);
        U.Member = true;
        U.ObjectName = Toks[I].getRawIdentifier().str();
        U.Object = Obj;
        U.ScopeClass = RD;
        // Of a project's query class (its header missing too), the method
        // named like a query class's execution runs what obj prepared, as
        // unresolvedSink reads it where Clang kept the call.
        const Sink *K = sinkByName(U, Arity);
        bool RunsPrepared = !K && P && Arity == 0 && queryMethodNamed(Name, false);
        if ((!K && !RunsPrepared) || (K && K->Prepares))
          continue;
        E.K = Event::Sink;
        E.Statement = "unknown";
        if (P) {
          E.Statement = P->Statement;
          E.Text = P->Text;
          E.Facts = P->Facts;
          E.Origin = P->At;
          E.RunsParam = P->RunsParam;
          E.RunsGiven = P->RunsGiven;
        }
        E.Category = U.shown();
        E.InProcess = K && K->InProcess;
      } else {
        continue;
      }
      CallNames.insert(Off);
      addGapEvent(std::move(E), Off);
    }
  }
  GapSlots.clear();
}

bool Builder::droppedBlockingCall(llvm::ArrayRef<Token> Toks, size_t I,
                                  const DeclaratorDecl *Object) {
  if (I + 3 >= Toks.size() || !Toks[I + 2].is(tok::raw_identifier) ||
      !Toks[I + 3].is(tok::l_paren) ||
      (I > 0 && Toks[I - 1].isOneOf(tok::period, tok::arrow, tok::coloncolon)))
    return false;
  std::string Class;
  if (Toks[I + 1].is(tok::coloncolon) && Toks[I].is(tok::raw_identifier))
    Class = Toks[I].getRawIdentifier().str();
  else if (Toks[I + 1].isOneOf(tok::period, tok::arrow))
    // `db()->execSqlSync(...)`, an object of a type no header gave: only
    // an entry that names no class (`re:(.*::)?execSqlSync`) applies.
    Class = Object ? writtenOrReturnedClass(Object) : "";
  else
    return false;
  if (Class.empty())
    Class = "<unknown>";
  std::string Name = Class + "::" + Toks[I + 2].getRawIdentifier().str();
  const Recognizer *R = blockingNamed(Name);
  uint32_t Off = place(Toks[I + 2].getLocation());
  unsigned Arity = 0;
  size_t Close = closingParen(Toks, I + 3, Arity);
  if (!R || CallNames.count(Off) || Close >= Toks.size())
    return false;
  // At the method of an object (`file.open`), at the class of a static.
  Event E = blockingEvent(
      *R,
      range(Toks[Toks[I + 1].is(tok::coloncolon) ? I : I + 2].getLocation(),
            Toks[Close].getLocation()),
      byNameCallee(Toks[I + 2].getRawIdentifier(), Arity,
                   Class == "<unknown>" ? "" : Class),
      Class == "<unknown>" ? Toks[I + 2].getRawIdentifier().str() : Name);
  E.InLoop = droppedLoopAt(Stack.back().Function, Off);
  CallNames.insert(Off);
  addGapEvent(std::move(E), Off);
  return true;
}

const Recognizer *Builder::blockingNamed(llvm::StringRef Name) const {
  for (const Recognizer &B : Rules.blocking())
    if (matchesAny(B.Function, {Name.str()}))
      return &B;
  return nullptr;
}

const NamedDecl *Builder::lookupWritten(llvm::StringRef Qualified) const {
  const DeclContext *DC = Ctx.getTranslationUnitDecl();
  const NamedDecl *Found = nullptr;
  for (llvm::StringRef Part : llvm::split(Qualified, "::")) {
    if (!DC || Part.empty())
      return nullptr;
    auto R = DC->lookup(DeclarationName(&Ctx.Idents.get(Part)));
    Found = R.empty() ? nullptr : R.front();
    DC = dyn_cast_or_null<DeclContext>(Found);
  }
  return Found;
}

bool Builder::droppedBackOff(llvm::ArrayRef<Token> Toks, size_t I) const {
  // As for a kept statement (backingOff), by the names of the counter or
  // label around it: `if (attempt > 0) sleep(1);`, `while (retries--)`.
  return std::any_of(Toks.begin(), Toks.begin() + I, [](const Token &T) {
    return T.is(tok::raw_identifier) && isRetryName(T.getRawIdentifier());
  });
}

bool Builder::droppedBlockingFree(llvm::ArrayRef<Token> Toks, size_t I) {
  if (!Toks[I].is(tok::raw_identifier) ||
      (I > 0 && Toks[I - 1].isOneOf(tok::period, tok::arrow, tok::coloncolon)))
    return false;
  // The name as written, `usleep`, `std::this_thread::sleep_for`,
  // `std::ofstream`.
  std::string Written = Toks[I].getRawIdentifier().str();
  size_t Last = I;
  while (Last + 2 < Toks.size() && Toks[Last + 1].is(tok::coloncolon) &&
         Toks[Last + 2].is(tok::raw_identifier)) {
    Last += 2;
    Written += "::" + Toks[Last].getRawIdentifier().str();
  }
  if (Last + 1 >= Toks.size())
    return false;
  size_t Open = Last + 1, NameTok = Last;
  std::string Name = Written;
  bool Declares = Toks[Last + 1].is(tok::raw_identifier) && Last + 2 < Toks.size() &&
                  Toks[Last + 2].isOneOf(tok::l_paren, tok::l_brace);
  if (Declares) {
    // `std::ofstream out(path);`: the constructor of the class the written
    // type names in this translation unit (a typedef of basic_ofstream).
    const NamedDecl *Found = lookupWritten(Written);
    const CXXRecordDecl *RD = nullptr;
    if (const auto *TD = dyn_cast_or_null<TypedefNameDecl>(Found))
      RD = TD->getUnderlyingType()->getAsCXXRecordDecl();
    else
      RD = dyn_cast_or_null<CXXRecordDecl>(Found);
    if (!RD || !RD->getIdentifier())
      return false;
    Name = qualifiedName(RD) + "::" + RD->getName().str();
    Open = Last + 2;
    NameTok = Last + 1;
  } else if (!Toks[Last + 1].is(tok::l_paren) || (I > 0 && declaresName(Toks[I - 1]))) {
    return false;
  }
  const Recognizer *R = blockingNamed(Name);
  if (!R)
    return false;
  unsigned Arity = 0;
  size_t Close = closingParen(Toks, Open, Arity);
  uint32_t Off = place(Toks[NameTok].getLocation());
  // A stream made without a file opens nothing (`std::ifstream in{}`).
  if (Close >= Toks.size() || CallNames.count(Off) || (Declares && Arity == 0))
    return false;
  if (R->Polls && !Declares && droppedBackOff(Toks, I))
    return false;
  Event E = blockingEvent(*R, range(Toks[I].getLocation(), Toks[Close].getLocation()),
                          byNameCallee(Toks[Last].getRawIdentifier(), Arity, ""),
                          Declares ? Written : Name);
  E.InLoop = droppedLoopAt(Stack.back().Function, Off);
  CallNames.insert(Off);
  addGapEvent(std::move(E), Off);
  return true;
}

std::vector<Builder::BodyRange>
Builder::droppedLambdaSlots(llvm::ArrayRef<Token> Toks) {
  std::vector<BodyRange> Slots;
  const Inference &Infer = Rules.inference();
  for (size_t I = 0; I + 1 < Toks.size(); ++I) {
    if (!Toks[I].is(tok::raw_identifier) || !Toks[I + 1].is(tok::l_paren))
      continue;
    llvm::StringRef CallName = Toks[I].getRawIdentifier();
    bool Connect = Rules.hasMethodRoleNamed(MethodRole::SignalConnect, CallName);
    if (!Connect && !(Infer.Routes && !(Infer.NotRegistration &&
                                        Infer.NotRegistration->matches(CallName))))
      continue;
    unsigned Arity = 0;
    size_t Close = closingParen(Toks, I + 1, Arity);
    if (Close >= Toks.size())
      continue;
    if (!Connect) {
      // `drogon::app().registerHandler("/orders/totals", [](...) {...})`
      // dropped whole (its namespace unknown): the lambda after the route
      // is a request handler, inferred as from a call Clang kept.
      droppedRouteLambda(Toks, I, Close, Slots);
      continue;
    }
    // `connect(sender, &Library::entryRemoved, this, [this]() { ... })`:
    // the signal by its name, then a lambda.
    std::string Signal;
    for (llvm::ArrayRef<Token> A : writtenArguments(Toks, I + 1, Close)) {
      if (A.empty())
        continue;
      if (Signal.empty()) {
        Signal = memberPointerName(
            writtenText(SourceRange(A.front().getLocation(), A.back().getLocation())));
        continue;
      }
      if (!A.front().is(tok::l_square) || !A.back().is(tok::r_brace))
        continue;
      std::optional<BodyRange> Body = droppedLambda(A);
      if (!Body)
        break;
      std::pair<std::string, std::string> Store{"signal:" + Signal,
                                                Out.Functions[Body->Function].Id};
      if (!llvm::is_contained(Out.FieldStores, Store))
        Out.FieldStores.push_back(std::move(Store));
      Slots.push_back(*Body);
      break;
    }
  }
  return Slots;
}

void Builder::droppedRouteLambda(llvm::ArrayRef<Token> Toks, size_t Name, size_t Close,
                                 std::vector<BodyRange> &Slots) {
  bool Route = false;
  llvm::SmallVector<llvm::ArrayRef<Token>, 6> Args =
      writtenArguments(Toks, Name + 1, Close);
  for (llvm::ArrayRef<Token> A : Args)
    if (A.size() == 1 && A.front().is(tok::string_literal)) {
      llvm::StringRef Text(A.front().getLiteralData(), A.front().getLength());
      Route |= Text.size() >= 2 && isRouteLike(Text.drop_front().drop_back());
    }
  if (!Route)
    return;
  std::string How =
      ("inferred: route registration '" + Toks[Name].getRawIdentifier() + "'").str();
  SrcRange Registered = range(Toks[Name].getLocation(), Toks[Close].getLocation());
  for (llvm::ArrayRef<Token> A : Args) {
    // `registerMethod(&TodoCtrl::get, "/api/todo/{1}", {Get}, false, ...)`:
    // a method by its written name, resolved as a call by name would be.
    if (A.size() >= 2 && A.size() % 2 == 0 && A.front().is(tok::amp)) {
      bool Qualified = true;
      for (size_t K = 1; K < A.size(); ++K)
        Qualified &=
            K % 2 == 1 ? A[K].is(tok::raw_identifier) : A[K].is(tok::coloncolon);
      if (!Qualified)
        continue;
      std::string Scope;
      for (size_t K = 1; K + 1 < A.size(); K += 2)
        Scope += (Scope.empty() ? "" : "::") + A[K].getRawIdentifier().str();
      llvm::StringRef Method = A.back().getRawIdentifier();
      std::string Shown = Scope.empty() ? Method.str() : (Scope + "::" + Method).str();
      Out.Entries.push_back({EntryPoint::Handler,
                             byNameCallee(Method, ByNameCallee::AnyArity, Scope),
                             std::move(Shown), How, Registered});
      return;
    }
    if (A.empty() || !A.front().is(tok::l_square) || !A.back().is(tok::r_brace))
      continue;
    if (std::optional<BodyRange> Body = droppedLambda(A)) {
      const FunctionSummary &F = Out.Functions[Body->Function];
      Out.Entries.push_back({EntryPoint::Handler, F.Id, F.Name, How, Registered});
      Slots.push_back(*Body);
    }
    return;
  }
}

std::optional<Builder::BodyRange> Builder::droppedLambda(llvm::ArrayRef<Token> A) {
  size_t Brace = 0;
  while (Brace < A.size() && !A[Brace].is(tok::l_brace))
    ++Brace;
  if (Brace + 1 >= A.size())
    return std::nullopt;
  SrcRange At = range(A.front().getLocation(), A.front().getLocation());
  FunctionSummary F;
  F.Id = "lambda:" + At.File + ":" + std::to_string(At.Begin);
  F.Name = lambdaName();
  F.Def = At;
  Out.Functions.push_back(std::move(F));
  BodyRange Body{place(A[Brace].getLocation()), place(A.back().getLocation()),
                 Out.Functions.size() - 1};
  Bodies.push_back(Body);
  return Body;
}

void Builder::addGapEvent(Event E, uint32_t Off) {
  // In the body of a lambda connected to a signal (droppedLambdaSlots): the
  // lambda's, run when the signal is emitted, not here.
  for (const BodyRange &B : GapSlots)
    if (B.Begin <= Off && Off <= B.End) {
      E.InLoop = droppedLoopAt(B.Function, Off);
      Out.Functions[B.Function].Events.push_back(std::move(E));
      return;
    }
  addEvent(std::move(E));
}

std::vector<int> Builder::singleItemArguments(llvm::ArrayRef<Token> Toks, size_t Open,
                                              size_t Close) const {
  std::vector<int> Out;
  llvm::SmallVector<llvm::ArrayRef<Token>, 4> Args =
      writtenArguments(Toks, Open, Close);
  for (size_t A = 0; A < Args.size(); ++A)
    if (!Args[A].empty() &&
        writesOneElementList(writtenText(
            SourceRange(Args[A].front().getLocation(), Args[A].back().getLocation()))))
      Out.push_back(static_cast<int>(A));
  return Out;
}

bool Builder::droppedAccessorCall(llvm::ArrayRef<Token> Toks, size_t I) {
  // `Sync::instance().storeAction(id)` where Clang dropped the statement: a
  // method of what the class's accessor returns, the class itself for a
  // singleton's (`instance()`, `self()`) when the accessor is unknown.
  if (!(I + 7 < Toks.size() && Toks[I].is(tok::raw_identifier) &&
        Toks[I + 1].is(tok::coloncolon) && Toks[I + 2].is(tok::raw_identifier) &&
        Toks[I + 3].is(tok::l_paren) && Toks[I + 4].is(tok::r_paren) &&
        Toks[I + 5].isOneOf(tok::period, tok::arrow) &&
        Toks[I + 6].is(tok::raw_identifier) && Toks[I + 7].is(tok::l_paren)) ||
      (I > 0 && Toks[I - 1].isOneOf(tok::period, tok::arrow, tok::coloncolon)))
    return false;
  const CXXRecordDecl *Class = nullptr;
  for (const NamedDecl *D : Ctx.getTranslationUnitDecl()->lookup(
           DeclarationName(&Ctx.Idents.get(Toks[I].getRawIdentifier()))))
    if (const auto *RD = dyn_cast<CXXRecordDecl>(D); RD && RD->hasDefinition())
      Class = RD->getDefinition();
  if (!Class || isLibraryCode(SM, Class->getLocation()))
    return false;
  llvm::StringRef Accessor = Toks[I + 2].getRawIdentifier();
  const CXXRecordDecl *Returned = nullptr;
  for (const CXXMethodDecl *M : Class->methods())
    if (M->getIdentifier() && M->getName() == Accessor && M->isStatic()) {
      QualType T = M->getReturnType().getNonReferenceType();
      Returned =
          T->isPointerType() ? T->getPointeeCXXRecordDecl() : T->getAsCXXRecordDecl();
    }
  if (!Returned && (Accessor.contains_insensitive("instance") || Accessor == "self"))
    Returned = Class;
  if (!Returned || !Returned->hasDefinition())
    return false;
  Returned = Returned->getDefinition();
  const Token &NameTok = Toks[I + 6];
  uint32_t Off = place(NameTok.getLocation());
  unsigned Arity = 0;
  size_t Close = closingParen(Toks, I + 7, Arity);
  if (CallNames.count(Off) || Close >= Toks.size())
    return false;
  llvm::StringRef Name = NameTok.getRawIdentifier();
  bool Any = false;
  llvm::SmallVector<const FunctionDecl *, 2> Fits;
  methodsTaking(Returned, Name, Arity, Any, Fits);
  Event E;
  E.K = Event::Call;
  E.At = range(NameTok.getLocation(), Toks[Close].getLocation());
  E.Inferred = true;
  E.InLoop = droppedLoopAt(Stack.back().Function, Off);
  E.SingleItemArgs = singleItemArguments(Toks, I + 7, Close);
  if (!Fits.empty()) {
    setCallee(E, Fits, Name, Arity);
  } else {
    // Its declaration dropped too: the run's methods of that name there.
    E.Callee = byNameCallee(Name, Arity, qualifiedName(Returned));
    E.CalleeName = qualifiedName(Returned) + "::" + Name.str();
  }
  CallNames.insert(Off);
  addGapEvent(std::move(E), Off);
  return true;
}

/// Does a macro definition make text of its arguments (`"2" #__VA_ARGS__`,
/// a `#` that is no `##`)?
static bool stringizes(llvm::StringRef Definition) {
  for (size_t I = 0; I < Definition.size(); ++I)
    if (Definition[I] == '#') {
      if (I + 1 < Definition.size() && Definition[I + 1] == '#') {
        ++I;
        continue;
      }
      return true;
    }
  return false;
}

bool Builder::inStringizedArgument(llvm::ArrayRef<Token> Toks, size_t I) const {
  int Depth = 0;
  for (size_t J = I; J-- > 0;) {
    if (Toks[J].isOneOf(tok::semi, tok::l_brace, tok::r_brace))
      return false;
    if (Toks[J].is(tok::r_paren)) {
      ++Depth;
    } else if (Toks[J].is(tok::l_paren)) {
      if (Depth > 0) {
        --Depth;
        continue;
      }
      if (J > 0 && Toks[J - 1].is(tok::raw_identifier))
        if (const MacroDefinition *M = Rules.macro(Toks[J - 1].getRawIdentifier());
            M && M->Arguments && stringizes(M->Definition))
          return true;
    }
  }
  return false;
}

const VarDecl *Builder::droppedArgument(size_t Function,
                                        llvm::ArrayRef<Token> Arg) const {
  if (Arg.size() != 1 || !Arg[0].is(tok::raw_identifier))
    return nullptr;
  return localNamedBefore(BodyOwners.lookup(Function), Arg[0].getRawIdentifier(),
                          Arg[0].getLocation(), SM);
}

void Builder::attachDroppedCalls() {
  if (InvalidFunctions.empty() || !Ctx.getDiagnostics().hasErrorOccurred())
    return;
  for (const BodyRange &Body : Bodies) {
    // The body's tokens; those of a nested body (a lambda's) are its own.
    std::vector<Token> Toks = fileTokens(Body.Begin, Body.End);
    const auto *Own = dyn_cast_or_null<CXXMethodDecl>(BodyOwners.lookup(Body.Function));
    for (size_t I = 0; I + 1 < Toks.size(); ++I)
      droppedAlgorithmLoop(Toks, I, Body.Function);
    for (size_t I = 0; I + 1 < Toks.size(); ++I) {
      if (!Toks[I].is(tok::raw_identifier) || !Toks[I + 1].is(tok::l_paren) ||
          (I > 0 && declaresName(Toks[I - 1])) || inStringizedArgument(Toks, I))
        continue;
      auto It = InvalidFunctions.find(Toks[I].getRawIdentifier());
      uint32_t Off = place(Toks[I].getLocation());
      if (It == InvalidFunctions.end() || CallNames.count(Off) ||
          llvm::any_of(Bodies, [&](const BodyRange &B) {
            return B.Begin <= Off && Off <= B.End &&
                   B.End - B.Begin < Body.End - Body.Begin;
          }))
        continue;
      // `QSqlQuery::prepare(sql)` in a class whose base Clang dropped: the
      // base's method (droppedBaseCalls), not the class's own.
      if (I > 1 && Toks[I - 1].is(tok::coloncolon) &&
          Toks[I - 2].is(tok::raw_identifier) && Own &&
          llvm::is_contained(writtenBases(Own->getParent()),
                             Toks[I - 2].getRawIdentifier()))
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
      // `m_registry->getAlbum(name, artist)`: the object's class, when the
      // TU knows it, is the scope; else the declarations tell.
      const CXXRecordDecl *ObjectClass =
          OnObject && I > 1
              ? objectClass(Body.Function, Toks[I - 2], Toks[I - 1].is(tok::arrow))
              : nullptr;
      std::optional<std::string> Scope;
      if (ObjectClass) {
        Scope = methodScope(It->second, Arity, ObjectClass);
      } else if (OnObject) {
        // `countingDb->exec(sql)` on a member whose class Clang could not
        // make (its header is missing): the class its declaration names,
        // not the method's own (`QueryExecutor::exec`) nor a guess.
        const DeclaratorDecl *D =
            I > 1 ? objectDeclaration(Body.Function, Toks[I - 2]) : nullptr;
        std::string Written = D ? declaredClass(D) : "";
        if (!Written.empty())
          Scope = Written;
        else if (!D)
          Scope = droppedCallScope(It->second, Arity, nullptr);
      } else {
        Scope = droppedCallScope(It->second, Arity, Own ? Own->getParent() : nullptr);
      }
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
      // An argument that names an item of a list of statements, or a text
      // parameter handed on (BuilderCalls.cpp's addCallEvent).
      const FunctionDecl *Owner = BodyOwners.lookup(Body.Function);
      auto Given = GivenOf.find(Body.Function);
      llvm::SmallVector<llvm::ArrayRef<Token>, 4> Written =
          writtenArguments(Toks, I + 1, Close);
      for (size_t A = 0; A < Written.size(); ++A) {
        // The statement written in the argument runs there, not where it
        // is written: one site, whose callee's body says what runs it.
        for (const Token &T : Written[A])
          if (tok::isStringLiteral(T.getKind()))
            if (const SqlSite *Handed =
                    DroppedSqlPlaces.lookup(place(T.getLocation()))) {
              HandedTo.try_emplace(Handed, Handing{E.At, Body.Function, Off});
              break;
            }
        if (const VarDecl *V = droppedArgument(Body.Function, Written[A])) {
          // `q.exec(sql)` where Clang dropped `QString sql = "..."`: the
          // statement is handed to the call, not run where it is written.
          if (const SqlSite *Handed = droppedFor('v', V->getName(), V->getLocation(),
                                                 Toks[I].getLocation()))
            HandedTo.try_emplace(Handed, Handing{E.At, Body.Function, Off});
          if (E.GivenArg < 0 && Given != GivenOf.end() && Given->second.count(V))
            E.GivenArg = static_cast<int>(A);
          if (const auto *P = dyn_cast<ParmVarDecl>(V);
              P && P->getDeclContext() == Owner)
            E.Passes.emplace_back(static_cast<int>(A),
                                  static_cast<int>(P->getFunctionScopeIndex()));
        }
      }
      Out.Functions[Body.Function].Events.push_back(std::move(E));
    }
  }
}

} // namespace stresslint::graph
