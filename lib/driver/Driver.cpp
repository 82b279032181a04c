//===--- Driver.cpp - Run the stress-* checks over files -------------------===//
#include "driver/Driver.h"
#include "cpp/RecoveredLoops.h"
#include "driver/AtomicFile.h"
#include "driver/CompileArgs.h"
#include "driver/FindingText.h"
#include "driver/Progress.h"
#include "driver/ProjectScope.h"
#include "driver/Report.h"
#include "driver/ResultCache.h"
#include "driver/SessionImpl.h"
#include "driver/Workers.h"
#include "graph/GraphBuilder.h"
#include "graph/Link.h"
#include "graph/Summary.h"
#include "rules/Predicates.h"
#include "rules/RuleSet.h"
#include "schema/SchemaFiles.h"
#include "sql/SqlFacts.h"
#include "tidy/Reporter.h"
#include "tidy/RuleFiles.h"
#include "tidy/SchemaFor.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/MultiplexConsumer.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <chrono>
#include <map>
#include <numeric>
#include <set>
#include <thread>

#ifndef STRESSLINT_CLANG_RESOURCE_DIR
#define STRESSLINT_CLANG_RESOURCE_DIR ""
#endif

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

extern volatile int StressTidyModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED StressModuleAnchor = StressTidyModuleAnchorSource;

static bool isCppFile(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  for (llvm::StringRef E : {".cc", ".cpp", ".cxx", ".c++", ".C", ".h", ".hh",
                            ".hpp", ".hxx", ".h++", ".inl", ".ipp", ".tcc"})
    if (Ext == E)
      return true;
  return false;
}

static bool isSqlFile(llvm::StringRef Path) {
  return llvm::sys::path::extension(Path).equals_insensitive(".sql");
}

llvm::Error collectInputs(const std::vector<std::string> &Paths,
                          std::vector<std::string> &Cpp,
                          std::vector<std::string> &Sql) {
  llvm::StringSet<> Seen;
  auto AddFile = [&](const std::string &P, bool Explicit) {
    llvm::SmallString<256> Abs(P);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    if (!Seen.insert(Abs).second)
      return;
    if (isSqlFile(P))
      Sql.push_back(std::string(Abs));
    else if (Explicit || isCppFile(P))
      Cpp.push_back(std::string(Abs));
  };
  for (const std::string &P : Paths) {
    llvm::sys::fs::file_status St;
    if (std::error_code EC = llvm::sys::fs::status(P, St))
      return llvm::createStringError(EC, "error: %s: %s", P.c_str(),
                                     EC.message().c_str());
    if (!llvm::sys::fs::is_directory(St)) {
      AddFile(P, /*Explicit=*/true);
      continue;
    }
    walkSourceTree(P, [&](const std::string &E) {
      if (isCppFile(E) || isSqlFile(E))
        AddFile(E, /*Explicit=*/false);
    });
  }
  llvm::sort(Cpp);
  llvm::sort(Sql);
  return llvm::Error::success();
}

namespace {

/// The clang-tidy FrontendActionFactory, as runClangTidy builds it.
class TidyActionFactory : public tooling::FrontendActionFactory {
public:
  /// \p Inputs, when set, receives every file the TU read; \p Dropped, when
  /// set, the range-for loops of the main file Clang dropped; \p Scope how
  /// many top-level declarations the checks traversed (driver/ProjectScope.h).
  TidyActionFactory(ClangTidyContext &Context,
                    IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                    std::vector<TUResult::Input> *Inputs,
                    DroppedCode *Dropped, ScopeCounts *Scope)
      : ConsumerFactory(Context, std::move(FS)), Inputs(Inputs),
        Dropped(Dropped), Scope(Scope) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(&ConsumerFactory, Inputs, Dropped, Scope);
  }
  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation,
                     FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    // No "N warnings generated." lines: findings are printed by us.
    Invocation->getDiagnosticOpts().ShowCarets = false;
    if (!Dropped)
      return FrontendActionFactory::runInvocation(Invocation, Files,
                                                  PCHContainerOps, DiagConsumer);
    UnknownTypeRecorder Recorder(*DiagConsumer, *Dropped);
    return FrontendActionFactory::runInvocation(Invocation, Files,
                                                PCHContainerOps, &Recorder);
  }

private:
  class Action : public ASTFrontendAction {
  public:
    Action(ClangTidyASTConsumerFactory *Factory,
           std::vector<TUResult::Input> *Inputs,
           DroppedCode *Dropped, ScopeCounts *Scope)
        : Factory(Factory), Inputs(Inputs), Dropped(Dropped), Scope(Scope) {}
    /// The checks traverse the project's own declarations only, as clangd
    /// scopes them to the main file's.
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                   StringRef File) override {
      std::vector<std::unique_ptr<ASTConsumer>> Consumers;
      Consumers.push_back(Factory->createASTConsumer(Compiler, File));
      if (Dropped)
        Consumers.push_back(std::make_unique<DroppedLoopFinder>(Compiler, *Dropped));
      return std::make_unique<ProjectScopeConsumer>(Compiler, std::move(Consumers),
                                                    Scope);
    }
    /// Records the files of the TU with the digest of the very bytes that
    /// were analysed (not of the file as it is later on disk).
    void EndSourceFileAction() override {
      if (!Inputs)
        return;
      SourceManager &SM = getCompilerInstance().getSourceManager();
      FileManager &FM = getCompilerInstance().getFileManager();
      for (auto It = SM.fileinfo_begin(), E = SM.fileinfo_end(); It != E; ++It) {
        const FileEntry *FE = It->first;
        std::optional<llvm::MemoryBufferRef> Buf = SM.getMemoryBufferForFileOrNone(FE);
        if (!Buf)
          continue;
        llvm::SmallString<256> Path(FE->tryGetRealPathName());
        if (Path.empty()) {
          Path = FE->getName();
          FM.makeAbsolutePath(Path);
        }
        Inputs->push_back({std::string(Path), contentDigest(Buf->getBuffer())});
      }
      llvm::sort(*Inputs, [](const TUResult::Input &A, const TUResult::Input &B) {
        return A.Path < B.Path;
      });
    }

  private:
    ClangTidyASTConsumerFactory *Factory;
    std::vector<TUResult::Input> *Inputs;
    DroppedCode *Dropped;
    ScopeCounts *Scope;
  };
  ClangTidyASTConsumerFactory ConsumerFactory;
  std::vector<TUResult::Input> *Inputs;
  DroppedCode *Dropped;
  ScopeCounts *Scope;
};

