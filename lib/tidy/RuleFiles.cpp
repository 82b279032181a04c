//===--- RuleFiles.cpp - Rule files named by a check option ----------------===//
#include "tidy/RuleFiles.h"
#include "rules/RuleSet.h"
#include "support/UpwardSearch.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <mutex>

namespace stresslint {

/// The directory relative entries of the option are resolved against: that
/// of the nearest `.clang-tidy` above \p File that sets the option.
static std::string baseDirectory(llvm::StringRef File) {
  llvm::SmallString<256> Start(File);
  if (Start.empty())
    llvm::sys::fs::current_path(Start);
  std::string Dir = findUpward(Start, [](llvm::StringRef D) {
    llvm::SmallString<256> Config(D);
    llvm::sys::path::append(Config, ".clang-tidy");
    auto Buf = llvm::MemoryBuffer::getFile(Config, /*IsText=*/true);
    if (!Buf)
      return false;
    auto Parsed = clang::tidy::parseConfiguration((*Buf)->getMemBufferRef());
    return Parsed && Parsed->CheckOptions.count(RuleFilesOption);
  });
  if (!Dir.empty())
    return Dir;
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  return std::string(Cwd);
}

namespace {
struct Loaded {
  std::shared_ptr<const RuleSet> Rules; ///< Null when loading failed.
};
} // namespace

std::shared_ptr<const RuleSet> ruleSetFor(clang::tidy::ClangTidyContext &Ctx) {
  const RuleSet &Active = activeRuleSet();
  // Non-owning: the active rule set lives for the whole process.
  std::shared_ptr<const RuleSet> Fallback(std::shared_ptr<const RuleSet>(), &Active);
  const auto &Opts = Ctx.getOptions().CheckOptions;
  auto It = Opts.find(RuleFilesOption);
  if (It == Opts.end() || llvm::StringRef(It->second.Value).trim().empty())
    return Fallback;

  std::string Base = baseDirectory(Ctx.getCurrentFile());
  std::vector<std::string> Paths = Active.userPaths();
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  llvm::StringRef(It->second.Value).split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (P.empty())
      continue;
    llvm::SmallString<256> Abs(P);
    if (!llvm::sys::path::is_absolute(Abs)) {
      Abs = Base;
      llvm::sys::path::append(Abs, P);
    }
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    Paths.push_back(std::string(Abs));
  }
  std::string Key = llvm::join(Paths, ";");

  static std::mutex Mu;
  static llvm::StringMap<Loaded> Cache;
  std::lock_guard<std::mutex> Lock(Mu);
  auto Found = Cache.find(Key);
  if (Found != Cache.end())
    return Found->second.Rules ? Found->second.Rules : Fallback;

  Loaded &Entry = Cache[Key];
  auto RS = RuleSet::load(Paths);
  if (!RS) {
    Ctx.configurationDiag("stresslint: %0: %1; using the built-in rules")
        << RuleFilesOption << llvm::toString(RS.takeError());
    return Fallback;
  }
  for (const Rule &R : RS->rules())
    if (!Active.rule(R.Id))
      Ctx.configurationDiag(
          "stresslint: rule '%0' (%1) is not a check: checks are registered "
          "before %2 is read; give new rules at load time with "
          "STRESSLINT_RULES=<paths>",
          clang::DiagnosticIDs::Warning)
          << R.Id << R.Source << RuleFilesOption;
  Entry.Rules = std::make_shared<const RuleSet>(std::move(*RS));
  return Entry.Rules;
}

} // namespace stresslint
