//===--- main.cpp - stresslint-clangd: clangd plus stresslint diagnostics -===//
///
/// \file
/// `stresslint-clangd [--clangd=PATH] [clangd arguments...]`
///
/// A drop-in for the clangd binary: it starts the real clangd (`--clangd`,
/// else `clangd-16`, else `clangd` on PATH) with the other arguments and
/// passes every LSP message through unchanged, except that clangd's
/// `textDocument/publishDiagnostics` for a document is merged with
/// stresslint's findings for it (`source: "stresslint"`, `code` = rule id,
/// `codeDescription.href` = rule doc, notes as `relatedInformation`), and
/// clangd's answer to `textDocument/codeAction` gets a quick fix for each
/// stresslint finding with a fix in the requested range (a `WorkspaceEdit`
/// of the document, as `stresslint --fix` would apply it).
/// stresslint runs in-process on a worker thread over the editor's buffer:
/// on open and save, and 500 ms after the last change. Only documents under
/// the workspace roots of `initialize` are analysed.
///
/// Exit status: clangd's (128 + signal when it was killed); 2 when clangd
/// cannot be started. Malformed input gets a JSON-RPC -32700 error and is
/// not forwarded.
///
//===----------------------------------------------------------------------===//
#include "Lsp.h"

#include "driver/Driver.h"
#include "rules/RuleSet.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <fcntl.h>
#include <map>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace stresslint;
namespace json = llvm::json;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds Debounce(500);

struct Document {
  std::string Path;
  std::string Text;
  json::Value Version = nullptr;
  uint64_t Generation = 0;
};

/// A stresslint finding's fix, as an LSP code action offers it.
struct QuickFix {
  json::Object Diagnostic; ///< The finding as published.
  json::Array Edits;       ///< TextEdits of the document.
  std::string Title;
  bool Preferred = true;   ///< The finding's own fix, not a note's.
};

struct DocDiagnostics {
  /// The last publishDiagnostics params clangd sent for the document.
  std::optional<json::Object> Clangd;
  json::Array Ours;
  std::vector<QuickFix> Fixes;
  /// The document generation Ours and Fixes were found in.
  uint64_t Generation = 0;
};

/// Do LSP ranges \p A and \p B overlap or touch?
bool rangesMeet(const json::Object &A, const json::Object &B) {
  auto Pos = [](const json::Object &R, const char *Key) {
    const json::Object *P = R.getObject(Key);
    int64_t L = P ? P->getInteger("line").value_or(0) : 0;
    int64_t C = P ? P->getInteger("character").value_or(0) : 0;
    return std::make_pair(L, C);
  };
  return !(Pos(A, "end") < Pos(B, "start") || Pos(B, "end") < Pos(A, "start"));
}

/// Where a rule's documentation can be opened: the rule's `docs:` when it is
/// a URL, else the embedded page written once to the user's cache directory.
std::string docUrl(llvm::StringRef RuleId) {
  static std::mutex Mu;
  static std::map<std::string, std::string> Cache;
  std::lock_guard<std::mutex> Lock(Mu);
  auto It = Cache.find(RuleId.str());
  if (It != Cache.end())
    return It->second;
  std::string Url;
  const Rule *R = activeRuleSet().rule(RuleId);
  llvm::StringRef Doc = embeddedDoc(RuleId);
  llvm::SmallString<256> Dir;
  if (R && (llvm::StringRef(R->Docs).startswith("https://") ||
            llvm::StringRef(R->Docs).startswith("http://"))) {
    Url = R->Docs;
  } else if (!Doc.empty() && llvm::sys::path::cache_directory(Dir)) {
    llvm::sys::path::append(Dir, "stresslint", "docs", "0.1.0");
    llvm::SmallString<256> File(Dir);
    llvm::sys::path::append(File, RuleId + ".md");
    if (!llvm::sys::fs::exists(File) && !llvm::sys::fs::create_directories(Dir)) {
      // Atomically: a temp file in the same directory, then rename.
      llvm::SmallString<256> Tmp;
      int Fd;
      if (!llvm::sys::fs::createUniqueFile(File + ".tmp-%%%%%%", Fd, Tmp)) {
        llvm::raw_fd_ostream OS(Fd, /*shouldClose=*/true);
        OS << Doc;
        OS.close();
        if (OS.has_error() || llvm::sys::fs::rename(Tmp, File))
          llvm::sys::fs::remove(Tmp);
      }
    }
    if (llvm::sys::fs::exists(File))
      Url = lsp::pathToUri(File);
  }
  Cache[RuleId.str()] = Url;
  return Url;
}

