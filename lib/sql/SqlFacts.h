//===--- SqlFacts.h - What one SQL text contains ---------------------------===//
///
/// \file
/// The option-independent facts stresslint's SQL predicates need, extracted
/// once per distinct SQL text from libpg_query's parse tree (or, when the text
/// does not parse, from its tokens). Rules filter these facts by their options.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_SQLFACTS_H
#define STRESSLINT_SQL_SQLFACTS_H

#include "sql/Dialect.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stresslint {

/// One construct a predicate may report. Offsets are bytes in the text given
/// to analyzeSql (before any normalisation).
struct SqlFact {
  enum Kind {
    SelectStar,      ///< `*`/`t.*` whose rows reach the client.
    Offset,          ///< OFFSET with a non-zero or unknown value.
    LeadingWildcard, ///< LIKE-family pattern starting with `%` or `_`.
    RowLock,         ///< FOR UPDATE/SHARE clause.
    /// A call of any function in a SELECT that reads FROM, outside a
    /// window: the rule's Functions option says which names aggregate.
    Aggregate,
  };
  Kind K;
  uint32_t Begin = 0, End = 0;
  /// Source text of the construct as the user wrote it (e.g. `OFFSET $2`).
  std::string Snippet;
  /// Free-form detail, by kind: the lock strength (`FOR UPDATE`), the
  /// function name (lower-case unless quoted), the LIKE operator, the
  /// keyset suggestion.
  std::string Detail;
  /// RowLock/Aggregate: the table the SELECT reads, when it reads one
  /// alone (OnlyTable).
  /// LeadingWildcard: the table of Column, when the text tells it.
  /// SelectStar: the table of a Narrowable star, lower-case.
  std::string Table;
  /// RowLock/Aggregate: the SELECT reads Table alone (no join, no other
  /// FROM item), so PinnedColumns are Table's columns.
  bool OnlyTable = false;
  /// LeadingWildcard: the column the pattern is matched against, lower-case,
  /// when the left operand is a column or `lower(column)`.
  std::string Column;
  bool ColumnLowered = false; ///< LeadingWildcard: the operand is lower(Column).
  /// LeadingWildcard: the base tables an unqualified Column may belong to,
  /// when the FROM list has several (a schema tells which one has it).
  std::vector<std::string> CandidateTables;
  bool InReturning = false; ///< SelectStar: in a RETURNING list.
  /// SelectStar: the `*` is the whole output of the statement (its only
  /// target, or the only RETURNING item), over one base table (Table),
  /// without DISTINCT: naming columns instead keeps the rows.
  bool Narrowable = false;
  /// RowLock: the locking SELECT has a LIMIT, or may have one: a hole (an
  /// unknown part the caller spliced in) stands where a clause or a
  /// condition is, and may bound the lock.
  bool HasLimit = false;
  bool NoWaitOrSkip = false; ///< RowLock: SKIP LOCKED or NOWAIT.
  /// Aggregate: grouped, or a hole stands where a clause or a condition
  /// is (it may group the rows or pick one group by key).
  bool HasGroupBy = false;
  bool InSubquery = false; ///< Aggregate: not in the top-level target list.
  bool FromTable = false;  ///< Aggregate: the SELECT reads a base table.
  bool FromParse = true;   ///< False when found by the token fallback.
  /// RowLock/Aggregate: columns the WHERE pins by equality to a value
  /// (conjuncts only), lower-case, unqualified.
  std::vector<std::string> PinnedColumns;
};

/// A set of SqlFact kinds, a bit per kind (factKind).
using FactKinds = uint32_t;
constexpr FactKinds factKind(SqlFact::Kind K) { return FactKinds(1) << K; }
constexpr FactKinds AllFactKinds = (factKind(SqlFact::Aggregate) << 1) - 1;

struct SqlAnalysis {
  unsigned Statements = 0;
  unsigned ParsedStatements = 0;
  /// Parsed statements that parsed only once holes in clause positions
  /// were dropped or replaced (counted in ParsedStatements too).
  unsigned RepairedStatements = 0;
  /// Parsed statements that read or write table data.
  unsigned DataStatements = 0;
  /// Statements that write (INSERT, UPDATE, DELETE, MERGE, COPY FROM) and
  /// statements that only control the session (BEGIN, COMMIT, SET, ...),
  /// parsed or recognised by their first keyword.
  unsigned WriteStatements = 0;
  unsigned ControlStatements = 0;
  /// The first parse error, for tools that want to show it.
  std::string FirstError;
  /// Text between statements that libpg_query's splitter skipped because it
  /// does not start like a statement (`SELEC * FRM t;`, psql `\set`), not
  /// counted in Statements: the number of such stretches.
  unsigned Unrecognized = 0;
  /// Offset in the original text of the first statement that did not parse
  /// or was not recognised; UINT32_MAX when all parsed.
  uint32_t FirstProblemOffset = UINT32_MAX;
  std::vector<SqlFact> Facts;
  /// The statements as splitSql gives them for the text given to
  /// analyzeSql, when the analysis split that very text (normalisation
  /// changed no byte), so that a caller needing them (the rewrites) does
  /// not split it again; std::nullopt otherwise.
  std::optional<std::vector<std::pair<uint32_t, uint32_t>>> OriginalStatements;
};

