//===--- Aggregate.cpp - Fact: a function call in a SELECT that reads FROM -===//
#include "sql/facts/Registry.h"
#include "sql/facts/Walk.h"

#include "llvm/ADT/STLExtras.h"

namespace stresslint {
namespace sqlfacts {

using namespace pgtree;

/// A call \p F, of any function, in a SELECT that reads FROM, outside a
/// window (`count(*) OVER ()` aggregates no table). Which names are
/// aggregates is the rule's to say (its Functions option): the fact
/// carries the name and what the SELECT around the call looks like.
static void extractAggregate(FactWalk &W, const Object *F) {
  if (get(F, "over") || W.selects().empty())
    return;
  const FactWalk::SelectCtx &In = W.selects().back();
  const Object *S = In.Select;
  std::optional<Array> From = arrayField(S, "fromClause");
  if (!From)
    return;
  uint32_t Loc = static_cast<uint32_t>(getInteger(F, "location").value_or(0));
  SqlFact &Fact = W.add(SqlFact::Aggregate, Loc, W.callEnd(Loc));
  Fact.Detail = lastName(arrayField(F, "funcname"));
  Fact.InSubquery = In.Subquery || W.inSublink();
  Fact.HasGroupBy = get(S, "groupClause") != nullptr;
  Fact.FromTable = llvm::any_of(*From, [](const Value &I) {
    return asNode(&I, "RangeVar") || asNode(&I, "JoinExpr");
  });
  collectPinned(get(S, "whereClause"), W.stmtText(), Fact.PinnedColumns);
  setOnlyTable(S, Fact);
}

/// An unknown clause may group the rows or pick one group by key.
static void clauseHoleMayGroup(SqlFact &F) { F.HasGroupBy = true; }

// Any FuncCall, but only in a tree with a FROM somewhere: a SELECT without
// one aggregates no table, and most function calls of DDL and of INSERT
// ... VALUES are in no SELECT that reads FROM.
static constexpr Needle Needles[] = {{"FuncCall\"", /*NeedsFromClause=*/true}};
static constexpr const char *Examples[] = {
    "SELECT count(*) FROM orders",
    "SELECT sum(total) FROM orders WHERE user_id = $1",
    "SELECT string_agg(name, ',') FROM users",
    "SELECT id FROM t WHERE EXISTS (SELECT count(*) FROM u)",
};
constexpr FactSpec AggregateFact =
    makeFact(SqlFact::Aggregate, "aggregate", Needles, FactHook::FuncCall,
             extractAggregate, Examples, clauseHoleMayGroup);

} // namespace sqlfacts
} // namespace stresslint
