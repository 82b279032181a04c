//===--- ReconstructedSql.cpp - Rebuilt SQL text and its source positions -===//
#include "cpp/Reconstruct.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/LiteralSupport.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace stresslint {

/// A UTF-16, UTF-32 or wide string token whose content is ASCII with no
/// escapes (SQL nearly always is) appended to \p Out byte for byte.
static bool appendWideRawLiteral(const Token &Tok, const ASTContext &Ctx,
                                 ReconstructedSql &Out) {
  bool Invalid = false;
  std::string Spelling =
      Lexer::getSpelling(Tok, Ctx.getSourceManager(), Ctx.getLangOpts(), &Invalid);
  size_t Open = Spelling.find('"'), Close = Spelling.rfind('"');
  if (Invalid || Open == std::string::npos || Close <= Open ||
      (Open > 0 && Spelling[Open - 1] == 'R'))
    return false;
  llvm::StringRef Content = llvm::StringRef(Spelling).slice(Open + 1, Close);
  if (llvm::any_of(Content, [](char C) {
        return C == '\\' || static_cast<unsigned char>(C) >= 0x80;
      }))
    return false;
  SqlPiece P;
  P.Begin = static_cast<uint32_t>(Out.Text.size());
  P.Length = static_cast<uint32_t>(Content.size());
  P.RawLoc = Tok.getLocation();
  Out.Text += Content;
  for (unsigned B = 0; B < Content.size(); ++B)
    P.RawOffsets.push_back(static_cast<uint32_t>(Open + 1 + B));
  if (P.Length) {
    Out.Pieces.push_back(std::move(P));
    Out.HasLiteral = true;
  }
  return true;
}

size_t closingBracket(llvm::ArrayRef<Token> Toks, size_t Open,
                      llvm::SmallVectorImpl<size_t> *Commas) {
  int Nesting = 0;
  for (size_t J = Open; J < Toks.size(); ++J) {
    if (Toks[J].isOneOf(tok::l_paren, tok::l_square, tok::l_brace))
      ++Nesting;
    else if (Toks[J].isOneOf(tok::r_paren, tok::r_square, tok::r_brace)) {
      if (--Nesting == 0)
        return J;
    } else if (Commas && Nesting == 1 && Toks[J].is(tok::comma))
      Commas->push_back(J);
    else if (Toks[J].isOneOf(tok::semi, tok::eof))
      break;
  }
  return Toks.size();
}

bool appendRawLiterals(llvm::ArrayRef<Token> Run, const ASTContext &Ctx,
                       ReconstructedSql &Out) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const Token &Tok : Run) {
    StringLiteralParser Lit(Tok, SM, Ctx.getLangOpts(), Ctx.getTargetInfo());
    if (Lit.hadError)
      return false;
    if (!(Lit.isOrdinary() || Lit.isUTF8())) {
      // `u"..."_s`, `L"..."`: wide code units; read as written.
      if (!appendWideRawLiteral(Tok, Ctx, Out))
        return false;
      continue;
    }
    SqlPiece P;
    P.Begin = static_cast<uint32_t>(Out.Text.size());
    P.Length = Lit.GetStringLength();
    P.RawLoc = Tok.getLocation();
    llvm::StringRef Content = Lit.GetString();
    Out.Text += Content;
    // getOffsetOfStringByte is linear in the byte: map long tokens coarsely.
    bool Exact = Content.size() <= 4096;
    for (unsigned B = 0; B < Content.size(); ++B)
      P.RawOffsets.push_back(Exact ? Lit.getOffsetOfStringByte(Tok, B) : 0);
    if (P.Length) {
      Out.Pieces.push_back(std::move(P));
      Out.HasLiteral = true;
    }
  }
  return Out.HasLiteral;
}

