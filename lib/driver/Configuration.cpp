//===--- Configuration.cpp - The clang-tidy configuration of a session ----===//
///
/// \file
/// The ClangTidyContext a session runs with: stresslint's defaults
/// (`-*,stress-*`, every header), the `.clang-tidy` files or `--config`,
/// the command line's overrides, and the stress checks on until some
/// configuration mentions them.
///
//===----------------------------------------------------------------------===//
#include "driver/SessionImpl.h"
#include "schema/SchemaFiles.h"

#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

namespace {

/// A project's `.clang-tidy` is usually written for clang-tidy's own checks
/// (`Checks: '-*,bugprone-*'`). Unless some source of configuration mentions
/// `stress` checks, they stay enabled; once one does, it decides.
class StressDefaultsProvider : public ClangTidyOptionsProvider {
public:
  explicit StressDefaultsProvider(std::unique_ptr<ClangTidyOptionsProvider> Inner)
      : Inner(std::move(Inner)) {}
  const ClangTidyGlobalOptions &getGlobalOptions() override {
    return Inner->getGlobalOptions();
  }
  std::vector<OptionsSource> getRawOptions(llvm::StringRef FileName) override {
    std::vector<OptionsSource> Sources = Inner->getRawOptions(FileName);
    auto CommandLine = llvm::find_if(Sources, [](const OptionsSource &S) {
      return S.second == OptionsSourceTypeCheckCommandLineOption;
    });
    bool Mentioned = std::any_of(
        Sources.begin() + (Sources.empty() ? 0 : 1), CommandLine,
        [](const OptionsSource &S) {
          return S.first.Checks && llvm::StringRef(*S.first.Checks).contains("stress");
        });
    if (!Mentioned) {
      ClangTidyOptions On;
      On.Checks = "stress-*";
      Sources.insert(CommandLine, {On, "stresslint default (no stress-* in Checks)"});
    }
    return Sources;
  }

private:
  std::unique_ptr<ClangTidyOptionsProvider> Inner;
};

} // namespace

llvm::Expected<std::unique_ptr<ClangTidyContext>>
makeTidyContext(const LintOptions &Opts, const ClangTidyGlobalOptions &GlobalOptions,
                const llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> &FS) {
  ClangTidyOptions Defaults = ClangTidyOptions::getDefaults();
  Defaults.Checks = "-*,stress-*";
  Defaults.HeaderFilterRegex = ".*";
  Defaults.SystemHeaders = false;
  ClangTidyOptions Overrides;
  if (!Opts.Checks.empty())
    Overrides.Checks = Opts.Checks;
  if (!Opts.WarningsAsErrors.empty())
    Overrides.WarningsAsErrors = Opts.WarningsAsErrors;
  if (Opts.UseColor)
    Overrides.UseColor = *Opts.UseColor;
  if (Opts.SchemaFiles)
    Overrides.CheckOptions[SchemaFilesOption] =
        ClangTidyOptions::ClangTidyValue(*Opts.SchemaFiles);
  std::unique_ptr<ClangTidyOptionsProvider> Provider;
  if (!Opts.Config.empty()) {
    auto Parsed = parseConfiguration(llvm::MemoryBufferRef(Opts.Config, "--config"));
    if (!Parsed)
      return llvm::createStringError(Parsed.getError(), "error: invalid --config: %s",
                                     Parsed.getError().message().c_str());
    Provider = std::make_unique<ConfigOptionsProvider>(
        GlobalOptions, Defaults, std::move(*Parsed), Overrides, FS);
  } else {
    Provider =
        std::make_unique<FileOptionsProvider>(GlobalOptions, Defaults, Overrides, FS);
  }
  return std::make_unique<ClangTidyContext>(
      std::make_unique<StressDefaultsProvider>(std::move(Provider)));
}

} // namespace stresslint
