//===--- FixtureTest.cpp - Every fixture through the real engine -----------===//
///
/// \file
/// Runs each file under test/fixtures/{sql,cpp} through LintSession (the
/// engine behind the CLI) and compares the diagnostics with the inline
/// expectations: `// expect: <id>[, <id>]` or `-- expect: ...` on the line(s)
/// above the flagged line, `// ok: <id>` above a trap. Every diagnostic must
/// be expected. Header lines: `// ARGS: <flags>`, `// CONFIG: <yaml>`,
/// `// PARTIAL` (the file is expected not to compile).
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace stresslint;

namespace {

std::string sourceDir() {
  if (const char *Env = std::getenv("STRESSLINT_SOURCE_DIR"))
    return Env;
  return STRESSLINT_SOURCE_DIR;
}

std::vector<std::string> fixtureFiles() {
  std::vector<std::string> Out;
  for (const char *Sub : {"test/fixtures/sql", "test/fixtures/cpp"}) {
    std::error_code EC;
    std::string Root = sourceDir() + "/" + Sub;
    for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End;
         It != End && !EC; It.increment(EC)) {
      llvm::StringRef Ext = llvm::sys::path::extension(It->path());
      if (Ext == ".sql" || Ext == ".cpp")
        Out.push_back(It->path());
    }
  }
  llvm::sort(Out);
  return Out;
}

struct Expectations {
  std::vector<std::string> Args;
  std::string Config;
  bool Partial = false;
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
        if (H.trim() == "PARTIAL") {
          E.Partial = true;
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
    EXPECT_TRUE(CompilerErrors.empty())
        << "fixture does not compile:\n" << llvm::join(CompilerErrors, "\n");

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
      << Path << ": TP=" << TP << " FP=" << FP << " FN=" << FN << "\n" << Report;
}

std::string testName(const testing::TestParamInfo<std::string> &Info) {
  std::string Rel = Info.param.substr(sourceDir().size() + strlen("/test/fixtures/"));
  for (char &C : Rel)
    if (!llvm::isAlnum(C))
      C = '_';
  return Rel;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureTest, testing::ValuesIn(fixtureFiles()),
                         testName);

/// Every rule has positive and negative fixtures, in SQL and in C++.
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
}

} // namespace
