//===--- PluginTest.cpp - The clang-tidy plugin in the real clang-tidy-16 --===//
///
/// \file
/// Runs Debian's `clang-tidy-16 --load=libstresslint-tidy.so` on every C++
/// fixture and checks that it reports exactly what the stresslint CLI
/// reports (check, line, column, message): the same rules, options and
/// NOLINT handling, because both run the same module. Also the plugin-only
/// configuration: `stresslint.RuleFiles` in `.clang-tidy` and
/// `STRESSLINT_RULES`.
///
//===----------------------------------------------------------------------===//
#include "support/RunProgram.h"

#include "support/Fixtures.h"
#include "support/LineTable.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include <algorithm>
#include <gtest/gtest.h>
#include <set>
#include <tuple>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

using namespace stresslint::testing_support;

namespace {

const char *const ClangTidy = "clang-tidy-16";

using stresslint_test::sourceDir;

/// check, line, column, message
using Diag = std::tuple<std::string, unsigned, unsigned, std::string>;

std::pair<unsigned, unsigned> lineColumn(llvm::StringRef Text, size_t Offset) {
  return stresslint::LineTable(Text).position(Offset);
}

/// The stress-* diagnostics of `clang-tidy-16 --load` in \p File, read from
/// `--export-fixes` (clang-tidy's machine-readable output).
std::set<Diag> runPlugin(const std::string &File,
                         const std::vector<std::string> &TidyArgs,
                         const std::vector<std::string> &CompilerArgs, std::string &Log,
                         std::optional<std::vector<std::string>> Env = {}) {
  llvm::SmallString<128> Fixes;
  llvm::sys::fs::createTemporaryFile("stresslint-fixes", "yaml", Fixes);
  std::vector<std::string> Args{std::string("--load=") + STRESSLINT_TIDY_PLUGIN,
                                "--export-fixes=" + std::string(Fixes)};
  Args.insert(Args.end(), TidyArgs.begin(), TidyArgs.end());
  Args.push_back(File);
  Args.push_back("--");
  Args.insert(Args.end(), CompilerArgs.begin(), CompilerArgs.end());
  ProgramResult R = runProgram(findProgram(ClangTidy), Args, std::move(Env));
  Log = "exit " + std::to_string(R.Exit) + " " + R.ErrMsg + "\n" + R.Out + R.Err;
  std::set<Diag> Out;
  auto Text = llvm::MemoryBuffer::getFile(File);
  auto Buf = llvm::MemoryBuffer::getFile(Fixes);
  llvm::sys::fs::remove(Fixes);
  if (!Text || !Buf || (*Buf)->getBuffer().empty())
    return Out;
  YAML::Node Root = YAML::Load((*Buf)->getBuffer().str());
  for (const YAML::Node &D : Root["Diagnostics"]) {
    std::string Name = D["DiagnosticName"].as<std::string>();
    if (!llvm::StringRef(Name).startswith("stress-"))
      continue;
    const YAML::Node &M = D["DiagnosticMessage"];
    if (M["FilePath"].as<std::string>() != File)
      continue;
    auto [Line, Col] = lineColumn((*Text)->getBuffer(), M["FileOffset"].as<unsigned>());
    Out.emplace(Name, Line, Col, M["Message"].as<std::string>());
  }
  return Out;
}

/// The findings of the stresslint CLI in \p File (`--format=json`).
std::set<Diag> runCli(const std::string &File, const std::vector<std::string> &CliArgs,
                      const std::vector<std::string> &CompilerArgs, std::string &Log) {
  std::vector<std::string> Args{"--format=json", "--quiet"};
  Args.insert(Args.end(), CliArgs.begin(), CliArgs.end());
  Args.push_back(File);
  Args.push_back("--");
  Args.insert(Args.end(), CompilerArgs.begin(), CompilerArgs.end());
  ProgramResult R = runProgram(STRESSLINT_CLI, Args);
  Log = "exit " + std::to_string(R.Exit) + "\n" + R.Err;
  std::set<Diag> Out;
  auto Json = llvm::json::parse(R.Out);
  if (!Json) {
    Log += llvm::toString(Json.takeError());
    return Out;
  }
  for (const llvm::json::Value &V : *Json->getAsObject()->getArray("findings")) {
    const llvm::json::Object &F = *V.getAsObject();
    llvm::StringRef Rule = *F.getString("rule");
    if (!Rule.startswith("stress-") || *F.getString("file") != File)
      continue;
    Out.emplace(Rule.str(), static_cast<unsigned>(*F.getInteger("line")),
                static_cast<unsigned>(*F.getInteger("column")),
                F.getString("message")->str());
  }
  return Out;
}

std::string show(const std::set<Diag> &Diags) {
  std::string S;
  for (const auto &[Check, Line, Col, Msg] : Diags)
    S += "  " + std::to_string(Line) + ":" + std::to_string(Col) + " " + Check + " " +
         Msg + "\n";
  return S;
}

std::vector<std::string> cppFixtures() {
  std::vector<std::string> Out;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator
           It(sourceDir() + "/test/fixtures/cpp", EC),
       End;
       It != End && !EC; It.increment(EC))
    if (llvm::sys::path::extension(It->path()) == ".cpp" &&
        !llvm::StringRef(It->path()).contains(".fixed."))
      Out.push_back(It->path());
  llvm::sort(Out);
  return Out;
}

