//===--- TokenFacts.h - Facts from the tokens of an unparsed statement -----===//
///
/// \file
/// The fallback for a statement the parser rejects (another dialect's
/// syntax, a syntax error elsewhere, unknown parts that no substitution made
/// parse): the facts its tokens show unambiguously, at the offsets the parse
/// would give, with FromParse false.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_FACTS_TOKENFACTS_H
#define STRESSLINT_SQL_FACTS_TOKENFACTS_H

#include "sql/MappedText.h"
#include "sql/SqlFacts.h"

#include <vector>

namespace stresslint {
namespace sqlfacts {

/// Appends the token-level facts of \p Stmt, whose offsets map back to
/// \p Original, to \p Facts.
void tokenFallback(const MappedText &Stmt, llvm::StringRef Original,
                   std::vector<SqlFact> &Facts);

} // namespace sqlfacts
} // namespace stresslint

#endif