/// Reads \p Body, the spelling of a literal between its quotes, as the
/// compiler does (escapes, UTF-8) up to its code unit \p Unit, for units of
/// \p UnitBytes bytes: the bytes before that unit, or, when Body has fewer
/// units, its size and (in \p Units) how many it has.
static size_t bytesBeforeUnit(llvm::StringRef Body, unsigned Unit, unsigned UnitBytes,
                              unsigned &Units) {
  size_t I = 0;
  Units = 0;
  auto IsOctal = [](char C) { return C >= '0' && C <= '7'; };
  while (I < Body.size()) {
    if (Units >= Unit)
      return I;
    unsigned Taken = 1;
    unsigned char C = static_cast<unsigned char>(Body[I]);
    if (C == '\\' && I + 1 < Body.size()) {
      char E = Body[I + 1];
      size_t J = I + 2;
      if (E == 'x') {
        while (J < Body.size() && llvm::isHexDigit(Body[J]))
          ++J;
      } else if (E == 'u' || E == 'U') {
        J = std::min(Body.size(), J + (E == 'u' ? 4 : 8));
        Taken = E == 'U' && UnitBytes == 2 ? 2 : 1;
      } else if (IsOctal(E)) {
        J = I + 1;
        while (J < Body.size() && J < I + 4 && IsOctal(Body[J]))
          ++J;
      }
      I = J;
    } else if (C >= 0x80) {
      // A UTF-8 sequence: one code point, two UTF-16 units above the BMP.
      size_t Length = C >= 0xF0 ? 4 : C >= 0xE0 ? 3 : C >= 0xC0 ? 2 : 1;
      Taken = Length == 4 && UnitBytes == 2 ? 2 : 1;
      I = std::min(Body.size(), I + Length);
    } else {
      ++I;
    }
    Units += Taken;
  }
  return Body.size();
}

/// The location of code unit \p Unit of a wide (u"", U"", L"") literal.
static SourceLocation wideLocation(const StringLiteral *L, unsigned Unit,
                                   const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (unsigned T = 0; T < L->getNumConcatenated(); ++T) {
    SourceLocation TokLoc = SM.getSpellingLoc(L->getStrTokenLoc(T));
    bool Invalid = false;
    const char *Data = SM.getCharacterData(TokLoc, &Invalid);
    if (Invalid)
      break;
    unsigned Len = Lexer::MeasureTokenLength(TokLoc, SM, Ctx.getLangOpts());
    llvm::StringRef Spelling(Data, Len);
    size_t Q = Spelling.find('"');
    if (Q == llvm::StringRef::npos)
      break;
    size_t Begin = Q + 1, End = Spelling.size() - 1;
    bool Raw = Q > 0 && Spelling[Q - 1] == 'R';
    if (Raw) {
      size_t Paren = Spelling.find('(', Q);
      size_t Close = Spelling.rfind(')');
      if (Paren == llvm::StringRef::npos || Close == llvm::StringRef::npos)
        break;
      Begin = Paren + 1;
      End = Close;
    }
    llvm::StringRef Body = Spelling.slice(Begin, End);
    unsigned Units = static_cast<unsigned>(Body.size());
    size_t Before = Raw ? std::min<size_t>(Unit, Body.size())
                        : bytesBeforeUnit(Body, Unit, L->getCharByteWidth(), Units);
    if (Before < Body.size())
      return TokLoc.getLocWithOffset(static_cast<int>(Begin + Before));
    Unit = Unit > Units ? Unit - Units : 0;
  }
  return L->getBeginLoc();
}

std::string ReconstructedSql::sourceText(uint32_t Begin, uint32_t End,
                                         const ASTContext &Ctx) const {
  std::string Out;
  for (const SqlPiece &P : Pieces) {
    uint32_t B = std::max(Begin, P.Begin), E = std::min(End, P.Begin + P.Length);
    if (B >= E)
      continue;
    if (!P.Shown.empty()) {
      Out += P.Shown;
      continue;
    }
    if (!P.Unknown) {
      Out += Text.substr(B, E - B);
      continue;
    }
    CharSourceRange R = CharSourceRange::getTokenRange(P.Unknown->getSourceRange());
    llvm::StringRef Src =
        Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts());
    Out += Src.empty() ? "..." : Src.str();
  }
  return Out;
}

