//===--- RuleFiles.h - Rule files named by a check option ------------------===//
///
/// \file
/// Where the checks find user rule and API files when the host is not the
/// stresslint CLI (the `clang-tidy --load` plugin, or any configuration):
/// the global check option `stresslint.RuleFiles`, a `;`-separated list of
/// YAML files or directories, set in `.clang-tidy` `CheckOptions`. Relative
/// paths are resolved against the directory of the `.clang-tidy` file that
/// sets the option (the working directory when it comes from `--config`).
///
/// The files add to and override the process's rule set (activeRuleSet()):
/// API knowledge (sinks, not-SQL functions) and the words, options and
/// predicates of existing rule ids. Checks are registered before any file's
/// options are known, so a *new* rule id in such a file is not a check; it
/// must be given at load time (`STRESSLINT_RULES`, or the CLI's `--rules`).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TIDY_RULEFILES_H
#define STRESSLINT_TIDY_RULEFILES_H

#include "llvm/ADT/StringRef.h"
#include <memory>

namespace clang::tidy {
class ClangTidyContext;
} // namespace clang::tidy

namespace stresslint {

class RuleSet;

/// The global option naming extra rule files.
inline constexpr llvm::StringLiteral RuleFilesOption = "stresslint.RuleFiles";

/// The rule set for the file \p Ctx is analysing: activeRuleSet() when the
/// option is unset, otherwise it plus the option's files, loaded once per
/// distinct list. A list that does not load is reported once through
/// `configurationDiag` and the active rule set is used.
std::shared_ptr<const RuleSet> ruleSetFor(clang::tidy::ClangTidyContext &Ctx);

} // namespace stresslint

#endif