/// Line/column lookup over files read once.
class LineTable {
public:
  std::pair<unsigned, unsigned> position(llvm::StringRef File, unsigned Offset) {
    auto &Starts = lines(File);
    auto It = std::upper_bound(Starts.begin(), Starts.end(), Offset);
    unsigned Line = static_cast<unsigned>(It - Starts.begin());
    return {Line, Offset - Starts[Line - 1] + 1};
  }

private:
  const std::vector<unsigned> &lines(llvm::StringRef File) {
    auto It = Cache.find(File.str());
    if (It != Cache.end())
      return It->second;
    std::vector<unsigned> Starts{0};
    if (auto Buf = llvm::MemoryBuffer::getFile(File)) {
      llvm::StringRef B = (*Buf)->getBuffer();
      for (size_t I = 0; I < B.size(); ++I)
        if (B[I] == '\n')
          Starts.push_back(static_cast<unsigned>(I + 1));
    }
    return Cache.emplace(File.str(), std::move(Starts)).first->second;
  }
  std::map<std::string, std::vector<unsigned>> Cache;
};

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

bool isCompilerDiagnostic(const ClangTidyError &E) {
  return llvm::StringRef(E.DiagnosticName).startswith("clang-diagnostic-");
}

} // namespace

LintSession::~LintSession() = default;

ClangTidyContext &LintSession::context() { return *I->Context; }

/// Looks for compile_commands.json in \p Start and its parents.
static std::unique_ptr<tooling::CompilationDatabase>
findDatabaseUpward(llvm::StringRef Start, std::string &FoundIn) {
  llvm::SmallString<256> Abs(Start);
  llvm::sys::fs::make_absolute(Abs);
  if (!llvm::sys::fs::is_directory(Abs))
    llvm::sys::path::remove_filename(Abs);
  // A StringRef walks up over Abs: assigning parent_path(Dir) back into a
  // SmallString Dir would copy the string onto itself (LLVM asserts on it).
  for (llvm::StringRef Dir = Abs; !Dir.empty(); Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, "compile_commands.json");
    if (llvm::sys::fs::exists(Candidate)) {
      std::string Err;
      FoundIn = std::string(Dir);
      return tooling::CompilationDatabase::loadFromDirectory(Dir, Err);
    }
  }
  return nullptr;
}

llvm::Expected<std::unique_ptr<LintSession>> LintSession::create(LintOptions Opts) {
  std::unique_ptr<LintSession> S(new LintSession());
  S->Created = std::chrono::steady_clock::now();
  S->I = std::make_unique<Impl>();
  const bool Merging = !Opts.MergeParts.empty();
  if (Opts.Paths.empty() && !Merging)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "error: no input paths");
  if (Merging && (Opts.ShardCount || !Opts.PartFile.empty()))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "error: merge takes no --shard or --part");
  if (Opts.ShardCount && (Opts.ShardIndex < 1 || Opts.ShardIndex > Opts.ShardCount))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "error: --shard %u/%u: K must be 1..N",
                                   Opts.ShardIndex, Opts.ShardCount);
  if (!Merging)
    if (auto Err = collectInputs(Opts.Paths, S->CppFiles, S->SqlFiles))
      return std::move(Err);
  if (Opts.ShardCount) {
    // Round-robin over the sorted inputs: the same split on every machine
    // with the same checkout, and shards of nearly equal size.
    auto Keep = [&](std::vector<std::string> &Files) {
      std::vector<std::string> Mine;
      for (size_t K = Opts.ShardIndex - 1; K < Files.size(); K += Opts.ShardCount)
        Mine.push_back(std::move(Files[K]));
      Files = std::move(Mine);
    };
    Keep(S->CppFiles);
    Keep(S->SqlFiles);
  }

  if (Opts.SchemaFiles)
    if (llvm::Error E = checkSchemaGlobs(*Opts.SchemaFiles))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "error: --schema-files: %s",
                                     llvm::toString(std::move(E)).c_str());
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
  S->I->FS = new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem());
  if (!Opts.InMemoryFiles.empty()) {
    auto Mem = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    for (const auto &[Path, Text] : Opts.InMemoryFiles)
      Mem->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Path));
    S->I->FS->pushOverlay(Mem);
  }
  std::unique_ptr<ClangTidyOptionsProvider> Provider;
  if (!Opts.Config.empty()) {
    auto Parsed = parseConfiguration(llvm::MemoryBufferRef(Opts.Config, "--config"));
    if (!Parsed)
      return llvm::createStringError(Parsed.getError(),
                                     "error: invalid --config: %s",
                                     Parsed.getError().message().c_str());
    Provider = std::make_unique<ConfigOptionsProvider>(
        S->I->GlobalOptions, Defaults, std::move(*Parsed), Overrides, S->I->FS);
  } else {
    Provider = std::make_unique<FileOptionsProvider>(S->I->GlobalOptions, Defaults,
                                                     Overrides, S->I->FS);
  }
  S->I->Context = std::make_unique<ClangTidyContext>(
      std::make_unique<StressDefaultsProvider>(std::move(Provider)));
  S->I->Consumer = std::make_unique<ClangTidyDiagnosticConsumer>(
      *S->I->Context, nullptr, /*RemoveIncompatibleErrors=*/true,
      /*GetFixesFromNotes=*/false);
  S->I->Diags = std::make_unique<DiagnosticsEngine>(
      new DiagnosticIDs(), new DiagnosticOptions(), S->I->Consumer.get(),
      /*ShouldOwnClient=*/false);
  S->I->Context->setDiagnosticsEngine(S->I->Diags.get());

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
  } else if (!S->CppFiles.empty()) {
    DB = findDatabaseUpward(Opts.Paths.front(), DatabaseDir);
  }
  if (DB && !Opts.CompilerArgs) {
    DB = tooling::inferMissingCompileCommands(std::move(DB));
    if (!DatabaseDir.empty()) {
      llvm::SmallString<256> Dir(DatabaseDir);
      llvm::sys::fs::make_absolute(Dir);
      llvm::sys::path::append(Dir, ".stresslint", "summaries");
      S->SummaryDir = std::string(Dir);
    }
  } else if (!DB) {
    S->NoDatabase = true;
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
  auto Adjusting = std::make_unique<tooling::ArgumentsAdjustingCompilations>(std::move(DB));
  Adjusting->appendArgumentsAdjuster(
      tooling::getInsertArgumentAdjuster(Before, tooling::ArgumentInsertPosition::BEGIN));
  Adjusting->appendArgumentsAdjuster(
      tooling::getInsertArgumentAdjuster(After, tooling::ArgumentInsertPosition::END));
  if (S->NoDatabase)
    Adjusting->appendArgumentsAdjuster(getProjectIncludeAdjuster());
  S->I->Database = std::move(Adjusting);
  S->DatabaseDir = DatabaseDir;
  S->Opts = std::move(Opts);
  if (Merging)
    if (llvm::Error Err = S->loadParts())
      return std::move(Err);
  return std::move(S);
}