std::string idKey(const json::Value *Id) {
  if (!Id)
    return "";
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << *Id;
  return OS.str();
}

class Proxy {
public:
  Proxy(int EditorOut, int ToClangd, int FromClangd, pid_t Clangd,
        std::string CompileCommandsDir)
      : ToEditor(EditorOut), ToClangd(ToClangd), FromClangd(FromClangd),
        Clangd(Clangd), CompileCommandsDir(std::move(CompileCommandsDir)) {}

  /// Reads the editor until end of input; returns when clangd should exit.
  void runEditor();
  /// Reads clangd until it exits, then exits the process with its status.
  [[noreturn]] void runClangd();
  void runWorker();

private:
  void onEditorMessage(const json::Object &Msg);
  void publish(const std::string &Uri);
  void schedule(const std::string &Uri, Clock::time_point Due);
  json::Array lint(const Document &Doc, const std::vector<std::string> &Roots,
                   std::vector<QuickFix> &Fixes);
  /// Our quick fixes for a `textDocument/codeAction` request.
  json::Array codeActions(const json::Object &Params);
  void addRoot(llvm::StringRef Path);
  void addRootUri(const json::Value *Uri);

  lsp::MessageWriter ToEditor, ToClangd;
  int FromClangd;
  pid_t Clangd;
  std::string CompileCommandsDir;

  std::mutex Mu; ///< Guards everything below.
  std::condition_variable Wake;
  std::map<std::string, Document> Docs;
  std::map<std::string, DocDiagnostics> Diags;
  std::map<std::string, Clock::time_point> Pending;
  std::vector<std::string> WorkspaceRoots;
  std::string InitializeId;
  /// codeAction requests sent on to clangd (by id) and our actions for
  /// them, added to clangd's answer.
  std::map<std::string, json::Array> PendingActions;
  lsp::Encoding Enc = lsp::Encoding::Utf16;
  uint64_t NextGeneration = 1;
  /// Keeps publications of one document in order across threads.
  std::mutex PublishMu;
};

void Proxy::addRoot(llvm::StringRef Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real) || Real == "/")
    return;
  WorkspaceRoots.push_back(std::string(Real));
}

void Proxy::addRootUri(const json::Value *Uri) {
  if (!Uri || !Uri->getAsString())
    return;
  if (std::optional<std::string> Path = lsp::uriToPath(*Uri->getAsString()))
    addRoot(*Path);
}

/// True when \p Path (symlinks resolved) is under one of \p Roots.
bool inWorkspace(llvm::StringRef Path, const std::vector<std::string> &Roots) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return false;
  for (const std::string &Root : Roots)
    if (Real == Root || llvm::StringRef(Real).startswith(Root + "/"))
      return true;
  return false;
}

void Proxy::schedule(const std::string &Uri, Clock::time_point Due) {
  Pending[Uri] = Due;
  Wake.notify_all();
}