/// The `// ARGS:`, `// CONFIG:`, `// RULES:` and `// CLI ONLY:` header
/// lines of a fixture.
void fixtureHeader(llvm::StringRef Text, std::vector<std::string> &Args,
                   std::string &Config, std::string &Rules,
                   std::string *CliOnly = nullptr) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    if (!L.consume_front("//"))
      break;
    L = L.trim();
    if (L.consume_front("ARGS:")) {
      llvm::SmallVector<llvm::StringRef, 8> A;
      L.split(A, ' ', -1, false);
      for (llvm::StringRef X : A)
        Args.push_back(X.str());
    } else if (L.consume_front("CONFIG:")) {
      Config = L.trim().str();
    } else if (L.consume_front("RULES:")) {
      Rules = L.trim().str();
    } else if (L.consume_front("CLI ONLY:") && CliOnly) {
      *CliOnly = L.trim().str();
    }
  }
}

class PluginFixtureTest : public testing::TestWithParam<std::string> {};

TEST_P(PluginFixtureTest, SameFindingsAsCli) {
  const std::string &Path = GetParam();
  ASSERT_FALSE(findProgram(ClangTidy).empty()) << ClangTidy << " not on PATH";
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(static_cast<bool>(Buf));
  std::vector<std::string> Compiler{"-std=c++17",
                                    "-I" + sourceDir() + "/test/fixtures/stubs"};
  std::string Config, Rules, CliOnly;
  fixtureHeader((*Buf)->getBuffer(), Compiler, Config, Rules, &CliOnly);
  // Like users: `--checks='-*,stress-*'`, or the fixture's configuration;
  // API YAML of the fixture's own through `stresslint.RuleFiles`.
  std::vector<std::string> Options{"--checks=-*,stress-*"};
  if (!Rules.empty()) {
    llvm::SmallString<256> R(llvm::sys::path::parent_path(Path));
    llvm::sys::path::append(R, Rules);
    Options = {"--config={Checks: '-*,stress-*', CheckOptions: "
               "{stresslint.RuleFiles: '" +
               std::string(R) + "'}}"};
  }
  if (!Config.empty())
    Options = {"--config=" + Config};

  std::string PluginLog, CliLog;
  std::set<Diag> Plugin = runPlugin(Path, Options, Compiler, PluginLog);
  std::set<Diag> Cli = runCli(Path, Options, Compiler, CliLog);
  // A fixture with expectations must produce findings (both sides empty
  // would compare equal).
  if (!CliOnly.empty()) {
    // What only the CLI does (`// CLI ONLY: why`): the plugin finds part
    // of what the CLI finds, nothing else, and the CLI finds more.
    EXPECT_TRUE(std::includes(Cli.begin(), Cli.end(), Plugin.begin(), Plugin.end()))
        << "clang-tidy-16 --load:\n"
        << show(Plugin) << "stresslint:\n"
        << show(Cli);
    EXPECT_GT(Cli.size(), Plugin.size()) << CliOnly << "\n" << show(Cli);
    return;
  }
  if ((*Buf)->getBuffer().contains("// expect:"))
    EXPECT_FALSE(Plugin.empty()) << PluginLog;
  EXPECT_EQ(Plugin, Cli) << "clang-tidy-16 --load:\n"
                         << show(Plugin) << "stresslint:\n"
                         << show(Cli) << "clang-tidy log: " << PluginLog
                         << "cli log: " << CliLog;
}

std::string testName(const testing::TestParamInfo<std::string> &Info) {
  return stresslint_test::fixtureTestName(Info, "/test/fixtures/cpp/");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PluginFixtureTest, testing::ValuesIn(cppFixtures()),
                         testName);

const char *const RepoSource = R"cpp(#include <string>
namespace app {
struct Db {
  void run(const std::string &sql);
};
void list(Db &db) {
  db.run("SELECT * FROM users");
  db.run("SELECT id FROM users ORDER BY id LIMIT 10 OFFSET 500"); // NOLINT(stress-offset-pagination)
}
} // namespace app
)cpp";

const char *const DbApi =
    "api: app-db\nsinks:\n  - {function: 'app::Db::run', sql-arg: 0}\n";

