//===--- Normalize.h - Foreign placeholders to PostgreSQL ones -------------===//
///
/// \file
/// Rewrites SQL written for other drivers into text the PostgreSQL parser
/// accepts, keeping a byte map back to the original: `?`, `:name`, `@name`,
/// printf `%s`/`%d`, fmt `{}`, QString `%1` become `$n`; MySQL backticks become
/// double quotes; MySQL `LIMIT a, b` becomes `OFFSET a LIMIT b`.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_NORMALIZE_H
#define STRESSLINT_SQL_NORMALIZE_H

#include "sql/MappedText.h"

namespace stresslint {

/// Replaces foreign placeholders outside quotes and comments with `$n`.
MappedText normalizePlaceholders(llvm::StringRef Sql);

/// Rewrites the first MySQL `LIMIT a, b` in \p Sql as `OFFSET a LIMIT b`.
/// Returns false when there is none.
bool rewriteMySqlLimit(const MappedText &Sql, MappedText &Out);

} // namespace stresslint

#endif
