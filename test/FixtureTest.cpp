//===--- FixtureTest.cpp - Every fixture through the real engine -----------===//
///
/// \file
/// Runs each file under test/fixtures/{sql,cpp} through LintSession (the
/// engine behind the CLI) and compares the diagnostics with the inline
/// expectations: `// expect: <id>[, <id>]` or `-- expect: ...` on the line(s)
/// above the flagged line, `// ok: <id>` above a trap. Every diagnostic must
/// be expected. Header lines: `// ARGS: <flags>`, `// CONFIG: <yaml>`,
/// `// RULES: <file>` (rule/API YAML loaded as with `--rules`, relative to
/// the fixture's directory), `// PARTIAL` (the file is expected not to
/// compile), `// CLI ONLY: <why>` (the plugin finds only part of it:
/// PluginTest.cpp), `// HEADERLESS` (the same expectations hold when the
/// file is linted alone, as pre-commit does, with none of the headers its
/// `ARGS:` and the stubs give: HeaderlessTest).
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "rules/RuleSet.h"

#include "support/Fixtures.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace stresslint;

namespace {

using stresslint_test::sourceDir;

std::vector<std::string> fixtureFiles() {
  std::vector<std::string> Out;
  for (const char *Sub : {"test/fixtures/sql", "test/fixtures/cpp"}) {
    std::error_code EC;
    std::string Root = sourceDir() + "/" + Sub;
    for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End;
         It != End && !EC; It.increment(EC)) {
      llvm::StringRef Ext = llvm::sys::path::extension(It->path());
      // `x.fixed.cpp` is what `--fix` makes of `x.cpp` (FixTest.cpp).
      if ((Ext == ".sql" || Ext == ".cpp") &&
          !llvm::StringRef(It->path()).contains(".fixed."))
        Out.push_back(It->path());
    }
  }
  llvm::sort(Out);
  return Out;
}

struct Expectations {
  std::vector<std::string> Args;
  std::string Config;
  std::vector<std::string> Rules;
  bool Partial = false;
  bool Headerless = false;
  std::map<unsigned, std::multiset<std::string>> Expected;
  std::map<unsigned, std::set<std::string>> Ok;
};

/// `expect: a, b` / `ok: a` after `//` or `--`, alone on its line.
bool parseMarker(llvm::StringRef Line, llvm::StringRef &Kind,
                 llvm::SmallVectorImpl<llvm::StringRef> &Ids) {
  Line = Line.trim();
  if (!Line.consume_front("//") && !Line.consume_front("--"))
    return false;
  Line = Line.ltrim();
  for (llvm::StringRef K : {"expect:", "ok:"}) {
    if (Line.consume_front(K)) {
      Kind = K.drop_back();
      Line.split(Ids, ',', -1, false);
      for (auto &Id : Ids)
        Id = Id.trim();
      return true;
    }
  }
  return false;
}

Expectations parseFixture(llvm::StringRef Text) {
  Expectations E;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  std::vector<std::pair<std::string, std::string>> Pending;
  bool Header = true;
  for (unsigned I = 0; I < Lines.size(); ++I) {
    llvm::StringRef L = Lines[I].trim();
    if (Header) {
      llvm::StringRef H = L;
      if ((H.consume_front("//") || H.consume_front("--"))) {
        H = H.ltrim();
        if (H.consume_front("ARGS:")) {
          llvm::SmallVector<llvm::StringRef, 8> A;
          H.split(A, ' ', -1, false);
          for (auto X : A)
            E.Args.push_back(X.str());
          continue;
        }
        if (H.consume_front("CONFIG:")) {
          E.Config = H.trim().str();
          continue;
        }
        if (H.consume_front("RULES:")) {
          E.Rules.push_back(H.trim().str());
          continue;
        }
        if (H.trim() == "PARTIAL") {
          E.Partial = true;
          continue;
        }
        if (H.trim() == "HEADERLESS") {
          E.Headerless = true;
          continue;
        }
      }
      Header = false;
    }
    llvm::StringRef Kind;
    llvm::SmallVector<llvm::StringRef, 4> Ids;
    if (parseMarker(L, Kind, Ids)) {
      for (auto Id : Ids)
        Pending.emplace_back(Kind.str(), Id.str());
      continue;
    }
    for (auto &[K, Id] : Pending) {
      if (K == "expect")
        E.Expected[I + 1].insert(Id);
      else
        E.Ok[I + 1].insert(Id);
    }
    Pending.clear();
  }
  return E;
}

class FixtureTest : public testing::TestWithParam<std::string> {};

