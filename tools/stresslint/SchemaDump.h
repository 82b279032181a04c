//===--- SchemaDump.h - `stresslint schema dump`: a live schema, for offline -===//
///
/// \file
/// Reads a PostgreSQL database's schema from `pg_catalog` through libpq
/// (tables and materialized views with their columns, primary and unique
/// keys, indexes with access method and operator classes, the planner's
/// row estimate) and writes it as the JSON snapshot lib/schema reads
/// (docs/schema.md), so every later run, in CI and in the editor, knows the
/// schema without a database.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TOOLS_SCHEMADUMP_H
#define STRESSLINT_TOOLS_SCHEMADUMP_H

#include "llvm/Support/Error.h"
#include <string>

namespace stresslint {

/// The snapshot of the database \p ConnInfo (a libpq connection string or
/// URI) names, as JSON text; an error says why it could not be read.
llvm::Expected<std::string> dumpSchema(const std::string &ConnInfo);

} // namespace stresslint

#endif
