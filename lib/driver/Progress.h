//===--- Progress.h - A live progress line on a terminal -------------------===//
///
/// \file
/// `[12/40] src/orders.cpp  0:14 elapsed, ETA 0:32` on stderr, rewritten in
/// place as translation units finish, and erased at the end so the report
/// that follows starts on a clean line. Off unless the driver asks for it
/// (stderr is a terminal, or `--progress`).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_PROGRESS_H
#define STRESSLINT_DRIVER_PROGRESS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

namespace stresslint {

class Progress {
public:
  Progress(llvm::raw_ostream &OS, unsigned Total, bool Enabled);
  ~Progress() { finish(); }

  /// One more unit done; \p What names it.
  void advance(llvm::StringRef What);
  /// Erases the line (idempotent).
  void finish();

  /// `1:05`, `0:07`, `1:02:03`.
  static std::string formatDuration(double Seconds);

private:
  using Clock = std::chrono::steady_clock;
  llvm::raw_ostream &OS;
  unsigned Total, Done = 0;
  bool Enabled, Shown = false;
  Clock::time_point Start, LastDraw;
};

} // namespace stresslint

#endif
