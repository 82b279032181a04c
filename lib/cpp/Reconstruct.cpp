//===--- Reconstruct.cpp - SQL text from C++ expressions -------------------===//
#include "cpp/Reconstruct.h"
#include "cpp/Names.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include <deque>
#include <set>

using namespace clang;

namespace stresslint {

const Expr *ignoreStringWrappers(const Expr *E) {
  while (E) {
    const Expr *Prev = E;
    E = E->IgnoreParenImpCasts()->IgnoreImplicit();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto *C = dyn_cast<ExprWithCleanups>(E))
      E = C->getSubExpr();
    else if (const auto *F = dyn_cast<CXXFunctionalCastExpr>(E))
      E = F->getSubExpr();
    else if (const auto *N = dyn_cast<CXXNamedCastExpr>(E))
      E = N->getSubExpr();
    else if (const auto *D = dyn_cast<CXXDefaultArgExpr>(E))
      E = D->getExpr();
    else if (const auto *R = dyn_cast<RecoveryExpr>(E);
             R && R->subExpressions().size() == 1)
      E = R->subExpressions().front(); // A conversion that failed to resolve.
    else if (const auto *U = dyn_cast<UserDefinedLiteral>(E);
             U && U->getLiteralOperatorKind() == UserDefinedLiteral::LOK_String &&
             U->getNumArgs() >= 1)
      E = U->getArg(0); // `"..."_s`, `"..."sv`: the string it spells.
    if (E == Prev)
      break;
  }
  return E;
}