using Clock = std::chrono::steady_clock;

static double secondsSince(Clock::time_point T) {
  return std::chrono::duration<double>(Clock::now() - T).count();
}

void LintSession::run() {
  Stats.SetupSeconds = secondsSince(Created);
  setDeferredLinking(true);
  const bool Merging = !Opts.MergeParts.empty();
  if (!Merging && !CppFiles.empty())
    runCpp();
  // A shard sees part of the call graph: its paths would be incomplete, so
  // linking waits for `stresslint merge`.
  auto T = Clock::now();
  if (Opts.PartFile.empty())
    runLink();
  Stats.LinkSeconds = secondsSince(T);
  T = Clock::now();
  if (!Merging && Opts.AnalyzeSqlFiles)
    for (const std::string &P : SqlFiles)
      runSql(P);
  Stats.SqlSeconds = secondsSince(T);

  // Deduplicate (a header reached from several TUs) and order the output.
  auto Key = [](const ClangTidyError &E) {
    // References, not copies: this runs O(n log n) times.
    return std::tie(E.Message.FilePath, E.Message.FileOffset, E.DiagnosticName,
                    E.Message.Message);
  };
  // Indices are sorted, not the errors: moving a ClangTidyError moves a
  // dozen strings and containers. Equal keys keep their first error.
  std::vector<size_t> Order(Errors.size());
  std::iota(Order.begin(), Order.end(), 0);
  llvm::stable_sort(Order, [&](size_t A, size_t B) { return Key(Errors[A]) < Key(Errors[B]); });
  std::vector<ClangTidyError> Sorted;
  Sorted.reserve(Errors.size());
  for (size_t K : Order)
    if (Sorted.empty() || Key(Sorted.back()) != Key(Errors[K]))
      Sorted.push_back(std::move(Errors[K]));
  Errors = std::move(Sorted);
  // Problems name their file first: sorted, they read the same however the
  // inputs were split across workers or shards.
  llvm::stable_sort(InputProblems);
  if (!Opts.PartFile.empty())
    writePart();
}

/// The `SchemaFiles` globs of the rules for the current file of \p Context.
static std::set<std::string> schemaGlobs(ClangTidyContext &Context) {
  std::set<std::string> Globs;
  for (const Rule &R : activeRuleSet().rules())
    Globs.insert(schemaFilesOption(Context.getOptions(), R.Id));
  return Globs;
}

std::string LintSession::cacheKey(const std::string &File) {
  // The tool's part of every key, computed once per process: the versions,
  // and the binary itself (a rebuild may analyse differently under the same
  // version).
  static const std::string Tool = [] {
    KeyBuilder T;
    T.add("stresslint " STRESSLINT_VERSION).add(LLVM_VERSION_STRING);
    std::string Exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
    llvm::sys::fs::file_status St;
    if (!Exe.empty() && !llvm::sys::fs::status(Exe, St))
      T.add(Exe)
          .add(std::to_string(St.getSize()))
          .add(std::to_string(St.getLastModificationTime().time_since_epoch().count()));
    return T.digest();
  }();
  KeyBuilder K;
  K.add(Tool);
  // The options of the main file decide the checks and their options for
  // the whole TU; ruleSetFor adds the files named by stresslint.RuleFiles.
  ClangTidyContext &Context = *I->Context;
  Context.setCurrentFile(File);
  K.add(configurationAsText(Context.getOptions()));
  K.add(ruleSetFor(Context)->digest());
  // The schema files the checks read (tidy/SchemaFor.h), by path, size and
  // modification time: a changed migration analyses the TU again.
  std::string SchemaRoot = schemaRoot(File);
  for (const std::string &G : schemaGlobs(Context))
    K.add(G).add(schemaStamp(SchemaRoot, G));
  for (const tooling::CompileCommand &C : I->Database->getCompileCommands(File)) {
    K.add(C.Directory).add(C.Filename);
    for (const std::string &A : C.CommandLine)
      K.add(A);
  }
  K.add(NoDatabase && !Opts.ShowCompilerErrors ? "hide-compiler-errors" : "");
  return K.digest();
}

