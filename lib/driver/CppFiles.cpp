//===--- CppFiles.cpp - The C++ translation units of a run ----------------===//
///
/// \file
/// LintSession::runCpp: each TU's result from the cache or from a worker
/// (driver/Workers.h, the TU itself in TUAction.cpp), taken in TU order
/// whatever the scheduling; schemas loaded once before the workers fork;
/// the progress line and the cache's statistics.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/Progress.h"
#include "driver/ResultCache.h"
#include "driver/SessionImpl.h"
#include "driver/Workers.h"
#include "schema/SchemaFiles.h"
#include "tidy/SchemaFor.h"

#include "llvm/Support/Path.h"
#include <map>
#include <set>

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

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
    std::string Dir =
        Opts.CacheDir.empty() ? defaultCacheDirectory(DatabaseDir) : Opts.CacheDir;
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
          InputProblems.push_back(File + ": " +
                                  describeFailure(O, Opts.TimeoutSeconds) +
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

} // namespace stresslint
