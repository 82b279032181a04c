//===--- FormatTemplates.cpp - Format templates filled with their values --===//
#include "cpp/Reconstruct.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace clang;

namespace stresslint {

/// A marker at byte \p I of \p S: how long it is, and the argument it takes
/// (an index, Next for the next one, None for an escape such as `%%`,
/// Unknown for a value that is not an argument).
struct Marker {
  enum Arg { Next = -1, None = -2, Unknown = -3 };
  uint32_t Length = 0;
  int Index = None;
};

static Marker printfMarker(llvm::StringRef S, uint32_t I, unsigned &Stars) {
  Marker M;
  uint32_t J = I + 1;
  if (J < S.size() && S[J] == '%')
    return {2, Marker::None};
  while (J < S.size() && llvm::StringRef("-+ #0'").contains(S[J]))
    ++J;
  if (J < S.size() && S[J] == '*')
    ++Stars, ++J;
  while (J < S.size() && llvm::isDigit(S[J]))
    ++J;
  if (J < S.size() && S[J] == '.') {
    ++J;
    if (J < S.size() && S[J] == '*')
      ++Stars, ++J;
    while (J < S.size() && llvm::isDigit(S[J]))
      ++J;
  }
  while (J < S.size() && llvm::StringRef("hlLjzt").contains(S[J]))
    ++J;
  if (J < S.size() && llvm::StringRef("diouxXeEfFgGaAcsSpqQwz").contains(S[J])) {
    M.Length = J + 1 - I;
    M.Index = Marker::Next;
  }
  return M;
}

static Marker braceMarker(llvm::StringRef S, uint32_t I) {
  if (S[I] == '}')
    return I + 1 < S.size() && S[I + 1] == '}' ? Marker{2, Marker::None} : Marker{};
  if (I + 1 < S.size() && S[I + 1] == '{')
    return {2, Marker::None};
  size_t Close = S.find('}', I + 1);
  if (Close == llvm::StringRef::npos)
    return {};
  llvm::StringRef Field = S.slice(I + 1, Close);
  llvm::StringRef Id = Field.split(':').first;
  if (Field.contains_insensitive("{") || Id.contains(' ') || Id.contains('\'') ||
      Id.contains('"'))
    return {};
  Marker M{static_cast<uint32_t>(Close + 1 - I), Marker::Next};
  unsigned N = 0;
  if (Id.empty())
    return M;
  if (!Id.getAsInteger(10, N)) {
    M.Index = static_cast<int>(N);
    return M;
  }
  if (!llvm::all_of(Id, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
    return {};
  M.Index = Marker::Unknown; // A named field: fmt::arg("name", v).
  return M;
}

/// QString::arg's `%1`..`%99` (`%L1` too): its number, or 0.
unsigned qtMarkerAt(llvm::StringRef S, uint32_t I, uint32_t &Length) {
  uint32_t J = I + 1;
  if (J < S.size() && S[J] == 'L')
    ++J;
  unsigned N = 0;
  uint32_t Digits = J;
  while (J < S.size() && llvm::isDigit(S[J]) && J - Digits < 2)
    N = N * 10 + (S[J++] - '0');
  Length = J - I;
  return J > Digits ? N : 0;
}

void appendWrittenToken(const Token &Tok, ReconstructedSql &Out) {
  SqlPiece P;
  P.Begin = static_cast<uint32_t>(Out.Text.size());
  P.Length = Tok.getLength();
  P.RawLoc = Tok.getLocation();
  for (uint32_t B = 0; B < P.Length; ++B)
    P.RawOffsets.push_back(B);
  Out.Text.append(Tok.getLiteralData(), Tok.getLength());
  Out.Pieces.push_back(std::move(P));
}

void showAsWritten(ReconstructedSql &Out, size_t FirstPiece,
                   llvm::ArrayRef<Token> Written, const ASTContext &Ctx) {
  SqlPiece *Piece = Out.Pieces.size() == FirstPiece + 1 ? &Out.Pieces.back() : nullptr;
  if (!Piece || Written.empty() || Piece->Lit || Piece->Unknown ||
      Piece->RawLoc.isValid() || Piece->At.isValid())
    return;
  Piece->At = Written.front().getLocation();
  Piece->Shown =
      Lexer::getSourceText(CharSourceRange::getTokenRange(Written.front().getLocation(),
                                                          Written.back().getLocation()),
                           Ctx.getSourceManager(), Ctx.getLangOpts())
          .str();
}

ReconstructedSql
Reconstructor::fillMarkers(const ReconstructedSql &T, FormatCall::Style S,
                           unsigned &Counter, const ASTContext &Ctx,
                           llvm::ArrayRef<llvm::ArrayRef<Token>> Args) {
  ReconstructedSql Out;
  llvm::StringRef Text = T.Text;
  uint32_t Copied = 0;
  unsigned NextArg = 0;
  for (const SqlPiece &P : T.Pieces) {
    if (!P.Lit && P.RawLoc.isInvalid())
      continue;
    llvm::StringRef Piece = Text.slice(0, P.Begin + P.Length);
    for (uint32_t I = P.Begin; I < P.Begin + P.Length; ++I) {
      Marker M;
      unsigned Stars = 0;
      if (S == FormatCall::Qt && Text[I] == '%')
        M.Index = qtMarkerAt(Piece, I, M.Length) ? Marker::Unknown : Marker::None;
      else if (S == FormatCall::Printf && Text[I] == '%')
        M = printfMarker(Piece, I, Stars);
      else if (S == FormatCall::Brace && (Text[I] == '{' || Text[I] == '}'))
        M = braceMarker(Piece, I);
      if (!M.Length || (S == FormatCall::Qt && M.Index == Marker::None))
        continue;
      NextArg += M.Length ? Stars : 0;
      Out.appendSlice(T, Copied, I);
      unsigned Index = M.Index == Marker::Next
                           ? NextArg++
                           : static_cast<unsigned>(std::max(M.Index, 0));
      llvm::ArrayRef<Token> Arg = M.Index >= Marker::Next && Index < Args.size()
                                      ? Args[Index]
                                      : llvm::ArrayRef<Token>();
      if (M.Index == Marker::None) {
        Out.appendSlice(T, I, I + 1); // `%%` is `%`, `{{` is `{`.
      } else if (Arg.size() == 1 && Arg[0].is(tok::numeric_constant)) {
        appendWrittenToken(Arg[0], Out); // A constant number: `OFFSET 0`.
      } else {
        // The hole is shown, and points, where its value (or else its
        // marker) is written.
        appendPlaceholder(Out, nullptr, Counter);
        showAsWritten(Out, Out.Pieces.size() - 1, Arg, Ctx);
        if (Arg.empty()) {
          Out.Pieces.back().At = T.locationOf(I, Ctx);
          Out.Pieces.back().Shown = Text.substr(I, M.Length).str();
        }
      }
      Copied = I + M.Length;
      I += M.Length - 1;
    }
  }
  Out.appendSlice(T, Copied, static_cast<uint32_t>(T.Text.size()));
  Out.HasLiteral = T.HasLiteral;
  return Out;
}

void Reconstructor::addTemplate(const Expr *Format, llvm::ArrayRef<const Expr *> Args,
                                FormatCall::Style S, SourceLocation UseLoc,
                                ReconstructedSql &Out, unsigned Depth) {
  ReconstructedSql T;
  add(Format, UseLoc, T, Depth + 1);
  llvm::StringRef Text = T.Text;
  // QString::arg fills the lowest-numbered marker first.
  std::vector<unsigned> QtNumbers;
  auto InLiteral = [](const SqlPiece &P) { return P.Lit || P.RawLoc.isValid(); };
  if (S == FormatCall::Qt) {
    for (const SqlPiece &P : T.Pieces)
      for (uint32_t I = P.Begin; InLiteral(P) && I < P.Begin + P.Length; ++I) {
        uint32_t Len = 0;
        if (Text[I] == '%')
          if (unsigned N = qtMarkerAt(Text.slice(0, P.Begin + P.Length), I, Len))
            QtNumbers.push_back(N);
      }
    llvm::sort(QtNumbers);
    QtNumbers.erase(std::unique(QtNumbers.begin(), QtNumbers.end()), QtNumbers.end());
  }
  uint32_t Copied = 0;
  unsigned NextArg = 0;
  for (const SqlPiece &P : T.Pieces) {
    if (!InLiteral(P))
      continue;
    llvm::StringRef Piece = Text.slice(0, P.Begin + P.Length);
    for (uint32_t I = P.Begin; I < P.Begin + P.Length; ++I) {
      char C = Text[I];
      Marker M;
      if (S == FormatCall::Printf && C == '%') {
        unsigned Stars = 0;
        M = printfMarker(Piece, I, Stars);
        NextArg += M.Length ? Stars : 0;
      } else if (S == FormatCall::Brace && (C == '{' || C == '}')) {
        M = braceMarker(Piece, I);
      } else if (S == FormatCall::Qt && C == '%') {
        uint32_t Len = 0;
        if (unsigned N = qtMarkerAt(Piece, I, Len)) {
          M.Length = Len;
          M.Index =
              static_cast<int>(llvm::lower_bound(QtNumbers, N) - QtNumbers.begin());
        }
      }
      if (!M.Length)
        continue;
      Out.appendSlice(T, Copied, I);
      if (M.Index == Marker::None) {
        Out.appendSlice(T, I, I + 1); // `%%` is `%`, `{{` is `{`.
      } else {
        unsigned Index =
            M.Index == Marker::Next ? NextArg++ : static_cast<unsigned>(M.Index);
        if (M.Index != Marker::Unknown && Index < Args.size())
          addValue(Args[Index], UseLoc, Out, Depth + 1);
        else
          addUnknown(nullptr, Out);
      }
      Copied = I + M.Length;
      I += M.Length - 1;
    }
  }
  Out.appendSlice(T, Copied, static_cast<uint32_t>(T.Text.size()));
  if (T.HasLiteral)
    Out.HasLiteral = true;
}

} // namespace stresslint
