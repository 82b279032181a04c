//===--- Tree.h - Parse-tree helpers the facts share -----------------------===//
///
/// \file
/// Questions about libpg_query's parse tree (through sql/PgTree.h) that more
/// than one fact asks: a zero or NULL constant, the columns a WHERE pins, the
/// one table a SELECT reads, the items of a FROM list.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_FACTS_TREE_H
#define STRESSLINT_SQL_FACTS_TREE_H

#include "sql/PgTree.h"
#include "sql/SqlFacts.h"

#include <string>
#include <vector>

namespace stresslint {
namespace sqlfacts {

using pgtree::Array;
using pgtree::Object;
using pgtree::Value;

/// A_Const integer zero or NULL (`OFFSET 0`, `OFFSET NULL`).
bool isZeroOrNull(const Value *V);

/// Equality conjuncts `col = <value>` of a WHERE clause, the columns as
/// spelled in \p Text.
void collectPinned(const Value *Where, llvm::StringRef Text,
                   std::vector<std::string> &Out);

/// Table and OnlyTable of \p F, when \p S reads one base table alone.
void setOnlyTable(const Object *S, SqlFact &F);

/// One item of a FROM list, joins flattened.
struct FromItem {
  std::string Name; ///< Alias, or relation name.
  const Object *Range = nullptr;
  llvm::StringRef Type;
};

/// Appends the items of the FROM entry \p V to \p Out, the two sides of a
/// join in turn.
void fromItems(const Value &V, std::vector<FromItem> &Out);

} // namespace sqlfacts
} // namespace stresslint

#endif