/// The location of code unit \p Unit of a wide (u"", U"", L"") literal,
/// when its tokens have no escapes; otherwise the literal's start.
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
    if (Q > 0 && Spelling[Q - 1] == 'R') {
      size_t Paren = Spelling.find('(', Q);
      size_t Close = Spelling.rfind(')');
      if (Paren == llvm::StringRef::npos || Close == llvm::StringRef::npos)
        break;
      Begin = Paren + 1;
      End = Close;
    } else if (Spelling.slice(Begin, End).contains('\\')) {
      break;
    }
    unsigned Units = static_cast<unsigned>(End - Begin);
    if (Unit < Units)
      return TokLoc.getLocWithOffset(static_cast<int>(Begin + Unit));
    Unit -= Units;
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
  auto It = std::upper_bound(
      Pieces.begin(), Pieces.end(), Offset,
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

void ReconstructedSql::appendSlice(const ReconstructedSql &Other,
                                   uint32_t Begin, uint32_t End) {
  End = std::min<uint32_t>(End, static_cast<uint32_t>(Other.Text.size()));
  if (Begin >= End)
    return;
  uint32_t Base = static_cast<uint32_t>(Text.size());
  Text.append(Other.Text, Begin, End - Begin);
  auto It = std::upper_bound(
      Other.Pieces.begin(), Other.Pieces.end(), Begin,
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

void Reconstructor::addLiteral(const StringLiteral *L, ReconstructedSql &Out) {
  if (RecordUse)
    Used.insert(L);
  SqlPiece P;
  P.Begin = static_cast<uint32_t>(Out.Text.size());
  P.Lit = L;
  if (L->getCharByteWidth() == 1) {
    Out.Text += L->getString();
  } else {
    for (unsigned I = 0; I < L->getLength(); ++I) {
      uint32_t U = L->getCodeUnit(I);
      Out.Text += U < 128 ? static_cast<char>(U) : '?';
    }
  }
  P.Length = static_cast<uint32_t>(Out.Text.size()) - P.Begin;
  Out.HasLiteral = true;
  if (P.Length)
    Out.Pieces.push_back(P);
}

void Reconstructor::addUnknown(const Expr *E, ReconstructedSql &Out) {
  appendPlaceholder(Out, E, NextParam);
}

/// Can \p E hold text (a string, a character pointer, a type Clang could
/// not resolve) rather than a number?
static bool mayHoldText(const Expr *E) {
  if (!E)
    return true;
  QualType T = E->getType();
  if (T.isNull() || T->isDependentType() || E->containsErrors())
    return true;
  T = T.getNonReferenceType();
  if (T->isRecordType())
    return true;
  if (T->isPointerType() || T->isArrayType())
    return T->getPointeeOrArrayElementType()->isAnyCharacterType();
  return false;
}

/// What a part of unknown text after \p Before can be.
static SqlHole::Kind holeKindAfter(llvm::StringRef Before, const Expr *E) {
  Before = Before.rtrim();
  if (Before.empty())
    return SqlHole::Value;
  char Last = Before.back();
  if (Last == '.' || Last == '"')
    return SqlHole::Identifier;
  bool Text = mayHoldText(E);
  if (Last == ')' || Last == '\'')
    return Text ? SqlHole::Clause : SqlHole::Value;
  if (!llvm::isAlnum(Last) && Last != '_')
    return SqlHole::Value; // After an operator, `(` or `,`.
  size_t WordStart = Before.size();
  while (WordStart > 0 && (llvm::isAlnum(Before[WordStart - 1]) ||
                           Before[WordStart - 1] == '_'))
    --WordStart;
  std::string Word = Before.substr(WordStart).lower();
  if (Word == "from" || Word == "join" || Word == "into" || Word == "update" ||
      Word == "table")
    return SqlHole::Identifier;
  bool ExpectsValue =
      llvm::StringSwitch<bool>(Word)
          .Cases("where", "and", "or", "not", "on", "by", "select", true)
          .Cases("set", "limit", "offset", "in", "like", "ilike", true)
          .Cases("between", "when", "then", "else", "values", "having", true)
          .Cases("returning", "is", "distinct", "case", "exists", "top", true)
          .Cases("with", "as", "using", "fetch", "first", "next", true)
          .Cases("default", "array", "any", "all", "some", "escape", true)
          .Default(false);
  if (ExpectsValue || !Text)
    return SqlHole::Value;
  // After a name, a number or a closing token the statement is complete so
  // far: a string appended here is a clause (` WHERE ...`, ` AND ...`).
  return SqlHole::Clause;
}

void Reconstructor::appendPlaceholder(ReconstructedSql &Out, const Expr *E,
                                      unsigned &NextParam) {
  SqlHole::Kind K =
      Out.endsInQuote() ? SqlHole::Value : holeKindAfter(Out.Text, E);
  // A clause hole stays visible as `$n` between spaces: the SQL side then
  // knows a clause is unknown (it may hold the LIMIT or the key condition)
  // and tries the statement with the hole dropped, as TRUE and as a name.
  std::string Text = K == SqlHole::Identifier ? "p__" + std::to_string(NextParam++)
                     : K == SqlHole::Clause ? " $" + std::to_string(NextParam++) + " "
                                            : "$" + std::to_string(NextParam++);
  SqlPiece P;
  P.Begin = static_cast<uint32_t>(Out.Text.size());
  P.Length = static_cast<uint32_t>(Text.size());
  P.Unknown = E;
  Out.Text += Text;
  Out.Holes.push_back({K, P.Begin, P.Length, E});
  Out.Pieces.push_back(P);
}

static bool isStringViewMethod(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
      .Cases("c_str", "data", "toStdString", "toUtf8", "toLatin1", true)
      .Cases("toLocal8Bit", "constData", "simplified", "trimmed", true)
      .Cases("toStdString", "toQString", "get", "toString", true)
      .Default(false);
}

bool isRecoveredConcat(const RecoveryExpr *RE) {
  auto Subs = RE->subExpressions();
  return Subs.size() == 2 && isa<StringLiteral>(ignoreStringWrappers(Subs[0]));
}

static void findLiterals(const Stmt *S, llvm::SmallVectorImpl<const StringLiteral *> &Out,
                         unsigned Depth) {
  if (!S || Depth > 32 || Out.size() > 1)
    return;
  if (const auto *L = dyn_cast<StringLiteral>(S)) {
    Out.push_back(L);
    return;
  }
  for (const Stmt *C : S->children())
    findLiterals(C, Out, Depth + 1);
}

/// `[]{ ... return "literal" ...; }()` with exactly one string literal in
/// its body: the value of the call is that literal.
static const StringLiteral *immediateLambdaLiteral(const Expr *E) {
  const auto *Call = dyn_cast<CXXOperatorCallExpr>(E);
  if (!Call || Call->getOperator() != OO_Call || Call->getNumArgs() != 1)
    return nullptr;
  const auto *Lambda = dyn_cast<LambdaExpr>(ignoreStringWrappers(Call->getArg(0)));
  if (!Lambda)
    return nullptr;
  llvm::SmallVector<const StringLiteral *, 2> Lits;
  findLiterals(Lambda->getBody(), Lits, 0);
  return Lits.size() == 1 ? Lits.front() : nullptr;
}

static bool isCharPointer(QualType T) {
  T = T.getNonReferenceType();
  return (T->isPointerType() || T->isArrayType()) &&
         T->getPointeeOrArrayElementType()->isCharType();
}

/// The parameter before \p Format that receives the formatted text: a
/// non-const `char *` (snprintf's buffer), or -1.
static int destinationOf(const FunctionDecl *FD, unsigned Format) {
  for (unsigned I = 0; I < Format && I < FD->getNumParams(); ++I) {
    QualType T = FD->getParamDecl(I)->getType();
    if (T->isPointerType() && T->getPointeeType()->isCharType() &&
        !T->getPointeeType().isConstQualified())
      return static_cast<int>(I);
  }
  return -1;
}

std::optional<FormatCall> formatCallOf(const CallExpr *Call,
                                       const RuleSet &Rules) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier() || isa<CXXOperatorCallExpr>(Call))
    return std::nullopt;
  llvm::StringRef Name = FD->getName();
  unsigned Args = Call->getNumArgs();
  std::string Qualified = qualifiedName(FD);
  if (Rules.isStringCall(StringCall::Format, Qualified, Name))
    return FormatCall{FormatCall::Brace, 0, 1, -1};
  bool Method = isa<CXXMethodDecl>(FD) && !cast<CXXMethodDecl>(FD)->isStatic();
  if (const auto *FA = FD->getAttr<FormatAttr>()) {
    llvm::StringRef Kind = FA->getType()->getName();
    if (Kind == "printf" || Kind == "printf0" || Kind == "gnu_printf" ||
        Kind == "__printf__") {
      int Fmt = FA->getFormatIdx() - 1 - (Method ? 1 : 0);
      int First = FA->getFirstArg() - 1 - (Method ? 1 : 0);
      if (Fmt >= 0 && static_cast<unsigned>(Fmt) < Args)
        return FormatCall{FormatCall::Printf, static_cast<unsigned>(Fmt),
                          First >= 0 ? static_cast<unsigned>(First) : Args,
                          destinationOf(FD, static_cast<unsigned>(Fmt))};
    }
  }
  unsigned Params = FD->getNumParams();
  if (FD->isVariadic() && Params >= 1 && Params <= Args &&
      isCharPointer(FD->getParamDecl(Params - 1)->getType()))
    return FormatCall{FormatCall::Printf, Params - 1, Params,
                      destinationOf(FD, Params - 1)};
  // A variadic template that says it formats: `strformat(fmt, args...)`.
  if (const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern()) {
    unsigned N = Pattern->getNumParams();
    if (N >= 2 && Pattern->getParamDecl(N - 1)->isParameterPack() &&
        N - 2 < Args &&
        Rules.isStringCall(StringCall::Printf, Qualified, Name)) {
      QualType T = Pattern->getParamDecl(N - 2)->getType();
      if (isCharPointer(T) || T.getNonReferenceType()->isRecordType())
        return FormatCall{FormatCall::Printf, N - 2, N - 1, -1};
    }
  }
  return std::nullopt;
}

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
    return I + 1 < S.size() && S[I + 1] == '}' ? Marker{2, Marker::None}
                                                : Marker{};
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
static unsigned qtMarker(llvm::StringRef S, uint32_t I, uint32_t &Length) {
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

void Reconstructor::addTemplate(const Expr *Format,
                                llvm::ArrayRef<const Expr *> Args,
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
          if (unsigned N = qtMarker(Text.slice(0, P.Begin + P.Length), I, Len))
            QtNumbers.push_back(N);
      }
    llvm::sort(QtNumbers);
    QtNumbers.erase(std::unique(QtNumbers.begin(), QtNumbers.end()),
                    QtNumbers.end());
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
        if (unsigned N = qtMarker(Piece, I, Len)) {
          M.Length = Len;
          M.Index = static_cast<int>(llvm::lower_bound(QtNumbers, N) -
                                     QtNumbers.begin());
        }
      }
      if (!M.Length)
        continue;
      Out.appendSlice(T, Copied, I);
      if (M.Index == Marker::None) {
        Out.appendSlice(T, I, I + 1); // `%%` is `%`, `{{` is `{`.
      } else {
        unsigned Index = M.Index == Marker::Next ? NextArg++
                                                 : static_cast<unsigned>(M.Index);
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

void Reconstructor::addValue(const Expr *E, SourceLocation UseLoc,
                             ReconstructedSql &Out, unsigned Depth) {
  const Expr *S = ignoreStringWrappers(E);
  if (!S)
    return;
  QualType T = S->getType();
  if (!S->isValueDependent() && !S->containsErrors() && !T.isNull() &&
      T->isIntegralOrEnumerationType() && !T->isAnyCharacterType()) {
    Expr::EvalResult R;
    if (S->EvaluateAsInt(R, Ctx)) {
      // A constant number (`OFFSET 0` through a template) is its value.
      std::string Num = llvm::toString(R.Val.getInt(), 10);
      SqlPiece P;
      P.Begin = static_cast<uint32_t>(Out.Text.size());
      P.Length = static_cast<uint32_t>(Num.size());
      P.Unknown = S;
      Out.Text += Num;
      Out.Pieces.push_back(P);
      return;
    }
  }
  if (mayHoldText(S) || isa<CharacterLiteral>(S))
    add(S, UseLoc, Out, Depth);
  else
    addUnknown(S, Out);
}

unsigned Reconstructor::choose(const void *Key, unsigned Options) {
  if (Options <= 1)
    return 0;
  if (llvm::none_of(Met, [&](const auto &M) { return M.first == Key; }))
    Met.push_back({Key, Options});
  auto It = Plan.find(Key);
  return It == Plan.end() ? 0 : std::min(It->second, Options - 1);
}

/// The values a function returns, in source order (not those of lambdas or
/// local classes in it).
static void collectReturns(const Stmt *S, std::vector<const Expr *> &Out) {
  if (!S || Out.size() >= 32)
    return;
  if (isa<LambdaExpr>(S))
    return;
  if (const auto *R = dyn_cast<ReturnStmt>(S)) {
    if (R->getRetValue())
      Out.push_back(R->getRetValue());
    return;
  }
  for (const Stmt *C : S->children())
    collectReturns(C, Out);
}

bool Reconstructor::addHelperReturn(const CallExpr *Call, const FunctionDecl *FD,
                                    SourceLocation UseLoc,
                                    ReconstructedSql &Out, unsigned Depth) {
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || isa<CXXOperatorCallExpr>(Call))
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  if (SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation())))
    return false;
  QualType RT = Def->getReturnType().getNonReferenceType();
  if (!RT->isRecordType() && !isCharPointer(RT))
    return false;
  auto It = Returns.find(Def);
  if (It == Returns.end()) {
    std::vector<const Expr *> Rets;
    collectReturns(Def->getBody(), Rets);
    It = Returns.try_emplace(Def, std::move(Rets)).first;
  }
  if (It->second.empty() || !InCall.insert(Def).second)
    return false;
  const std::vector<const Expr *> &Rets = It->second;
  unsigned K = choose(Call, static_cast<unsigned>(std::min<size_t>(Rets.size(), 16)));
  Frames.push_back({Def, Call, UseLoc});
  add(Rets[K], Rets[K]->getBeginLoc(), Out, Depth + 1);
  Frames.pop_back();
  InCall.erase(Def);
  return true;
}

