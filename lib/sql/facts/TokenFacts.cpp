//===--- TokenFacts.cpp - Facts from the tokens of an unparsed statement ---===//
#include "sql/facts/TokenFacts.h"
#include "sql/facts/Holes.h"
#include "sql/facts/Registry.h"
#include "sql/facts/Walk.h"

#include "llvm/ADT/StringExtras.h"

namespace stresslint {
namespace sqlfacts {

namespace {

/// Token-level facts of a statement the parser rejects (another dialect's
/// syntax, a syntax error elsewhere, unknown parts that no substitution
/// made parse). libpg_query's scanner keeps strings, quoted names and
/// comments whole, so `'OFFSET 5'`, `"offset"`, `offset_ms` and
/// `-- OFFSET 5` are never keywords here. Only constructs the tokens show
/// unambiguously are facts, at the same offsets the parse would give.
class TokenFacts {
public:
  TokenFacts(const MappedText &Stmt, llvm::StringRef Original,
             std::vector<SqlFact> &Facts)
      : Stmt(Stmt), Text(Stmt.text()), Original(Original), Facts(Facts) {}

  void run() {
    std::vector<SqlToken> All;
    scanSql(Text, All);
    for (const SqlToken &Tok : All)
      if (Tok.Kind != tok::SqlComment && Tok.Kind != tok::CComment)
        T.push_back(Tok);
    if (T.empty())
      return;
    Depth.resize(T.size());
    int D = 0;
    for (size_t I = 0; I < T.size(); ++I) {
      if (T[I].Kind == tok::RParen)
        D = std::max(0, D - 1);
      Depth[I] = D;
      if (T[I].Kind == tok::LParen)
        ++D;
    }
    for (size_t I = 0; I < T.size(); ++I)
      if (isHoleToken(T[I], Text) && isClauseHole(T, I, Text))
        ClauseHole = true;
    // A query: SELECT, WITH ... SELECT, (SELECT ...).
    StartsQuery = is(0, tok::Select) || is(0, tok::With) ||
                  (is(0, tok::LParen) && is(1, tok::Select));
    selectStars();
    for (size_t I = 0; I < T.size(); ++I) {
      offset(I);
      like(I);
      lock(I);
    }
  }

private:
  bool is(size_t I, int K) const { return I < T.size() && T[I].Kind == K; }
  llvm::StringRef text(size_t I) const { return Text.slice(T[I].Begin, T[I].End); }
  bool word(size_t I, llvm::StringRef W) const {
    return I < T.size() && text(I).equals_insensitive(W);
  }
  /// Index of the `)` closing the `(` at \p I, or npos.
  size_t closeParen(size_t I) const {
    for (size_t J = I + 1; J < T.size(); ++J)
      if (T[J].Kind == tok::RParen && Depth[J] == Depth[I])
        return J;
    return llvm::StringRef::npos;
  }
  bool selectBefore(size_t I) const {
    for (size_t K = 0; K < I; ++K)
      if (T[K].Kind == tok::Select)
        return true;
    return false;
  }

  SqlFact &add(SqlFact::Kind K, size_t First, size_t Last) {
    SqlFact F;
    F.K = K;
    F.FromParse = false;
    F.Begin = Stmt.originOf(T[First].Begin);
    F.End = std::max<uint32_t>(F.Begin + 1, originalEnd(Stmt, T[Last].End, Original));
    F.End = std::min<uint32_t>(F.End, Original.size());
    F.Snippet = Original.slice(F.Begin, F.End).str();
    Facts.push_back(std::move(F));
    return Facts.back();
  }

  // --- SELECT * at the top-level target list --------------------------------

  void selectStars() {
    for (size_t I = 0; I < T.size(); ++I) {
      if (T[I].Kind != tok::Select || Depth[I] != 0)
        continue;
      size_t P = I;
      if (P > 0 && (is(P - 1, tok::All) || is(P - 1, tok::Distinct)))
        --P;
      bool Top =
          I == 0 || (P > 0 && (is(P - 1, tok::Union) || is(P - 1, tok::Intersect) ||
                               is(P - 1, tok::Except)));
      if (Top)
        targetStars(I);
    }
  }

