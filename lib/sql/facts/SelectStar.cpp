//===--- SelectStar.cpp - Fact: `*`/`t.*` whose rows reach the client ------===//
#include "sql/facts/Registry.h"
#include "sql/facts/Walk.h"

#include <map>
#include <set>

namespace stresslint {
namespace sqlfacts {

using namespace pgtree;

namespace {

/// Finds the stars of one statement's output, through its CTEs,
/// subqueries in FROM, set operations and RETURNING lists.
class StarFinder {
public:
  explicit StarFinder(FactWalk &W) : W(W) {}

  void run(const Object *Body) {
    llvm::StringRef Type = W.topType();
    if (Type == "SelectStmt") {
      if (!get(Body, "intoClause"))
        outputStars(Body, {});
    } else if (Type == "InsertStmt" || Type == "UpdateStmt" || Type == "DeleteStmt") {
      returningStars(Body, /*Top=*/true);
    } else if (Type == "DeclareCursorStmt") {
      if (const Object *Q = asNode(get(Body, "query"), "SelectStmt"))
        outputStars(Q, {});
    }
  }

private:
  using CteMap = std::map<std::string, const Object *>;

  /// Reports the star column \p Col. \p Table is the one base table of a
  /// statement whose whole output the star is (SqlFact::Narrowable), else
  /// empty.
  /// \p From: the one FROM item of the star's SELECT, if it has one.
  void starFact(const Object *Col, bool InReturning, llvm::StringRef Table = "",
                const Object *From = nullptr) {
    int64_t At = getInteger(Col, "location").value_or(-1);
    if (At < 0) {
      // The star nobody wrote: `TABLE t` is `SELECT * FROM t`.
      tableStatementFact(From, Table);
      return;
    }
    uint32_t Loc = static_cast<uint32_t>(At);
    if (!StarsSeen.insert(Loc).second)
      return;
    uint32_t End = Loc + 1;
    // A bare `*`: the parser took the token at its location for the star,
    // so that token is the one byte; no scan (most stars are bare).
    if (Loc >= W.stmtSize() || W.stmtText()[Loc] != '*') {
      size_t I = W.tokenAt(Loc);
      const auto &T = W.tokens();
      while (I < T.size() && T[I].Kind != tok::Star)
        ++I;
      End = I < T.size() ? T[I].End : Loc + 1;
    }
    SqlFact &F = W.add(SqlFact::SelectStar, Loc, End);
    F.InReturning = InReturning;
    F.Narrowable = !Table.empty();
    F.Table = Table.str();
  }

  /// Reports `TABLE t` from the `TABLE` keyword to the end of the name of
  /// \p Relation, the RangeVar the parser made of `t`.
  void tableStatementFact(const Object *Relation, llvm::StringRef Table) {
    int64_t At = getInteger(Relation, "location").value_or(-1);
    if (At < 0 || static_cast<uint64_t>(At) >= W.stmtSize())
      return;
    auto Loc = static_cast<uint32_t>(At);
    W.tokenAt(0); // The tokens from the statement's start, the keyword's too.
    size_t I = W.tokenAt(Loc);
    const auto &T = W.tokens();
    auto Is = [&](size_t J, llvm::StringRef Word) {
      return W.stmtText().slice(T[J].Begin, T[J].End).equals_insensitive(Word);
    };
    if (I >= T.size())
      return;
    size_t K; // The `TABLE` keyword, before the name or before `ONLY`.
    if (I >= 1 && Is(I - 1, "table"))
      K = I - 1;
    else if (I >= 2 && Is(I - 1, "only") && Is(I - 2, "table"))
      K = I - 2;
    else
      return;
    uint32_t Begin = T[K].Begin;
    if (!StarsSeen.insert(Begin).second)
      return;
    // No column list can stand where `TABLE t` is: not narrowable.
    SqlFact &F = W.add(SqlFact::SelectStar, Begin, W.operandEnd(Loc));
    F.Table = Table.str();
  }

  static const Object *starColumn(const Value &Target) {
    const Object *RT = asNode(&Target, "ResTarget");
    const Object *Col = RT ? asNode(get(RT, "val"), "ColumnRef") : nullptr;
    std::optional<Array> Fields = arrayField(Col, "fields");
    if (!Fields || Fields->empty() || !asNode(&Fields->back(), "A_Star"))
      return nullptr;
    return Col;
  }

  void returningStars(const Object *Stmt, bool Top = false) {
    std::optional<Array> Ret = arrayField(Stmt, "returningList");
    if (!Ret)
      return;
    std::string Table;
    if (Top && Ret->size() == 1)
      Table = stringField(getObject(Stmt, "relation"), "relname").lower();
    for (const Value &T : *Ret)
      if (const Object *Col = starColumn(T))
        starFact(Col, /*InReturning=*/true, Table);
  }

