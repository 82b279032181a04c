//===--- Normalize.h - Foreign placeholders to PostgreSQL ones -------------===//
///
/// \file
/// Rewrites SQL written for other drivers into text the PostgreSQL parser
/// accepts, keeping a byte map back to the original: `?`, `:name`, `@name`,
/// printf `%s`/`%d`, fmt `{}`, QString `%1` become `$n`; MySQL backticks become
/// double quotes; MySQL `LIMIT a, b` becomes `OFFSET a LIMIT b`. For another
/// dialect (normalizeSql) its own syntax is rewritten too: MySQL strings in
/// double quotes and backslash escapes, `#` comments; SQLite `INSERT OR
/// REPLACE`, `AUTOINCREMENT`, `GLOB`, `$name`; T-SQL `[names]`, `TOP n`,
/// table hints.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_NORMALIZE_H
#define STRESSLINT_SQL_NORMALIZE_H

#include "sql/Dialect.h"
#include "sql/MappedText.h"
#include "sql/PgQuery.h"

#include <optional>

namespace stresslint {

/// Replaces foreign placeholders outside quotes and comments with `$n`.
MappedText normalizePlaceholders(llvm::StringRef Sql);

/// normalizePlaceholders, plus the rewrites \p D needs to reach PostgreSQL
/// syntax where stresslint's facts are concerned:
/// - MySQL: `"..."` is a string literal (`LIKE "%x"` is a pattern), `\'`
///   escapes a quote, `#` starts a comment, `INSERT IGNORE`/`REPLACE INTO`.
/// - SQLite: `INSERT OR REPLACE|IGNORE|...`, `REPLACE INTO`,
///   `AUTOINCREMENT`, `GLOB '*x'` (as `LIKE '%x'`), `?NNN`, `$name`,
///   `[name]`.
/// - T-SQL: `[name]`, `TOP n`/`TOP (n) [PERCENT] [WITH TIES]`, table hints
///   `WITH (NOLOCK, ...)`.
/// Every byte of the result maps back to the byte of \p Sql it stands for.
MappedText normalizeSql(llvm::StringRef Sql, SqlDialect D);

/// Length of a printf conversion (`%s`, `%lld`, `%zu`, ...) or QString::arg
/// marker (`%1`) at \p I of \p S, or 0.
size_t formatMarkerLength(llvm::StringRef S, size_t I);

/// Rewrites the first MySQL `LIMIT a, b` in \p Sql as `OFFSET a LIMIT b`.
/// Returns false when there is none.
bool rewriteMySqlLimit(const MappedText &Sql, MappedText &Out);

/// Parses \p Sql; a derived table with no alias (`FROM (SELECT ...)`, which
/// SQLite and PostgreSQL 16 accept and PostgreSQL 15's parser rejects) is
/// given one (a few times at most), and \p Sql becomes the text parsed.
std::optional<SqlJson> parseGivingDerivedAliases(MappedText &Sql, SqlParseError &Err);

} // namespace stresslint

#endif
