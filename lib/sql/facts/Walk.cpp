//===--- Walk.cpp - The walk of one parsed statement, for the facts --------===//
#include "sql/facts/Walk.h"
#include "sql/facts/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include <array>

namespace stresslint {
namespace sqlfacts {

using namespace pgtree;

uint32_t originalEnd(const MappedText &Stmt, size_t End, llvm::StringRef Original) {
  uint32_t A = Stmt.originOf(End - 1) + 1;
  if (End < Stmt.size()) {
    uint32_t B = Stmt.originOf(End);
    if (B > A && B - A <= 64 && B <= Original.size() &&
        llvm::none_of(Original.slice(A, B), [](char C) {
          return llvm::isSpace(C) || C == ',' || C == ';' || C == '(' || C == ')' ||
                 C == '\'' || C == '"';
        }))
      A = B;
  } else if (A > 0 && A < Original.size() &&
             llvm::StringRef(":@$?{").contains(Original[A - 1])) {
    // A placeholder at the end, normalised to `$n`: its whole name.
    bool Brace = Original[A - 1] == '{';
    while (A < Original.size() && (llvm::isAlnum(Original[A]) || Original[A] == '_'))
      ++A;
    if (Brace && A < Original.size() && Original[A] == '}')
      ++A;
  }
  return std::min<uint32_t>(A, Original.size());
}

namespace {
/// The extractors of each hook, in registry order, with their fact's kind.
struct Hooks {
  struct Entry {
    FactKinds Kind;
    void (*Extract)(FactWalk &, const Object *);
  };
  std::array<std::vector<Entry>, static_cast<size_t>(FactHook::Statement) + 1> ByHook;