void Proxy::onEditorMessage(const json::Object &Msg) {
  std::optional<llvm::StringRef> Method = Msg.getString("method");
  if (!Method)
    return;
  const json::Object *Params = Msg.getObject("params");
  std::lock_guard<std::mutex> Lock(Mu);
  if (*Method == "initialize" && Params) {
    InitializeId = idKey(Msg.get("id"));
    addRootUri(Params->get("rootUri"));
    if (std::optional<llvm::StringRef> RootPath = Params->getString("rootPath"))
      addRoot(*RootPath);
    if (const json::Array *Folders = Params->getArray("workspaceFolders"))
      for (const json::Value &F : *Folders)
        if (const json::Object *O = F.getAsObject())
          addRootUri(O->get("uri"));
    return;
  }
  if (*Method == "textDocument/codeAction" && Params) {
    json::Array Ours = codeActions(*Params);
    if (!Ours.empty())
      PendingActions[idKey(Msg.get("id"))] = std::move(Ours);
    return;
  }
  if (*Method == "workspace/didChangeWorkspaceFolders" && Params) {
    if (const json::Object *Event = Params->getObject("event"))
      if (const json::Array *Added = Event->getArray("added"))
        for (const json::Value &F : *Added)
          if (const json::Object *O = F.getAsObject())
            addRootUri(O->get("uri"));
    return;
  }
  if (!Params || !Method->startswith("textDocument/did"))
    return;
  const json::Object *TD = Params->getObject("textDocument");
  std::optional<llvm::StringRef> Uri = TD ? TD->getString("uri") : std::nullopt;
  if (!Uri)
    return;
  std::string U = Uri->str();
  if (*Method == "textDocument/didOpen") {
    std::optional<std::string> Path = lsp::uriToPath(U);
    std::optional<llvm::StringRef> Text = TD->getString("text");
    if (!Path || !Text)
      return;
    if (!inWorkspace(*Path, WorkspaceRoots)) {
      llvm::errs() << "stresslint-clangd: not analysing " << *Path
                   << ": outside the workspace roots\n";
      return;
    }
    llvm::SmallString<256> Clean(*Path);
    llvm::sys::path::remove_dots(Clean, /*remove_dot_dot=*/true);
    Document &D = Docs[U];
    D.Path = std::string(Clean);
    D.Text = Text->str();
    if (const json::Value *V = TD->get("version"))
      D.Version = *V;
    D.Generation = NextGeneration++;
    schedule(U, Clock::now());
    return;
  }
  auto It = Docs.find(U);
  if (It == Docs.end())
    return;
  Document &D = It->second;
  if (*Method == "textDocument/didChange") {
    if (const json::Array *Changes = Params->getArray("contentChanges"))
      for (const json::Value &C : *Changes)
        if (const json::Object *O = C.getAsObject())
          lsp::applyChange(D.Text, *O, Enc);
    if (const json::Value *V = TD->get("version"))
      D.Version = *V;
    D.Generation = NextGeneration++;
    schedule(U, Clock::now() + Debounce);
  } else if (*Method == "textDocument/didSave") {
    if (std::optional<llvm::StringRef> Text = Params->getString("text"))
      D.Text = Text->str();
    D.Generation = NextGeneration++;
    schedule(U, Clock::now());
  } else if (*Method == "textDocument/didClose") {
    Docs.erase(It);
    Pending.erase(U);
    Diags[U].Ours.clear();
    Diags[U].Fixes.clear();
  }
}

void Proxy::runEditor() {
  lsp::MessageReader In(STDIN_FILENO);
  std::string Body;
  for (;;) {
    lsp::MessageReader::Status St = In.read(Body);
    if (St == lsp::MessageReader::Status::End)
      return;
    if (St == lsp::MessageReader::Status::Malformed) {
      ToEditor.write(lsp::parseError("bad message header (Content-Length)"));
      continue;
    }
    llvm::Expected<json::Value> V = json::parse(Body);
    if (!V) {
      ToEditor.write(lsp::parseError(llvm::toString(V.takeError())));
      continue;
    }
    if (const json::Object *O = V->getAsObject()) {
      onEditorMessage(*O);
    } else if (!V->getAsArray()) {
      ToEditor.write(json::Object{
          {"jsonrpc", "2.0"},
          {"id", nullptr},
          {"error", json::Object{{"code", -32600},
                                 {"message", "Invalid Request: not an object"}}}});
      continue;
    }
    ToClangd.writeRaw(Body);
  }
}