bool Reconstructor::addCall(const CallExpr *Call, SourceLocation UseLoc,
                            ReconstructedSql &Out, unsigned Depth) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getDeclName().isIdentifier())
    return false;
  if (std::optional<FormatCall> F = formatCallOf(Call, Rules)) {
    llvm::SmallVector<const Expr *, 8> Args;
    for (unsigned I = F->FirstArg; I < Call->getNumArgs(); ++I)
      Args.push_back(Call->getArg(I));
    addTemplate(Call->getArg(F->FormatArg), Args, F->S, UseLoc, Out, Depth);
    return true;
  }
  llvm::StringRef Name = FD->getName();
  std::string Qualified = qualifiedName(FD);
  if (Call->getNumArgs() >= 1 &&
      Rules.isStringCall(StringCall::Literal, Qualified, Name)) {
    add(Call->getArg(0), UseLoc, Out, Depth + 1);
    return true;
  }
  if (Rules.isStringCall(StringCall::Concat, Qualified, Name)) {
    for (const Expr *A : Call->arguments())
      add(A, UseLoc, Out, Depth + 1);
    return true;
  }
  if (Call->getNumArgs() >= 1 &&
      Rules.isStringCall(StringCall::Number, Qualified, Name)) {
    // A constant is its digits; otherwise the hole is the whole call.
    const Expr *Arg = ignoreStringWrappers(Call->getArg(0));
    if (!mayHoldText(Arg)) {
      size_t Before = Out.Pieces.size();
      addValue(Arg, UseLoc, Out, Depth + 1);
      if (Out.Pieces.size() > Before && !Out.Holes.empty() &&
          Out.Holes.back().E == Arg)
        Out.Holes.back().E = Out.Pieces.back().Unknown = Call;
      return true;
    }
  }
  return addHelperReturn(Call, FD, UseLoc, Out, Depth);
}

