//===--- TUAnalysisTest.cpp - Per-TU state stays with its TU --------------===//
///
/// \file
/// Runs the stress-* module over translation units one after another in
/// one process, as the CLI's in-process mode and `clang-tidy --load` do, and
/// checks that each TU's summary reaches the session's hook with its own
/// functions only. A per-thread cache of the sites or the summary would
/// hand the second TU the first's (its ASTContext is usually allocated at
/// the first one's address).
///
//===----------------------------------------------------------------------===//
#include "graph/Summary.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"
#include <gtest/gtest.h>

namespace stresslint {
// NOLINTNEXTLINE(readability-redundant-declaration)
extern volatile int StressTidyModuleAnchorSource;
} // namespace stresslint

using namespace clang;
using namespace clang::tidy;
using namespace stresslint;

namespace {

/// The names of the functions of each summary handed over, in order.
struct Recorder : TUSummaryConsumer {
  std::vector<std::vector<std::string>> Functions;
  void consume(const TUSummary &Summary) override {
    Functions.emplace_back();
    for (const FunctionSummary &F : Summary.Functions)
      Functions.back().push_back(F.Name);
  }
};

/// Hands the clang-tidy AST consumer of one shared factory to each TU, as
/// clang-tidy's own frontend action does.
class TidyAction : public ASTFrontendAction {
public:
  explicit TidyAction(ClangTidyASTConsumerFactory &Factory) : Factory(Factory) {}
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef File) override {
    return Factory.createASTConsumer(CI, File);
  }

private:
  ClangTidyASTConsumerFactory &Factory;
};

const char *const FirstTU = R"cpp(
void exec_sql(const char *sql);
void first_tu_helper() { exec_sql("SELECT id FROM users"); }
void first_tu_loop() {
  for (int i = 0; i < 3; ++i)
    first_tu_helper();
}
)cpp";

const char *const SecondTU = R"cpp(
void second_tu_callee();
void second_tu_caller() {
  for (int i = 0; i < 3; ++i)
    second_tu_callee();
}
)cpp";

bool has(const std::vector<std::string> &Names, llvm::StringRef Prefix) {
  return llvm::any_of(Names, [&](const std::string &N) {
    return llvm::StringRef(N).startswith(Prefix);
  });
}

TEST(TUAnalysis, SecondTUSeesNoneOfTheFirst) {
  ASSERT_EQ(StressTidyModuleAnchorSource, 0);
  ClangTidyOptions Options = ClangTidyOptions::getDefaults();
  Options.Checks = "-*,stress-*";
  ClangTidyContext Context(
      std::make_unique<DefaultOptionsProvider>(ClangTidyGlobalOptions(), Options));
  ClangTidyDiagnosticConsumer Diags(Context);
  DiagnosticsEngine Engine(new DiagnosticIDs(), new DiagnosticOptions(), &Diags,
                           /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&Engine);
  // One factory for both TUs, as `clang-tidy --load` runs them.
  ClangTidyASTConsumerFactory Factory(Context);
  Recorder Hook;
  setTUSummaryConsumer(&Hook);
  for (const char *Code : {FirstTU, SecondTU, FirstTU})
    EXPECT_TRUE(tooling::runToolOnCodeWithArgs(std::make_unique<TidyAction>(Factory),
                                               Code, {"-std=c++17"}, "tu.cpp"));
  setTUSummaryConsumer(nullptr);

  ASSERT_EQ(Hook.Functions.size(), 3u);
  EXPECT_TRUE(has(Hook.Functions[0], "first_tu_"));
  EXPECT_FALSE(has(Hook.Functions[0], "second_tu_"));
  EXPECT_TRUE(has(Hook.Functions[1], "second_tu_"));
  EXPECT_FALSE(has(Hook.Functions[1], "first_tu_"));
  EXPECT_EQ(Hook.Functions[2], Hook.Functions[0]);
}

} // namespace