void Proxy::publish(const std::string &Uri) {
  std::lock_guard<std::mutex> Order(PublishMu);
  json::Object Params;
  {
    std::lock_guard<std::mutex> Lock(Mu);
    DocDiagnostics &D = Diags[Uri];
    json::Array All;
    if (D.Clangd) {
      Params = *D.Clangd;
      if (json::Array *Theirs = Params.getArray("diagnostics"))
        All = *Theirs;
    } else {
      Params["uri"] = Uri;
      auto Doc = Docs.find(Uri);
      if (Doc != Docs.end() && Doc->second.Version.kind() != json::Value::Null)
        Params["version"] = Doc->second.Version;
    }
    for (const json::Value &V : D.Ours)
      All.push_back(V);
    Params["diagnostics"] = std::move(All);
  }
  ToEditor.write(json::Object{{"jsonrpc", "2.0"},
                              {"method", "textDocument/publishDiagnostics"},
                              {"params", std::move(Params)}});
}

[[noreturn]] void Proxy::runClangd() {
  lsp::MessageReader In(FromClangd);
  std::string Body;
  for (;;) {
    lsp::MessageReader::Status St = In.read(Body);
    if (St == lsp::MessageReader::Status::End)
      break;
    if (St == lsp::MessageReader::Status::Malformed)
      continue; // Not from a working clangd; nothing to forward.
    llvm::Expected<json::Value> V = json::parse(Body);
    json::Object *O = V ? V->getAsObject() : nullptr;
    if (!V)
      llvm::consumeError(V.takeError());
    if (O && O->getString("method") == llvm::StringRef("textDocument/publishDiagnostics")) {
      json::Object *Params = O->getObject("params");
      std::optional<llvm::StringRef> Uri =
          Params ? Params->getString("uri") : std::nullopt;
      if (Uri) {
        std::string U = Uri->str();
        {
          std::lock_guard<std::mutex> Lock(Mu);
          Diags[U].Clangd = std::move(*Params);
        }
        publish(U);
        continue;
      }
    }
    if (O && O->get("id") && (O->get("result") || O->get("error"))) {
      std::unique_lock<std::mutex> Lock(Mu);
      auto It = PendingActions.find(idKey(O->get("id")));
      if (It != PendingActions.end()) {
        // clangd's actions first, then ours (an error answer becomes ours).
        json::Array All;
        if (const json::Array *Theirs = O->getArray("result"))
          All = *Theirs;
        for (json::Value &A : It->second)
          All.push_back(std::move(A));
        PendingActions.erase(It);
        O->erase("error");
        (*O)["result"] = std::move(All);
        Lock.unlock();
        ToEditor.write(std::move(*O));
        continue;
      }
    }
    if (O && O->get("result")) {
      std::lock_guard<std::mutex> Lock(Mu);
      if (!InitializeId.empty() && idKey(O->get("id")) == InitializeId) {
        const json::Object *Result = O->getObject("result");
        const json::Object *Caps = Result ? Result->getObject("capabilities") : nullptr;
        std::optional<llvm::StringRef> E =
            Caps && Caps->getString("positionEncoding") ? Caps->getString("positionEncoding")
            : Result                                    ? Result->getString("offsetEncoding")
                                                        : std::nullopt;
        if (E && *E == "utf-8")
          Enc = lsp::Encoding::Utf8;
      }
    }
    ToEditor.writeRaw(Body);
  }
  int Status = 0;
  while (waitpid(Clangd, &Status, 0) < 0 && errno == EINTR) {
  }
  int Code = WIFEXITED(Status)     ? WEXITSTATUS(Status)
             : WIFSIGNALED(Status) ? 128 + WTERMSIG(Status)
                                   : 1;
  if (Code != 0)
    llvm::errs() << "stresslint-clangd: clangd exited with status " << Code << "\n";
  _exit(Code);
}

