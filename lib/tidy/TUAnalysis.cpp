//===--- TUAnalysis.cpp - What the stress-* checks of one TU share --------===//
#include "tidy/TUAnalysis.h"
#include "graph/GraphBuilder.h"

#include "clang/AST/ASTContext.h"

namespace stresslint {

void TUAnalysis::use(clang::ASTContext &C) {
  if (Ctx == &C)
    return;
  Sites.reset();
  Summary.reset();
  Ctx = &C;
}

const SqlSites &TUAnalysis::sites(clang::ASTContext &C) {
  use(C);
  if (!Sites)
    Sites = collectSqlSites(C, *Rules);
  return *Sites;
}

const TUSummary &TUAnalysis::summary(clang::ASTContext &C) {
  use(C);
  if (!Summary)
    Summary = std::make_unique<TUSummary>(buildSummary(C, *Rules, sites(C)));
  return *Summary;
}

void TUAnalysis::endTU() {
  if (Running == 0 || --Running != 0)
    return;
  if (Summary && Consumer)
    Consumer->consume(*Summary);
  Sites.reset();
  Summary.reset();
  Ctx = nullptr;
  Ended = true;
}

std::shared_ptr<TUAnalysis> TUAnalyses::of(const clang::tidy::ClangTidyContext &Ctx,
                                           std::shared_ptr<const RuleSet> Rules) {
  std::lock_guard<std::mutex> Guard(Lock);
  // Checks are destroyed with their TU's AST consumer; should a host keep
  // them longer, a TU that has ended still hands the next one a new state.
  if (std::shared_ptr<TUAnalysis> Shared = Live.lookup(&Ctx).lock();
      Shared && !Shared->ended())
    return Shared;
  // The first check of a TU: forget the contexts whose TUs have ended
  // (erasing leaves a DenseMap's other iterators valid).
  for (auto It = Live.begin(), E = Live.end(); It != E; ++It)
    if (It->second.expired())
      Live.erase(It);
  auto Fresh = std::make_shared<TUAnalysis>(std::move(Rules), tuSummaryConsumer());
  Live[&Ctx] = Fresh;
  return Fresh;
}

} // namespace stresslint
