//===--- Workers.cpp - Run jobs in forked worker processes -----------------===//
#include "driver/Workers.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

#if LLVM_ON_UNIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace stresslint {

unsigned defaultJobCount() {
  unsigned N = llvm::heavyweight_hardware_concurrency().compute_thread_count();
  return N ? N : 1;
}

std::string describeFailure(const JobOutcome &O, unsigned TimeoutSeconds) {
  switch (O.State) {
  case JobOutcome::Crashed:
    return "analysis crashed (signal " + std::to_string(O.Signal) + ")";
  case JobOutcome::TimedOut:
    return "analysis timed out after " + std::to_string(TimeoutSeconds) + "s";
  case JobOutcome::Failed:
    return "analysis failed (worker exit code " + std::to_string(O.ExitCode) + ")";
  case JobOutcome::Done:
    break;
  }
  return "";
}

/// Delivers outcomes to the caller in job order.
namespace {
class InOrder {
public:
  explicit InOrder(llvm::function_ref<void(unsigned, JobOutcome &&)> Done)
      : Done(Done) {}
  void add(unsigned I, JobOutcome O) {
    Ready.emplace(I, std::move(O));
    for (auto It = Ready.find(Next); It != Ready.end(); It = Ready.find(Next)) {
      Done(Next, std::move(It->second));
      Ready.erase(It);
      ++Next;
    }
  }

private:
  llvm::function_ref<void(unsigned, JobOutcome &&)> Done;
  std::map<unsigned, JobOutcome> Ready;
  unsigned Next = 0;
};
} // namespace

#if LLVM_ON_UNIX
/// Threads of this process, or 0 when it cannot be told.
static unsigned threadCount() {
  std::error_code EC;
  unsigned N = 0;
  for (llvm::sys::fs::directory_iterator It("/proc/self/task", EC), End;
       It != End && !EC; It.increment(EC))
    ++N;
  return EC ? 0 : N;
}

namespace {
struct Child {
  pid_t Pid = -1;
  int Fd = -1;
  unsigned Index = 0;
  std::string Buf;
  std::chrono::steady_clock::time_point Start;
};
} // namespace

static bool writeAll(int Fd, const std::string &S) {
  size_t Done = 0;
  while (Done < S.size()) {
    ssize_t W = ::write(Fd, S.data() + Done, S.size() - Done);
    if (W < 0 && errno == EINTR)
      continue;
    if (W <= 0)
      return false;
    Done += static_cast<size_t>(W);
  }
  return true;
}

[[noreturn]] static void childMain(int Fd, const std::vector<Child> &Siblings,
                                   unsigned I,
                                   llvm::function_ref<std::string(unsigned)> Job) {
  for (const Child &C : Siblings)
    ::close(C.Fd);
  // Children never print: diagnostics and warnings travel in the payload.
  // STRESSLINT_WORKER_STDERR=1 keeps stderr (sanitizer reports, crash
  // stack traces) for debugging.
  int Null = ::open("/dev/null", O_WRONLY);
  if (Null >= 0) {
    ::dup2(Null, STDOUT_FILENO);
    if (!std::getenv("STRESSLINT_WORKER_STDERR"))
      ::dup2(Null, STDERR_FILENO);
    ::close(Null);
  }
  std::string Out = Job(I);
  bool Ok = writeAll(Fd, Out);
  // _exit: no atexit handlers or static destructors of the parent's state.
  ::_exit(Ok ? 0 : 70);
}

static JobOutcome reap(Child &C, bool Killed) {
  ::close(C.Fd);
  int Status = 0;
  while (::waitpid(C.Pid, &Status, 0) < 0 && errno == EINTR) {
  }
  JobOutcome O;
  if (Killed) {
    O.State = JobOutcome::TimedOut;
  } else if (WIFSIGNALED(Status)) {
    O.State = JobOutcome::Crashed;
    O.Signal = WTERMSIG(Status);
  } else if (!WIFEXITED(Status) || WEXITSTATUS(Status) != 0 || C.Buf.empty()) {
    O.State = JobOutcome::Failed;
    O.ExitCode = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  } else {
    O.Payload = std::move(C.Buf);
  }
  return O;
}
#endif