  /// Reports the `*`s over base tables that reach the output of \p Query
  /// (a wrapped node: SelectStmt, or a data-modifying statement's RETURNING).
  void nodeOutputStars(const Value *Query, const CteMap &Ctes) {
    auto [Type, Body] = unwrap(Query);
    if (!Body)
      return;
    if (Type == "SelectStmt")
      outputStars(Body, Ctes);
    else if (Type == "InsertStmt" || Type == "UpdateStmt" || Type == "DeleteStmt")
      returningStars(Body);
  }

  void outputStars(const Object *S, CteMap Ctes) {
    if (++Recursion > 200) {
      --Recursion;
      return;
    }
    if (const Object *With = getObject(S, "withClause"))
      if (std::optional<Array> List = arrayField(With, "ctes"))
        for (const Value &C : *List)
          if (const Object *Cte = asNode(&C, "CommonTableExpr"))
            Ctes[stringField(Cte, "ctename").lower()] = Cte;
    if (stringField(S, "op") != "SETOP_NONE" && get(S, "larg")) {
      outputStars(getObject(S, "larg"), Ctes);
      if (const Object *R = getObject(S, "rarg"))
        outputStars(R, Ctes);
      --Recursion;
      return;
    }
    std::vector<FromItem> Items;
    if (std::optional<Array> From = arrayField(S, "fromClause"))
      for (const Value &F : *From)
        fromItems(F, Items);
    if (std::optional<Array> Targets = arrayField(S, "targetList")) {
      for (const Value &T : *Targets) {
        const Object *Col = starColumn(T);
        if (!Col)
          continue;
        std::optional<Array> Fields = arrayField(Col, "fields");
        std::string Qualifier =
            Fields->size() > 1
                ? stringField(asNode(&(*Fields)[Fields->size() - 2], "String"), "sval")
                      .lower()
                : "";
        bool BaseTable = false, Matched = false;
        for (const FromItem &I : Items) {
          if (!Qualifier.empty() && I.Name != Qualifier)
            continue;
          Matched = true;
          if (I.Type == "RangeVar") {
            std::string Rel = stringField(I.Range, "relname").lower();
            auto It = Ctes.find(Rel);
            if (!get(I.Range, "schemaname") && It != Ctes.end()) {
              const Object *Cte = It->second;
              if (arrayField(Cte, "aliascolnames") || !CtesVisiting.insert(Cte).second)
                continue;
              nodeOutputStars(get(Cte, "ctequery"), Ctes);
              CtesVisiting.erase(Cte);
              continue;
            }
            BaseTable = true;
          } else if (I.Type == "RangeSubselect") {
            nodeOutputStars(get(I.Range, "subquery"), Ctes);
          }
        }
        // The whole output of the statement, one base table, no DISTINCT:
        // naming the columns keeps the rows the statement returns.
        bool Whole = S == W.topSelect() && BaseTable && Items.size() == 1 &&
                     Targets->size() == 1 && !get(S, "distinctClause");
        if (BaseTable || (!Qualifier.empty() && !Matched && !Items.empty()))
          starFact(Col, /*InReturning=*/false,
                   Whole ? stringField(Items[0].Range, "relname").lower()
                         : std::string(),
                   Items.size() == 1 && Items[0].Type == "RangeVar" ? Items[0].Range
                                                                    : nullptr);
      }
    }
    --Recursion;
  }

  FactWalk &W;
  unsigned Recursion = 0;
  std::set<uint32_t> StarsSeen;
  std::set<const Object *> CtesVisiting;
};

} // namespace

static void extractSelectStars(FactWalk &W, const Object *Body) {
  StarFinder(W).run(Body);
}

// `TABLE t` is `SELECT * FROM t`, with no star written.
static constexpr llvm::StringLiteral Words[] = {"*", "table"};
static constexpr Needle Needles[] = {{"A_Star\"", false, Words}};
static constexpr const char *Examples[] = {
    "SELECT * FROM orders",
    "SELECT o.* FROM orders o",
    "WITH c AS (SELECT * FROM t) SELECT * FROM c",
    "DELETE FROM t WHERE id = 1 RETURNING *",
    "DECLARE c CURSOR FOR SELECT * FROM t",
    "TABLE orders",
};
constexpr FactSpec SelectStarFact =
    makeFact(SqlFact::SelectStar, "select-star", Needles, FactHook::Statement,
             extractSelectStars, Examples);

} // namespace sqlfacts
} // namespace stresslint