void Reconstructor::add(const Expr *E, SourceLocation UseLoc,
                        ReconstructedSql &Out, unsigned Depth) {
  E = ignoreStringWrappers(E);
  if (!E)
    return;
  if (Depth > 64 || Out.Text.size() > (64u << 20) || ++Budget > 200000) {
    addUnknown(E, Out);
    return;
  }
  if (const auto *L = dyn_cast<StringLiteral>(E)) {
    addLiteral(L, Out);
    return;
  }
  if (const auto *CL = dyn_cast<CharacterLiteral>(E)) {
    // `'%' + term`: the character, at its place between the quotes.
    const SourceManager &SM = Ctx.getSourceManager();
    SqlPiece P;
    P.Begin = static_cast<uint32_t>(Out.Text.size());
    P.Length = 1;
    P.RawLoc = SM.getSpellingLoc(CL->getLocation());
    P.RawOffsets.push_back(1);
    unsigned V = CL->getValue();
    Out.Text += V < 128 && V > 0 ? static_cast<char>(V) : '?';
    Out.HasLiteral = true;
    Out.Pieces.push_back(std::move(P));
    return;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (Op->getOperator() == OO_Plus && Op->getNumArgs() == 2) {
      // Flatten `a + b + c + ...` iteratively: a 10,000-part chain must not
      // recurse 10,000 frames deep.
      llvm::SmallVector<const Expr *, 16> Parts;
      const Expr *Cur = E;
      while (const auto *P = dyn_cast<CXXOperatorCallExpr>(Cur)) {
        if (P->getOperator() != OO_Plus || P->getNumArgs() != 2)
          break;
        Parts.push_back(P->getArg(1));
        Cur = ignoreStringWrappers(P->getArg(0));
      }
      Parts.push_back(Cur);
      for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
        add(*It, UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *C = dyn_cast<CXXConstructExpr>(E)) {
    unsigned Written = C->getNumArgs();
    while (Written > 0 && isa<CXXDefaultArgExpr>(C->getArg(Written - 1)))
      --Written;
    if (Written == 0)
      return; // A default-constructed string is empty.
    QualType T = C->getArg(0)->getType();
    if (Written == 1 && (T->isPointerType() || T->isArrayType() ||
                         T->isRecordType() || T->isReferenceType())) {
      add(C->getArg(0), UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    llvm::StringRef Name =
        M && M->getDeclName().isIdentifier() ? M->getName() : "";
    const Expr *Obj = MC->getImplicitObjectArgument();
    auto Is = [&](StringCall::Kind K, const CXXMethodDecl *CM) {
      return CM && CM->getIdentifier() &&
             Rules.isStringCall(K, qualifiedName(CM), CM->getName());
    };
    if (Obj && Is(StringCall::ArgTemplate, M)) {
      // `QString("... %1 ... %2").arg(a).arg(b)`: each arg() fills the
      // lowest-numbered marker left; arg(a, b, ...) with strings fills
      // several.
      llvm::SmallVector<const CXXMemberCallExpr *, 4> Chain;
      const Expr *Base = E;
      while (const auto *C = dyn_cast<CXXMemberCallExpr>(Base)) {
        const CXXMethodDecl *CM = C->getMethodDecl();
        if (!Is(StringCall::ArgTemplate, CM) || !C->getImplicitObjectArgument())
          break;
        Chain.push_back(C);
        Base = ignoreStringWrappers(C->getImplicitObjectArgument());
      }
      llvm::SmallVector<const Expr *, 8> Args;
      for (auto It = Chain.rbegin(); It != Chain.rend(); ++It) {
        const CXXMethodDecl *CM = (*It)->getMethodDecl();
        unsigned Written = 0;
        for (const Expr *A : (*It)->arguments())
          if (!isa<CXXDefaultArgExpr>(A))
            ++Written;
        bool Several = CM->getNumParams() >= 2 &&
                       !CM->getParamDecl(1)->getType()->isArithmeticType();
        for (unsigned I = 0; I < Written && (I == 0 || Several); ++I)
          Args.push_back((*It)->getArg(I));
      }
      addTemplate(Base, Args, FormatCall::Qt, UseLoc, Out, Depth);
      return;
    }
    if (Obj && isStringViewMethod(Name)) {
      add(Obj, UseLoc, Out, Depth + 1);
      return;
    }
    if (Obj && Name == "str") {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(ignoreStringWrappers(Obj)))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
          addVar(VD, UseLoc, Out, Depth + 1);
          return;
        }
    }
    if (Obj && Is(StringCall::Append, M) && MC->getNumArgs() >= 1) {
      add(Obj, UseLoc, Out, Depth + 1);
      add(MC->getArg(0), UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const StringLiteral *L = immediateLambdaLiteral(E)) {
    addLiteral(L, Out); // Qt 5's QStringLiteral("...")
    return;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (addCall(Call, UseLoc, Out, Depth))
      return;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
      addVar(VD, UseLoc, Out, Depth + 1, DRE);
      return;
    }
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
        FD && FD->hasInClassInitializer() && FD->getInClassInitializer()) {
      add(FD->getInClassInitializer(), UseLoc, Out, Depth + 1);
      return;
    }
    if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl())) {
      addVar(VD, UseLoc, Out, Depth + 1);
      return;
    }
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E);
      B && B->getOpcode() == BO_Add && (B->isTypeDependent() || B->containsErrors())) {
    // `"%" + term + "%"` where term's type did not resolve.
    add(B->getLHS(), UseLoc, Out, Depth + 1);
    add(B->getRHS(), UseLoc, Out, Depth + 1);
    return;
  }
  if (const auto *RE = dyn_cast<RecoveryExpr>(E); RE && isRecoveredConcat(RE)) {
    // `"..." + f(x)` where f did not resolve (a missing header): Clang keeps
    // both operands; the text is still the concatenation.
    for (const Expr *Sub : RE->subExpressions())
      add(Sub, UseLoc, Out, Depth + 1);
    return;
  }
  if (const auto *CO = dyn_cast<ConditionalOperator>(E)) {
    // Each branch in turn (variants); the first by default.
    add(choose(CO, 2) ? CO->getFalseExpr() : CO->getTrueExpr(), UseLoc, Out,
        Depth + 1);
    return;
  }
  addUnknown(E, Out);
}