TEST_P(FixtureTest, MatchesInlineExpectations) {
  const std::string &Path = GetParam();
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(static_cast<bool>(Buf)) << Path;
  Expectations E = parseFixture((*Buf)->getBuffer());

  // `// RULES:` files are active for this fixture only; the defaults come
  // back after the session (declared later, destroyed first) is gone.
  struct RestoreDefaultRules {
    bool Active = false;
    ~RestoreDefaultRules() {
      if (!Active)
        return;
      auto Defaults = RuleSet::load({});
      if (Defaults)
        setActiveRuleSet(std::move(*Defaults));
      else
        llvm::consumeError(Defaults.takeError());
    }
  } Restore;
  if (!E.Rules.empty()) {
    std::vector<std::string> Files;
    for (const std::string &R : E.Rules)
      Files.push_back((llvm::sys::path::parent_path(Path) + "/" + R).str());
    auto Loaded = RuleSet::load(Files);
    ASSERT_TRUE(static_cast<bool>(Loaded)) << llvm::toString(Loaded.takeError());
    setActiveRuleSet(std::move(*Loaded));
    Restore.Active = true;
  }

  LintOptions Opts;
  Opts.Paths = {Path};
  if (llvm::sys::path::extension(Path) == ".cpp") {
    std::vector<std::string> Args{"-std=c++17",
                                  "-I" + sourceDir() + "/test/fixtures/stubs"};
    Args.insert(Args.end(), E.Args.begin(), E.Args.end());
    Opts.CompilerArgs = Args;
  }
  Opts.Config = E.Config.empty() ? "{Checks: '-*,stress-*'}" : E.Config;
  auto Session = LintSession::create(Opts);
  ASSERT_TRUE(static_cast<bool>(Session)) << llvm::toString(Session.takeError());
  (*Session)->run();

  std::map<unsigned, std::multiset<std::string>> Reported;
  std::vector<std::string> CompilerErrors;
  for (const Finding &F : (*Session)->findings()) {
    if (llvm::StringRef(F.Check).startswith("clang-diagnostic-")) {
      CompilerErrors.push_back(std::to_string(F.Line) + ": " + F.Message);
      continue;
    }
    EXPECT_EQ(F.File, Path) << "finding outside the fixture: " << F.Message;
    Reported[F.Line].insert(F.Check);
  }
  if (!E.Partial)
    EXPECT_TRUE(CompilerErrors.empty()) << "fixture does not compile:\n"
                                        << llvm::join(CompilerErrors, "\n");

  unsigned TP = 0, FP = 0, FN = 0;
  std::string Report;
  std::set<unsigned> Lines;
  for (auto &KV : E.Expected)
    Lines.insert(KV.first);
  for (auto &KV : Reported)
    Lines.insert(KV.first);
  for (unsigned Line : Lines) {
    std::multiset<std::string> Want = E.Expected[Line], Got = Reported[Line];
    for (const std::string &Id : Want) {
      auto It = Got.find(Id);
      if (It != Got.end()) {
        Got.erase(It);
        ++TP;
      } else {
        ++FN;
        Report += "  line " + std::to_string(Line) + ": missing " + Id + "\n";
      }
    }
    for (const std::string &Id : Got) {
      ++FP;
      Report += "  line " + std::to_string(Line) + ": unexpected " + Id +
                (E.Ok[Line].count(Id) ? " (on an ok: trap)" : "") + "\n";
    }
  }
  EXPECT_TRUE(FP == 0 && FN == 0)
      << Path << ": TP=" << TP << " FP=" << FP << " FN=" << FN << "\n"
      << Report;
}

std::string testName(const testing::TestParamInfo<std::string> &Info) {
  return stresslint_test::fixtureTestName(Info, "/test/fixtures/");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureTest, testing::ValuesIn(fixtureFiles()),
                         testName);

/// Compares reported (file, line) -> rule ids with the expectations of each
/// file; returns a report of the differences (empty when they agree).
std::string compareWithExpectations(
    const std::map<std::string, Expectations> &Files,
    const std::map<std::string, std::map<unsigned, std::multiset<std::string>>> &Got) {
  std::string Report;
  for (const auto &[File, E] : Files) {
    std::set<unsigned> Lines;
    for (auto &KV : E.Expected)
      Lines.insert(KV.first);
    auto GotIt = Got.find(File);
    if (GotIt != Got.end())
      for (auto &KV : GotIt->second)
        Lines.insert(KV.first);
    for (unsigned Line : Lines) {
      std::multiset<std::string> Want, Have;
      if (auto W = E.Expected.find(Line); W != E.Expected.end())
        Want = W->second;
      if (GotIt != Got.end())
        if (auto H = GotIt->second.find(Line); H != GotIt->second.end())
          Have = H->second;
      for (const std::string &Id : Want) {
        auto It = Have.find(Id);
        if (It != Have.end())
          Have.erase(It);
        else
          Report += "  " + File + ":" + std::to_string(Line) + ": missing " + Id + "\n";
      }
      for (const std::string &Id : Have)
        Report +=
            "  " + File + ":" + std::to_string(Line) + ": unexpected " + Id + "\n";
    }
  }
  for (const auto &[File, Lines] : Got)
    if (!Files.count(File))
      Report += "  finding outside the fixture project: " + File + "\n";
  return Report;
}