void LintSession::addResult(TUResult &&R) {
  for (const std::string &W : R.Warnings) {
    if (llvm::is_contained(Warnings, W))
      continue;
    Warnings.push_back(W);
    llvm::errs() << "stresslint: warning: " << W << "\n";
  }
  Summaries.push_back(std::move(R.Summary));
  if (R.HiddenCompileErrors)
    ++TUsWithHiddenErrors;
  Stats.ProjectDecls += R.ProjectDecls;
  Stats.LibraryDecls += R.LibraryDecls;
  if (R.RecoveredLoops || R.UnknownTypes) {
    Stats.RecoveredLoops += R.RecoveredLoops;
    Stats.UnknownTypes += R.UnknownTypes;
    ++Stats.ReparsedTUs;
  }
  llvm::append_range(InputProblems, R.Problems);
  std::move(R.Errors.begin(), R.Errors.end(), std::back_inserter(Errors));
  if (Opts.RecordInputs)
    for (const TUResult::Input &In : R.Inputs) {
      llvm::SmallString<256> Abs(In.Path);
      llvm::sys::fs::make_absolute(Abs);
      llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
      InputDigests[Abs] = In.Digest;
    }
}

std::optional<std::string> LintSession::digestRead(llvm::StringRef AbsPath) const {
  auto It = InputDigests.find(AbsPath);
  if (It == InputDigests.end())
    return std::nullopt;
  return It->second;
}

/// Loads the schema of each of \p Files' projects once, here, so that the
/// workers forked per TU share it rather than each reading the DDL again.
static void loadSchemasBeforeForking(ClangTidyContext &Context,
                                     const std::vector<std::string> &Files) {
  std::set<std::pair<std::string, std::string>> Loaded;
  std::map<std::string, std::string> RootOfDir; // one upward search a directory
  for (const std::string &File : Files) {
    Context.setCurrentFile(File);
    std::string Dir(llvm::sys::path::parent_path(File));
    auto [It, New] = RootOfDir.try_emplace(Dir);
    if (New)
      It->second = schemaRoot(File);
    const std::string &Root = It->second;
    for (const std::string &G : schemaGlobs(Context))
      if (Loaded.insert({Root, G}).second)
        schemaFor(Context, G);
  }
}

void LintSession::runCpp() {
  const unsigned N = CppFiles.size();
  loadSchemasBeforeForking(*I->Context, CppFiles);
  // The cache is skipped when a test hook changes what a TU does.
  std::unique_ptr<ResultCache> Cache;
  if (!Opts.NoCache && Opts.TestCrashOn.empty() && Opts.TestHangOn.empty()) {
    std::string Dir = Opts.CacheDir.empty() ? defaultCacheDirectory(DatabaseDir)
                                            : Opts.CacheDir;
    if (!Dir.empty())
      Cache = std::make_unique<ResultCache>(Dir, I->FS);
  }
  auto T = Clock::now();
  std::vector<std::string> Keys(N);
  std::vector<std::optional<TUResult>> Cached(N);
  std::vector<unsigned> ToRun;
  for (unsigned K = 0; K < N; ++K) {
    if (Cache) {
      Keys[K] = cacheKey(CppFiles[K]);
      Cached[K] = Cache->lookup(Keys[K]);
    }
    if (!Cached[K])
      ToRun.push_back(K);
  }
  Stats.CacheSeconds = secondsSince(T);
  CollectInputs = Cache != nullptr || Opts.RecordInputs;
  Stats.FromCache = N - ToRun.size();
  Stats.Analysed = ToRun.size();

  JobOptions J;
  J.Jobs = Opts.Jobs;
  J.TimeoutSeconds = Opts.TimeoutSeconds;
  J.InProcess = Opts.InProcess;
  Stats.Jobs = J.InProcess ? 1 : J.Jobs ? J.Jobs : defaultJobCount();
  Progress Line(llvm::errs(), N, Opts.Progress);
  for (unsigned K = 0; K < N; ++K)
    if (Cached[K])
      Line.advance(CppFiles[K]);
  J.Finished = [&](unsigned R) { Line.advance(CppFiles[ToRun[R]]); };

  // Results are taken in TU order whatever the scheduling (cached ones in
  // between), so warnings, problems and summaries are deterministic.
  unsigned NextCached = 0;
  auto TakeCachedBefore = [&](unsigned Limit) {
    for (; NextCached < Limit; ++NextCached)
      if (Cached[NextCached])
        addResult(std::move(*Cached[NextCached]));
  };
  T = Clock::now();
  runJobs(
      ToRun.size(), J,
      [&](unsigned R) { return serializeTUResult(analyseTU(CppFiles[ToRun[R]])); },
      [&](unsigned R, JobOutcome &&O) {
        const unsigned K = ToRun[R];
        TakeCachedBefore(K);
        NextCached = K + 1;
        const std::string &File = CppFiles[K];
        if (O.State != JobOutcome::Done) {
          InputProblems.push_back(File + ": " + describeFailure(O, Opts.TimeoutSeconds) +
                                  "; other files were analysed");
          Summaries.emplace_back();
          return;
        }
        auto Result = deserializeTUResult(O.Payload);
        if (!Result) {
          InputProblems.push_back(File + ": analysis failed (" +
                                  llvm::toString(Result.takeError()) + ")");
          Summaries.emplace_back();
          return;
        }
        // Only results of TUs that compiled: a missing header leaves no
        // input whose change would invalidate the entry.
        if (Cache && Result->Problems.empty() && !Result->HiddenCompileErrors &&
            !Result->Inputs.empty())
          Cache->store(Keys[K], O.Payload);
        addResult(std::move(*Result));
      });
  TakeCachedBefore(N);
  Line.finish();
  Stats.AnalysisSeconds = secondsSince(T);
  if (Cache) {
    Stats.CacheDir = Cache->directory();
    Stats.Cache = Cache->stats();
    // Not an input problem (every file was analysed), but the next run
    // will be as slow as this one: say why, once.
    if (Stats.Cache.StoreFailures)
      llvm::errs() << "stresslint: warning: " << Stats.Cache.StoreFailures
                   << " result(s) not cached (" << Cache->firstStoreError()
                   << "); use --cache-dir or --no-cache\n";
  }
}