void Reconstructor::addParam(const ParmVarDecl *P, const Expr *Ref,
                             ReconstructedSql &Out, unsigned Depth) {
  const auto *F = dyn_cast<FunctionDecl>(P->getDeclContext());
  unsigned Index = P->getFunctionScopeIndex();
  // Inside a helper whose return value is being rebuilt: the argument.
  for (auto It = Frames.rbegin(); F && It != Frames.rend(); ++It) {
    if (It->FD != F)
      continue;
    if (Index >= It->Call->getNumArgs())
      break;
    add(It->Call->getArg(Index), It->CallerUseLoc, Out, Depth + 1);
    return;
  }
  // The SQL comes in as a parameter: each call site's argument in turn
  // (variants); an unknown value by default.
  if (F && mayHoldText(Ref) && !Expanding.count(F)) {
    auto Calls = Callers.find(F->getCanonicalDecl());
    if (Calls != Callers.end() && !Calls->second.empty()) {
      unsigned N = static_cast<unsigned>(std::min<size_t>(Calls->second.size(), 256));
      if (unsigned K = choose(P, N + 1)) {
        const CallExpr *Call = Calls->second[K - 1];
        if (Index < Call->getNumArgs()) {
          Expanding.insert(F);
          add(Call->getArg(Index), Call->getBeginLoc(), Out, Depth + 1);
          Expanding.erase(F);
          return;
        }
      }
    }
  }
  addUnknown(Ref, Out);
}

