//===--- Predicates.h - SQL predicates: facts filtered by rule options -----===//
///
/// \file
/// Each SQL predicate a rule can name in `match.sql` decides, from the facts
/// of one SQL text and the rule's effective options, which facts to report.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_RULES_PREDICATES_H
#define STRESSLINT_RULES_PREDICATES_H

#include "schema/SchemaGaps.h"
#include "sql/SqlFacts.h"
#include "llvm/ADT/StringMap.h"
#include <memory>

namespace stresslint {

struct Rule;
class Schema;

/// A rule with its effective option values (defaults overlaid with
/// `.clang-tidy` CheckOptions).
struct BoundRule {
  const Rule *R = nullptr;
  llvm::StringMap<std::string> Options;
  /// The schema of the analysed file's project (lib/schema), if any: keys
  /// and trigram indexes it declares refine some predicates.
  std::shared_ptr<const Schema> DbSchema;

  llvm::StringRef option(llvm::StringRef Name) const;
  bool boolOption(llvm::StringRef Name) const;
};

/// True when \p F is a finding of \p B's predicate.
bool predicateMatches(const BoundRule &B, const SqlFact &F);

/// The notes for the names the statement of \p Sql (holding byte \p At)
/// uses that \p B's schema lacks (lib/schema/SchemaGaps.h): none without a
/// schema or with the rule's SchemaNotes off.
std::vector<SchemaGap> schemaNotes(const BoundRule &B, llvm::StringRef Sql,
                                   SqlDialect D, uint32_t At);

/// Expands `{snippet}`, `{detail}` and `{size}` in a rule's message or note.
std::string expandTemplate(llvm::StringRef Template, const SqlFact &F,
                           const BoundRule &B);
/// The planner's row estimate (`reltuples`, from a schema snapshot) of the
/// one table a SELECT * or aggregate fact reads; negative when not known.
double tableRows(const BoundRule &B, const SqlFact &F);
/// ` (~12M rows)` for tableRows when known, else empty: `{size}`.
std::string tableSizeText(const BoundRule &B, const SqlFact &F);
/// Expands `{name}` for each entry of \p Vars; other text is copied.
std::string expandVars(llvm::StringRef Template,
                       const llvm::StringMap<std::string> &Vars);
/// \p S on one line, at most \p Max bytes (`...` marks a cut).
std::string oneLine(llvm::StringRef S, size_t Max = 60);
/// An integer option, or \p Default when it is not a number.
int intOption(const BoundRule &B, llvm::StringRef Name, int Default);

} // namespace stresslint

#endif