/// A diagnostic's file: relative names are relative to the compile
/// command's directory.
std::string absolutePath(llvm::StringRef File, llvm::StringRef BuildDir) {
  llvm::SmallString<256> P(File);
  if (!File.empty() && !llvm::sys::path::is_absolute(P)) {
    P = BuildDir;
    llvm::sys::path::append(P, File);
  }
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

json::Array Proxy::codeActions(const json::Object &Params) {
  const json::Object *TD = Params.getObject("textDocument");
  const json::Object *Range = Params.getObject("range");
  std::optional<llvm::StringRef> Uri = TD ? TD->getString("uri") : std::nullopt;
  if (!Uri || !Range)
    return {};
  auto It = Diags.find(Uri->str());
  auto Doc = Docs.find(Uri->str());
  // Edits of an older text would damage the buffer.
  if (It == Diags.end() || Doc == Docs.end() ||
      Doc->second.Generation != It->second.Generation)
    return {};
  json::Array Out;
  for (const QuickFix &F : It->second.Fixes) {
    const json::Object *R = F.Diagnostic.getObject("range");
    if (!R || !rangesMeet(*R, *Range))
      continue;
    json::Object Changes;
    Changes[Uri->str()] = json::Array(F.Edits); // An owned key: Params goes away.
    json::Object Edit;
    Edit["changes"] = std::move(Changes);
    Out.push_back(json::Object{{"title", F.Title},
                               {"kind", "quickfix"},
                               {"isPreferred", F.Preferred},
                               {"diagnostics", json::Array{json::Object(F.Diagnostic)}},
                               {"edit", std::move(Edit)}});
  }
  return Out;
}

json::Array Proxy::lint(const Document &Doc, const std::vector<std::string> &Roots,
                        std::vector<QuickFix> &Fixes) {
  LintOptions Opts;
  Opts.Paths = {Doc.Path};
  Opts.InMemoryFiles = {{Doc.Path, Doc.Text}};
  if (!CompileCommandsDir.empty()) {
    Opts.BuildPath = CompileCommandsDir;
  } else {
    // The compilation database upward from the file, within the workspace.
    // A StringRef over Doc.Path: parent_path(Dir) assigned back into a
    // SmallString would copy it onto itself (LLVM asserts on it).
    for (llvm::StringRef Dir = llvm::sys::path::parent_path(Doc.Path);
         !Dir.empty() && inWorkspace(Dir, Roots); Dir = llvm::sys::path::parent_path(Dir)) {
      llvm::SmallString<256> Db(Dir);
      llvm::sys::path::append(Db, "compile_commands.json");
      if (llvm::sys::fs::exists(Db)) {
        Opts.BuildPath = std::string(Dir);
        break;
      }
      llvm::SmallString<256> Build(Dir);
      llvm::sys::path::append(Build, "build", "compile_commands.json");
      if (llvm::sys::fs::exists(Build)) {
        Opts.BuildPath = std::string(llvm::sys::path::parent_path(Build));
        break;
      }
    }
    if (Opts.BuildPath.empty())
      Opts.CompilerArgs = std::vector<std::string>{"-xc++", "-std=c++17"};
  }
  auto Session = LintSession::create(std::move(Opts));
  if (!Session) {
    llvm::errs() << "stresslint-clangd: " << llvm::toString(Session.takeError()) << "\n";
    return {};
  }
  (*Session)->run();
  json::Array Out;
  auto Range = [&](llvm::StringRef Text, size_t B, size_t E) {
    return json::Object{{"start", lsp::positionOf(Text, B, Enc)},
                        {"end", lsp::positionOf(Text, E, Enc)}};
  };
  for (const auto &E : (*Session)->errors()) {
    llvm::StringRef Name = E.DiagnosticName;
    if (Name.startswith("clang-diagnostic-") || Name.startswith("clang-tidy-") ||
        absolutePath(E.Message.FilePath, E.BuildDirectory) != Doc.Path)
      continue; // clangd reports compiler diagnostics itself.
    size_t Begin = E.Message.FileOffset, End = Begin + 1;
    for (const auto &R : E.Message.Ranges)
      if (absolutePath(R.FilePath, E.BuildDirectory) == Doc.Path &&
          R.FileOffset == Begin && R.Length > 0) {
        End = Begin + R.Length;
        break;
      }
    json::Object D{{"range", Range(Doc.Text, Begin, End)},
                   // As clangd: a remark (`severity: note`) is a hint.
                   {"severity", E.DiagLevel == clang::tooling::Diagnostic::Error ? 1
                                : E.DiagLevel == clang::tooling::Diagnostic::Warning ? 2
                                                                                     : 4},
                   {"source", "stresslint"},
                   {"code", Name.str()},
                   {"message", E.Message.Message}};
    std::string Url = docUrl(Name);
    if (!Url.empty())
      D["codeDescription"] = json::Object{{"href", Url}};
    json::Array Related;
    for (const auto &N : E.Notes) {
      if (N.FilePath.empty())
        continue;
      std::string NotePath = absolutePath(N.FilePath, E.BuildDirectory);
      std::string Text;
      if (NotePath == Doc.Path) {
        Text = Doc.Text;
      } else if (inWorkspace(NotePath, Roots)) {
        if (auto B = llvm::MemoryBuffer::getFile(NotePath))
          Text = (*B)->getBuffer().str();
      }
      if (Text.empty())
        continue;
      Related.push_back(json::Object{
          {"location",
           json::Object{{"uri", lsp::pathToUri(NotePath)},
                        {"range", Range(Text, N.FileOffset, N.FileOffset)}}},
          {"message", N.Message}});
    }
    if (!Related.empty())
      D["relatedInformation"] = std::move(Related);
    // The finding's own fix, else (as --fix-notes) its one note's fix.
    const llvm::StringMap<clang::tooling::Replacements> *Fix =
        clang::tidy::getFixIt(E, /*AnyFix=*/true);
    json::Array Edits;
    std::string NewText;
    bool Foreign = false;
    for (const auto &FileAndReps : Fix ? *Fix : llvm::StringMap<clang::tooling::Replacements>())
      for (const clang::tooling::Replacement &R : FileAndReps.second) {
        if (absolutePath(R.getFilePath(), E.BuildDirectory) != Doc.Path) {
          Foreign = true; // An edit of another file: offered by the CLI only.
          continue;
        }
        Edits.push_back(json::Object{
            {"range", Range(Doc.Text, R.getOffset(), R.getOffset() + R.getLength())},
            {"newText", R.getReplacementText().str()}});
        NewText = R.getReplacementText().str();
      }
    if (!Edits.empty() && !Foreign) {
      QuickFix Q;
      Q.Diagnostic = D;
      Q.Preferred = !E.Message.Fix.empty();
      Q.Title = Edits.size() == 1 ? "stresslint: replace with '" + NewText + "'"
                                  : "stresslint: apply the fix of " + Name.str();
      Q.Edits = std::move(Edits);
      Fixes.push_back(std::move(Q));
    }
    Out.push_back(std::move(D));
  }
  return Out;
}

void Proxy::runWorker() {
  std::unique_lock<std::mutex> Lock(Mu);
  for (;;) {
    if (Pending.empty()) {
      Wake.wait(Lock);
      continue;
    }
    auto Next = std::min_element(Pending.begin(), Pending.end(),
                                 [](const auto &A, const auto &B) {
                                   return A.second < B.second;
                                 });
    if (Next->second > Clock::now()) {
      Wake.wait_until(Lock, Next->second);
      continue;
    }
    std::string Uri = Next->first;
    Pending.erase(Next);
    auto It = Docs.find(Uri);
    if (It == Docs.end())
      continue;
    Document Snapshot = It->second;
    std::vector<std::string> RootsNow = WorkspaceRoots;
    Lock.unlock();
    std::vector<QuickFix> Fixes;
    json::Array Found = lint(Snapshot, RootsNow, Fixes);
    Lock.lock();
    It = Docs.find(Uri);
    // Stale when the document changed meanwhile: its own run is pending.
    if (It == Docs.end() || It->second.Generation != Snapshot.Generation)
      continue;
    Diags[Uri].Ours = std::move(Found);
    Diags[Uri].Fixes = std::move(Fixes);
    Diags[Uri].Generation = Snapshot.Generation;
    Lock.unlock();
    publish(Uri);
    Lock.lock();
  }
}

/// Runs clangd with pipes for stdin and stdout; stderr is shared.
pid_t spawn(const std::string &Program, const std::vector<std::string> &Args,
            int &ToChild, int &FromChild) {
  int In[2], Out[2];
  if (pipe2(In, O_CLOEXEC) || pipe2(Out, O_CLOEXEC))
    return -1;
  pid_t Pid = fork();
  if (Pid < 0)
    return -1;
  if (Pid == 0) {
    dup2(In[0], STDIN_FILENO);
    dup2(Out[1], STDOUT_FILENO);
    std::vector<char *> Argv;
    Argv.push_back(const_cast<char *>(Program.c_str()));
    for (const std::string &A : Args)
      Argv.push_back(const_cast<char *>(A.c_str()));
    Argv.push_back(nullptr);
    execv(Program.c_str(), Argv.data());
    _exit(127);
  }
  close(In[0]);
  close(Out[1]);
  ToChild = In[1];
  FromChild = Out[0];
  return Pid;
}

} // namespace

