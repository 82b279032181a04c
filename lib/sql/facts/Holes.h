//===--- Holes.h - Unknown parts of a statement, and parsing around them ---===//
///
/// \file
/// A hole is a part of a statement's text the caller did not know: a
/// parameter (`$n`, and every foreign placeholder normalised to one) or the
/// identifier Reconstruct writes where C++ spliced in a name (`p__<n>`). A
/// statement that fails to parse because of its holes is parsed again with
/// them dropped or replaced (repairHoles).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_FACTS_HOLES_H
#define STRESSLINT_SQL_FACTS_HOLES_H

#include "sql/MappedText.h"
#include "sql/PgQuery.h"

#include <optional>
#include <vector>

namespace stresslint {
namespace sqlfacts {

/// True for a token that stands for an unknown part of the text: a
/// parameter or a `p__<n>` name.
bool isHoleToken(const SqlToken &T, llvm::StringRef Text);

/// True when the hole \p I of \p T stands where a clause could be
/// (`FROM t $1 LIMIT`, `id = 1 $2 FOR UPDATE`), not where a value, a name or
/// a condition is expected (`= $1`, `LIMIT $1`, `IN ($1, $2)`, `FROM p__1`,
/// `WHERE $1`): the text may then say less than the query that runs (its
/// LIMIT, its key condition may be in the hole).
bool isClauseHole(const std::vector<SqlToken> &T, size_t I, llvm::StringRef Text);

/// A statement that parses once some of its holes are replaced.
struct RepairedStatement {
  MappedText Text;
  SqlJson Json;
  /// A hole was dropped or read as a condition: one of the statement's
  /// clauses is unknown.
  bool ClauseHole = false;
};

/// Makes a statement that does not parse because of its holes parse: the
/// hole at (or just before) the parser's error is dropped (`FROM t $1 LIMIT`,
/// where C++ spliced in a WHERE or a JOIN), read as a name (`FROM $1`), or
/// as TRUE; the variant whose error moves furthest is kept, until one
/// parses or nothing moves on. Only texts with holes, only on failure, at
/// most a few parses.
std::optional<RepairedStatement> repairHoles(const MappedText &Stmt,
                                             const SqlParseError &Err);

} // namespace sqlfacts
} // namespace stresslint

#endif
