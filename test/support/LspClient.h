//===--- LspClient.h - An LSP client of stresslint-clangd for tests -------===//
///
/// \file
/// Runs the built `stresslint-clangd` as a child process and speaks LSP to
/// it over pipes: requests, notifications, and waiting for a message.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TEST_LSPCLIENT_H
#define STRESSLINT_TEST_LSPCLIENT_H

#include "Lsp.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <mutex>
#include <optional>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace stresslint::testing_support {

/// A client: the wrapper as a child process, a reader thread queueing what
/// it says.
class Client {
public:
  /// \p Env, when given, replaces the environment of the wrapper.
  explicit Client(const std::vector<std::string> &Args,
                  std::optional<std::vector<std::string>> Env = {}) {
    int In[2], Out[2];
    EXPECT_EQ(pipe2(In, O_CLOEXEC), 0);
    EXPECT_EQ(pipe2(Out, O_CLOEXEC), 0);
    Pid = fork();
    if (Pid == 0) {
      dup2(In[0], STDIN_FILENO);
      dup2(Out[1], STDOUT_FILENO);
      std::vector<char *> Argv{const_cast<char *>(STRESSLINT_CLANGD)};
      for (const std::string &A : Args)
        Argv.push_back(const_cast<char *>(A.c_str()));
      Argv.push_back(nullptr);
      if (Env) {
        std::vector<char *> Envp;
        for (std::string &E : *Env)
          Envp.push_back(E.data());
        Envp.push_back(nullptr);
        execve(STRESSLINT_CLANGD, Argv.data(), Envp.data());
      }
      execv(STRESSLINT_CLANGD, Argv.data());
      _exit(127);
    }
    close(In[0]);
    close(Out[1]);
    ToServer = In[1];
    Writer = std::make_unique<lsp::MessageWriter>(ToServer);
    Reader = std::thread([this, Fd = Out[0]] {
      lsp::MessageReader R(Fd);
      std::string Body;
      while (R.read(Body) == lsp::MessageReader::Status::Message) {
        auto V = llvm::json::parse(Body);
        std::lock_guard<std::mutex> Lock(Mu);
        if (V)
          Received.push_back(std::move(*V));
        else
          Received.push_back(llvm::json::Object{{"unparsable", Body}});
        Arrived.notify_all();
      }
      close(Fd);
      std::lock_guard<std::mutex> Lock(Mu);
      Closed = true;
      Arrived.notify_all();
    });
  }
  ~Client() {
    if (ToServer >= 0)
      close(ToServer);
    if (Pid > 0 && !Reaped) {
      kill(Pid, SIGKILL);
      waitpid(Pid, nullptr, 0);
    }
    Reader.join();
  }

  void send(llvm::json::Value V) { Writer->write(V); }
  void sendRaw(llvm::StringRef Bytes) {
    ASSERT_EQ(::write(ToServer, Bytes.data(), Bytes.size()),
              static_cast<ssize_t>(Bytes.size()));
  }
  llvm::json::Value request(llvm::StringRef Method, llvm::json::Value Params) {
    int64_t Id = NextId++;
    send(llvm::json::Object{{"jsonrpc", "2.0"},
                            {"id", Id},
                            {"method", Method},
                            {"params", std::move(Params)}});
    std::optional<llvm::json::Value> R =
        waitFor([&](const llvm::json::Object &O) { return O.getInteger("id") == Id; });
    EXPECT_TRUE(R.has_value()) << "no response to " << Method.str();
    return R ? *R : llvm::json::Value(nullptr);
  }
  void notify(llvm::StringRef Method, llvm::json::Value Params) {
    send(llvm::json::Object{
        {"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
  }

  /// The first message from now on (or queued) that satisfies \p Pred.
  std::optional<llvm::json::Value>
  waitFor(const std::function<bool(const llvm::json::Object &)> &Pred,
          std::chrono::seconds Timeout = std::chrono::seconds(60)) {
    auto Deadline = std::chrono::steady_clock::now() + Timeout;
    std::unique_lock<std::mutex> Lock(Mu);
    for (;;) {
      while (!Received.empty()) {
        llvm::json::Value V = std::move(Received.front());
        Received.pop_front();
        if (const llvm::json::Object *O = V.getAsObject(); O && Pred(*O))
          return V;
      }
      if (Closed || Arrived.wait_until(Lock, Deadline) == std::cv_status::timeout)
        return std::nullopt;
    }
  }

  /// Exit status of the wrapper, waiting up to \p Seconds.
  std::optional<int> exitStatus(unsigned Seconds) {
    for (unsigned I = 0; I < Seconds * 10; ++I) {
      int Status;
      if (waitpid(Pid, &Status, WNOHANG) == Pid) {
        Reaped = true;
        return WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
      }
      usleep(100000);
    }
    return std::nullopt;
  }
  /// The clangd process the wrapper started (a child in /proc).
  pid_t child() const {
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It("/proc", EC), End; It != End && !EC;
         It.increment(EC)) {
      std::ifstream Stat(It->path() + "/stat");
      std::string Line;
      if (!std::getline(Stat, Line))
        continue;
      // pid (comm) state ppid ...; comm may contain spaces.
      llvm::StringRef Rest = llvm::StringRef(Line).rsplit(')').second;
      llvm::SmallVector<llvm::StringRef, 4> Fields;
      Rest.trim().split(Fields, ' ', 3);
      pid_t Parent = 0, Self = 0;
      if (Fields.size() >= 2 && !Fields[1].getAsInteger(10, Parent) && Parent == Pid &&
          !llvm::StringRef(Line).split(' ').first.getAsInteger(10, Self))
        return Self;
    }
    return -1;
  }

private:
  pid_t Pid = -1;
  bool Reaped = false;
  int ToServer = -1;
  std::unique_ptr<lsp::MessageWriter> Writer;
  std::thread Reader;
  std::mutex Mu;
  std::condition_variable Arrived;
  std::deque<llvm::json::Value> Received;
  bool Closed = false;
  int64_t NextId = 1;
};

} // namespace stresslint::testing_support

#endif