std::vector<std::string> projectDirs() {
  std::vector<std::string> Out;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator
           It(sourceDir() + "/test/fixtures/projects", EC),
       End;
       It != End && !EC; It.increment(EC))
    if (llvm::sys::fs::is_directory(It->path()))
      Out.push_back(It->path());
  llvm::sort(Out);
  return Out;
}

/// Runs the CLI with \p Argv, its report (`--format=json`) written to
/// \p Dir/out.json, and reads that report; \p Exit is its exit code.
llvm::Expected<llvm::json::Value> runCli(llvm::ArrayRef<llvm::StringRef> Argv,
                                         llvm::StringRef Dir, int &Exit) {
  std::string Out = (Dir + "/out.json").str();
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""),
                                                llvm::StringRef(Out), std::nullopt};
  Exit = llvm::sys::ExecuteAndWait(STRESSLINT_CLI, Argv, std::nullopt, Redirects, 300);
  auto Buf = llvm::MemoryBuffer::getFile(Out);
  if (!Buf)
    return llvm::errorCodeToError(Buf.getError());
  return llvm::json::parse((*Buf)->getBuffer());
}

/// The fixtures marked `// HEADERLESS`, through the real CLI as a
/// pre-commit hook runs it on a checkout with no build: the file alone in a
/// directory, no compilation database, none of the stubs or library
/// headers its `ARGS:` name. The framework's types are unknown, its macros
/// undefined; the findings must still be the expected ones.
std::vector<std::string> headerlessFixtures() {
  std::vector<std::string> Out;
  for (const std::string &Path : fixtureFiles())
    if (llvm::sys::path::extension(Path) == ".cpp")
      if (auto Buf = llvm::MemoryBuffer::getFile(Path);
          Buf && parseFixture((*Buf)->getBuffer()).Headerless)
        Out.push_back(Path);
  return Out;
}

class HeaderlessTest : public testing::TestWithParam<std::string> {};

TEST_P(HeaderlessTest, SameFindingsWithoutHeaders) {
  const std::string &Path = GetParam();
  auto Buf = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(static_cast<bool>(Buf));
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-headerless", Dir));
  std::string Copy = (Dir + "/" + llvm::sys::path::filename(Path)).str();
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Copy, EC);
    ASSERT_FALSE(EC) << EC.message();
    OS << (*Buf)->getBuffer();
  }
  llvm::StringRef Argv[] = {STRESSLINT_CLI, "--format=json",        "--quiet",
                            "--no-cache",   "--checks=-*,stress-*", Copy};
  int Exit = 0;
  auto Json = runCli(Argv, Dir, Exit);
  EXPECT_LE(Exit, 1);
  ASSERT_TRUE(static_cast<bool>(Json)) << llvm::toString(Json.takeError());
  std::map<std::string, std::map<unsigned, std::multiset<std::string>>> Got;
  for (const llvm::json::Value &F : *Json->getAsObject()->getArray("findings")) {
    const llvm::json::Object *O = F.getAsObject();
    llvm::StringRef Rule = *O->getString("rule");
    if (Rule.startswith("stress-"))
      Got[Path][*O->getInteger("line")].insert(Rule.str());
  }
  std::map<std::string, Expectations> Files{{Path, parseFixture((*Buf)->getBuffer())}};
  std::string Report = compareWithExpectations(Files, Got);
  EXPECT_TRUE(Report.empty()) << Path << " without its headers:\n" << Report;
  llvm::sys::fs::remove_directories(Dir);
}

INSTANTIATE_TEST_SUITE_P(Headerless, HeaderlessTest,
                         testing::ValuesIn(headerlessFixtures()), testName);

/// A multi-file project through the real CLI with its own
/// compile_commands.json: cross-file paths (loop in one file, query in
/// another) must be found, and nothing else.
class ProjectTest : public testing::TestWithParam<std::string> {};

