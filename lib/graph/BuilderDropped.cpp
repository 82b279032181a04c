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
    // Its arguments: none, or one more than the commas at its own depth.
    unsigned Commas = 0, Level = 0;
    size_t Close = I + 1;
    for (; Close < Toks.size(); ++Close) {
      if (Toks[Close].isOneOf(tok::l_paren, tok::l_brace, tok::l_square))
        ++Level;
      else if (Toks[Close].isOneOf(tok::r_paren, tok::r_brace, tok::r_square) &&
               --Level == 0)
        break;
      else if (Level == 1 && Toks[Close].is(tok::comma))
        ++Commas;
    }
    if (Close >= Toks.size())
      continue;
    unsigned Arity = Close == I + 2 ? 0 : Commas + 1;
    llvm::StringRef Name = Toks[I].getRawIdentifier();
    Event E;
    E.K = Event::Call;
    E.At = range(Toks[I].getLocation(), Toks[Close].getLocation());
    E.Callee = byNameCallee(Name, Arity, "");
    E.CalleeName = Name.str();
    E.Inferred = true;
    addEvent(std::move(E));
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
    const BodyRange *Loop = nullptr;
    for (const BodyRange &B : LoopBodies)
      if (B.Function == Best->Function && B.Begin <= Off && Off <= B.End &&
          (!Loop || B.End - B.Begin < Loop->End - Loop->Begin))
        Loop = &B;
    if (Loop)
      E.InLoop = Loop->Loop;
    Out.Functions[Best->Function].Events.push_back(std::move(E));
  }
}

} // namespace stresslint::graph
