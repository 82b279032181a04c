//===--- ClangdTest.cpp - stresslint-clangd against the real clangd-16 ----===//
///
/// \file
/// Speaks LSP over pipes to the built `stresslint-clangd`, which runs the
/// real clangd-16: the merged publishDiagnostics carries clangd's own
/// diagnostics and stresslint's on the right lines, hover and definition
/// still answer, edits are re-linted, malformed input gets -32700, and the
/// wrapper exits with clangd's status when clangd dies.
///
//===----------------------------------------------------------------------===//
#include "Lsp.h"
#include "support/LspClient.h"
#include "support/RunProgram.h"

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace stresslint;
using namespace stresslint::testing_support;
namespace json = llvm::json;

namespace {

const char *const Source = R"cpp(#include <string>
struct Db { void run(const std::string &sql); };
int helper(int x) { return x * 2; }
void list(Db &db) {
  db.run("SELECT * FROM users");
  int y = undeclared_thing;
  helper(y);
}
)cpp";

std::string str(const json::Value &V) {
  std::string S;
  llvm::raw_string_ostream(S) << V;
  return S;
}

/// Diagnostics of one publishDiagnostics: (source, 0-based line) pairs.
std::vector<std::pair<std::string, int64_t>> summarize(const json::Object &Msg) {
  std::vector<std::pair<std::string, int64_t>> Out;
  const json::Object *P = Msg.getObject("params");
  for (const json::Value &D : *P->getArray("diagnostics")) {
    const json::Object &O = *D.getAsObject();
    Out.emplace_back(O.getString("source").value_or("").str(),
                     *O.getObject("range")->getObject("start")->getInteger("line"));
  }
  return Out;
}

bool has(const std::vector<std::pair<std::string, int64_t>> &Diags,
         llvm::StringRef Source, int64_t Line) {
  return llvm::is_contained(Diags, std::make_pair(Source.str(), Line));
}

class ClangdTest : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(findProgram("clangd-16").empty()) << "clangd-16 not on PATH";
    File = Dir.file("src/list.cpp", Source);
    Uri = lsp::pathToUri(File);
    Dir.file(
        "compile_commands.json",
        "[{\"directory\": \"" + Dir.str() +
            "\", \"file\": \"src/list.cpp\", "
            "\"arguments\": [\"clang++\", \"-std=c++17\", \"-c\", \"src/list.cpp\"]}]");
  }

  void initialize(Client &C) {
    json::Value Init = C.request(
        "initialize", json::Object{{"processId", static_cast<int64_t>(getpid())},
                                   {"rootUri", lsp::pathToUri(Dir.str())},
                                   {"capabilities", json::Object{}}});
    ASSERT_TRUE(Init.getAsObject() && Init.getAsObject()->getObject("result"))
        << str(Init);
    C.notify("initialized", json::Object{});
  }
  void open(Client &C) {
    C.notify("textDocument/didOpen",
             json::Object{{"textDocument", json::Object{{"uri", Uri},
                                                        {"languageId", "cpp"},
                                                        {"version", 1},
                                                        {"text", Source}}}});
  }
  /// The first publishDiagnostics for the document satisfying \p Pred.
  std::optional<json::Value> diagnostics(
      Client &C,
      const std::function<bool(const std::vector<std::pair<std::string, int64_t>> &)>
          &Pred) {
    return C.waitFor([&](const json::Object &O) {
      if (O.getString("method") != llvm::StringRef("textDocument/publishDiagnostics"))
        return false;
      const json::Object *P = O.getObject("params");
      return P && P->getString("uri") == llvm::StringRef(Uri) && Pred(summarize(O));
    });
  }

  TempDir Dir{"stresslint-clangd"};
  std::string File, Uri;
};

TEST_F(ClangdTest, MergesDiagnosticsAndPassesFeaturesThrough) {
  Client C({"--log=error", "--background-index=false"});
  initialize(C);
  open(C);
  auto Both = diagnostics(
      C, [](const auto &D) { return has(D, "stresslint", 4) && has(D, "clang", 5); });
  ASSERT_TRUE(Both.has_value()) << "no merged diagnostics with both sources";
  for (const json::Value &V :
       *Both->getAsObject()->getObject("params")->getArray("diagnostics")) {
    const json::Object &D = *V.getAsObject();
    if (D.getString("source") != llvm::StringRef("stresslint"))
      continue;
    EXPECT_EQ(D.getString("code"), llvm::StringRef("stress-select-star"));
    EXPECT_EQ(D.getInteger("severity"), 2);
    const json::Object &Start = *D.getObject("range")->getObject("start");
    EXPECT_EQ(Start.getInteger("character"), 17) << str(V); // the '*'
    const json::Object *Href = D.getObject("codeDescription");
    ASSERT_TRUE(Href) << str(V);
    EXPECT_TRUE(Href->getString("href")->endswith("/stress-select-star.md")) << str(V);
  }

  // Hover and go-to-definition are clangd's, passed through.
  json::Value Hover = C.request(
      "textDocument/hover",
      json::Object{{"textDocument", json::Object{{"uri", Uri}}},
                   {"position", json::Object{{"line", 6}, {"character", 3}}}});
  std::string HoverText = str(Hover);
  EXPECT_NE(HoverText.find("helper"), std::string::npos) << HoverText;
  json::Value Def = C.request(
      "textDocument/definition",
      json::Object{{"textDocument", json::Object{{"uri", Uri}}},
                   {"position", json::Object{{"line", 6}, {"character", 3}}}});
  std::string DefText = str(Def);
  EXPECT_NE(DefText.find("\"line\":2"), std::string::npos) << DefText;

  // An edit (incremental) that removes the anti-pattern: re-linted after the
  // debounce; clangd's error stays.
  C.notify(
      "textDocument/didChange",
      json::Object{
          {"textDocument", json::Object{{"uri", Uri}, {"version", 2}}},
          {"contentChanges",
           json::Array{json::Object{
               {"range",
                json::Object{{"start", json::Object{{"line", 4}, {"character", 17}}},
                             {"end", json::Object{{"line", 4}, {"character", 18}}}}},
               {"text", "id"}}}}});
  auto After = diagnostics(
      C, [](const auto &D) { return !has(D, "stresslint", 4) && has(D, "clang", 5); });
  EXPECT_TRUE(After.has_value()) << "the fixed line still has a stresslint diagnostic";

  // Orderly shutdown: clangd exits 0, so does the wrapper.
  C.request("shutdown", nullptr);
  C.notify("exit", nullptr);
  EXPECT_EQ(C.exitStatus(30), std::optional<int>(0));
}