int main(int argc, char **argv) {
  std::string ClangdPath;
  std::string CompileCommandsDir;
  std::vector<std::string> ClangdArgs;
  bool NotLsp = false;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef A = argv[I];
    if (A.consume_front("--clangd=")) {
      ClangdPath = A.str();
      continue;
    }
    ClangdArgs.push_back(A.str());
    if (A.consume_front("--compile-commands-dir="))
      CompileCommandsDir = A.str();
    else if (A == "--compile-commands-dir" && I + 1 < argc)
      CompileCommandsDir = argv[I + 1];
    // Modes that do not speak LSP on stdio go straight to clangd.
    if (A == "--version" || A == "-version" || A == "--help" || A == "-help" ||
        A.startswith("--check"))
      NotLsp = true;
  }
  if (ClangdPath.empty()) {
    for (const char *Name : {"clangd-16", "clangd"})
      if (auto P = llvm::sys::findProgramByName(Name)) {
        ClangdPath = *P;
        break;
      }
  } else if (ClangdPath.find('/') == std::string::npos) {
    if (auto P = llvm::sys::findProgramByName(ClangdPath))
      ClangdPath = *P;
  }
  if (ClangdPath.empty() || !llvm::sys::fs::can_execute(ClangdPath)) {
    llvm::errs() << "stresslint-clangd: cannot find clangd (tried "
                 << (ClangdPath.empty() ? "clangd-16, clangd" : ClangdPath)
                 << "); pass --clangd=PATH\n";
    return 2;
  }
  if (NotLsp) {
    std::vector<char *> Argv{const_cast<char *>(ClangdPath.c_str())};
    for (std::string &A : ClangdArgs)
      Argv.push_back(A.data());
    Argv.push_back(nullptr);
    execv(ClangdPath.c_str(), Argv.data());
    llvm::errs() << "stresslint-clangd: cannot run " << ClangdPath << "\n";
    return 2;
  }

  signal(SIGPIPE, SIG_IGN);
  // LSP goes to the editor through a private descriptor; anything else that
  // writes to stdout (it must not) lands on stderr instead of corrupting it.
  int EditorOut = dup(STDOUT_FILENO);
  dup2(STDERR_FILENO, STDOUT_FILENO);
  fcntl(EditorOut, F_SETFD, FD_CLOEXEC);

  int ToClangd = -1, FromClangd = -1;
  pid_t Pid = spawn(ClangdPath, ClangdArgs, ToClangd, FromClangd);
  if (Pid < 0) {
    llvm::errs() << "stresslint-clangd: cannot start " << ClangdPath << "\n";
    return 2;
  }
  activeRuleSet(); // Load the rules before the threads start.
  static Proxy P(EditorOut, ToClangd, FromClangd, Pid, CompileCommandsDir);
  std::thread Worker([] { P.runWorker(); });
  Worker.detach();
  std::thread FromClangdThread([] { P.runClangd(); });
  FromClangdThread.detach();
  P.runEditor();
  // The editor is gone: clangd sees end of input and exits; runClangd exits
  // this process with its status.
  close(ToClangd);
  for (;;)
    pause();
}
