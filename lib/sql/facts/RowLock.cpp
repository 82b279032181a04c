//===--- RowLock.cpp - Fact: FOR UPDATE/SHARE clause -----------------------===//
#include "sql/facts/Registry.h"
#include "sql/facts/Walk.h"

#include "llvm/ADT/STLExtras.h"

namespace stresslint {
namespace sqlfacts {

using namespace pgtree;

/// The locking clause of SELECT \p S: where its words are, whether a LIMIT
/// bounds it, SKIP LOCKED or NOWAIT, and the columns its WHERE pins.
static void extractRowLock(FactWalk &W, const Object *S) {
  std::optional<Array> Locks = arrayField(S, "lockingClause");
  if (!Locks || Locks->empty())
    return;
  const Object *First = asNode(&Locks->front(), "LockingClause");
  llvm::StringRef Strength = stringField(First, "strength");
  unsigned Words = Strength == "LCS_FORNOKEYUPDATE" ? 4
                   : Strength == "LCS_FORKEYSHARE"  ? 3
                                                    : 2;
  int Min = INT32_MAX, Max = -1;
  for (llvm::StringRef Key :
       {"targetList", "fromClause", "whereClause", "groupClause", "havingClause",
        "sortClause", "windowClause", "distinctClause"})
    if (const Value *V = get(S, Key))
      collectLocations(*V, Min, Max);
  size_t I = W.tokenAt(static_cast<uint32_t>(std::max(Max, 0)));
  const auto &T = W.tokens();
  for (; I < T.size(); ++I)
    if (T[I].Kind == tok::For && I + 1 < T.size() &&
        llvm::is_contained(
            {int(tok::Update), int(tok::Share), int(tok::No), int(tok::Key)},
            T[I + 1].Kind))
      break;
  if (I >= T.size())
    return;
  size_t Last = std::min(I + Words - 1, T.size() - 1);
  SqlFact &F = W.add(SqlFact::RowLock, T[I].Begin, T[Last].End);
  F.Detail = F.Snippet;
  const Value *Count = get(S, "limitCount");
  F.HasLimit = Count && !isZeroOrNull(Count);
  for (const Value &L : *Locks) {
    llvm::StringRef Wait = stringField(asNode(&L, "LockingClause"), "waitPolicy");
    if (Wait == "LockWaitSkip" || Wait == "LockWaitError")
      F.NoWaitOrSkip = true;
  }
  collectPinned(get(S, "whereClause"), W.stmtText(), F.PinnedColumns);
  setOnlyTable(S, F);
}

/// An unknown clause may be the LIMIT that bounds the lock.
static void clauseHoleMayLimit(SqlFact &F) { F.HasLimit = true; }

// FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE.
static constexpr llvm::StringLiteral Words[] = {"update", "share"};
static constexpr Needle Needles[] = {{"lockingClause\"", false, Words}};
static constexpr const char *Examples[] = {
    "SELECT id FROM jobs WHERE status = 'new' FOR UPDATE",
    "SELECT id FROM jobs LIMIT 10 FOR NO KEY UPDATE SKIP LOCKED",
    "SELECT * FROM a WHERE a.id = $1 FOR KEY SHARE",
};
constexpr FactSpec RowLockFact =
    makeFact(SqlFact::RowLock, "row-lock", Needles, FactHook::Select, extractRowLock,
             Examples, clauseHoleMayLimit);

} // namespace sqlfacts
} // namespace stresslint
