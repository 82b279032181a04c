//===--- TUAnalysis.h - What the stress-* checks of one TU share ----------===//
///
/// \file
/// The per-translation-unit state of the stress-* checks, in one explicit
/// object instead of thread-locals: the TU's rule set, its SQL sites and
/// its call-graph summary, each built once, on first use, by whichever
/// check asks first. The checks of one TU hold the same TUAnalysis
/// (TUAnalyses hands it out per ClangTidyContext); when the last of them
/// ends the TU, the summary goes to the session's TUSummaryConsumer and
/// the state is dropped.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TIDY_TUANALYSIS_H
#define STRESSLINT_TIDY_TUANALYSIS_H

#include "cpp/SqlSites.h"
#include "graph/Summary.h"

#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <mutex>

namespace clang {
class ASTContext;
namespace tidy {
class ClangTidyContext;
} // namespace tidy
} // namespace clang

namespace stresslint {

class RuleSet;

class TUAnalysis {
public:
  /// \p Consumer, when set, receives the summary at the end of the TU and
  /// links the TUs itself (the CLI); null elsewhere.
  TUAnalysis(std::shared_ptr<const RuleSet> Rules, TUSummaryConsumer *Consumer)
      : Rules(std::move(Rules)), Consumer(Consumer) {}

  const RuleSet &rules() const { return *Rules; }
  /// The SQL sites of the TU of \p Ctx, collected on first use.
  const SqlSites &sites(clang::ASTContext &Ctx);
  /// The call-graph summary of the TU of \p Ctx, built on first use.
  const TUSummary &summary(clang::ASTContext &Ctx);
  /// Whether the driver links the summaries of all TUs: context checks
  /// then only contribute this TU's summary.
  bool driverLinks() const { return Consumer != nullptr; }

  /// Each check calls these at the start and end of the TU; when the last
  /// one that started has ended, a built summary goes to the consumer and
  /// the TU's state is dropped.
  void startTU() { ++Running; }
  void endTU();
  /// Whether the TU has ended: the checks of the next TU need another.
  bool ended() const { return Ended; }

private:
  /// Drops the state of another TU (a new ASTContext).
  void use(clang::ASTContext &Ctx);

  std::shared_ptr<const RuleSet> Rules;
  TUSummaryConsumer *Consumer;
  const clang::ASTContext *Ctx = nullptr;
  std::unique_ptr<SqlSites> Sites;
  std::unique_ptr<TUSummary> Summary;
  unsigned Running = 0;
  bool Ended = false;
};

/// Hands the checks created for one TU the same TUAnalysis. Owned by the
/// module's check factories; checks are created per TU, all at once, and
/// destroyed with the TU's AST consumer, so the TUAnalysis lives exactly as
/// long as the TU's checks. Keyed by ClangTidyContext: a host that builds
/// several TUs at once (clangd) gives each its own context.
class TUAnalyses {
public:
  std::shared_ptr<TUAnalysis> of(const clang::tidy::ClangTidyContext &Ctx,
                                 std::shared_ptr<const RuleSet> Rules);

private:
  std::mutex Lock;
  llvm::DenseMap<const clang::tidy::ClangTidyContext *, std::weak_ptr<TUAnalysis>> Live;
};

} // namespace stresslint

#endif
