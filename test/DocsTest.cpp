//===--- DocsTest.cpp - Every rule's docs page, checked --------------------===//
///
/// \file
/// Each rule has docs/rules/<id>.md with the fixed sections; its first line
/// names the rule and its summary matches the YAML; its Example triggers the
/// rule and its Use instead does not (run through the real engine).
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "rules/RuleSet.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace stresslint;

namespace {

/// The first fenced code block after \p Heading: {language, code}.
std::pair<std::string, std::string> blockAfter(llvm::StringRef Doc,
                                               llvm::StringRef Heading) {
  size_t H = Doc.find(("\n" + Heading + "\n").str());
  if (H == llvm::StringRef::npos)
    return {};
  size_t Open = Doc.find("```", H);
  size_t LineEnd = Doc.find('\n', Open);
  size_t Close = Doc.find("\n```", LineEnd);
  if (Open == llvm::StringRef::npos || Close == llvm::StringRef::npos)
    return {};
  return {Doc.slice(Open + 3, LineEnd).trim().str(),
          Doc.slice(LineEnd + 1, Close + 1).str()};
}

unsigned findingsOf(const std::string &Rule, const std::string &Lang,
                    const std::string &Code) {
  llvm::SmallString<128> Dir;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-docs", Dir));
  std::string Path = (Dir + "/example." + (Lang == "sql" ? "sql" : "cpp")).str();
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    if (Lang != "sql")
      OS << "#include <pqxx/pqxx>\n#include <string>\n";
    OS << Code;
  }
  LintOptions Opts;
  Opts.Paths = {Path};
  Opts.Config = "{Checks: '-*," + Rule + "'}";
  auto S = LintSession::create(Opts);
  EXPECT_TRUE(static_cast<bool>(S));
  if (!S)
    return 0;
  (*S)->run();
  unsigned N = 0;
  for (const Finding &F : (*S)->findings())
    N += F.Check == Rule;
  llvm::sys::fs::remove_directories(Dir);
  return N;
}

TEST(Docs, EveryRuleHasAPageWithTheFixedSections) {
  for (const Rule &R : activeRuleSet().rules()) {
    std::string Path = std::string(STRESSLINT_SOURCE_DIR) + "/docs/rules/" + R.Id + ".md";
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    ASSERT_TRUE(static_cast<bool>(Buf)) << Path;
    llvm::StringRef Doc = (*Buf)->getBuffer();
    EXPECT_TRUE(Doc.startswith("# " + R.Id + "\n\n" + R.Summary + "\n")) << R.Id;
    size_t Last = 0;
    for (const char *H : {"## Why is this bad?", "## Example", "## Use instead",
                          "## Options", "## Known limitations", "## References"}) {
      size_t At = Doc.find(std::string("\n") + H + "\n");
      EXPECT_NE(At, llvm::StringRef::npos) << R.Id << ": missing " << H;
      EXPECT_GT(At, Last) << R.Id << ": " << H << " out of order";
      Last = At;
    }
    for (const RuleOption &O : R.Options)
      EXPECT_TRUE(Doc.contains(O.Name)) << R.Id << ": option " << O.Name << " undocumented";
  }
}

TEST(Docs, ExampleTriggersAndUseInsteadDoesNot) {
  for (const Rule &R : activeRuleSet().rules()) {
    std::string Path = std::string(STRESSLINT_SOURCE_DIR) + "/docs/rules/" + R.Id + ".md";
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    ASSERT_TRUE(static_cast<bool>(Buf)) << Path;
    auto [ExLang, Example] = blockAfter((*Buf)->getBuffer(), "## Example");
    auto [UseLang, UseInstead] = blockAfter((*Buf)->getBuffer(), "## Use instead");
    ASSERT_FALSE(Example.empty()) << R.Id;
    ASSERT_FALSE(UseInstead.empty()) << R.Id;
    EXPECT_GE(findingsOf(R.Id, ExLang, Example), 1u) << R.Id << " Example:\n" << Example;
    EXPECT_EQ(findingsOf(R.Id, UseLang, UseInstead), 0u) << R.Id << " Use instead:\n"
                                                         << UseInstead;
  }
}

} // namespace
