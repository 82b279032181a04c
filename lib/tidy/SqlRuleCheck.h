//===--- SqlRuleCheck.h - One YAML rule as a clang-tidy check --------------===//
///
/// \file
/// Every loaded YAML rule registers as a clang-tidy check named by its id, so
/// the CLI, `clang-tidy --load` and the editor share checks, options and
/// NOLINT handling. The check reads its options once, shares the TU's SQL
/// sites and summary with the other checks (tidy/TUAnalysis.h), and reports
/// the facts its predicate selects.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TIDY_SQLRULECHECK_H
#define STRESSLINT_TIDY_SQLRULECHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "rules/Predicates.h"
#include <memory>

namespace clang {
class ASTContext;
} // namespace clang

namespace stresslint {

class RuleSet;
class TUAnalysis;

class SqlRuleCheck : public clang::tidy::ClangTidyCheck {
public:
  /// \p R belongs to \p Rules, the rule set of the file being analysed;
  /// \p TU is what all checks of the TU share (its SQL sites and summary).
  SqlRuleCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context,
               const Rule &R, std::shared_ptr<const RuleSet> Rules,
               std::shared_ptr<TUAnalysis> TU);

  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;
  void registerPPCallbacks(const clang::SourceManager &SM, clang::Preprocessor *PP,
                           clang::Preprocessor *ModuleExpanderPP) override;
  void onStartOfTranslationUnit() override;
  void onEndOfTranslationUnit() override;

private:
  void checkContext(clang::ASTContext &Ctx);

  std::shared_ptr<const RuleSet> Rules;
  std::shared_ptr<TUAnalysis> TU;
  BoundRule Bound;
  clang::tidy::ClangTidyContext *Tidy;
  /// `AnalyzeStringLiterals` (local or global option, default true): also
  /// analyse string literals that reach no known sink but are plainly a SQL
  /// statement. Off: only SQL passed to sinks declared in API YAML.
  bool AnalyzeStringLiterals;
  /// `SchemaFiles` (local or global option): the DDL files whose schema
  /// refines the predicate (tidy/SchemaFor.h).
  std::string SchemaFiles;
};

} // namespace stresslint

#endif
