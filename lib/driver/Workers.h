//===--- Workers.h - Run jobs in forked worker processes -------------------===//
///
/// \file
/// Crash isolation and parallelism for the per-TU analysis: each job runs in
/// a forked child process (POSIX fork + a pipe), at most N at once. The child
/// computes a byte string and writes it to its pipe; the parent collects the
/// strings and hands them back in job order, whatever the scheduling. A child
/// that dies by a signal, exits abnormally or exceeds the time limit is
/// reported as such, and the other jobs still run.
///
/// fork() is only safe while the process has a single thread: LLVM starts no
/// threads on the analysis path (no thread pool, no ClangTool threading), and
/// runJobs() checks it (/proc/self/task on Linux) and falls back to running
/// in-process otherwise.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_WORKERS_H
#define STRESSLINT_DRIVER_WORKERS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include <functional>
#include <string>

namespace stresslint {

/// How one job ended.
struct JobOutcome {
  enum Status {
    Done,     ///< Payload holds what the job returned.
    Crashed,  ///< Killed by signal Signal.
    Failed,   ///< Exited with ExitCode != 0, or returned no result.
    TimedOut, ///< Killed after the time limit.
  };
  Status State = Done;
  int Signal = 0;
  int ExitCode = 0;
  std::string Payload;
};

struct JobOptions {
  /// Processes at once; 0 means the number of hardware threads.
  unsigned Jobs = 0;
  /// Seconds per job before its process is killed; 0 means no limit.
  unsigned TimeoutSeconds = 0;
  /// Run the jobs in this process, one after the other: no isolation, no
  /// time limit (for debuggers, and where fork is unavailable).
  bool InProcess = false;
  /// Called in the parent as soon as job I ends, in completion order (the
  /// progress line); may be empty.
  std::function<void(unsigned)> Finished;
};

/// The number of processes `Jobs == 0` stands for.
unsigned defaultJobCount();

/// Runs Job(0) ... Job(N-1) and calls Done(I, Outcome) in the parent for each
/// I in increasing order. Job runs in a child process (stdout and stderr
/// closed to /dev/null: children never print) unless Opts.InProcess.
void runJobs(unsigned N, const JobOptions &Opts,
             llvm::function_ref<std::string(unsigned)> Job,
             llvm::function_ref<void(unsigned, JobOutcome &&)> Done);

/// A short description of a failed outcome: "analysis crashed (signal 11)",
/// "analysis timed out after 5s".
std::string describeFailure(const JobOutcome &O, unsigned TimeoutSeconds);

} // namespace stresslint

#endif