void runJobs(unsigned N, const JobOptions &Opts,
             llvm::function_ref<std::string(unsigned)> Job,
             llvm::function_ref<void(unsigned, JobOutcome &&)> Done) {
  InOrder Out(Done);
  auto Deliver = [&](unsigned I, JobOutcome O) {
    if (Opts.Finished)
      Opts.Finished(I);
    Out.add(I, std::move(O));
  };
  auto RunHere = [&](unsigned I) {
    JobOutcome O;
    O.Payload = Job(I);
    Deliver(I, std::move(O));
  };
#if LLVM_ON_UNIX
  if (!Opts.InProcess && threadCount() == 1) {
    const unsigned Max = Opts.Jobs ? Opts.Jobs : defaultJobCount();
    using Clock = std::chrono::steady_clock;
    std::vector<Child> Running;
    unsigned Next = 0;
    while (Next < N || !Running.empty()) {
      while (Next < N && Running.size() < Max) {
        // Nothing buffered may be written twice (once by the child).
        llvm::outs().flush();
        llvm::errs().flush();
        std::fflush(nullptr);
        int P[2];
        pid_t Pid = -1;
        if (::pipe(P) == 0) {
          Pid = ::fork();
          if (Pid < 0) {
            ::close(P[0]);
            ::close(P[1]);
          }
        }
        if (Pid < 0) {
          if (!Running.empty())
            break;         // retry when a child has finished
          RunHere(Next++); // no process to spare: analyse without isolation
          continue;
        }
        if (Pid == 0) {
          ::close(P[0]);
          childMain(P[1], Running, Next, Job);
        }
        ::close(P[1]);
        Child C;
        C.Pid = Pid;
        C.Fd = P[0];
        C.Index = Next++;
        C.Start = Clock::now();
        Running.push_back(std::move(C));
      }
      if (Running.empty())
        continue;

      int WaitMs = -1;
      if (Opts.TimeoutSeconds) {
        auto Now = Clock::now();
        for (const Child &C : Running) {
          auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          C.Start + std::chrono::seconds(Opts.TimeoutSeconds) - Now)
                          .count();
          Left = std::max<decltype(Left)>(Left, 0) + 1;
          if (WaitMs < 0 || Left < WaitMs)
            WaitMs = static_cast<int>(Left);
        }
      }
      std::vector<pollfd> Fds;
      Fds.reserve(Running.size());
      for (const Child &C : Running)
        Fds.push_back({C.Fd, POLLIN, 0});
      int R = ::poll(Fds.data(), Fds.size(), WaitMs);
      if (R < 0 && errno != EINTR)
        R = 0;

      std::vector<Child> Still;
      auto Now = Clock::now();
      for (size_t K = 0; K < Running.size(); ++K) {
        Child &C = Running[K];
        bool Finished = false;
        if (R > 0 && (Fds[K].revents & (POLLIN | POLLHUP | POLLERR))) {
          char Chunk[65536];
          ssize_t Got = ::read(C.Fd, Chunk, sizeof(Chunk));
          if (Got > 0)
            C.Buf.append(Chunk, static_cast<size_t>(Got));
          else if (Got == 0 || (errno != EINTR && errno != EAGAIN))
            Finished = true;
        }
        if (Finished) {
          Deliver(C.Index, reap(C, /*Killed=*/false));
          continue;
        }
        if (Opts.TimeoutSeconds &&
            Now - C.Start >= std::chrono::seconds(Opts.TimeoutSeconds)) {
          ::kill(C.Pid, SIGKILL);
          Deliver(C.Index, reap(C, /*Killed=*/true));
          continue;
        }
        Still.push_back(std::move(C));
      }
      Running = std::move(Still);
    }
    return;
  }
#endif
  for (unsigned I = 0; I < N; ++I)
    RunHere(I);
}

} // namespace stresslint
