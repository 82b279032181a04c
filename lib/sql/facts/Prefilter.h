//===--- Prefilter.h - Which parse trees can hold a fact -------------------===//
///
/// \file
/// Decides from libpg_query's JSON text, without building a DOM, whether a
/// statement's tree may hold a fact: every fact names, in its FactSpec
/// (Registry.h), the needles a tree holding it has, and a tree with none of
/// them is skipped. Such a statement is still counted as reading table data
/// or not.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_FACTS_PREFILTER_H
#define STRESSLINT_SQL_FACTS_PREFILTER_H

#include "sql/PgQuery.h"
#include "sql/SqlFacts.h"

namespace stresslint {
namespace sqlfacts {

/// What a parse tree's JSON text alone says about a statement.
enum class TreeVerdict {
  Analyse,     ///< May hold facts (or its kind is unclear): build the DOM.
  NoFacts,     ///< Cannot hold a fact and reads or writes no table data.
  NoFactsData, ///< Cannot hold a fact, but reads or writes table data.
};

/// The verdict on \p Json, a tree of libpg_query's, for a caller that reads
/// the facts of kinds \p Wanted (SqlFacts.h). Conservative: any doubt means
/// Analyse. With \p CountData off, NoFactsData is never given (NoFacts
/// instead), and a statement whose text \p Sql has no word of a wanted
/// needle is not searched further.
TreeVerdict quickVerdict(const SqlJson &Json, llvm::StringRef Sql,
                         FactKinds Wanted = AllFactKinds, bool CountData = true);

/// False when the statement text \p Sql has none of the words (Needle::Words)
/// of the needles of the facts of kinds \p Wanted, so its tree has none of
/// those needles; true when it has one, or a wanted needle has no words.
bool textMayHoldFact(llvm::StringRef Sql, FactKinds Wanted = AllFactKinds);

/// True when the JSON text \p Json has a needle of some fact (the first
/// question quickVerdict asks); for tests.
bool mayHoldFact(llvm::StringRef Json);

} // namespace sqlfacts
} // namespace stresslint

#endif
