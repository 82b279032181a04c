//===--- CrossTULink.cpp - The context rules over all TUs -----------------===//
///
/// \file
/// LintSession::runLink: after the last TU, the call-graph summaries are
/// stored for the editor and plugin modes and linked (graph/Link.h); each
/// context rule's paths are reported through the session's ClangTidyContext
/// with one SourceManager per reporting file, so NOLINT and the file's
/// `.clang-tidy` apply.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/SessionImpl.h"
#include "graph/Link.h"
#include "graph/Summary.h"
#include "rules/Predicates.h"
#include "rules/RuleSet.h"
#include "tidy/Reporter.h"

#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include <map>

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

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
  CallGraph Graph(Rules);
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
    llvm::errs() << "stresslint: warning: " << llvm::toString(std::move(*StoreError))
                 << "\n";
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
      if (It->second.isInvalid() || R.Begin > SM.getBufferData(It->second).size())
        return {};
      return SM.getLocForStartOfFile(It->second)
          .getLocWithOffset(static_cast<int>(R.Begin));
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

} // namespace stresslint
