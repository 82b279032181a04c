//===--- RuleSet.h - Rules and API knowledge loaded from YAML --------------===//
///
/// \file
/// A rule is data (`rules/<id>.yaml`): its words, options and a `match:` made
/// of engine primitives. API knowledge (`rules/apis/*.yaml`) says which calls
/// run SQL and which functions never take SQL. The defaults are embedded in
/// the binary; `--rules PATH` adds or overrides files.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_RULES_RULESET_H
#define STRESSLINT_RULES_RULESET_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
} // namespace re2

namespace stresslint {

struct RuleOption {
  std::string Name;
  std::string Default;
  std::string Description;
};

struct Rule {
  std::string Id;
  std::string Summary;
  std::string Severity = "warning"; ///< warning | error | note
  std::string Status = "stable";
  std::string Message; ///< One line; `{snippet}` and `{detail}` expand.
  std::string Note;    ///< Optional note line, same expansions.
  std::string Docs;    ///< Docs path or URL.
  std::vector<RuleOption> Options;
  /// `match.sql`: the SQL predicate (select-star, offset, leading-wildcard,
  /// row-lock, aggregate).
  std::string SqlPredicate;
  std::string Source; ///< Where the rule was loaded from.
  bool BuiltIn = false;

  const RuleOption *option(llvm::StringRef Name) const;
};

/// A name pattern: an exact qualified name, or a glob with `*` (compiled to a
/// linear-time RE2 automaton), or `re:<RE2 syntax>`.
class NamePattern {
public:
  static llvm::Expected<NamePattern> compile(llvm::StringRef Pattern);
  bool matches(llvm::StringRef Name) const;
  const std::string &text() const { return Text; }

private:
  std::string Text;
  std::shared_ptr<re2::RE2> Regex; ///< Null for exact names.
};

/// A call that runs SQL.
struct Sink {
  std::string Api;
  NamePattern Function;
  /// Which argument carries the SQL; negative counts from the end (-1 is the
  /// last argument written). For operators, 0 is the left operand.
  int SqlArg = 0;
  /// For `<<` sinks: `concat` appends every further `<<` operand to the SQL
  /// (SOCI), `first` takes only this operand (Drogon binds parameters).
  std::string Stream = "first";
};

class RuleSet {
public:
  /// Loads the embedded defaults, then each of \p UserPaths (a YAML file or a
  /// directory of them). Errors read `file:line:col: error: ...`.
  static llvm::Expected<RuleSet> load(const std::vector<std::string> &UserPaths);

  const std::vector<Rule> &rules() const { return Rules; }
  const Rule *rule(llvm::StringRef Id) const;
  const std::vector<Sink> &sinks() const { return Sinks; }
  /// Functions and macros whose string arguments are never SQL (logging,
  /// formatting, exceptions).
  const std::vector<NamePattern> &notSqlFunctions() const { return NotSqlFunctions; }
  const std::vector<NamePattern> &notSqlMacros() const { return NotSqlMacros; }

  /// Parses one YAML document; \p Name is used in diagnostics.
  llvm::Error addFile(llvm::StringRef Name, llvm::StringRef Content,
                      bool BuiltIn);

private:
  std::vector<Rule> Rules;
  std::vector<Sink> Sinks;
  std::vector<NamePattern> NotSqlFunctions;
  std::vector<NamePattern> NotSqlMacros;
};

/// The rule set the checks of this process use. The CLI installs one built
/// from `--rules`; otherwise the embedded defaults are loaded on first use.
const RuleSet &activeRuleSet();
void setActiveRuleSet(RuleSet Rules);

/// Embedded files (generated at build time from rules/ and docs/rules/).
struct EmbeddedFile {
  const char *Path;
  const char *Content;
};
llvm::ArrayRef<EmbeddedFile> embeddedRuleFiles();
llvm::ArrayRef<EmbeddedFile> embeddedDocFiles();

/// The docs page of rule \p Id, or an empty string.
llvm::StringRef embeddedDoc(llvm::StringRef Id);

} // namespace stresslint

#endif
