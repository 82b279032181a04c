//===--- StressTidyModule.cpp - The stress-* clang-tidy module -------------===//
///
/// \file
/// Registers one clang-tidy check per loaded YAML rule; the checks created
/// for one TU share one TUAnalysis.
///
//===----------------------------------------------------------------------===//
#include "rules/RuleSet.h"
#include "tidy/RuleFiles.h"
#include "tidy/SqlRuleCheck.h"
#include "tidy/TUAnalysis.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace stresslint {

class StressTidyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    // What the checks of one TU share, handed out as they are created.
    auto Analyses = std::make_shared<TUAnalyses>();
    for (const Rule &R : activeRuleSet().rules()) {
      const Rule *Ptr = &R;
      Factories.registerCheckFactory(
          R.Id,
          [Ptr, Analyses](llvm::StringRef Name, clang::tidy::ClangTidyContext *Ctx) {
            // Checks are created per file, once its options are known: the
            // rule set may add the files of `stresslint.RuleFiles`.
            std::shared_ptr<const RuleSet> Rules = ruleSetFor(*Ctx);
            const Rule *Own = Rules->rule(Name);
            std::shared_ptr<TUAnalysis> TU = Analyses->of(*Ctx, Rules);
            return std::make_unique<SqlRuleCheck>(Name, Ctx, Own ? *Own : *Ptr,
                                                  std::move(Rules), std::move(TU));
          });
    }
  }

  clang::tidy::ClangTidyOptions getModuleOptions() override {
    clang::tidy::ClangTidyOptions Options;
    for (const Rule &R : activeRuleSet().rules())
      for (const RuleOption &O : R.Options)
        Options.CheckOptions[R.Id + "." + O.Name] =
            clang::tidy::ClangTidyOptions::ClangTidyValue(O.Default);
    return Options;
  }
};

static clang::tidy::ClangTidyModuleRegistry::Add<StressTidyModule>
    X("stress-module", "Checks for code that stresses backend servers.");

// Referenced by the CLI and tests so that static linking keeps the module.
// NOLINTNEXTLINE(misc-use-anonymous-namespace)
volatile int StressTidyModuleAnchorSource = 0;

} // namespace stresslint
