//===--- DocumentLint.cpp - stresslint's findings for an editor's document -===//
#include "DocumentLint.h"

#include "driver/Driver.h"
#include "rules/RuleSet.h"
#include "support/AtomicFile.h"
#include "support/LineTable.h"
#include "support/UpwardSearch.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <mutex>

namespace json = llvm::json;

namespace stresslint::clangd {

/// Where a rule's documentation can be opened: the rule's `docs:` when it is
/// a URL, else the embedded page written once to the user's cache directory.
static std::string docUrl(llvm::StringRef RuleId) {
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
    if (!llvm::sys::fs::exists(File) && !llvm::sys::fs::create_directories(Dir))
      llvm::consumeError(writeFileAtomically(File, Doc)); // else no link
    if (llvm::sys::fs::exists(File))
      Url = lsp::pathToUri(File);
  }
  Cache[RuleId.str()] = Url;
  return Url;
}

bool inWorkspace(llvm::StringRef Path, const std::vector<std::string> &Roots) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Path, Real))
    return false;
  for (const std::string &Root : Roots)
    if (Real == Root || llvm::StringRef(Real).startswith(Root + "/"))
      return true;
  return false;
}

/// \p Path with `.` and `..` removed, as documents are named.
static std::string cleanPath(llvm::StringRef Path) {
  llvm::SmallString<256> P(Path);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

/// The build directory of \p Doc: the nearest directory within the
/// workspace holding compile_commands.json, itself or in its `build/`.
static std::string buildPathFor(const Document &Doc,
                                const std::vector<std::string> &Roots) {
  auto Database = [](llvm::StringRef Dir, bool InBuild) {
    llvm::SmallString<256> P(Dir);
    if (InBuild)
      llvm::sys::path::append(P, "build");
    llvm::sys::path::append(P, "compile_commands.json");
    return P;
  };
  std::string Dir = findUpward(
      Doc.Path,
      [&](llvm::StringRef D) {
        return llvm::sys::fs::exists(Database(D, false)) ||
               llvm::sys::fs::exists(Database(D, true));
      },
      [&](llvm::StringRef D) { return inWorkspace(D, Roots); });
  if (Dir.empty() || llvm::sys::fs::exists(Database(Dir, false)))
    return Dir;
  return std::string(llvm::sys::path::parent_path(Database(Dir, true)));
}

/// The finding's own fix, else (as --fix-notes) its one note's fix, as
/// clang-tidy's getFixIt chooses; null when there is none.
static const std::vector<Finding::Edit> *fixOf(const Finding &F) {
  if (!F.Fix.empty())
    return &F.Fix;
  const std::vector<Finding::Edit> *Result = nullptr;
  for (const Finding::Note &N : F.Notes)
    if (!N.Fix.empty()) {
      if (Result)
        return nullptr; // two notes with fixes: neither
      Result = &N.Fix;
    }
  return Result;
}

json::Array lintDocument(const Document &Doc, const std::vector<std::string> &Roots,
                         llvm::StringRef CompileCommandsDir, lsp::Encoding Enc,
                         std::vector<QuickFix> &Fixes) {
  LintOptions Opts;
  Opts.Paths = {Doc.Path};
  Opts.InMemoryFiles = {{Doc.Path, Doc.Text}};
  if (!CompileCommandsDir.empty()) {
    Opts.BuildPath = CompileCommandsDir.str();
  } else {
    Opts.BuildPath = buildPathFor(Doc, Roots);
    if (Opts.BuildPath.empty())
      Opts.CompilerArgs = std::vector<std::string>{"-xc++", "-std=c++17"};
  }
  auto Session = LintSession::create(std::move(Opts));
  if (!Session) {
    llvm::errs() << "stresslint-clangd: " << llvm::toString(Session.takeError())
                 << "\n";
    return {};
  }
  (*Session)->run();
  json::Array Out;
  auto Range = [&](llvm::StringRef Text, size_t B, size_t E) {
    return json::Object{{"start", lsp::positionOf(Text, B, Enc)},
                        {"end", lsp::positionOf(Text, E, Enc)}};
  };
  // The findings' lines and columns were taken from the very text they
  // are converted back in (the buffer, through the session's files).
  LineTable DocLines(Doc.Text);
  auto OffsetIn = [](const LineTable &Lines, unsigned Line, unsigned Column) {
    return Lines.offset(Line, Column).value_or(0);
  };
  for (const Finding &F : (*Session)->findings()) {
    llvm::StringRef Name = F.Check;
    if (Name.startswith("clang-diagnostic-") || Name.startswith("clang-tidy-") ||
        cleanPath(F.File) != Doc.Path)
      continue; // clangd reports compiler diagnostics itself.
    size_t Begin = OffsetIn(DocLines, F.Line, F.Column);
    size_t End = std::max(OffsetIn(DocLines, F.EndLine, F.EndColumn), Begin + 1);
    json::Object D{{"range", Range(Doc.Text, Begin, End)},
                   // As clangd: a remark (`severity: note`) is a hint.
                   {"severity", F.Level == "error"     ? 1
                                : F.Level == "warning" ? 2
                                                       : 4},
                   {"source", "stresslint"},
                   {"code", Name.str()},
                   {"message", F.Message}};
    std::string Url = docUrl(Name);
    if (!Url.empty())
      D["codeDescription"] = json::Object{{"href", Url}};
    json::Array Related;
    for (const Finding::Note &N : F.Notes) {
      if (N.File.empty())
        continue;
      std::string NotePath = cleanPath(N.File);
      std::string Text;
      if (NotePath == Doc.Path) {
        Text = Doc.Text;
      } else if (inWorkspace(NotePath, Roots)) {
        if (auto B = llvm::MemoryBuffer::getFile(NotePath))
          Text = (*B)->getBuffer().str();
      }
      if (Text.empty())
        continue;
      size_t At = OffsetIn(LineTable(Text), N.Line, N.Column);
      Related.push_back(
          json::Object{{"location", json::Object{{"uri", lsp::pathToUri(NotePath)},
                                                 {"range", Range(Text, At, At)}}},
                       {"message", N.Message}});
    }
    if (!Related.empty())
      D["relatedInformation"] = std::move(Related);
    json::Array Edits;
    std::string NewText;
    bool Foreign = false;
    const std::vector<Finding::Edit> *Fix = fixOf(F);
    for (const Finding::Edit &Ed : Fix ? *Fix : std::vector<Finding::Edit>()) {
      if (cleanPath(Ed.File) != Doc.Path) {
        Foreign = true; // An edit of another file: offered by the CLI only.
        continue;
      }
      Edits.push_back(
          json::Object{{"range", Range(Doc.Text, OffsetIn(DocLines, Ed.Line, Ed.Column),
                                       OffsetIn(DocLines, Ed.EndLine, Ed.EndColumn))},
                       {"newText", Ed.Text}});
      NewText = Ed.Text;
    }
    if (!Edits.empty() && !Foreign) {
      QuickFix Q;
      Q.Diagnostic = D;
      Q.Preferred = !F.Fix.empty();
      Q.Title = Edits.size() == 1 ? "stresslint: replace with '" + NewText + "'"
                                  : "stresslint: apply the fix of " + Name.str();
      Q.Edits = std::move(Edits);
      Fixes.push_back(std::move(Q));
    }
    Out.push_back(std::move(D));
  }
  return Out;
}

} // namespace stresslint::clangd
