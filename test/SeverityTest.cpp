//===--- SeverityTest.cpp - One rule, the same finding on every surface ----===//
///
/// \file
/// Rules copied from stress-select-star with `severity: note`, one with a
/// note and one whose note expands to blank text, run through the CLI (on
/// C++ and on a `.sql` file), through `clang-tidy-16 --load` and through
/// `stresslint-clangd`: each surface reports both findings at the same
/// place, as a note-level finding (a clang remark), with the same notes.
///
//===----------------------------------------------------------------------===//
#include "support/Fixtures.h"
#include "support/LineTable.h"
#include "support/LspClient.h"
#include "support/RunProgram.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <gtest/gtest.h>
#include <set>
#include <tuple>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

using namespace stresslint::testing_support;
namespace json = llvm::json;

namespace {

/// One finding as a surface shows it: rule, line, column (1-based), level
/// (`note` for a remark), message, the notes' messages.
struct Seen {
  std::string Rule;
  unsigned Line = 0, Column = 0;
  std::string Level, Message;
  std::vector<std::string> Notes;

  bool operator<(const Seen &O) const {
    return std::tie(Rule, Line, Column, Level, Message, Notes) <
           std::tie(O.Rule, O.Line, O.Column, O.Level, O.Message, O.Notes);
  }
  bool operator==(const Seen &O) const { return !(*this < O) && !(O < *this); }
};

std::string show(const std::set<Seen> &All) {
  std::string S;
  for (const Seen &F : All) {
    S += "  " + F.Rule + " " + std::to_string(F.Line) + ":" + std::to_string(F.Column) +
         " " + F.Level + ": " + F.Message + "\n";
    for (const std::string &N : F.Notes)
      S += "    note: " + N + "\n";
  }
  return S;
}

/// The findings without their places (a `.sql` file has its own).
std::set<Seen> unplaced(std::set<Seen> All) {
  std::set<Seen> Out;
  for (Seen F : All) {
    F.Line = F.Column = 0;
    Out.insert(std::move(F));
  }
  return Out;
}

std::pair<unsigned, unsigned> lineColumn(llvm::StringRef Text, size_t Offset) {
  return stresslint::LineTable(Text).position(Offset);
}

std::string readFile(const std::string &Path) {
  auto B = llvm::MemoryBuffer::getFile(Path);
  return B ? (*B)->getBuffer().str() : "";
}

const char *const Source = "struct Db { void run(const char *sql); };\n"
                           "void list(Db &db) {\n"
                           "  db.run(\"SELECT * FROM users\");\n"
                           "}\n";

class SeverityTest : public testing::Test {
protected:
  void SetUp() override {
    std::string Star =
        readFile(stresslint_test::sourceDir() + "/rules/stress-select-star.yaml");
    ASSERT_FALSE(Star.empty());
    // A copy that is a note, with a note line; one whose note is blank
    // without a schema ({size}), with other words so that the two findings
    // at one place stay two.
    auto Copy = [&](llvm::StringRef Id, llvm::StringRef Note, llvm::StringRef Message) {
      std::string Y = Star;
      auto Replace = [&](llvm::StringRef From, const std::string &To) {
        size_t At = Y.find(From.str());
        ASSERT_NE(At, std::string::npos) << From.str();
        Y.replace(At, From.size(), To);
      };
      Replace("id: stress-select-star", "id: " + Id.str());
      Replace("severity: warning", "severity: note\nnote: \"" + Note.str() + "\"");
      if (!Message.empty())
        Replace(Y.substr(Y.find("message:"),
                         Y.find('\n', Y.find("message:")) - Y.find("message:")),
                "message: \"" + Message.str() + "\"");
      Dir.file(("rules/" + Id + ".yaml").str(), Y);
    };
    Copy("stress-app-star-note", "name the columns '{snippet}' stands for", "");
    Copy("stress-app-star-blank", "{size}", "'{snippet}' here is only a note");
    Dir.file(".clang-tidy", "Checks: '-*,stress-app-*'\n");
    Cpp = Dir.file("src/list.cpp", Source);
    Sql = Dir.file("src/list.sql", "SELECT * FROM users;\n");
    Dir.file("compile_commands.json",
             "[{\"directory\": \"" + Dir.str() + "\", \"file\": \"" + Cpp +
                 "\", "
                 "\"arguments\": [\"clang++\", \"-std=c++17\", \"-c\", \"" +
                 Cpp + "\"]}]");
    for (char **E = environ; *E; ++E)
      Env.emplace_back(*E);
    Env.push_back("STRESSLINT_RULES=" + Dir.str() + "/rules");
  }

