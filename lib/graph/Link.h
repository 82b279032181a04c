//===--- Link.h - Paths through the call graph of a whole run
//--------------===//
///
/// \file
/// Links the summaries of many translation units into one call graph and
/// finds, for each context rule, the paths it reports: a call inside a loop
/// that reaches a query, a request handler that reaches a blocking call or a
/// whole-table aggregate, a task dispatched once per item that reaches a row
/// lock. Each finding carries the steps of its path as notes.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_GRAPH_LINK_H
#define STRESSLINT_GRAPH_LINK_H

#include "graph/Summary.h"
#include "rules/Predicates.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"

namespace stresslint {

class RuleSet;

struct PathStep {
  SrcRange At;
  std::string Message;
};

struct PathFinding {
  const Rule *R = nullptr;
  SrcRange At;
  std::string Message;
  std::vector<PathStep> Notes;
};

/// The effective options of rule \p R for \p File, or null when the rule is
/// disabled for that file.
using RuleOptionsFor =
    llvm::function_ref<const BoundRule *(const Rule &R, llvm::StringRef File)>;

/// Calls whose callee Clang could not resolve (a missing header), linked by
/// name: how many call sites, how many were followed, and how many matched
/// functions of several classes and were not.
struct ByNameStats {
  unsigned Calls = 0, Resolved = 0, Ambiguous = 0;
};

class CallGraph {
public:
  /// \p Rules says which names are library methods (API YAML
  /// `library-methods:`, `binders:`), never linked by name; it must outlive
  /// the graph.
  explicit CallGraph(const RuleSet &Rules) : Rules(Rules) {}

  /// Adds a summary. A function defined in several summaries (a header
  /// included by many TUs) keeps its first definition.
  void add(TUSummary S);
  bool empty() const { return Functions.empty(); }

  /// The findings of context rule \p R, in a deterministic order.
  std::vector<PathFinding> find(const Rule &R, RuleOptionsFor Options) const;

  ByNameStats byNameStats() const;

private:
  /// Resolves every `by-name:` callee (graph/Summary.h) once, after the
  /// last summary was added.
  void resolveByName() const;
  const RuleSet &Rules;
  mutable bool ByNameDone = false;
  mutable llvm::StringMap<std::vector<std::string>> ByName;
  mutable ByNameStats Stats;

  llvm::StringMap<FunctionSummary> Functions;
  std::vector<EntryPoint> Entries;
  /// Base method id -> the ids of the methods that directly override it.
  llvm::StringMap<std::vector<std::string>> Overriders;
};

} // namespace stresslint

#endif