/// The `case`/`default` labels of \p S in source order.
static std::vector<const SwitchCase *> switchArms(const SwitchStmt *S,
                                                  const SourceManager &SM) {
  std::vector<const SwitchCase *> Arms;
  for (const SwitchCase *C = S->getSwitchCaseList(); C;
       C = C->getNextSwitchCase())
    Arms.push_back(C);
  llvm::sort(Arms, [&](const SwitchCase *A, const SwitchCase *B) {
    return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A->getBeginLoc()),
                                        SM.getExpansionLoc(B->getBeginLoc()));
  });
  return Arms;
}

std::vector<BranchArm> branchPath(llvm::ArrayRef<const Stmt *> Stack,
                                  const SourceManager &SM) {
  std::vector<BranchArm> Path;
  if (Stack.empty())
    return Path;
  SourceLocation At = SM.getExpansionLoc(Stack.back()->getBeginLoc());
  for (size_t I = 0; I + 1 < Stack.size(); ++I) {
    const Stmt *Child = Stack[I + 1];
    if (const auto *If = dyn_cast<IfStmt>(Stack[I])) {
      if (Child == If->getThen() || Child == If->getElse())
        Path.push_back({If, Child});
    } else if (const auto *Sw = dyn_cast<SwitchStmt>(Stack[I]);
               Sw && Child == Sw->getBody()) {
      const SwitchCase *Label = nullptr;
      for (const SwitchCase *C : switchArms(Sw, SM))
        if (!SM.isBeforeInTranslationUnit(At,
                                          SM.getExpansionLoc(C->getBeginLoc())))
          Label = C;
      if (Label)
        Path.push_back({Sw, Label});
    }
  }
  return Path;
}

/// Is \p Loc inside arm \p B (a `case` arm runs to the next label)?
static bool armContains(const BranchArm &B, SourceLocation Loc,
                        const SourceManager &SM) {
  Loc = SM.getExpansionLoc(Loc);
  SourceLocation Begin = SM.getExpansionLoc(B.Arm->getBeginLoc());
  SourceLocation End = SM.getExpansionLoc(B.Cond->getEndLoc());
  if (isa<IfStmt>(B.Cond))
    End = SM.getExpansionLoc(B.Arm->getEndLoc());
  else
    for (const SwitchCase *C : switchArms(cast<SwitchStmt>(B.Cond), SM))
      if (SM.isBeforeInTranslationUnit(Begin,
                                       SM.getExpansionLoc(C->getBeginLoc()))) {
        End = SM.getExpansionLoc(C->getBeginLoc());
        break;
      }
  return !SM.isBeforeInTranslationUnit(Loc, Begin) &&
         !SM.isBeforeInTranslationUnit(End, Loc);
}

/// Does the `if` arm \p Arm end in a `return` or `throw`?
static bool armExits(const Stmt *Arm) {
  while (const auto *C = dyn_cast_or_null<CompoundStmt>(Arm))
    Arm = C->body_empty() ? nullptr : C->body_back();
  if (const auto *E = dyn_cast_or_null<ExprWithCleanups>(Arm))
    Arm = E->getSubExpr();
  return isa_and_nonnull<ReturnStmt, CXXThrowExpr>(Arm);
}

