//===--- Schema.h - The database schema, learnt from DDL --------------------===//
///
/// \file
/// What stresslint knows of the database without connecting to one: the
/// tables (and materialized views) the project's own DDL creates, with
/// their columns in order, primary and unique keys and indexes (access
/// method, key columns or expressions, operator classes), each with the
/// file and line it came from. Statements are applied in order, as a
/// migration tool would run them (CREATE, ALTER ... ADD/DROP/RENAME, DROP);
/// one that does not parse is skipped and counted, never fatal.
///
/// Names are compared as PostgreSQL folds them (the parser lower-cases
/// unquoted names) and case-insensitively besides; a schema qualifier is
/// dropped (`public.users` is `users`). No Clang here.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SCHEMA_SCHEMA_H
#define STRESSLINT_SCHEMA_SCHEMA_H

#include "sql/Dialect.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <string>
#include <vector>

namespace stresslint {

/// Where a schema item was declared: a file and its 1-based line.
struct SchemaSource {
  std::string File;
  unsigned Line = 0;
};

struct SchemaColumn {
  std::string Name;
  std::string Type; ///< As written, normalised (`varchar(20)`, `int4`).
  bool NotNull = false;
  SchemaSource From;
};

/// One key of an index: a column, or an expression (`lower(title)`),
/// with its operator class if one is named (`gin_trgm_ops`).
struct SchemaIndexKey {
  /// The column the key is, or that its expression wraps in one call
  /// (`lower(title)` -> `title`); empty for other expressions.
  std::string Column;
  /// The function of a one-call expression (`lower`), empty for a column.
  std::string Function;
  /// The expression as written, for expressions.
  std::string Expression;
  std::string OpClass;
};

struct SchemaIndex {
  std::string Name;
  std::string Method = "btree";
  bool Unique = false;
  bool Partial = false; ///< Has a WHERE: covers only some rows.
  std::vector<SchemaIndexKey> Keys;
  SchemaSource From;
};

/// A PRIMARY KEY or UNIQUE constraint.
struct SchemaKey {
  std::string Name; ///< Empty when unnamed.
  bool Primary = false;
  std::vector<std::string> Columns;
  SchemaSource From;
};

struct SchemaTable {
  std::string Name;
  bool MaterializedView = false;
  bool View = false; ///< A plain view (CREATE VIEW): a name, no columns.
  /// Whether Columns are all the table's columns: false for a view, a
  /// table that inherits or copies columns not followed, or CREATE TABLE
  /// AS with an output PostgreSQL names itself.
  bool ColumnsKnown = true;
  /// The planner's row estimate (`pg_class.reltuples`), from a snapshot of
  /// a live database; negative when not known.
  double Rows = -1;
  std::vector<SchemaColumn> Columns;
  std::vector<SchemaKey> Keys;
  std::vector<SchemaIndex> Indexes;
  SchemaSource From;

  const SchemaColumn *column(llvm::StringRef Name) const;
  /// Whether equality on each of \p Pinned (any case) covers all columns
  /// of the primary key, of a UNIQUE constraint or of a unique index
  /// without WHERE over plain columns: at most one row matches.
  bool pinnedByKey(llvm::ArrayRef<std::string> Pinned) const;
  /// Whether an index with a trigram operator class (`gin_trgm_ops`,
  /// `gist_trgm_ops`) serves LIKE on \p Column (\p Lowered: on
  /// `lower(Column)`) through one of its keys; a partial index does not
  /// count (it serves only the queries that repeat its WHERE).
  bool hasTrigramIndex(llvm::StringRef Column, bool Lowered) const;
};

class Schema {
public:
  /// Applies the DDL statements of \p Sql, the text of \p File, in order.
  /// Other statements (DML, GRANT, functions, ...) are ignored; a statement
  /// that does not parse, even after the dialect's normalisation, is
  /// skipped and counted.
  void applyFile(llvm::StringRef File, llvm::StringRef Sql, SqlDialect D);

  /// Adds the tables of a snapshot (`stresslint schema dump`, a JSON
  /// document: docs/schema.md) read from \p File; a table it names
  /// replaces one learnt before. Errors name the file and the problem.
  llvm::Error applySnapshot(llvm::StringRef File, llvm::StringRef Json);

  /// The table or materialized view named \p Name (a schema qualifier is
  /// ignored), or null.
  const SchemaTable *table(llvm::StringRef Name) const;
  /// The tables by name (lower-case).
  const std::map<std::string, SchemaTable> &tables() const { return Tables; }
  /// The files applied, in order.
  const std::vector<std::string> &files() const { return Files; }
  unsigned skippedStatements() const { return Skipped; }
  /// The first statement skipped and why, when any was.
  const SchemaSource &firstSkipped() const { return FirstSkipped; }
  const std::string &firstSkipError() const { return FirstSkipError; }
  bool empty() const { return Tables.empty(); }

  /// What was learnt, for `stresslint schema show`: each table, its
  /// columns in order, keys and indexes with where they came from, then the
  /// statements skipped.
  void print(llvm::raw_ostream &OS) const;

private:
  friend class DdlApplier;
  SchemaTable *find(llvm::StringRef Name);

  std::map<std::string, SchemaTable> Tables;
  std::vector<std::string> Files;
  unsigned Skipped = 0;
  SchemaSource FirstSkipped;
  std::string FirstSkipError;
};

/// `name` lower-cased, the key tables, columns and indexes are found by.
std::string schemaKey(llvm::StringRef Name);

} // namespace stresslint

#endif
