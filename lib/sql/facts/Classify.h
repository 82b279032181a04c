//===--- Classify.h - What kind of statement a text is, by its keyword -----===//
#ifndef STRESSLINT_SQL_FACTS_CLASSIFY_H
#define STRESSLINT_SQL_FACTS_CLASSIFY_H

#include "sql/SqlFacts.h"

namespace stresslint {
namespace sqlfacts {

/// Counts \p Stmt as a write (INSERT, UPDATE, DELETE, MERGE, COPY, ...) or
/// a session-control statement (BEGIN, COMMIT, SET, ...) in \p Result, by
/// its first keyword; other statements are not counted.
void classifyStatement(llvm::StringRef Stmt, SqlAnalysis &Result);

} // namespace sqlfacts
} // namespace stresslint

#endif