TUResult LintSession::analyseTU(const std::string &File) {
  if (!Opts.TestCrashOn.empty() && llvm::StringRef(File).contains(Opts.TestCrashOn)) {
    // A real invalid access (LLVM's signal handler, then SIGSEGV), as a bug
    // in a check would make; test-only.
    volatile int *volatile Null = nullptr;
    *Null = 1;
  }
  if (!Opts.TestHangOn.empty() && llvm::StringRef(File).contains(Opts.TestHangOn))
    for (;;)
      std::this_thread::sleep_for(std::chrono::hours(1));

  TUResult Result;
  DroppedCode Dropped;
  int RC = runTool(File, Result, CollectInputs ? &Result.Inputs : nullptr, &Dropped,
                   nullptr);
  std::vector<ClangTidyError> TUErrors = I->Consumer->take();
  if (!Dropped.empty()) {
    // Range-for loops Clang dropped (their range has no type), types it
    // could not name: parse once more with the loops re-spelled, same
    // length, as code Clang keeps, and the types declared
    // (cpp/RecoveredLoops.h). The compiler's diagnostics are the first
    // parse's; the findings and the call graph the second's.
    std::string Respelled = Dropped.respelled();
    std::string Stubs = Dropped.stubs();
    runTool(File, Result, nullptr, nullptr,
            Dropped.Loops.empty() ? nullptr : &Respelled, &Stubs);
    std::vector<ClangTidyError> Second = I->Consumer->take();
    llvm::erase_if(TUErrors, [](const ClangTidyError &E) { return !isCompilerDiagnostic(E); });
    llvm::erase_if(Second, isCompilerDiagnostic);
    std::move(Second.begin(), Second.end(), std::back_inserter(TUErrors));
    Result.RecoveredLoops = static_cast<unsigned>(Dropped.Loops.size());
    Result.UnknownTypes =
        static_cast<unsigned>(Dropped.Types.size() + Dropped.Templates.size());
  }
  Result.Summary = takeTUSummary();
  bool HadCompileErrors = llvm::any_of(TUErrors, [](const ClangTidyError &E) {
    return isCompilerDiagnostic(E) && E.DiagLevel == tooling::Diagnostic::Error;
  });
  if (NoDatabase && !Opts.ShowCompilerErrors) {
    // Without a compilation database missing headers are expected: the
    // SQL rules still run on the partial AST; keep the output about them.
    Result.HiddenCompileErrors = HadCompileErrors;
    llvm::erase_if(TUErrors, isCompilerDiagnostic);
  } else if (HadCompileErrors || RC != 0) {
    Result.Problems.push_back(File + ": compiler errors; analysed a partial AST");
  }
  Result.Errors = std::move(TUErrors);
  return Result;
}

int LintSession::runTool(const std::string &File, TUResult &Result,
                         std::vector<TUResult::Input> *Inputs,
                         DroppedCode *Dropped,
                         const std::string *Respelled,
                         const std::string *Stubs) {
  ClangTidyContext &Context = *I->Context;
  ClangTidyDiagnosticConsumer &DiagConsumer = *I->Consumer;
  ScopeCounts Scope;
  TidyActionFactory Factory(Context, I->FS, Inputs, Dropped, &Scope);
  tooling::ClangTool Tool(*I->Database, {File},
                          std::make_shared<PCHContainerOperations>(), I->FS);
  if (Respelled) {
    Tool.mapVirtualFile(File, *Respelled);
    Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        ("-D" + RecoveredLoopMarker + "=if").str().c_str(),
        tooling::ArgumentInsertPosition::END));
  }
  if (Stubs) {
    Tool.mapVirtualFile(UnknownTypeStubsPath, *Stubs);
    Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        {"-include", UnknownTypeStubsPath.str()},
        tooling::ArgumentInsertPosition::END));
  }
  Tool.setPrintErrorMessage(false);
  // ExtraArgs/ExtraArgsBefore from .clang-tidy, as clang-tidy applies them.
  Tool.appendArgumentsAdjuster([&Context](const tooling::CommandLineArguments &Args,
                                          StringRef Filename) {
    ClangTidyOptions O = Context.getOptionsForFile(Filename);
    tooling::CommandLineArguments Adjusted = Args;
    if (O.ExtraArgsBefore) {
      auto It = Adjusted.begin();
      if (It != Adjusted.end() && !StringRef(*It).startswith("-"))
        ++It;
      Adjusted.insert(It, O.ExtraArgsBefore->begin(), O.ExtraArgsBefore->end());
    }
    if (O.ExtraArgs)
      Adjusted.insert(Adjusted.end(), O.ExtraArgs->begin(), O.ExtraArgs->end());
    return Adjusted;
  });
  // Ours first, so every plugin flag is named in a warning; clang's own
  // stripping stays as a second net.
  Tool.appendArgumentsAdjuster(getSanitizingAdjuster([&Result](const std::string &W) {
    if (!llvm::is_contained(Result.Warnings, W))
      Result.Warnings.push_back(W);
  }));
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  Tool.setDiagnosticConsumer(&DiagConsumer);
  int RC = Tool.run(&Factory);
  Result.ProjectDecls = Scope.Project;
  Result.LibraryDecls = Scope.Library;
  return RC;
}

