//===--- Driver.cpp - A lint session from options to exit code ------------===//
///
/// \file
/// LintSession's life: create (inputs and shards, configuration, compile
/// commands, the engine), run (C++, the cross-TU link, `.sql` files, then
/// findings deduplicated and ordered), the results of TUs taken in, and
/// the exit code. Each step lives in a file of its own: Inputs,
/// Configuration, CompilationDatabase, CppFiles (with TUAction and
/// CacheKey), CrossTULink, SqlFiles, PartFiles, Findings, Stats.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/SessionImpl.h"
#include "graph/Summary.h"
#include "schema/SchemaFiles.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <numeric>

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

extern volatile int StressTidyModuleAnchorSource;
static int LLVM_ATTRIBUTE_UNUSED StressModuleAnchor = StressTidyModuleAnchorSource;

bool isCompilerDiagnostic(const ClangTidyError &E) {
  return llvm::StringRef(E.DiagnosticName).startswith("clang-diagnostic-");
}

LintSession::~LintSession() {
  if (I && tuSummaryConsumer() == &I->Summaries)
    setTUSummaryConsumer(nullptr);
}

ClangTidyContext &LintSession::context() { return *I->Context; }

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
  S->I->FS = new llvm::vfs::OverlayFileSystem(llvm::vfs::getRealFileSystem());
  if (!Opts.InMemoryFiles.empty()) {
    auto Mem = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    for (const auto &[Path, Text] : Opts.InMemoryFiles)
      Mem->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Path));
    S->I->FS->pushOverlay(Mem);
  }
  auto Context = makeTidyContext(Opts, S->I->GlobalOptions, S->I->FS);
  if (!Context)
    return Context.takeError();
  S->I->Context = std::move(*Context);
  S->I->Consumer = std::make_unique<ClangTidyDiagnosticConsumer>(
      *S->I->Context, nullptr, /*RemoveIncompatibleErrors=*/true,
      /*GetFixesFromNotes=*/false);
  S->I->Diags = std::make_unique<DiagnosticsEngine>(
      new DiagnosticIDs(), new DiagnosticOptions(), S->I->Consumer.get(),
      /*ShouldOwnClient=*/false);
  S->I->Context->setDiagnosticsEngine(S->I->Diags.get());

  auto Compilations = setUpCompilations(Opts, !S->CppFiles.empty());
  if (!Compilations)
    return Compilations.takeError();
  S->I->Database = std::move(Compilations->Database);
  S->DatabaseDir = Compilations->DatabaseDir;
  S->SummaryDir = Compilations->SummaryDir;
  S->NoDatabase = Compilations->NoDatabase;
  S->Opts = std::move(Opts);
  if (Merging)
    if (llvm::Error Err = S->loadParts())
      return std::move(Err);
  return std::move(S);
}

double secondsSince(Clock::time_point T) {
  return std::chrono::duration<double>(Clock::now() - T).count();
}

void LintSession::run() {
  Stats.SetupSeconds = secondsSince(Created);
  // The session links the summaries of all its TUs after the last one; the
  // worker processes inherit the hook.
  setTUSummaryConsumer(&I->Summaries);
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

  // A header reached from several TUs is named as each reached it
  // (`sql/tests/../storage_p.h`): one name, so its findings are one.
  auto Normalize = [](std::string &Path) {
    if (llvm::StringRef(Path).contains("/./") ||
        llvm::StringRef(Path).contains("/../")) {
      llvm::SmallString<256> P(Path);
      llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
      Path = std::string(P);
    }
  };
  for (ClangTidyError &E : Errors) {
    Normalize(E.Message.FilePath);
    for (tooling::DiagnosticMessage &N : E.Notes)
      Normalize(N.FilePath);
  }
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
  llvm::stable_sort(
      Order, [&](size_t A, size_t B) { return Key(Errors[A]) < Key(Errors[B]); });
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

int LintSession::exitCode() const {
  if (!InputProblems.empty())
    return ExitInputError;
  bool Any = llvm::any_of(
      Errors, [](const ClangTidyError &E) { return !isCompilerDiagnostic(E); });
  return Any ? ExitFindings : ExitClean;
}

} // namespace stresslint