  /// The stress-* findings of the CLI in \p File (`--format=json`).
  std::set<Seen> cli(const std::string &File, std::string &Log) {
    ProgramResult R =
        runProgram(STRESSLINT_CLI, {"--format=json", "--quiet", "--no-cache", "--rules",
                                    Dir.str() + "/rules", "-p", Dir.str(), File});
    Log = "exit " + std::to_string(R.Exit) + "\n" + R.Out + R.Err;
    std::set<Seen> Out;
    auto Json = json::parse(R.Out);
    if (!Json) {
      Log += llvm::toString(Json.takeError());
      return Out;
    }
    for (const json::Value &V : *Json->getAsObject()->getArray("findings")) {
      const json::Object &F = *V.getAsObject();
      Seen S{F.getString("rule")->str(), static_cast<unsigned>(*F.getInteger("line")),
             static_cast<unsigned>(*F.getInteger("column")),
             F.getString("level")->str(), F.getString("message")->str()};
      for (const json::Value &N : *F.getArray("notes"))
        S.Notes.push_back(N.getAsObject()->getString("message")->str());
      Out.insert(std::move(S));
    }
    return Out;
  }

  /// The stress-* findings of `clang-tidy-16 --load` (`--export-fixes`).
  std::set<Seen> plugin(std::string &Log) {
    std::string Fixes = Dir.str() + "/fixes.yaml";
    ProgramResult R = runProgram(findProgram("clang-tidy-16"),
                                 {std::string("--load=") + STRESSLINT_TIDY_PLUGIN,
                                  "--export-fixes=" + Fixes, "-p", Dir.str(), Cpp},
                                 Env);
    Log = "exit " + std::to_string(R.Exit) + "\n" + R.Out + R.Err;
    std::set<Seen> Out;
    std::string Text = readFile(Fixes);
    if (Text.empty())
      return Out;
    for (const YAML::Node &D : YAML::Load(Text)["Diagnostics"]) {
      const YAML::Node &M = D["DiagnosticMessage"];
      auto [Line, Col] = lineColumn(Source, M["FileOffset"].as<size_t>());
      std::string Level = D["Level"].as<std::string>();
      Seen S{D["DiagnosticName"].as<std::string>(), Line, Col,
             Level == "Remark" ? "note" : Level, M["Message"].as<std::string>()};
      for (const YAML::Node &N : D["Notes"])
        S.Notes.push_back(N["Message"].as<std::string>());
      Out.insert(std::move(S));
    }
    return Out;
  }

