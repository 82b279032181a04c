//===--- Summary.h - What one translation unit tells the link step ---------===//
///
/// \file
/// The context rules (queries in loops, blocking work in request handlers,
/// hot-path aggregates, locks in fan-out tasks) need paths that cross
/// functions and files. Each translation unit yields a summary of its
/// functions, calls, loops, handlers, dispatches, sinks and blocking calls;
/// the driver collects the summaries of a run and links them.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_GRAPH_SUMMARY_H
#define STRESSLINT_GRAPH_SUMMARY_H

#include <string>

namespace stresslint {

/// The serialized summary of the translation unit analysed last on this
/// thread, or an empty string when none was made. Taking it clears it.
std::string takeTUSummary();

} // namespace stresslint

#endif