/// Rules with a context, with their options for each file.
class ContextOptions {
public:
  explicit ContextOptions(ClangTidyContext &Context) : Context(Context) {}
  const BoundRule *get(const Rule &R, llvm::StringRef File) {
    auto Key = std::make_pair(R.Id, File.str());
    auto It = Cache.find(Key);
    if (It != Cache.end())
      return It->second.get();
    Context.setCurrentFile(File);
    std::unique_ptr<BoundRule> B;
    if (Context.isCheckEnabled(R.Id))
      B = std::make_unique<BoundRule>(bindRule(R, Context));
    return (Cache[Key] = std::move(B)).get();
  }

private:
  ClangTidyContext &Context;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<BoundRule>> Cache;
};

void LintSession::runLink() {
  const RuleSet &Rules = activeRuleSet();
  if (!Rules.hasContextRules())
    return;
  // Each summary is parsed, stored for the editor and plugin modes, and
  // moved into the graph, and its text freed: memory holds the graph once,
  // not the texts, a copy and the graph.
  CallGraph Graph;
  std::optional<llvm::Error> StoreError;
  for (std::string &S : Summaries) {
    if (S.empty())
      continue;
    auto P = parseSummary(S);
    std::string().swap(S);
    if (!P) {
      llvm::consumeError(P.takeError());
      continue;
    }
    if (!SummaryDir.empty() && !StoreError)
      if (llvm::Error E = storeSummaries(SummaryDir, *P))
        StoreError = std::move(E);
    Graph.add(std::move(*P));
  }
  if (StoreError)
    llvm::errs() << "stresslint: warning: " << llvm::toString(std::move(*StoreError)) << "\n";
  if (Graph.empty())
    return;
  ByNameStats B = Graph.byNameStats();
  Stats.ByNameCalls = B.Calls;
  Stats.ByNameResolved = B.Resolved;
  Stats.ByNameAmbiguous = B.Ambiguous;
  ClangTidyContext &Context = *I->Context;
  ContextOptions Options(Context);
  std::map<std::string, std::vector<PathFinding>> ByFile;
  for (const Rule &R : Rules.rules())
    for (PathFinding &F : Graph.find(R, [&](const Rule &X, llvm::StringRef File) {
           return Options.get(X, File);
         }))
      ByFile[F.At.File].push_back(std::move(F));

  // One SourceManager per reporting file, with that file as the main file,
  // so header filtering and NOLINT behave as for the TU of that file.
  ClangTidyDiagnosticConsumer &DiagConsumer = *I->Consumer;
  DiagnosticsEngine &DE = *I->Diags;
  for (auto &[File, Findings] : ByFile) {
    FileSystemOptions FSOpts;
    FileManager FM(FSOpts, I->FS);
    SourceManager SM(DE, FM);
    DE.setSourceManager(&SM);
    std::map<std::string, FileID> IDs;
    auto LocOf = [&](const SrcRange &R) -> SourceLocation {
      auto It = IDs.find(R.File);
      if (It == IDs.end()) {
        FileID FID;
        if (auto FE = FM.getOptionalFileRef(R.File))
          FID = SM.createFileID(*FE, SourceLocation(), SrcMgr::C_User);
        It = IDs.emplace(R.File, FID).first;
        if (IDs.size() == 1 && FID.isValid())
          SM.setMainFileID(FID);
      }
      if (It->second.isInvalid() ||
          R.Begin > SM.getBufferData(It->second).size())
        return {};
      return SM.getLocForStartOfFile(It->second).getLocWithOffset(
          static_cast<int>(R.Begin));
    };
    if (LocOf({File, 0, 0}).isInvalid()) {
      DE.setSourceManager(nullptr);
      continue;
    }
    Context.setSourceManager(&SM);
    Context.setCurrentFile(File);
    Context.setCurrentBuildDirectory("");
    DiagConsumer.BeginSourceFile(LangOptions(), nullptr);
    for (const PathFinding &F : Findings)
      reportPath(Context, F, LocOf);
    DiagConsumer.EndSourceFile();
    DiagConsumer.finish();
    std::vector<ClangTidyError> FileErrors = DiagConsumer.take();
    std::move(FileErrors.begin(), FileErrors.end(), std::back_inserter(Errors));
    DE.setSourceManager(nullptr);
  }
}

/// Identifies a part file and the layout of its content.
static constexpr llvm::StringLiteral PartFormat = "stresslint-part";
static constexpr int PartVersion = 1;

