//===--- Registry.h - The primitives a rule's YAML is built from -----------===//
///
/// \file
/// A rule's `match:` names engine primitives: an SQL predicate (`sql:`), a
/// context (`context:`) and a call set (`call:`). This registry is the one
/// table of them: for each, its name, its kind, the options it reads (typed,
/// with the value it takes when the rule does not declare it), the
/// variables it gives to the rule's `message:`/`note:`/`write-message:`,
/// and what evaluates it. RuleSet validates rule YAML against it before
/// anything is analysed; `stresslint --list-primitives`, scripts/new-rule.sh
/// and the tables of docs/rules-yaml.md (checked by test/DocsTest.cpp) are
/// derived from it.
///
/// The rule's words that name one of a few things (severity, status,
/// report, the primitives) are enums here, parsed once when the rule loads.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_RULES_REGISTRY_H
#define STRESSLINT_RULES_REGISTRY_H

#include "sql/SqlFacts.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace stresslint {

struct BoundRule;

/// The type of a rule option: a switch, a number or text.
enum class OptionType { Bool, Integer, Text };
/// `bool`, `integer` or `text`.
llvm::StringRef optionTypeName(OptionType T);

/// `severity:` the level of the rule's findings.
enum class RuleSeverity { Warning, Error, Note };
/// `status:` how settled the rule is.
enum class RuleStatus { Stable, Experimental, Deprecated };
/// `report:` where a context rule reports: at the first step of the path
/// (the call in the loop, the handler's call, the dispatch) or at the
/// construct reached.
enum class ReportAt { Entry, Target };

enum class PrimitiveKind { SqlPredicate, Context, CallSet };

/// `match.sql`. Query and RowLockAny only make sense with a context.
enum class SqlPredicateKind {
  None,
  SelectStar,
  Offset,
  LeadingWildcard,
  RowLock,
  Aggregate,
  Query,
  RowLockAny,
};
/// `match.context`: where the construct must run (graph/Link.h finds it).
enum class ContextKind { None, InLoop, OnRequestPath, InFanOutTask };
/// `match.call`: calls a context rule reports instead of SQL.
enum class CallSetKind { None, Blocking };

/// An option a primitive reads.
struct PrimitiveOption {
  const char *Name;
  OptionType Type;
  /// The value the primitive reads when the rule does not declare the
  /// option; null when the rule must declare it (a number that means
  /// nothing at 0: a call depth, a batch size).
  const char *Default;
  /// What it does, for --list-primitives.
  const char *Description;
  /// Read only by rules without a context: the SQL check's own notes and
  /// fixes (a context rule reports the path instead).
  bool WithoutContextOnly = false;
  bool required() const { return Default == nullptr; }
};

/// True when \p F is a finding of the SQL predicate, by \p B's options.
using FactPredicate = bool (*)(const BoundRule &B, const SqlFact &F);

/// One primitive of the rule YAML schema.
struct Primitive {
  PrimitiveKind Kind;
  const char *Name;
  /// Its enum value within its kind (SqlPredicateKind, ContextKind or
  /// CallSetKind).
  int Id;
  /// One line for --list-primitives.
  const char *Summary;
  llvm::ArrayRef<PrimitiveOption> Options;
  /// The variables it gives to the rule's texts (`{snippet}` is
  /// `snippet`). A rule's texts expand its context's when it has one (the
  /// call graph reports the path), else its SQL predicate's.
  llvm::ArrayRef<const char *> Vars;
  /// SQL predicates: only with a context (`query`, `row-lock-any`).
  bool NeedsContext = false;
  /// SQL predicates: the evaluator of one fact (rules/Predicates.h); null
  /// for `query`, which matches executed statements rather than facts
  /// (graph/Link.cpp). Contexts and call sets are evaluated by the call
  /// graph (graph/Link.cpp), by their enum.
  FactPredicate Matches = nullptr;
  /// SQL predicates: the kind of fact it reports, whose name it is when
  /// it is the first predicate of that kind (summaries store facts by it).
  std::optional<SqlFact::Kind> Fact;
};

/// Every primitive, SQL predicates first, then contexts, then call sets,
/// in the order the docs list them.
llvm::ArrayRef<Primitive> primitives();
/// `SQL predicate`, `context` or `call set`.
llvm::StringRef primitiveKindName(PrimitiveKind K);
/// The key of `match:` that names a primitive of kind \p K.
llvm::StringRef matchKey(PrimitiveKind K);

/// The primitive of kind \p K named \p Name, or null.
const Primitive *findPrimitive(PrimitiveKind K, llvm::StringRef Name);
/// The registry entry of an enum value; null for None.
const Primitive *primitive(SqlPredicateKind K);
const Primitive *primitive(ContextKind K);
const Primitive *primitive(CallSetKind K);
/// The names of the primitives of kind \p K, `, `-separated, for errors;
/// with \p NeedsContext, only those that do (or do not) need a context.
std::string primitiveNames(PrimitiveKind K,
                           std::optional<bool> NeedsContext = std::nullopt);

/// The name of fact kind \p K (`select-star`), as summaries store it: the
/// name of the first SQL predicate reporting it.
llvm::StringRef factKindName(SqlFact::Kind K);
std::optional<SqlFact::Kind> parseFactKind(llvm::StringRef Name);

/// The words of the enums, as rule YAML spells them; parse* gives nullopt
/// for anything else.
llvm::StringRef severityName(RuleSeverity S);
std::optional<RuleSeverity> parseSeverity(llvm::StringRef S);
llvm::StringRef statusName(RuleStatus S);
std::optional<RuleStatus> parseStatus(llvm::StringRef S);
std::optional<ReportAt> parseReportAt(llvm::StringRef S);

/// Lists the primitives as `stresslint --list-primitives` prints them:
/// a heading per kind (`SQL predicates (match.sql):`), then one line per
/// primitive, its name indented by four spaces (as clang-tidy's
/// `--list-checks`), followed by its options and variables.
void listPrimitives(llvm::raw_ostream &OS);

} // namespace stresslint

#endif
