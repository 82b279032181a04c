//===--- Proxy.cpp - The LSP proxy between the editor and clangd ----------===//
#include "Proxy.h"
#include "ClangdProcess.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <unistd.h>

namespace json = llvm::json;

namespace stresslint::clangd {

constexpr std::chrono::milliseconds Debounce(500);

/// Do LSP ranges \p A and \p B overlap or touch?
static bool rangesMeet(const json::Object &A, const json::Object &B) {
  auto Pos = [](const json::Object &R, const char *Key) {
    const json::Object *P = R.getObject(Key);
    int64_t L = P ? P->getInteger("line").value_or(0) : 0;
    int64_t C = P ? P->getInteger("character").value_or(0) : 0;
    return std::make_pair(L, C);
  };
  return !(Pos(A, "end") < Pos(B, "start") || Pos(B, "end") < Pos(A, "start"));
}

static std::string idKey(const json::Value *Id) {
  if (!Id)
    return "";
  std::string S;
  llvm::raw_string_ostream OS(S);
  OS << *Id;
  return OS.str();
}

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
    if (O &&
        O->getString("method") == llvm::StringRef("textDocument/publishDiagnostics")) {
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
        std::optional<llvm::StringRef> E = Caps && Caps->getString("positionEncoding")
                                               ? Caps->getString("positionEncoding")
                                           : Result
                                               ? Result->getString("offsetEncoding")
                                               : std::nullopt;
        if (E && *E == "utf-8")
          Enc = lsp::Encoding::Utf8;
      }
    }
    ToEditor.writeRaw(Body);
  }
  exitWithStatusOf(Clangd);
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

void Proxy::runWorker() {
  std::unique_lock<std::mutex> Lock(Mu);
  for (;;) {
    if (Pending.empty()) {
      Wake.wait(Lock);
      continue;
    }
    auto Next = std::min_element(
        Pending.begin(), Pending.end(),
        [](const auto &A, const auto &B) { return A.second < B.second; });
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
    lsp::Encoding EncNow = Enc;
    Lock.unlock();
    std::vector<QuickFix> Fixes;
    json::Array Found =
        lintDocument(Snapshot, RootsNow, CompileCommandsDir, EncNow, Fixes);
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

} // namespace stresslint::clangd