TEST_F(ClangdTest, MalformedInputGetsParseErrors) {
  Client C({"--log=error", "--background-index=false"});
  initialize(C);
  auto IsParseError = [](const json::Object &O) {
    const json::Object *E = O.getObject("error");
    return E && E->getInteger("code") == -32700;
  };
  C.sendRaw("Content-Length: 9\r\n\r\n{\"bad\": }");
  EXPECT_TRUE(C.waitFor(IsParseError).has_value()) << "bad JSON";
  C.sendRaw("Content-Length: twelve\r\n\r\n");
  EXPECT_TRUE(C.waitFor(IsParseError).has_value()) << "bad Content-Length";
  C.sendRaw("X-Nonsense\r\n\r\n");
  EXPECT_TRUE(C.waitFor(IsParseError).has_value()) << "bad header";
  // Still serving.
  open(C);
  EXPECT_TRUE(diagnostics(C, [](const auto &D) {
                return has(D, "stresslint", 4);
              }).has_value());
}

TEST_F(ClangdTest, ExitsWhenClangdDies) {
  Client C({"--log=error", "--background-index=false"});
  initialize(C);
  pid_t Clangd = C.child();
  ASSERT_GT(Clangd, 0);
  ASSERT_EQ(kill(Clangd, SIGKILL), 0);
  EXPECT_EQ(C.exitStatus(30), std::optional<int>(128 + SIGKILL));
}

TEST_F(ClangdTest, OutsideTheWorkspaceIsNotRead) {
  TempDir Other("stresslint-clangd-other");
  std::string Outside = Other.file("x.cpp", Source);
  Client C({"--log=error", "--background-index=false"});
  initialize(C);
  std::string OutsideUri = lsp::pathToUri(Outside);
  C.notify("textDocument/didOpen",
           json::Object{{"textDocument", json::Object{{"uri", OutsideUri},
                                                      {"languageId", "cpp"},
                                                      {"version", 1},
                                                      {"text", Source}}}});
  // clangd still answers for it; stresslint stays silent.
  auto D = C.waitFor([&](const json::Object &O) {
    const json::Object *P = O.getObject("params");
    return O.getString("method") ==
               llvm::StringRef("textDocument/publishDiagnostics") &&
           P && P->getString("uri") == llvm::StringRef(OutsideUri);
  });
  ASSERT_TRUE(D.has_value());
  EXPECT_FALSE(has(summarize(*D->getAsObject()), "stresslint", 4));
  EXPECT_TRUE(has(summarize(*D->getAsObject()), "clang", 5));
}

TEST(LspTest, PositionsCountUtf16) {
  std::string Text = "a\n\xC3\xA9\xF0\x9F\x98\x80x\n";
  // 'x' is after é (1 UTF-16 unit, 2 bytes) and 😀 (2 units, 4 bytes).
  EXPECT_EQ(lsp::offsetOf(Text, 1, 3, lsp::Encoding::Utf16), 8u);
  EXPECT_EQ(lsp::offsetOf(Text, 1, 6, lsp::Encoding::Utf8), 8u);
  EXPECT_EQ(lsp::positionOf(Text, 8, lsp::Encoding::Utf16).getInteger("character"), 3);
  json::Object Change{
      {"range", json::Object{{"start", json::Object{{"line", 1}, {"character", 3}}},
                             {"end", json::Object{{"line", 1}, {"character", 4}}}}},
      {"text", "yz"}};
  ASSERT_TRUE(lsp::applyChange(Text, Change, lsp::Encoding::Utf16));
  EXPECT_EQ(Text, "a\n\xC3\xA9\xF0\x9F\x98\x80yz\n");
  EXPECT_EQ(lsp::uriToPath("file:///a%20b/c.cpp"),
            std::optional<std::string>("/a b/c.cpp"));
  EXPECT_EQ(lsp::pathToUri("/a b/c.cpp"), "file:///a%20b/c.cpp");
  EXPECT_EQ(lsp::uriToPath("https://x/y"), std::nullopt);
}

} // namespace