void LintSession::writePart() {
  TUResult All;
  All.Errors = Errors;
  All.Warnings = Warnings;
  All.Problems = InputProblems;
  llvm::json::Array Sums;
  for (const std::string &S : Summaries)
    Sums.push_back(S);
  llvm::json::Object Part{
      {"format", PartFormat},
      {"version", PartVersion},
      {"tool", STRESSLINT_VERSION},
      {"rules", activeRuleSet().digest()},
      {"shard", llvm::json::Array{Opts.ShardCount ? Opts.ShardIndex : 1,
                                  Opts.ShardCount ? Opts.ShardCount : 1}},
      {"cpp", llvm::json::Array(CppFiles)},
      {"sql", llvm::json::Array(SqlFiles)},
      {"hiddenCompileErrorTUs", TUsWithHiddenErrors},
      {"result", serializeTUResult(All)},
      {"summaries", std::move(Sums)}};
  if (llvm::Error E = writeFileAtomically(Opts.PartFile, [&](llvm::raw_ostream &OS) {
        OS << llvm::json::Value(std::move(Part)) << "\n";
      })) {
    PartWriteFailed = true;
    InputProblems.push_back("cannot write the part file: " + llvm::toString(std::move(E)));
  }
}

llvm::Error LintSession::loadParts() {
  auto Fail = [](const std::string &Path, const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "error: %s: %s", Path.c_str(), Why.str().c_str());
  };
  unsigned Count = 0;
  std::vector<std::string> Seen; // shard K of Count -> the file that had it
  for (const std::string &Path : Opts.MergeParts) {
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    if (!Buf)
      return Fail(Path, "cannot read: " + Buf.getError().message());
    auto Parsed = llvm::json::parse((*Buf)->getBuffer());
    if (!Parsed)
      return Fail(Path, "not a part file (" + llvm::toString(Parsed.takeError()) + ")");
    const llvm::json::Object *O = Parsed->getAsObject();
    if (!O || O->getString("format") != PartFormat)
      return Fail(Path, "not a stresslint part file (write one with --part)");
    if (O->getInteger("version") != PartVersion || O->getString("tool") != STRESSLINT_VERSION)
      return Fail(Path, "written by another stresslint version; merge with the "
                        "version that wrote the parts");
    if (O->getString("rules") != activeRuleSet().digest())
      return Fail(Path, "written with other rules; pass merge the same --rules "
                        "as the shards");
    const llvm::json::Array *Shard = O->getArray("shard");
    std::optional<int64_t> K = Shard && Shard->size() == 2 ? (*Shard)[0].getAsInteger() : std::nullopt;
    std::optional<int64_t> N = Shard && Shard->size() == 2 ? (*Shard)[1].getAsInteger() : std::nullopt;
    if (!K || !N || *N < 1 || *K < 1 || *K > *N)
      return Fail(Path, "malformed shard number");
    if (Count && *N != Count)
      return Fail(Path, "is a part of " + llvm::Twine(*N) + " shards, the others of " +
                            llvm::Twine(Count));
    Count = *N;
    Seen.resize(Count);
    if (!Seen[*K - 1].empty())
      return Fail(Path, "shard " + llvm::Twine(*K) + "/" + llvm::Twine(*N) +
                            " is also in " + Seen[*K - 1]);
    Seen[*K - 1] = Path;

    auto Strings = [&](llvm::StringRef Key, std::vector<std::string> &Out) {
      const llvm::json::Array *A = O->getArray(Key);
      if (!A)
        return false;
      for (const llvm::json::Value &V : *A) {
        auto S = V.getAsString();
        if (!S)
          return false;
        Out.push_back(S->str());
      }
      return true;
    };
    std::vector<std::string> Sums;
    std::optional<llvm::StringRef> Wire = O->getString("result");
    std::optional<int64_t> Hidden = O->getInteger("hiddenCompileErrorTUs");
    if (!Wire || !Hidden || !Strings("cpp", CppFiles) || !Strings("sql", SqlFiles) ||
        !Strings("summaries", Sums))
      return Fail(Path, "malformed part file");
    auto R = deserializeTUResult(*Wire);
    if (!R)
      return Fail(Path, "malformed part file (" + llvm::toString(R.takeError()) + ")");
    for (std::string &S : Sums)
      Summaries.push_back(std::move(S));
    TUsWithHiddenErrors += *Hidden;
    R->Summary.clear();
    addResult(std::move(*R));
    Summaries.pop_back(); // addResult's empty summary: the part's are above
  }
  for (unsigned K = 0; K < Count; ++K)
    if (Seen[K].empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "error: shard %u/%u is missing from the merge",
                                     K + 1, Count);
  llvm::sort(CppFiles);
  llvm::sort(SqlFiles);
  return llvm::Error::success();
}

