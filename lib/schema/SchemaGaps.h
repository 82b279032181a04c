//===--- SchemaGaps.h - Names a query uses that the schema does not have ---===//
///
/// \file
/// A finding whose statement names a table, or a column of a table, that the
/// schema (lib/schema) does not declare gets a note saying so: the schema's
/// keys, indexes and sizes could not refine the finding, and the name may be
/// a typo or a table the DDL files miss. Never an error: the schema learnt
/// from a project's files may well be incomplete.
///
/// Only what is certain is reported: tables read or written by name (not a
/// CTE, not PostgreSQL's own catalogs, not a hole the caller spliced in),
/// and columns of a statement over one known table whose columns are known
/// (not an output alias, not a system column).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SCHEMA_SCHEMAGAPS_H
#define STRESSLINT_SCHEMA_SCHEMAGAPS_H

#include "sql/Dialect.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace stresslint {

class Schema;

/// One name the schema lacks: bytes [Begin, End) of the text given, and
/// the note's text.
struct SchemaGap {
  uint32_t Begin = 0, End = 0;
  std::string Message;
};

/// The names \p Db lacks in the statement of \p Sql (written in \p D) that
/// holds byte \p At; empty when \p Db is empty or the statement does not
/// parse as it is.
std::vector<SchemaGap> schemaGaps(const Schema &Db, llvm::StringRef Sql, SqlDialect D,
                                  uint32_t At);

} // namespace stresslint

#endif