SourceLocation ReconstructedSql::locationOf(uint32_t Offset,
                                            const ASTContext &Ctx) const {
  auto It = std::upper_bound(Pieces.begin(), Pieces.end(), Offset,
                             [](uint32_t O, const SqlPiece &P) { return O < P.Begin; });
  if (It == Pieces.begin())
    return SourceLocation();
  const SqlPiece &P = *--It;
  uint32_t Delta = std::min(Offset - P.Begin, P.Length ? P.Length - 1 : 0);
  if (P.At.isValid())
    return P.At;
  if (P.Unknown)
    return P.Unknown->getBeginLoc();
  if (P.RawLoc.isValid())
    return P.RawLoc.getLocWithOffset(
        static_cast<int>(Delta < P.RawOffsets.size() ? P.RawOffsets[Delta] : 0));
  if (!P.Lit)
    return SourceLocation();
  const SourceManager &SM = Ctx.getSourceManager();
  if (P.Lit->getCharByteWidth() != 1)
    return SM.getSpellingLoc(wideLocation(P.Lit, P.LitByte + Delta, Ctx));
  // The character where the literal is spelled, also inside a #define.
  return SM.getSpellingLoc(P.Lit->getLocationOfByte(
      P.LitByte + Delta, SM, Ctx.getLangOpts(), Ctx.getTargetInfo()));
}

void ReconstructedSql::appendSlice(const ReconstructedSql &Other, uint32_t Begin,
                                   uint32_t End) {
  End = std::min<uint32_t>(End, static_cast<uint32_t>(Other.Text.size()));
  if (Begin >= End)
    return;
  uint32_t Base = static_cast<uint32_t>(Text.size());
  Text.append(Other.Text, Begin, End - Begin);
  auto It = std::upper_bound(Other.Pieces.begin(), Other.Pieces.end(), Begin,
                             [](uint32_t O, const SqlPiece &P) { return O < P.Begin; });
  if (It != Other.Pieces.begin())
    --It;
  for (; It != Other.Pieces.end() && It->Begin < End; ++It) {
    uint32_t PB = std::max(Begin, It->Begin);
    uint32_t PE = std::min(End, It->Begin + It->Length);
    if (PB >= PE)
      continue;
    uint32_t Skip = PB - It->Begin;
    SqlPiece P;
    P.Begin = Base + (PB - Begin);
    P.Length = PE - PB;
    P.Lit = It->Lit;
    P.LitByte = It->LitByte + Skip;
    P.Unknown = It->Unknown;
    P.RawLoc = It->RawLoc;
    P.At = It->At;
    P.Shown = It->Shown;
    if (It->RawLoc.isValid())
      for (uint32_t I = Skip; I < Skip + P.Length && I < It->RawOffsets.size(); ++I)
        P.RawOffsets.push_back(It->RawOffsets[I]);
    if (P.Lit || P.RawLoc.isValid())
      HasLiteral = true;
    Pieces.push_back(std::move(P));
  }
  for (const SqlHole &H : Other.Holes)
    if (H.Begin >= Begin && H.Begin < End) {
      SqlHole C = H;
      C.Begin = Base + (H.Begin - Begin);
      C.Length = std::min(H.Length, End - H.Begin);
      Holes.push_back(C);
    }
}

bool ReconstructedSql::endsInQuote() {
  for (; QuoteScan < Text.size(); ++QuoteScan) {
    char C = Text[QuoteScan];
    if (OpenQuote) {
      if (C == OpenQuote)
        OpenQuote = 0;
    } else if (C == '\'' || C == '"' || C == '`') {
      OpenQuote = C;
    }
  }
  return OpenQuote != 0;
}

