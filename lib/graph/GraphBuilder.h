//===--- GraphBuilder.h - A translation unit's call-graph summary ---------===//
///
/// \file
/// Walks the functions a translation unit defines and records, for the link
/// step, what each body does: calls (direct, virtual, through lambdas run in
/// place or per element), SQL executions (declared sinks, SQL text handed to
/// any call, sinks whose SQL is a parameter), blocking calls, task dispatches,
/// and the loop each of these runs in. Request handlers and per-item job
/// handlers are recognised as API YAML declares them.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_GRAPH_GRAPHBUILDER_H
#define STRESSLINT_GRAPH_GRAPHBUILDER_H

#include "graph/Summary.h"

namespace clang {
class ASTContext;
} // namespace clang

namespace stresslint {

class RuleSet;
struct SqlSites;

TUSummary buildSummary(clang::ASTContext &Ctx, const RuleSet &Rules,
                       const SqlSites &Sites);

} // namespace stresslint

#endif
