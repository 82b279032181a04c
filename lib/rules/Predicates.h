//===--- Predicates.h - SQL predicates: facts filtered by rule options -----===//
///
/// \file
/// Each SQL predicate a rule can name in `match.sql` decides, from the facts
/// of one SQL text and the rule's effective options, which facts to report.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_RULES_PREDICATES_H
#define STRESSLINT_RULES_PREDICATES_H

#include "rules/Registry.h"
#include "schema/SchemaGaps.h"
#include "sql/SqlFacts.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include <memory>
#include <optional>

namespace stresslint {

struct Rule;
struct RuleOption;
class Schema;

/// The type of an option no primitive reads (rules/Registry.h types the
/// others), given by its YAML default: a boolean word (parseBoolOption, not
/// a number) is a switch, an integer a number, and anything else text.
OptionType optionTypeOf(llvm::StringRef Default);

/// The one boolean syntax of rule and check options, clang-tidy's
/// (`ClangTidyCheck::OptionsView::get<bool>`): `true`/`false`, `yes`/`no`,
/// `on`/`off`, `y`/`n` in any case, or an integer (non-zero is true);
/// surrounding blanks are ignored. Anything else is not a boolean.
std::optional<bool> parseBoolOption(llvm::StringRef V);
/// A base-10 integer (surrounding blanks ignored) that fits an int.
std::optional<int> parseIntOption(llvm::StringRef V);

/// A rule with its effective option values (the YAML defaults overlaid with
/// `.clang-tidy` CheckOptions), each parsed once, by its type, when the rule
/// is bound (bindOptions; tidy/Reporter.h binds for a file). An option the
/// rule does not declare has its primitive's default (rules/Registry.h), or
/// is off (false, 0, empty) when no primitive of the rule reads it. RuleSet
/// requires the options a primitive has no default for.
struct BoundRule {
  struct Value {
    OptionType Type = OptionType::Text;
    std::string Text; ///< As set (or the default), for storeOptions.
    bool Flag = false;
    int Number = 0;
  };

  const Rule *R = nullptr;
  /// The options R declares, by name.
  llvm::StringMap<Value> Values;
  /// The schema of the analysed file's project (lib/schema), if any: keys
  /// and trigram indexes it declares refine some predicates.
  std::shared_ptr<const Schema> DbSchema;

  /// The effective text of an option; empty when undeclared.
  llvm::StringRef option(llvm::StringRef Name) const;
  /// A switch: false when undeclared; a number is true when non-zero.
  bool flag(llvm::StringRef Name) const;
  /// A number: 0 when undeclared or not a number.
  int number(llvm::StringRef Name) const;
};

/// Reports a value set for \p O that does not parse as its type;
/// \p Expected is `a bool` or `an integer` (clang-tidy's words).
using BadOptionValue = llvm::function_ref<void(
    const RuleOption &O, llvm::StringRef Value, llvm::StringRef Expected)>;

/// Binds \p R: each option it declares takes its value from \p Set when
/// there, else its YAML default. A set value that does not parse as the
/// option's type goes to \p OnBad, and the default is used. The options its
/// primitives read that it does not declare take the primitive's default.
BoundRule bindOptions(const Rule &R, const llvm::StringMap<std::string> &Set = {},
                      BadOptionValue OnBad = nullptr);

/// True when \p F is a finding of \p B's predicate (its registry entry's
/// evaluator, below).
bool predicateMatches(const BoundRule &B, const SqlFact &F);

/// The evaluators of the SQL predicates, by name (rules/Registry.cpp).
namespace predicates {
bool selectStar(const BoundRule &B, const SqlFact &F);
bool offset(const BoundRule &B, const SqlFact &F);
bool leadingWildcard(const BoundRule &B, const SqlFact &F);
bool rowLock(const BoundRule &B, const SqlFact &F);
bool rowLockAny(const BoundRule &B, const SqlFact &F);
bool aggregate(const BoundRule &B, const SqlFact &F);
} // namespace predicates

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
} // namespace stresslint

#endif