  /// The stresslint findings `stresslint-clangd` publishes for the C++ file.
  std::set<Seen> editor() {
    Client C({"--log=error", "--background-index=false"}, Env);
    json::Value Init = C.request(
        "initialize", json::Object{{"processId", static_cast<int64_t>(getpid())},
                                   {"rootUri", stresslint::lsp::pathToUri(Dir.str())},
                                   {"capabilities", json::Object{}}});
    EXPECT_TRUE(Init.getAsObject() && Init.getAsObject()->getObject("result"));
    C.notify("initialized", json::Object{});
    std::string Uri = stresslint::lsp::pathToUri(Cpp);
    C.notify("textDocument/didOpen",
             json::Object{{"textDocument", json::Object{{"uri", Uri},
                                                        {"languageId", "cpp"},
                                                        {"version", 1},
                                                        {"text", Source}}}});
    std::set<Seen> Out;
    auto Ours = [&](const json::Object &O, bool Collect) {
      if (O.getString("method") != llvm::StringRef("textDocument/publishDiagnostics"))
        return false;
      const json::Object *P = O.getObject("params");
      if (!P || P->getString("uri") != llvm::StringRef(Uri))
        return false;
      bool Any = false;
      for (const json::Value &V : *P->getArray("diagnostics")) {
        const json::Object &D = *V.getAsObject();
        if (D.getString("source") != llvm::StringRef("stresslint"))
          continue;
        Any = true;
        if (!Collect)
          continue;
        const json::Object &Start = *D.getObject("range")->getObject("start");
        int64_t Severity = *D.getInteger("severity");
        Seen S{D.getString("code")->str(),
               static_cast<unsigned>(*Start.getInteger("line") + 1),
               static_cast<unsigned>(*Start.getInteger("character") + 1),
               Severity == 4 ? "note" : "severity " + std::to_string(Severity),
               D.getString("message")->str()};
        if (const json::Array *Related = D.getArray("relatedInformation"))
          for (const json::Value &N : *Related)
            S.Notes.push_back(N.getAsObject()->getString("message")->str());
        Out.insert(std::move(S));
      }
      return Any;
    };
    std::optional<json::Value> Msg =
        C.waitFor([&](const json::Object &O) { return Ours(O, false); });
    EXPECT_TRUE(Msg.has_value()) << "no stresslint diagnostics published";
    if (Msg)
      Ours(*Msg->getAsObject(), true);
    C.request("shutdown", nullptr);
    C.notify("exit", nullptr);
    return Out;
  }

  TempDir Dir{"stresslint-severity"};
  std::string Cpp, Sql;
  std::vector<std::string> Env;
};

TEST_F(SeverityTest, NoteRulesReportTheSameOnEverySurface) {
  ASSERT_FALSE(findProgram("clang-tidy-16").empty());
  ASSERT_FALSE(findProgram("clangd-16").empty());
  const std::set<Seen> Expected{
      {"stress-app-star-blank", 3, 18, "note", "'*' here is only a note", {}},
      {"stress-app-star-note",
       3,
       18,
       "note",
       "'*' ships every column of the table to the client (wider rows, more I/O and "
       "memory, breaks when columns change); name the columns you use",
       {"name the columns '*' stands for"}}};

  std::string Log;
  std::set<Seen> Cli = cli(Cpp, Log);
  EXPECT_EQ(Cli, Expected) << show(Cli) << Log;
  std::set<Seen> SqlFile = cli(Sql, Log);
  EXPECT_EQ(unplaced(SqlFile), unplaced(Expected)) << show(SqlFile) << Log;
  std::set<Seen> Plugin = plugin(Log);
  EXPECT_EQ(Plugin, Expected) << show(Plugin) << Log;
  std::set<Seen> Editor = editor();
  EXPECT_EQ(Editor, Expected) << show(Editor);
}

TEST_F(SeverityTest, TextAndSarifSayNote) {
  ProgramResult Text = runProgram(
      STRESSLINT_CLI, {"--quiet", "--no-cache", "--rules", Dir.str() + "/rules", Sql});
  EXPECT_EQ(Text.Exit, 1) << Text.Out << Text.Err;
  EXPECT_NE(Text.Out.find(Sql + ":1:8: remark: '*' here is only a note "
                                "[stress-app-star-blank]"),
            std::string::npos)
      << Text.Out;
  ProgramResult Sarif =
      runProgram(STRESSLINT_CLI, {"--format=sarif", "--quiet", "--no-cache", "--rules",
                                  Dir.str() + "/rules", Sql});
  auto Json = json::parse(Sarif.Out);
  ASSERT_TRUE(static_cast<bool>(Json)) << Sarif.Out;
  const json::Object &Run =
      *Json->getAsObject()->getArray("runs")->front().getAsObject();
  const json::Array &Results = *Run.getArray("results");
  ASSERT_EQ(Results.size(), 2u) << Sarif.Out;
  for (const json::Value &R : Results)
    EXPECT_EQ(R.getAsObject()->getString("level"), llvm::StringRef("note"))
        << Sarif.Out;
}

} // namespace