TEST_P(ProjectTest, CrossFileFindingsMatchExpectations) {
  const std::string &Root = GetParam();
  std::map<std::string, Expectations> Files;
  llvm::json::Array Commands;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End; It != End && !EC;
       It.increment(EC)) {
    llvm::StringRef Ext = llvm::sys::path::extension(It->path());
    if (Ext != ".cpp" && Ext != ".h")
      continue;
    auto Buf = llvm::MemoryBuffer::getFile(It->path());
    ASSERT_TRUE(static_cast<bool>(Buf));
    Files[It->path()] = parseFixture((*Buf)->getBuffer());
    if (Ext == ".cpp")
      Commands.push_back(llvm::json::Object{
          {"directory", Root},
          {"file", It->path()},
          {"arguments", llvm::json::Array{"clang++", "-std=c++17",
                                          "-I" + sourceDir() + "/test/fixtures/stubs",
                                          "-c", It->path()}}});
  }
  llvm::SmallString<128> Build;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-project", Build));
  // A project marked NO_COMPILATION_DATABASE is linted as pre-commit does
  // without a build: no compile_commands.json, headers missing.
  bool NoDatabase = llvm::sys::fs::exists(Root + "/NO_COMPILATION_DATABASE");
  if (!NoDatabase) {
    llvm::raw_fd_ostream OS(std::string(Build) + "/compile_commands.json", EC);
    OS << llvm::json::Value(std::move(Commands));
  }
  std::vector<llvm::StringRef> Argv{STRESSLINT_CLI,  "-p",      Build,
                                    "--format=json", "--quiet", Root};
  if (NoDatabase)
    Argv.erase(Argv.begin() + 1, Argv.begin() + 3);
  int Exit = 0;
  auto Json = runCli(Argv, Build, Exit);
  EXPECT_EQ(Exit, 1);
  ASSERT_TRUE(static_cast<bool>(Json)) << llvm::toString(Json.takeError());
  std::map<std::string, std::map<unsigned, std::multiset<std::string>>> Got;
  unsigned PathFindings = 0;
  for (const llvm::json::Value &F : *Json->getAsObject()->getArray("findings")) {
    const llvm::json::Object *O = F.getAsObject();
    Got[O->getString("file")->str()][*O->getInteger("line")].insert(
        O->getString("rule")->str());
    PathFindings += !O->getArray("notes")->empty();
  }
  EXPECT_GT(PathFindings, 0u) << "cross-file findings carry their path as notes";
  std::string Report = compareWithExpectations(Files, Got);
  EXPECT_TRUE(Report.empty()) << Root << ":\n" << Report;
  // The run stored its summaries for the editor and plugin modes.
  if (!NoDatabase)
    EXPECT_TRUE(
        llvm::sys::fs::is_directory(std::string(Build) + "/.stresslint/summaries"));
  llvm::sys::fs::remove_directories(Build);
}

INSTANTIATE_TEST_SUITE_P(Projects, ProjectTest, testing::ValuesIn(projectDirs()),
                         [](const testing::TestParamInfo<std::string> &Info) {
                           return llvm::sys::path::filename(Info.param).str();
                         });

/// Every rule has positive and negative fixtures, in SQL and in C++ (the
/// context rules in C++ only).
TEST(FixtureCoverage, EveryRuleHasPositivesAndTraps) {
  std::map<std::string, std::map<std::string, unsigned>> Count;
  for (const std::string &Path : fixtureFiles()) {
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    ASSERT_TRUE(static_cast<bool>(Buf));
    std::string Lang = llvm::sys::path::extension(Path).str();
    llvm::SmallVector<llvm::StringRef, 0> Lines;
    (*Buf)->getBuffer().split(Lines, '\n');
    for (llvm::StringRef L : Lines) {
      llvm::StringRef Kind;
      llvm::SmallVector<llvm::StringRef, 4> Ids;
      if (parseMarker(L, Kind, Ids))
        for (auto Id : Ids)
          ++Count[Id.str()][Kind.str() + Lang];
    }
  }
  for (const char *Rule : {"stress-select-star", "stress-offset-pagination",
                           "stress-leading-wildcard-like", "stress-unbounded-row-lock"})
    for (const char *Key : {"expect.sql", "ok.sql", "expect.cpp", "ok.cpp"})
      EXPECT_GE(Count[Rule][Key], 5u) << Rule << " " << Key;
  // The context rules need C++ (loops, handlers, tasks): no SQL fixtures.
  for (const char *Rule : {"stress-query-in-loop", "stress-blocking-call-in-handler",
                           "stress-hot-path-aggregate", "stress-lock-in-fan-out"})
    for (const char *Key : {"expect.cpp", "ok.cpp"})
      EXPECT_GE(Count[Rule][Key], 5u) << Rule << " " << Key;
}

} // namespace
