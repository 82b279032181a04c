//===--- CompilationDatabase.cpp - The compile commands of a session ------===//
///
/// \file
/// Where a session's compile commands come from: the flags after `--`, the
/// database of `-p`, one found upward from the first input, or, without
/// any, `-std=c++17` and the project's own include directories; and the
/// arguments every command gets (resource directory, --extra-arg).
///
//===----------------------------------------------------------------------===//
#include "driver/CompileArgs.h"
#include "driver/SessionImpl.h"
#include "support/UpwardSearch.h"

#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#ifndef STRESSLINT_CLANG_RESOURCE_DIR
#define STRESSLINT_CLANG_RESOURCE_DIR ""
#endif

using namespace clang;

namespace stresslint {

/// Looks for compile_commands.json in \p Start and its parents.
static std::unique_ptr<tooling::CompilationDatabase>
findDatabaseUpward(llvm::StringRef Start, std::string &FoundIn) {
  std::string Dir = findDirectoryHolding(Start, "compile_commands.json");
  if (Dir.empty())
    return nullptr;
  std::string Err;
  FoundIn = Dir;
  return tooling::CompilationDatabase::loadFromDirectory(Dir, Err);
}

llvm::Expected<CompilationSetup> setUpCompilations(LintOptions &Opts,
                                                   bool HasCppFiles) {
  CompilationSetup S;
  std::unique_ptr<tooling::CompilationDatabase> DB;
  std::string DatabaseDir;
  if (Opts.CompilerArgs) {
    DB = std::make_unique<tooling::FixedCompilationDatabase>(".", *Opts.CompilerArgs);
  } else if (!Opts.BuildPath.empty()) {
    std::string Err;
    DB = tooling::CompilationDatabase::autoDetectFromDirectory(Opts.BuildPath, Err);
    DatabaseDir = Opts.BuildPath;
    if (!DB)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "error: cannot load a compilation database from '%s': %s",
          Opts.BuildPath.c_str(), Err.c_str());
  } else if (HasCppFiles) {
    DB = findDatabaseUpward(Opts.Paths.front(), DatabaseDir);
  }
  if (DB && !Opts.CompilerArgs) {
    DB = tooling::inferMissingCompileCommands(std::move(DB));
    if (!DatabaseDir.empty()) {
      llvm::SmallString<256> Dir(DatabaseDir);
      llvm::sys::fs::make_absolute(Dir);
      llvm::sys::path::append(Dir, ".stresslint", "summaries");
      S.SummaryDir = std::string(Dir);
    }
  } else if (!DB) {
    S.NoDatabase = true;
    DB = std::make_unique<tooling::FixedCompilationDatabase>(
        ".", std::vector<std::string>{"-std=c++17"});
    Opts.ExtraArgsBefore.insert(Opts.ExtraArgsBefore.begin(), "-xc++");
  }
  std::vector<std::string> Before = Opts.ExtraArgsBefore;
  std::vector<std::string> After = Opts.ExtraArgs;
  if (llvm::StringRef(STRESSLINT_CLANG_RESOURCE_DIR).size())
    Before.push_back(std::string("-resource-dir=") + STRESSLINT_CLANG_RESOURCE_DIR);
  After.push_back("-Wno-unknown-warning-option");
  // A typo correction guesses: `exec()` of a base whose header is missing
  // would become a call of the class's own `Exec()`.
  After.push_back("-fno-spell-checking");
  auto Adjusting =
      std::make_unique<tooling::ArgumentsAdjustingCompilations>(std::move(DB));
  Adjusting->appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      Before, tooling::ArgumentInsertPosition::BEGIN));
  Adjusting->appendArgumentsAdjuster(
      tooling::getInsertArgumentAdjuster(After, tooling::ArgumentInsertPosition::END));
  if (S.NoDatabase) {
    Adjusting->appendArgumentsAdjuster(getDriverPathAdjuster());
    Adjusting->appendArgumentsAdjuster(getProjectIncludeAdjuster());
    if (Opts.DefineBuildOptions)
      Adjusting->appendArgumentsAdjuster(getFeatureMacroAdjuster());
  }
  S.Database = std::move(Adjusting);
  S.DatabaseDir = DatabaseDir;
  return std::move(S);
}

} // namespace stresslint