  static const Hooks &get() {
    static const Hooks H = [] {
      Hooks Out;
      for (const FactSpec *S : factSpecs())
        Out.ByHook[static_cast<size_t>(S->Hook)].push_back(
            {factKind(S->Kind), S->Extract});
      return Out;
    }();
    return H;
  }
};
} // namespace

void FactWalk::extract(FactHook Hook, const Object *Node) {
  for (const Hooks::Entry &E : Hooks::get().ByHook[static_cast<size_t>(Hook)])
    if (Wanted & E.Kind)
      E.Extract(*this, Node);
}

bool FactWalk::run(const Value &RawStmt) {
  const Value *Wrapped = get(&RawStmt, "stmt");
  auto [Type, Body] = unwrap(Wrapped);
  if (!Body)
    return false;
  Top = Body;
  TopType = Type;
  walk(*Wrapped, 0);
  TopSelect = Type == "SelectStmt" ? Body : nullptr;
  extract(FactHook::Statement, Body);
  if (Type == "SelectStmt")
    return get(Body, "fromClause") || get(Body, "larg");
  return Type == "InsertStmt" || Type == "UpdateStmt" || Type == "DeleteStmt" ||
         Type == "MergeStmt";
}

const std::vector<SqlToken> &FactWalk::tokensFrom(uint32_t Offset) {
  if (Scanned && Offset >= ScannedFrom)
    return Tokens;
  Offset = std::min<uint32_t>(Offset, Stmt.size());
  Tokens.clear();
  scanSql(llvm::StringRef(Stmt.text()).drop_front(Offset), Tokens);
  for (SqlToken &T : Tokens) {
    T.Begin += Offset;
    T.End += Offset;
  }
  Scanned = true;
  ScannedFrom = Offset;
  return Tokens;
}

size_t FactWalk::tokenAt(uint32_t Offset) {
  const auto &T = tokensFrom(Offset);
  return std::lower_bound(T.begin(), T.end(), Offset,
                          [](const SqlToken &A, uint32_t O) { return A.Begin < O; }) -
         T.begin();
}

uint32_t FactWalk::tokenEnd(uint32_t Offset) {
  size_t I = tokenAt(Offset);
  return I < Tokens.size() ? Tokens[I].End : Offset + 1;
}

uint32_t FactWalk::operandEnd(uint32_t Offset) {
  size_t I = tokenAt(Offset);
  const auto &T = Tokens;
  if (I >= T.size())
    return Offset + 1;
  while (I + 2 < T.size() && T[I + 1].Kind == tok::Dot && T[I + 1].Begin == T[I].End)
    I += 2;
  return T[I].End;
}

/// The offset just past the quoted string or identifier that starts at
/// \p Text[\p I] (a doubled quote stands for one), or npos when it is not
/// closed or holds a backslash (an E'' string's escape could hide its end).
static size_t skipQuoted(llvm::StringRef Text, size_t I) {
  char Q = Text[I];
  size_t J = I + 1;
  while ((J = Text.find(Q, J)) != llvm::StringRef::npos && J + 1 < Text.size() &&
         Text[J + 1] == Q)
    J += 2;
  if (J == llvm::StringRef::npos || Text.slice(I + 1, J).contains('\\'))
    return llvm::StringRef::npos;
  return J + 1;
}

uint32_t FactWalk::callEnd(uint32_t Offset) {
  // Parentheses are tokens of their own: up to the closing one, where no
  // dollar quote or comment could hide one, the bytes say what the tokens
  // would, without a scan (`count(*)`, `max(a + b)`, `string_agg(s, ',')`).
  // Quoted strings and identifiers are stepped over; a `$` is a parameter
  // (`$1`) when a digit follows it.
  llvm::StringRef Text = Stmt.text();
  int Plain = 0;
  for (size_t I = Offset; I < Text.size(); ++I) {
    char C = Text[I];
    if (C == '\'' || C == '"') {
      size_t After = skipQuoted(Text, I);
      if (After == llvm::StringRef::npos)
        break;
      I = After - 1;
      continue;
    }
    llvm::StringRef Rest = Text.drop_front(I);
    if ((C == '$' && !(Rest.size() > 1 && llvm::isDigit(Rest[1]))) ||
        Rest.startswith("--") || Rest.startswith("/*"))
      break;
    if (C == '(')
      ++Plain;
    else if (C == ')' && --Plain == 0)
      return static_cast<uint32_t>(I + 1);
  }
  size_t First = tokenAt(Offset);
  const auto &T = Tokens;
  int Depth = 0;
  for (size_t I = First; I < T.size(); ++I) {
    if (T[I].Kind == tok::LParen)
      ++Depth;
    else if (T[I].Kind == tok::RParen && --Depth == 0)
      return T[I].End;
  }
  return tokenEnd(Offset);
}

SqlFact &FactWalk::add(SqlFact::Kind K, uint32_t Begin, uint32_t End) {
  SqlFact F;
  F.K = K;
  F.Begin = Stmt.originOf(Begin);
  F.End = std::max(F.Begin + 1, originalEnd(Stmt, End, Original));
  if (F.End > Original.size())
    F.End = static_cast<uint32_t>(Original.size());
  F.Snippet = Original.slice(F.Begin, F.End).str();
  Facts.push_back(std::move(F));
  return Facts.back();
}

std::vector<FromItem> FactWalk::scopeItems() const {
  std::vector<FromItem> Items;
  const Object *Scope = Selects.empty() ? Top : Selects.back().Select;
  if (const Object *Rel = Selects.empty() ? getObject(Top, "relation") : nullptr) {
    FromItem I{stringField(getObject(Rel, "alias"), "aliasname").lower(), Rel,
               "RangeVar"};
    if (I.Name.empty())
      I.Name = stringField(Rel, "relname").lower();
    Items.push_back(std::move(I));
  }
  for (llvm::StringRef Key : {"fromClause", "usingClause"})
    if (std::optional<Array> From = arrayField(Scope, Key))
      for (const Value &V : *From)
        fromItems(V, Items);
  return Items;
}

void FactWalk::walk(const Value &V, unsigned Depth) {
  if (Depth > 2000) // The parser itself refuses deeper nesting.
    return;
  if (V.IsArray()) {
    for (const Value &E : V.GetArray())
      walk(E, Depth + 1);
    return;
  }
  if (!V.IsObject())
    return;
  for (const auto &KV : V.GetObject()) {
    llvm::StringRef Key = str(KV.name);
    const Object *Body = asObject(KV.value);
    bool SetOpBranch = (Key == "larg" || Key == "rarg") && Body && get(Body, "op");
    if (Body && (Key == "SelectStmt" || SetOpBranch)) {
      bool Sub = SetOpBranch ? !Selects.empty() && Selects.back().Subquery
                             : !Selects.empty() || InSublink > 0;
      Selects.push_back({Body, Sub});
      extract(FactHook::Select, Body);
      walk(KV.value, Depth + 1);
      Selects.pop_back();
      continue;
    }
    if (Body && Key == "SubLink") {
      ++InSublink;
      walk(KV.value, Depth + 1);
      --InSublink;
      continue;
    }
    if (Body && Key == "A_Expr")
      extract(FactHook::AExpr, Body);
    else if (Body && Key == "FuncCall")
      extract(FactHook::FuncCall, Body);
    walk(KV.value, Depth + 1);
  }
}

} // namespace sqlfacts
} // namespace stresslint