std::vector<SqlPlaceholder> placeholdersIn(const ReconstructedSql &Sql) {
  std::vector<SqlPlaceholder> Out;
  llvm::StringRef T = Sql.Text;
  auto IdentChar = [](char C) { return llvm::isAlnum(C) || C == '_'; };
  size_t Piece = 0;
  for (size_t I = 0; I < T.size(); ++I) {
    while (Piece < Sql.Pieces.size() &&
           Sql.Pieces[Piece].Begin + Sql.Pieces[Piece].Length <= I)
      ++Piece;
    bool Literal = Piece < Sql.Pieces.size() && Sql.Pieces[Piece].Begin <= I &&
                   (Sql.Pieces[Piece].Lit || Sql.Pieces[Piece].RawLoc.isValid());
    char C = T[I];
    if (C == '\'' || C == '"' || C == '`') {
      size_t Close = T.find(C, I + 1);
      I = Close == llvm::StringRef::npos ? T.size() : Close;
      continue;
    }
    if (T.substr(I).startswith("--")) {
      size_t Eol = T.find('\n', I);
      I = Eol == llvm::StringRef::npos ? T.size() : Eol;
      continue;
    }
    if (T.substr(I).startswith("/*")) {
      size_t Close = T.find("*/", I + 2);
      I = Close == llvm::StringRef::npos ? T.size() : Close + 1;
      continue;
    }
    if (!Literal)
      continue;
    SqlPlaceholder P;
    P.Begin = static_cast<uint32_t>(I);
    size_t J = I + 1;
    if (C == '?' || C == '$') {
      while (J < T.size() && llvm::isDigit(T[J]))
        ++J;
      if (J > I + 1)
        P.Number = std::atoi(T.slice(I + 1, J).str().c_str()) - 1;
      else if (C == '$')
        continue;
    } else if ((C == ':' || C == '@') && J < T.size() &&
               (llvm::isAlpha(T[J]) || T[J] == '_') &&
               (I == 0 ||
                (T[I - 1] != ':' && T[I - 1] != '@' && !IdentChar(T[I - 1])))) {
      while (J < T.size() && IdentChar(T[J]))
        ++J;
      P.Name = T.slice(I + 1, J).str();
    } else {
      continue;
    }
    P.Length = static_cast<uint32_t>(J - I);
    P.Ordinal = static_cast<unsigned>(Out.size());
    Out.push_back(std::move(P));
    I = J - 1;
  }
  return Out;
}

/// Where a diagnostic about the placeholder at \p Begin belongs: the
/// placeholder, or the word in front of it (`LIKE`) when that is written in
/// another string literal (`col + " LIKE " + ph`, `ph` set elsewhere).
static uint32_t operandSite(const ReconstructedSql &Sql, uint32_t Begin) {
  // The literal a text is written in: in the AST, or read from the tokens
  // of an initializer Clang dropped.
  auto LiteralAt = [&](uint32_t Offset) -> const void * {
    for (const SqlPiece &P : Sql.Pieces)
      if (Offset >= P.Begin && Offset < P.Begin + P.Length)
        return P.Lit ? static_cast<const void *>(P.Lit) : P.RawLoc.getPtrEncoding();
    return nullptr;
  };
  uint32_t End = Begin;
  while (End > 0 && llvm::isSpace(Sql.Text[End - 1]))
    --End;
  uint32_t Word = End;
  while (Word > 0 && (llvm::isAlnum(Sql.Text[Word - 1]) || Sql.Text[Word - 1] == '_'))
    --Word;
  if (Word == End)
    return Begin;
  const void *Own = LiteralAt(Begin), *Before = LiteralAt(Word);
  return Own && Before && Own != Before ? Word : Begin;
}

/// A value's SQL literal as a reader sees it: `'%$1%'` is `'%...%'`.
static std::string withHolesElided(llvm::StringRef Text) {
  std::string Out;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '$' && I + 1 < Text.size() && llvm::isDigit(Text[I + 1])) {
      while (I + 1 < Text.size() && llvm::isDigit(Text[I + 1]))
        ++I;
      Out += "...";
      continue;
    }
    Out += Text[I];
  }
  return Out;
}