std::string LintSession::statsTable(bool PerPhase, double ReportSeconds) const {
  std::map<std::string, unsigned> ByRule;
  unsigned Total = 0;
  for (const ClangTidyError &E : Errors)
    if (!isCompilerDiagnostic(E)) {
      ++ByRule[E.DiagnosticName];
      ++Total;
    }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  auto Row = [&](llvm::StringRef Name, const llvm::Twine &Value) {
    OS << "  " << llvm::left_justify(Name, 36) << Value << "\n";
  };
  OS << "stresslint: findings by rule\n";
  for (const auto &[Rule, Count] : ByRule)
    Row(Rule, llvm::Twine(Count));
  Row("total", llvm::Twine(Total));
  Row("files", llvm::Twine(fileCount()) + " (" + llvm::Twine(CppFiles.size()) +
                   " C++, " + llvm::Twine(SqlFiles.size()) + " SQL)");
  double Seconds = secondsSince(Created) + ReportSeconds;
  Row("time", llvm::formatv("{0:f2} s", Seconds).str());
  if (!PerPhase)
    return Out;
  OS << "stresslint: phases\n";
  auto Phase = [&](llvm::StringRef Name, double S, const llvm::Twine &Extra = "") {
    Row(Name, llvm::formatv("{0:f3} s", S).str() + Extra);
  };
  Phase("setup (inputs, configuration)", Stats.SetupSeconds);
  Phase("cache lookup", Stats.CacheSeconds);
  Phase("C++ analysis", Stats.AnalysisSeconds,
        "  " + llvm::Twine(Stats.Analysed) + " TUs analysed, " +
            llvm::Twine(Stats.FromCache) + " from the cache, -j" + llvm::Twine(Stats.Jobs));
  Row("top-level declarations traversed",
      llvm::Twine(Stats.ProjectDecls) + " of " +
          llvm::Twine(Stats.ProjectDecls + Stats.LibraryDecls) + " (" +
          llvm::Twine(Stats.LibraryDecls) + " in system or library headers left out)");
  Phase("cross-TU link", Stats.LinkSeconds);
  Row("calls resolved by name",
      llvm::Twine(Stats.ByNameResolved) + " of " + llvm::Twine(Stats.ByNameCalls) +
          " unresolved calls (" + llvm::Twine(Stats.ByNameAmbiguous) +
          " ambiguous, not followed)");
  Row("code re-parsed",
      llvm::Twine(Stats.RecoveredLoops) + " range-for loops Clang dropped, " +
          llvm::Twine(Stats.UnknownTypes) + " unknown type names declared, in " +
          llvm::Twine(Stats.ReparsedTUs) + " TUs parsed twice");
  Phase("SQL files", Stats.SqlSeconds);
  Phase("report", ReportSeconds);
  const CacheStats &C = Stats.Cache;
  if (Stats.CacheDir.empty())
    Row("cache", "off");
  else
    Row("cache", llvm::Twine(C.Hits) + " hits, " + llvm::Twine(C.Missing) + " missing, " +
                     llvm::Twine(C.Stale) + " stale, " + llvm::Twine(C.Corrupt) +
                     " corrupt (ignored); " + llvm::Twine(C.Stored) + " stored, " +
                     llvm::Twine(C.StoreFailures) + " not stored; in " + Stats.CacheDir);
  return Out;
}

std::vector<Finding> LintSession::findings() const {
  LineTable Lines;
  std::vector<Finding> Out;
  for (const ClangTidyError &E : Errors) {
    Finding F;
    F.Check = E.DiagnosticName;
    F.Level = E.DiagLevel == tooling::Diagnostic::Error    ? "error"
              : E.DiagLevel == tooling::Diagnostic::Remark ? "note"
                                                           : "warning";
    F.Message = E.Message.Message;
    F.File = E.Message.FilePath;
    if (!F.File.empty()) {
      std::tie(F.Line, F.Column) = Lines.position(F.File, E.Message.FileOffset);
      F.EndLine = F.Line;
      F.EndColumn = F.Column + 1;
      for (const auto &R : E.Message.Ranges)
        if (R.FilePath == F.File && R.FileOffset == E.Message.FileOffset) {
          std::tie(F.EndLine, F.EndColumn) =
              Lines.position(F.File, R.FileOffset + R.Length);
          break;
        }
    }
    for (const auto &N : E.Notes) {
      Finding::Note Note;
      Note.Message = N.Message;
      Note.File = N.FilePath;
      if (!N.FilePath.empty())
        std::tie(Note.Line, Note.Column) = Lines.position(N.FilePath, N.FileOffset);
      F.Notes.push_back(std::move(Note));
    }
    for (const auto &FileAndReps : E.Message.Fix)
      for (const tooling::Replacement &R : FileAndReps.second) {
        Finding::Edit Ed;
        Ed.File = R.getFilePath().str();
        Ed.Text = R.getReplacementText().str();
        std::tie(Ed.Line, Ed.Column) = Lines.position(Ed.File, R.getOffset());
        std::tie(Ed.EndLine, Ed.EndColumn) =
            Lines.position(Ed.File, R.getOffset() + R.getLength());
        F.Fix.push_back(std::move(Ed));
      }
    Out.push_back(std::move(F));
  }
  return Out;
}

void LintSession::retainFindings(llvm::function_ref<bool(size_t)> Keep) {
  size_t Index = 0;
  llvm::erase_if(Errors, [&](const ClangTidyError &E) {
    return !Keep(Index++) && !isCompilerDiagnostic(E);
  });
}

unsigned LintSession::printText() {
  // As clang-tidy's handleErrors decides colour.
  FindingTextOptions Text;
  Text.Colors = I->Context->getOptions().UseColor.value_or(
      llvm::sys::Process::StandardOutHasColors());
  if (Text.Colors && !llvm::sys::Process::StandardOutIsDisplayed())
    llvm::sys::Process::UseANSIEscapeCodes(true);
  return printFindingText(Errors, llvm::outs(), I->FS, Text);
}

std::string LintSession::summary() const {
  unsigned Findings = llvm::count_if(Errors, [](const ClangTidyError &E) {
    return !isCompilerDiagnostic(E);
  });
  std::string S = "stresslint: " + std::to_string(Findings) + " finding" +
                  (Findings == 1 ? "" : "s") + " in " +
                  std::to_string(fileCount()) + " file" +
                  (fileCount() == 1 ? "" : "s");
  if (TUsWithHiddenErrors)
    S += "\nstresslint: note: " + std::to_string(TUsWithHiddenErrors) +
         " file(s) did not fully compile without a compilation database (e.g. "
         "missing headers); SQL rules ran on the partial AST. Pass -p "
         "<build-dir> or -- <flags>, or --show-compiler-errors to see them";
  return S;
}

int LintSession::exitCode() const {
  if (!InputProblems.empty())
    return ExitInputError;
  bool Any = llvm::any_of(Errors, [](const ClangTidyError &E) {
    return !isCompilerDiagnostic(E);
  });
  return Any ? ExitFindings : ExitClean;
}

} // namespace stresslint