  void targetStars(size_t Select) {
    size_t I = Select + 1;
    if (is(I, tok::Distinct)) {
      ++I;
      if (is(I, tok::On) && is(I + 1, tok::LParen)) {
        size_t Close = closeParen(I + 1);
        if (Close == llvm::StringRef::npos)
          return;
        I = Close + 1;
      }
    } else if (is(I, tok::All)) {
      ++I;
    }
    std::vector<std::pair<size_t, size_t>> Stars;
    auto Item = [&](size_t B, size_t E) {
      if (E == B + 1 && T[B].Kind == tok::Star) {
        Stars.emplace_back(B, B);
        return;
      }
      // name.*, schema.name.*
      if (E < B + 3 || T[E - 1].Kind != tok::Star || T[E - 2].Kind != tok::Dot)
        return;
      for (size_t K = B; K + 2 < E; K += 2)
        if (T[K].Kind != tok::Ident || T[K + 1].Kind != tok::Dot)
          return;
      if ((E - B) % 2 == 1)
        Stars.emplace_back(B, E - 1);
    };
    size_t ItemBegin = I, J = I;
    for (; J < T.size(); ++J) {
      if (Depth[J] != 0)
        continue;
      int K = T[J].Kind;
      if (K == tok::From || K == tok::Into || K == tok::Semicolon || K == tok::Where ||
          K == tok::Union || K == tok::Intersect || K == tok::Except ||
          K == tok::Order || K == tok::Group || K == tok::Limit || K == tok::Offset ||
          K == tok::For)
        break;
      if (K == tok::Comma) {
        Item(ItemBegin, J);
        ItemBegin = J + 1;
      }
    }
    // Rows of a base table reach the client: FROM a name, not a function,
    // a subquery or VALUES; not SELECT ... INTO.
    if (!is(J, tok::From) || !(is(J + 1, tok::Ident) || is(J + 1, '[')) ||
        is(J + 2, tok::LParen))
      return;
    Item(ItemBegin, J);
    for (auto [B, E] : Stars)
      add(SqlFact::SelectStar, B, E);
  }

  // --- OFFSET n, LIMIT a, b -------------------------------------------------

  /// One past the operand starting at \p I (a number, a parameter, a
  /// parenthesised expression, a name or call, with `+ - * /` between
  /// them), or 0.
  size_t operandEnd(size_t I) const {
    auto Simple = [&](size_t J) -> size_t {
      if (J >= T.size())
        return 0;
      int K = T[J].Kind;
      if (K == tok::IConst || K == tok::Param || K == tok::FConst)
        return J + 1;
      if (K == tok::LParen) {
        size_t C = closeParen(J);
        return C == llvm::StringRef::npos ? 0 : C + 1;
      }
      if (K != tok::Ident)
        return 0;
      size_t E = J + 1;
      while (is(E, tok::Dot) && is(E + 1, tok::Ident))
        E += 2;
      if (is(E, tok::LParen)) {
        size_t C = closeParen(E);
        return C == llvm::StringRef::npos ? 0 : C + 1;
      }
      return E;
    };
    size_t E = Simple(I);
    while (E && E < T.size() &&
           (T[E].Kind == tok::Plus || T[E].Kind == tok::Minus ||
            T[E].Kind == tok::Star || T[E].Kind == tok::Slash)) {
      size_t N = Simple(E + 1);
      if (!N)
        break;
      E = N;
    }
    return E;
  }

  bool isZero(size_t I) const {
    return is(I, tok::IConst) &&
           text(I).find_first_not_of('0') == llvm::StringRef::npos;
  }

  /// True when the token before a clause keyword at \p I ends an operand
  /// or a clause (`... id DESC OFFSET`, `LIMIT 10 OFFSET`), not when it
  /// expects one (`SET offset =`, `, offset`, `(offset`).
  bool afterOperand(size_t I) const {
    if (I == 0)
      return false;
    int K = T[I - 1].Kind;
    if (K == tok::IConst || K == tok::FConst || K == tok::SConst || K == tok::Param ||
        K == tok::Ident || K == tok::RParen || K == ']' || K == tok::Asc ||
        K == tok::Desc || K == tok::All)
      return true;
    for (llvm::StringRef W : {"first", "last", "true", "false", "null"})
      if (word(I - 1, W))
        return true;
    return false;
  }