/// Splits \p Sql, written in \p Dialect, into statements and extracts
/// their facts. Thread-safe.
///
/// A statement that does not parse is tried again with its holes (`$n`
/// placeholders, `p__<n>` names: parts the caller did not know) in clause
/// positions dropped or replaced, a few variants at most; the first that
/// parses gives the facts, mapped back to \p Sql. When none does and
/// \p AllowTokenFallback is set, the statement's tokens give the facts
/// they show unambiguously (FromParse is false).
/// \p SkipFactFreeTrees skips the parse-tree walk of statements whose tree
/// cannot hold a fact (same result, faster); false is for tests.
/// \p Wanted: the kinds of facts the caller reads. Facts of the others may
/// be missing: a tree that can hold only those is not built or walked (the
/// counts stay the same), which is most of the cost of a `.sql` file whose
/// rules read no aggregates.
/// \p CountDataStatements off leaves DataStatements at the count of the
/// statements whose tree was walked, for a caller that does not read it (a
/// `.sql` file's findings): the others are then not read past their text.
SqlAnalysis analyzeSql(llvm::StringRef Sql, SqlDialect Dialect,
                       bool AllowTokenFallback = true, bool SkipFactFreeTrees = true,
                       FactKinds Wanted = AllFactKinds,
                       bool CountDataStatements = true);

/// The same for PostgreSQL.
SqlAnalysis analyzeSql(llvm::StringRef Sql, bool AllowTokenFallback = true,
                       bool SkipFactFreeTrees = true);

/// The same, memoised per distinct text and dialect for the whole process.
std::shared_ptr<const SqlAnalysis>
analyzeSqlCached(llvm::StringRef Sql, bool AllowTokenFallback,
                 SqlDialect Dialect = SqlDialect::PostgreSQL);

/// True for `p__<n>`, the identifier Reconstruct writes where C++ spliced
/// in a name the analysis does not know (a hole).
bool isHoleName(llvm::StringRef Name);

/// True when \p Sql starts (after comments and whitespace) with a keyword that
/// begins a data statement: SELECT, INSERT, UPDATE, DELETE, WITH, MERGE, ...
bool startsWithStatementKeyword(llvm::StringRef Sql);

/// True when \p Sql starts with a keyword of a statement that controls a
/// transaction or a session rather than reading or writing data: BEGIN,
/// COMMIT, ROLLBACK, SAVEPOINT, RELEASE, SET, SHOW, ...
bool startsWithControlKeyword(llvm::StringRef Sql);

/// True when \p Sql starts with a keyword of a statement that sets up a
/// database or a connection rather than reading or writing data: CREATE,
/// ALTER, DROP, SQLite's ATTACH, DETACH and PRAGMA (which do not parse
/// here), VACUUM, REINDEX, GRANT, REVOKE, COMMENT, and the maintenance of
/// a whole table (MySQL's OPTIMIZE, ANALYZE and REPAIR TABLE, CLUSTER).
bool startsWithSchemaKeyword(llvm::StringRef Sql);

/// Whether \p Sql begins like a schema statement written in the program,
/// its first two words `CREATE TABLE`, `ALTER TABLE`, `DROP INDEX`,
/// `ATTACH DATABASE`, ...:
/// stricter than startsWithSchemaKeyword, for text not known to be SQL
/// ("Create a new account" is no statement).
bool startsSchemaStatement(llvm::StringRef Sql);

/// True when every relation \p Sql names after FROM or JOIN is a system
/// catalog (`sqlite_master`, `information_schema.*`, `pg_catalog.*`, `pg_*`,
/// `mysql.*`): the statement looks at the schema, not at the data.
bool readsOnlyCatalog(llvm::StringRef Sql);

/// True when \p Sql reads, empties or updates one table whose name the
/// program splices in (`DELETE FROM "$1"`, `SELECT COUNT(*) FROM p__1`,
/// `UPDATE $1 SET seen = 0`) and picks no rows of it (no WHERE, JOIN,
/// USING or VALUES): work on a whole table, as many times as the program
/// has tables, not once per row.
bool wholeSplicedTable(llvm::StringRef Sql);

} // namespace stresslint

#endif