int Reconstructor::reachingWrites(
    llvm::SmallVectorImpl<const Mutation *> &Writes, SourceLocation UseLoc) {
  const SourceManager &SM = Ctx.getSourceManager();
  // At most this many arms of one if/else chain or switch are tried.
  constexpr unsigned MaxArms = 16;
  llvm::SmallVector<BranchArm, 4> Within;
  auto Taken = [&](const BranchArm &B) {
    return llvm::any_of(Within, [&](const BranchArm &W) {
      return W.Cond == B.Cond && W.Arm == B.Arm;
    });
  };
  while (true) {
    auto Last = llvm::find_if(llvm::reverse(Writes), [](const Mutation *M) {
      return M->K == Mutation::Assign;
    });
    if (Last == llvm::reverse(Writes).end())
      return -1;
    int K =
        static_cast<int>(std::distance(Last, llvm::reverse(Writes).end())) - 1;
    // The first if/switch around the assignment that the use is not in.
    const BranchArm *Open = nullptr;
    for (const BranchArm &B : Writes[K]->Path)
      if (!Taken(B) && !(UseLoc.isValid() && armContains(B, UseLoc, SM))) {
        Open = &B;
        break;
      }
    if (!Open)
      return K;
    // Each arm is a choice, the assignment's own first (the default); an
    // `if` without `else` or a `switch` without `default` may run none.
    llvm::SmallVector<const Stmt *, 8> Options{Open->Arm};
    bool Exhaustive = false;
    if (const auto *If = dyn_cast<IfStmt>(Open->Cond)) {
      Exhaustive = If->getElse() != nullptr;
      for (const Stmt *A : {If->getThen(), If->getElse()})
        if (A && A != Open->Arm)
          Options.push_back(A);
    } else {
      for (const SwitchCase *C : switchArms(cast<SwitchStmt>(Open->Cond), SM)) {
        Exhaustive |= isa<DefaultStmt>(C);
        if (C != Open->Arm && Options.size() < MaxArms)
          Options.push_back(C);
      }
    }
    if (!Exhaustive)
      Options.push_back(nullptr);
    // An arm that ends in `return` or `throw` does not reach a use after
    // the if (it may be the only one left when the use is unreachable).
    if (UseLoc.isValid()) {
      llvm::SmallVector<const Stmt *, 8> Reaching(Options);
      llvm::erase_if(Reaching, [](const Stmt *A) { return armExits(A); });
      if (!Reaching.empty())
        Options = Reaching;
    }
    BranchArm Chosen{Open->Cond, Options[choose(Open->Cond, Options.size())]};
    Within.push_back(Chosen);
    llvm::erase_if(Writes, [&](const Mutation *M) {
      return llvm::any_of(M->Path, [&](const BranchArm &B) {
        return B.Cond == Chosen.Cond && B.Arm != Chosen.Arm;
      });
    });
  }
}

void Reconstructor::addVar(const VarDecl *VD, SourceLocation UseLoc,
                           ReconstructedSql &Out, unsigned Depth,
                           const Expr *Ref) {
  auto Key = std::make_pair(VD, UseLoc.getRawEncoding());
  if (!InProgress.insert(Key).second) {
    addUnknown(nullptr, Out);
    return;
  }
  const SourceManager &SM = Ctx.getSourceManager();
  const auto *Param = dyn_cast<ParmVarDecl>(VD);
  const Expr *Init = Param ? nullptr : VD->getAnyInitializer();
  SourceLocation InitLoc = VD->getLocation();
  bool Assigned = false;
  llvm::SmallVector<const Mutation *, 8> Applied;
  auto It = Mutations.find(VD);
  if (It != Mutations.end()) {
    for (const Mutation &M : It->second)
      if (UseLoc.isInvalid() || SM.isBeforeInTranslationUnit(M.Loc, UseLoc))
        Applied.push_back(&M);
    // `if (a) sql = "..."; else sql = "...";`: the arms are variants.
    int K = reachingWrites(Applied, UseLoc);
    if (K >= 0) {
      Init = Applied[K]->Value;
      InitLoc = Applied[K]->Loc;
      Assigned = true;
      Applied.erase(Applied.begin(), Applied.begin() + K + 1);
    }
  }
  // Each value as it was where it was written: `sql = "SELECT * FROM (" +
  // sql + ") t"` reads the earlier sql.
  if (Param && !Assigned) {
    addParam(Param, Ref, Out, Depth + 1);
  } else if (!Init && Applied.empty()) {
    if (!VD->getType()->isRecordType() || VD->hasExternalStorage())
      addUnknown(nullptr, Out); // An uninitialised string object is empty.
  } else if (Init) {
    add(Init, InitLoc, Out, Depth + 1);
  }
  for (const Mutation *M : Applied)
    add(M->Value, M->Loc, Out, Depth + 1);
  InProgress.erase(Key);
}

ReconstructedSql Reconstructor::build(const Expr *E, SourceLocation UseLoc) {
  ReconstructedSql Out;
  Budget = 0;
  NextParam = 1; // Each text numbers its own holes.
  add(E, UseLoc, Out, 0);
  return Out;
}

ReconstructedSql Reconstructor::buildAll(llvm::ArrayRef<const Expr *> Parts,
                                         SourceLocation UseLoc) {
  ReconstructedSql Out;
  Budget = 0;
  NextParam = 1; // Each text numbers its own holes.
  for (const Expr *E : Parts)
    add(E, UseLoc, Out, 0);
  return Out;
}

ReconstructedSql Reconstructor::buildVar(const VarDecl *VD,
                                         SourceLocation UseLoc) {
  ReconstructedSql Out;
  Budget = 0;
  NextParam = 1; // Each text numbers its own holes.
  addVar(VD, UseLoc, Out, 0);
  return Out;
}