  void offset(size_t I) {
    if (T[I].Kind == tok::Offset) {
      size_t E = operandEnd(I + 1);
      if (!E || (E == I + 2 && isZero(I + 1)) || !afterOperand(I) || !selectBefore(I))
        return;
      add(SqlFact::Offset, I, E - 1).Detail = hint(I);
      return;
    }
    // MySQL's LIMIT offset, count.
    if (T[I].Kind != tok::Limit || !selectBefore(I))
      return;
    auto Single = [&](size_t J) {
      return is(J, tok::IConst) || is(J, tok::Param) ||
             (is(J, tok::Ident) && !is(J + 1, tok::LParen) && !is(J + 1, tok::Dot));
    };
    if (!Single(I + 1) || !is(I + 2, tok::Comma) || !Single(I + 3) || isZero(I + 1))
      return;
    add(SqlFact::Offset, I, I + 1).Detail = hint(I);
  }

  /// The keyset suggestion for the OFFSET (or MySQL LIMIT) at \p At: the
  /// ORDER BY and LIMIT of its own query level, when they are plain.
  std::string hint(size_t At) const {
    int D = Depth[At];
    size_t Begin = 0;
    for (size_t K = At; K-- > 0;)
      if (Depth[K] < D || (Depth[K] == D && T[K].Kind == tok::Select)) {
        Begin = K;
        break;
      }
    std::vector<std::string> Cols;
    bool Desc = false, Mixed = false, Plain = true;
    std::string Limit = "$n";
    for (size_t K = Begin; K < T.size() && Depth[K] >= D; ++K) {
      if (Depth[K] != D)
        continue;
      if (T[K].Kind == tok::Limit) {
        size_t First = K + 1, E = operandEnd(First);
        if (E && is(E, tok::Comma)) // LIMIT a, b: b is the count.
          E = operandEnd(First = E + 1);
        if (E)
          Limit = Text.slice(T[First].Begin, T[E - 1].End).str();
      } else if (T[K].Kind == tok::Fetch) {
        if (size_t E = operandEnd(K + 2))
          Limit = Text.slice(T[K + 2].Begin, T[E - 1].End).str();
      }
      if (T[K].Kind != tok::Order || !is(K + 1, tok::By) || !Cols.empty())
        continue;
      // Plain columns only: `a, b.c DESC NULLS LAST`.
      for (size_t J = K + 2;;) {
        size_t E = J;
        while (is(E, tok::Ident) && is(E + 1, tok::Dot))
          E += 2;
        if (!is(E, tok::Ident) || E == llvm::StringRef::npos) {
          Plain = false;
          break;
        }
        std::string Col = Text.slice(T[J].Begin, T[E].End).str();
        ++E;
        bool ThisDesc = false;
        if (is(E, tok::Desc) || is(E, tok::Asc))
          ThisDesc = T[E++].Kind == tok::Desc;
        if (is(E, tok::Nulls))
          E += 2;
        if (!Cols.empty() && ThisDesc != Desc)
          Mixed = true;
        Desc = ThisDesc;
        Cols.push_back(std::move(Col));
        if (!is(E, tok::Comma))
          break;
        J = E + 1;
      }
      if (!Plain)
        Cols.clear();
    }
    return keysetHintText(Cols, Desc, Mixed, Limit);
  }

  // --- LIKE '%...' ----------------------------------------------------------

  /// The text of a string constant token without its prefix and quotes.
  llvm::StringRef literal(size_t I) const {
    llvm::StringRef S = text(I);
    size_t Q = S.find('\'');
    if (Q > 1) // also npos
      return "";
    S = S.drop_front(Q + 1);
    return S.endswith("'") ? S.drop_back() : S;
  }

