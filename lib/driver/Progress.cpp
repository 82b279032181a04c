//===--- Progress.cpp - A live progress line on a terminal -----------------===//
#include "driver/Progress.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include <cmath>
#include <cstdio>

namespace stresslint {

Progress::Progress(llvm::raw_ostream &OS, unsigned Total, bool Enabled)
    : OS(OS), Total(Total), Enabled(Enabled && Total > 0), Start(Clock::now()) {}

std::string Progress::formatDuration(double Seconds) {
  auto S = static_cast<unsigned>(std::lround(Seconds));
  char Buf[32];
  if (S >= 3600)
    snprintf(Buf, sizeof(Buf), "%u:%02u:%02u", S / 3600, S / 60 % 60, S % 60);
  else
    snprintf(Buf, sizeof(Buf), "%u:%02u", S / 60, S % 60);
  return Buf;
}

void Progress::advance(llvm::StringRef What) {
  ++Done;
  if (!Enabled)
    return;
  auto Now = Clock::now();
  // A warm cache finishes thousands of units a second: redraw at most ten
  // times a second, and always for the last one.
  if (Shown && Done < Total && Now - LastDraw < std::chrono::milliseconds(100))
    return;
  LastDraw = Now;
  double Elapsed = std::chrono::duration<double>(Now - Start).count();
  double Eta = Elapsed / Done * (Total - Done);
  std::string Line = "[" + std::to_string(Done) + "/" + std::to_string(Total) + "] " +
                     llvm::sys::path::filename(What).str() + "  " +
                     formatDuration(Elapsed) + " elapsed";
  if (Done < Total)
    Line += ", ETA " + formatDuration(Eta);
  // Carriage return, the line, then erase what a longer line left behind.
  OS << '\r' << Line << "\x1b[K";
  OS.flush();
  Shown = true;
}

void Progress::finish() {
  if (!Shown)
    return;
  OS << "\r\x1b[K";
  OS.flush();
  Shown = false;
}

} // namespace stresslint