std::vector<ReconstructedSql> substituteBound(const ReconstructedSql &Sql,
                                              llvm::ArrayRef<BoundValue> Values,
                                              Reconstructor &R, const ASTContext &Ctx,
                                              unsigned MaxOthers) {
  if (Values.empty())
    return {Sql};
  std::vector<SqlPlaceholder> Places = placeholdersIn(Sql);
  if (Places.empty())
    return {Sql};
  // The value of each placeholder: by name, by number, else in order.
  std::vector<const BoundValue *> Of(Places.size(), nullptr);
  unsigned Sequential = 0;
  for (const BoundValue &V : Values) {
    if (!V.Name.empty()) {
      llvm::StringRef Name = llvm::StringRef(V.Name).ltrim(":@$");
      for (size_t I = 0; I < Places.size(); ++I)
        if (Places[I].Name == Name)
          Of[I] = &V;
      continue;
    }
    int Number = V.Number >= 0 ? V.Number : static_cast<int>(Sequential++);
    bool Numbered = false;
    for (size_t I = 0; I < Places.size(); ++I)
      if (Places[I].Number == Number) {
        Of[I] = &V;
        Numbered = true;
      }
    if (!Numbered && static_cast<size_t>(Number) < Places.size() &&
        Places[Number].Number < 0)
      Of[Number] = &V;
  }
  // The texts each placeholder's value may have, the default first.
  std::vector<std::vector<std::optional<std::string>>> Texts(Places.size());
  for (size_t I = 0; I < Places.size(); ++I)
    if (Of[I]) {
      if (Of[I]->Value)
        Texts[I] = R.literalValues(Of[I]->Value, Of[I]->Loc, MaxOthers);
      // Its tokens, where the expression tells nothing (code Clang lost).
      if (!Of[I]->Written.empty() &&
          llvm::none_of(Texts[I], [](const auto &T) { return T.has_value(); }))
        Texts[I] = R.writtenValues(Of[I]->Written, Of[I]->WrittenIn, MaxOthers);
    }
  // Placeholder I with its value's text number Choice[I].
  auto Substitute = [&](llvm::ArrayRef<unsigned> Choice) {
    ReconstructedSql Out;
    uint32_t Copied = 0;
    for (size_t I = 0; I < Places.size(); ++I) {
      if (Texts[I].empty() || !Texts[I][Choice[I]])
        continue;
      const std::string &Text = *Texts[I][Choice[I]];
      const SqlPlaceholder &P = Places[I];
      Out.appendSlice(Sql, Copied, P.Begin);
      SqlPiece Piece;
      Piece.Begin = static_cast<uint32_t>(Out.Text.size());
      Piece.Length = static_cast<uint32_t>(Text.size());
      Piece.At = Sql.locationOf(operandSite(Sql, P.Begin), Ctx);
      CharSourceRange Range =
          Of[I]->Value
              ? CharSourceRange::getTokenRange(Of[I]->Value->getSourceRange())
              : CharSourceRange::getTokenRange(Of[I]->Written.front().getLocation(),
                                               Of[I]->Written.back().getLocation());
      llvm::StringRef Src =
          Lexer::getSourceText(Range, Ctx.getSourceManager(), Ctx.getLangOpts());
      Piece.Shown = Sql.Text.substr(P.Begin, P.Length) + " (bound to " +
                    (Src.empty() ? Text : Src.str());
      if (Choice[I] > 0)
        Piece.Shown += ", which can be " + withHolesElided(Text);
      Piece.Shown += ")";
      Out.Text += Text;
      Out.Pieces.push_back(std::move(Piece));
      Copied = P.Begin + P.Length;
    }
    if (Copied == 0)
      return Sql;
    Out.appendSlice(Sql, Copied, static_cast<uint32_t>(Sql.Text.size()));
    Out.HasLiteral = Sql.HasLiteral;
    return Out;
  };
  std::vector<unsigned> Choice(Places.size(), 0);
  std::vector<ReconstructedSql> Out{Substitute(Choice)};
  for (size_t I = 0; I < Places.size(); ++I)
    for (unsigned K = 1; K < Texts[I].size() && Out.size() <= MaxOthers; ++K) {
      Choice[I] = K;
      Out.push_back(Substitute(Choice));
      Choice[I] = 0;
    }
  return Out;
}

} // namespace stresslint