class PluginConfigTest : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(findProgram(ClangTidy).empty()) << ClangTidy << " not on PATH";
  }
  TempDir Dir{"stresslint-plugin"};
};

/// Global and per-check CheckOptions, and rule files named by the
/// `stresslint.RuleFiles` option relative to the `.clang-tidy` that sets it.
TEST_F(PluginConfigTest, CheckOptionsAndRuleFiles) {
  std::string Src = Dir.file("src/repo.cpp", RepoSource);
  Dir.file("config/apis/app-db.yaml", DbApi);
  std::string Log;
  // Default: the literal is analysed as a free SQL statement; the second is
  // suppressed by NOLINT.
  Dir.file(".clang-tidy", "Checks: '-*,stress-*'\n");
  std::set<Diag> Default = runPlugin(Src, {}, {"-std=c++17"}, Log);
  ASSERT_EQ(Default.size(), 1u) << show(Default) << Log;
  EXPECT_EQ(std::get<0>(*Default.begin()), "stress-select-star");
  EXPECT_EQ(std::get<1>(*Default.begin()), 7u);

  // Only SQL passed to known APIs, and app::Db::run is not known yet.
  Dir.file(".clang-tidy", "Checks: '-*,stress-*'\n"
                          "CheckOptions:\n"
                          "  AnalyzeStringLiterals: false\n");
  EXPECT_EQ(runPlugin(Src, {}, {"-std=c++17"}, Log), std::set<Diag>{}) << Log;

  // The user's API file makes it a sink; the path is relative to .clang-tidy
  // (the test runs in another directory).
  Dir.file(".clang-tidy", "Checks: '-*,stress-*'\n"
                          "CheckOptions:\n"
                          "  AnalyzeStringLiterals: false\n"
                          "  stresslint.RuleFiles: 'config/apis'\n");
  std::set<Diag> WithApi = runPlugin(Src, {}, {"-std=c++17"}, Log);
  ASSERT_EQ(WithApi.size(), 1u) << show(WithApi) << Log;
  EXPECT_EQ(std::get<1>(*WithApi.begin()), 7u);
  std::string CliLog;
  EXPECT_EQ(runCli(Src, {}, {"-std=c++17"}, CliLog), WithApi) << CliLog;

  // A per-check option: stress-select-star off for this rule only.
  Dir.file(".clang-tidy", "Checks: '-*,stress-*'\n"
                          "CheckOptions:\n"
                          "  stress-select-star.AnalyzeStringLiterals: false\n");
  EXPECT_EQ(runPlugin(Src, {}, {"-std=c++17"}, Log), std::set<Diag>{}) << Log;
}

TEST_F(PluginConfigTest, BadRuleFileIsAConfigurationError) {
  std::string Src = Dir.file("repo.cpp", RepoSource);
  Dir.file("bad.yaml", "api: x\nsinks: [{function: }\n");
  Dir.file(".clang-tidy", "Checks: '-*,stress-*'\n"
                          "CheckOptions:\n"
                          "  stresslint.RuleFiles: 'bad.yaml;missing.yaml'\n");
  std::string Log;
  std::set<Diag> Found = runPlugin(Src, {}, {"-std=c++17"}, Log);
  EXPECT_NE(Log.find("stresslint.RuleFiles"), std::string::npos) << Log;
  EXPECT_NE(Log.find("bad.yaml"), std::string::npos) << Log;
  // The built-in rules still run.
  EXPECT_EQ(Found.size(), 1u) << show(Found) << Log;
}

/// A new rule id is a check only when given at load time.
TEST_F(PluginConfigTest, NewRuleThroughEnvironment) {
  std::string Src = Dir.file("repo.cpp", RepoSource);
  std::string Rule = Dir.file(
      "rules/stress-app-no-offset.yaml",
      "id: stress-app-no-offset\nsummary: no OFFSET here\nmessage: \"'{snippet}' is "
      "banned in this codebase\"\nmatch:\n  sql: offset\n");
  std::vector<std::string> Env;
  for (char **E = environ; *E; ++E)
    Env.emplace_back(*E);
  Env.push_back("STRESSLINT_RULES=" + Dir.str() + "/rules");
  std::string Log;
  std::set<Diag> Found =
      runPlugin(Src, {"--checks=-*,stress-app-*"}, {"-std=c++17"}, Log, Env);
  ASSERT_EQ(Found.size(), 1u) << show(Found) << Log;
  EXPECT_EQ(std::get<0>(*Found.begin()), "stress-app-no-offset");
  EXPECT_EQ(std::get<1>(*Found.begin()), 8u);
  EXPECT_EQ(std::get<3>(*Found.begin()), "'OFFSET 500' is banned in this codebase");
}

} // namespace