  void like(size_t I) {
    int K = T[I].Kind;
    size_t P = I + 1;
    llvm::StringRef Op;
    if (K == tok::Like)
      Op = "LIKE";
    else if (K == tok::ILike)
      Op = "ILIKE";
    else if (K == tok::Similar && is(I + 1, tok::To))
      Op = "SIMILAR TO", P = I + 2;
    else
      return;
    // Case folding keeps the pattern's first character, as in the tree
    // (LeadingWildcard.cpp).
    for (unsigned Guard = 0;
         Guard < 4 && is(P + 1, tok::LParen) && isCaseFolding(text(P)); ++Guard)
      P += 2;
    size_t Lit = llvm::StringRef::npos;
    if (is(P, tok::SConst)) {
      llvm::StringRef V = literal(P);
      bool OnlyPercent =
          !V.empty() && V.find_first_not_of('%') == llvm::StringRef::npos;
      bool Concatenated = is(P + 1, tok::Op) && text(P + 1) == "||";
      if (isLeadingWildcard(V) || (OnlyPercent && Concatenated)) // '%' || $1
        Lit = P;
    } else if (word(P, "concat") && is(P + 1, tok::LParen) && is(P + 2, tok::SConst) &&
               is(P + 3, tok::Comma)) {
      llvm::StringRef V = literal(P + 2);
      if (!V.empty() && (V[0] == '%' || V[0] == '_'))
        Lit = P + 2;
    }
    if (Lit != llvm::StringRef::npos)
      add(SqlFact::LeadingWildcard, Lit, Lit).Detail = Op.str();
  }

  // --- FOR UPDATE / FOR SHARE -----------------------------------------------

  void lock(size_t I) {
    if (T[I].Kind != tok::For || !StartsQuery)
      return;
    unsigned Words =
        is(I + 1, tok::Update) || is(I + 1, tok::Share)                       ? 2
        : is(I + 1, tok::No) && is(I + 2, tok::Key) && is(I + 3, tok::Update) ? 4
        : is(I + 1, tok::Key) && is(I + 2, tok::Share)                        ? 3
                                                                              : 0;
    if (!Words || !selectBefore(I))
      return;
    SqlFact &F = add(SqlFact::RowLock, I, I + Words - 1);
    F.Detail = F.Snippet;
    for (size_t K = 0; K < T.size(); ++K) {
      if (T[K].Kind == tok::Semicolon && K > I)
        break;
      if (T[K].Kind == tok::Limit ||
          (T[K].Kind == tok::Fetch && (word(K + 1, "first") || word(K + 1, "next"))))
        F.HasLimit = true;
      if (K > I && (T[K].Kind == tok::NoWait ||
                    (T[K].Kind == tok::Skip && is(K + 1, tok::Locked))))
        F.NoWaitOrSkip = true;
    }
    // An unknown clause may be the LIMIT or the key condition.
    F.HasLimit |= ClauseHole;
    size_t Where = llvm::StringRef::npos;
    for (size_t K = 0; K < I; ++K)
      if (T[K].Kind == tok::Where && Depth[K] == Depth[I])
        Where = K;
    if (Where == llvm::StringRef::npos)
      return;
    // Every `col = x` and `x = col` of the WHERE counts as pinning col: more
    // than the parse would count (OR, join conditions), so fewer findings.
    auto IsValue = [&](size_t K) {
      return is(K, tok::Param) || is(K, tok::IConst) || is(K, tok::SConst) ||
             is(K, tok::FConst);
    };
    auto Name = [&](size_t K) {
      llvm::StringRef N = text(K);
      if (N.size() >= 2 && N.front() == '"' && N.back() == '"')
        return N.drop_front().drop_back().str();
      return N.str(); // As spelled: predicates compare ignoring case.
    };
    for (size_t K = Where + 1; K < I; ++K) {
      if (T[K].Kind != tok::Equals)
        continue;
      if (is(K - 1, tok::Ident))
        F.PinnedColumns.push_back(Name(K - 1));
      else if (is(K - 1, ']') && is(K - 2, tok::Ident) && is(K - 3, '['))
        F.PinnedColumns.push_back(Name(K - 2)); // [name] = x
      else if (IsValue(K - 1) && is(K + 1, tok::Ident) && !is(K + 2, tok::Dot))
        F.PinnedColumns.push_back(Name(K + 1));
    }
  }

  const MappedText &Stmt;
  llvm::StringRef Text;
  llvm::StringRef Original;
  std::vector<SqlFact> &Facts;
  std::vector<SqlToken> T;
  std::vector<int> Depth;
  bool ClauseHole = false;
  bool StartsQuery = false;
};

} // namespace

void tokenFallback(const MappedText &Stmt, llvm::StringRef Original,
                   std::vector<SqlFact> &Facts) {
  TokenFacts(Stmt, Original, Facts).run();
}

} // namespace sqlfacts
} // namespace stresslint