std::vector<ReconstructedSql>
Reconstructor::buildVariants(llvm::ArrayRef<const Expr *> Parts,
                             const VarDecl *Var, SourceLocation UseLoc,
                             unsigned Max) {
  std::vector<ReconstructedSql> Out;
  auto Build = [&] {
    return Var ? buildVar(Var, UseLoc) : buildAll(Parts, UseLoc);
  };
  Plan.clear();
  Met.clear();
  Out.push_back(Build());
  if (Met.empty() || Max == 0) {
    Met.clear();
    return Out;
  }
  using PlanList = std::vector<std::pair<const void *, unsigned>>;
  std::vector<std::pair<const void *, unsigned>> BaseMet = Met;
  llvm::DenseSet<const void *> InBase;
  for (const auto &M : BaseMet)
    InBase.insert(M.first);
  std::deque<PlanList> Queue;
  auto Expand = [&](const PlanList &From, bool Base) {
    for (const auto &Entry : Met) {
      const void *Key = Entry.first;
      unsigned Options = Entry.second;
      if ((!Base && InBase.count(Key)) ||
          llvm::any_of(From, [&](const auto &P) { return P.first == Key; }))
        continue;
      for (unsigned O = 1; O < Options; ++O) {
        PlanList Next = From;
        Next.push_back({Key, O});
        Queue.push_back(std::move(Next));
      }
    }
  };
  Expand({}, true);
  std::set<std::string> Texts{Out.front().Text};
  bool SavedRecord = RecordUse;
  RecordUse = false;
  unsigned Builds = 0;
  while (!Queue.empty() && Out.size() <= Max && Builds++ < 4 * Max + 16) {
    PlanList P = std::move(Queue.front());
    Queue.pop_front();
    Plan.clear();
    for (const auto &[Key, Option] : P)
      Plan[Key] = Option;
    Met.clear();
    ReconstructedSql R = Build();
    if (P.size() < 4)
      Expand(P, false);
    if (R.HasLiteral && Texts.insert(R.Text).second)
      Out.push_back(std::move(R));
  }
  RecordUse = SavedRecord;
  Plan.clear();
  Met.clear();
  return Out;
}

std::optional<std::string> Reconstructor::literalValue(const Expr *E,
                                                      SourceLocation UseLoc) {
  ReconstructedSql V;
  Budget = 0;
  NextParam = 1;
  addValue(E, UseLoc, V, 0);
  if (!V.HasLiteral) {
    // A constant number has no literal piece but known digits.
    if (V.Holes.empty() && !V.Text.empty() &&
        llvm::all_of(V.Text, [](char C) { return llvm::isDigit(C) || C == '-'; }))
      return V.Text;
    return std::nullopt;
  }
  std::string Out = "'";
  for (char C : V.Text) {
    Out += C;
    if (C == '\'')
      Out += '\'';
  }
  return Out + "'";
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
               (I == 0 || (T[I - 1] != ':' && T[I - 1] != '@' &&
                           !IdentChar(T[I - 1])))) {
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

ReconstructedSql substituteBound(const ReconstructedSql &Sql,
                                 llvm::ArrayRef<BoundValue> Values,
                                 Reconstructor &R, const ASTContext &Ctx) {
  if (Values.empty())
    return Sql;
  std::vector<SqlPlaceholder> Places = placeholdersIn(Sql);
  if (Places.empty())
    return Sql;
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
  ReconstructedSql Out;
  uint32_t Copied = 0;
  for (size_t I = 0; I < Places.size(); ++I) {
    if (!Of[I])
      continue;
    std::optional<std::string> Text = R.literalValue(Of[I]->Value, Of[I]->Loc);
    if (!Text)
      continue;
    const SqlPlaceholder &P = Places[I];
    Out.appendSlice(Sql, Copied, P.Begin);
    SqlPiece Piece;
    Piece.Begin = static_cast<uint32_t>(Out.Text.size());
    Piece.Length = static_cast<uint32_t>(Text->size());
    Piece.At = Sql.locationOf(P.Begin, Ctx);
    CharSourceRange Range =
        CharSourceRange::getTokenRange(Of[I]->Value->getSourceRange());
    llvm::StringRef Src =
        Lexer::getSourceText(Range, Ctx.getSourceManager(), Ctx.getLangOpts());
    Piece.Shown = Sql.Text.substr(P.Begin, P.Length) + " (bound to " +
                  (Src.empty() ? *Text : Src.str()) + ")";
    Out.Text += *Text;
    Out.Pieces.push_back(std::move(Piece));
    Copied = P.Begin + P.Length;
  }
  if (Copied == 0)
    return Sql;
  Out.appendSlice(Sql, Copied, static_cast<uint32_t>(Sql.Text.size()));
  Out.HasLiteral = Sql.HasLiteral;
  return Out;
}

} // namespace stresslint
