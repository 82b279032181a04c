//===--- Rewrites.h - SQL rewrites the fixes offer -------------------------===//
///
/// \file
/// Text edits of one statement that remove an anti-pattern, each verified by
/// parsing the result. Both change what the caller does, so they are fixes
/// of notes (`--fix-notes`), never applied by plain `--fix`.
///
/// Keyset pagination, the fix of `stress-offset-pagination`: a plain page
/// query
///
///   SELECT ... FROM t [WHERE c] ORDER BY k LIMIT n OFFSET $3
///
/// becomes
///
///   SELECT ... FROM t WHERE [(c) AND] k > $3 ORDER BY k LIMIT n
///
/// (`<` for a descending order). The OFFSET's own placeholder is reused, so
/// the statement keeps its parameters; the caller now passes the last key it
/// saw instead of a row count, which is why the fix belongs to a note
/// (`--fix-notes`), never to plain `--fix`. Offered only when the order is
/// provably unique (it ends in a column the caller says is unique: a
/// primary or unique key, or a column named `id`; see keysetRewrite for
/// several columns), the query is one table without
/// grouping, DISTINCT or set operations, and the placeholder is numbered or
/// named (a positional `?` would change the order of the parameters).
///
/// A claimed batch, the fix of `stress-unbounded-row-lock`:
///
///   SELECT ... WHERE status = 'pending' FOR UPDATE
///
/// becomes
///
///   SELECT ... WHERE status = 'pending' LIMIT 100 FOR UPDATE SKIP LOCKED
///
/// so the transaction locks at most 100 rows, none another worker holds;
/// the caller must loop until no row is left.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_REWRITES_H
#define STRESSLINT_SQL_REWRITES_H

#include "sql/Dialect.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace stresslint {

/// Replace bytes [Begin, End) of a text with Text (Begin == End inserts).
struct SqlEdit {
  uint32_t Begin = 0, End = 0;
  std::string Text;
};

struct SqlRewrite {
  /// The edits, in text order; empty when no rewrite is safe.
  std::vector<SqlEdit> Edits;
  /// What the caller must pass now (with edits), or why there is no
  /// rewrite.
  std::string Note;
  /// Keyset: bytes of the OFFSET's placeholder, which the rewrite copies:
  /// a caller that built the text from pieces checks it is one the user
  /// wrote.
  uint32_t PlaceholderBegin = 0, PlaceholderEnd = 0;
};
using KeysetRewrite = SqlRewrite;

/// A property of \p Column of \p Table (lower-case, unqualified): unique,
/// NOT NULL.
using ColumnTest =
    llvm::function_ref<bool(llvm::StringRef Table, llvm::StringRef Column)>;
using UniqueColumn = ColumnTest;
/// No column is known to be NOT NULL.
bool unknownNullability(llvm::StringRef Table, llvm::StringRef Column);

/// The rewrite of the statement of \p Sql whose OFFSET keyword is at byte
/// \p OffsetAt.
///
/// An order by several columns ending in a unique one (`ORDER BY
/// created_at, id`: a tiebreaker), all one way, each of the others NOT NULL
/// (\p IsNotNull), compares rows with the row the caller saw last, found by
/// its key: `WHERE ($3 IS NULL OR (created_at, id) > (SELECT created_at, id
/// FROM t WHERE id = $3))`; the caller passes the last key (NULL on the
/// first page).
KeysetRewrite keysetRewrite(llvm::StringRef Sql, SqlDialect Dialect, uint32_t OffsetAt,
                            ColumnTest IsUnique,
                            ColumnTest IsNotNull = unknownNullability);

/// The claimed-batch rewrite of the statement of \p Sql whose `FOR`
/// (UPDATE, NO KEY UPDATE, SHARE, KEY SHARE) is at byte \p LockAt, taking
/// at most \p Batch rows.
SqlRewrite claimRewrite(llvm::StringRef Sql, SqlDialect Dialect, uint32_t LockAt,
                        unsigned Batch);

/// The guess without a schema: a column named `id`.
bool namedLikeAKey(llvm::StringRef Table, llvm::StringRef Column);

class Schema;
/// Is \p Column of \p Table unique: a one-column key of \p Db (may be
/// null), or, for a table \p Db does not know or a view, a column named
/// `id`?
bool uniqueColumn(const Schema *Db, llvm::StringRef Table, llvm::StringRef Column);
/// Is \p Column of \p Table NOT NULL in \p Db (may be null: no)?
bool notNullColumn(const Schema *Db, llvm::StringRef Table, llvm::StringRef Column);

} // namespace stresslint

#endif
