//===--- GoldenTest.cpp - Whole reports on the example backend -------------===//
///
/// \file
/// The text and JSON reports of the CLI on examples/shop-backend, compared
/// with test/golden/ (absolute paths redacted to <repo>). Regenerate after a
/// deliberate change with STRESSLINT_UPDATE_GOLDEN=1 and review the diff.
///
//===----------------------------------------------------------------------===//
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

namespace {

std::string replaceAll(std::string S, llvm::StringRef From, llvm::StringRef To) {
  for (size_t At = 0; (At = S.find(From.str(), At)) != std::string::npos; At += To.size())
    S.replace(At, From.size(), To.str());
  return S;
}

std::string runCli(const std::vector<std::string> &Args) {
  llvm::SmallString<128> Out;
  llvm::sys::fs::createTemporaryFile("stresslint-golden", "out", Out);
  std::vector<llvm::StringRef> Argv{STRESSLINT_CLI};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(""), llvm::StringRef(Out),
                                                llvm::StringRef("")};
  int Exit = llvm::sys::ExecuteAndWait(STRESSLINT_CLI, Argv, std::nullopt, Redirects, 300);
  EXPECT_EQ(Exit, 1) << "the example must have findings";
  std::string Text = (*llvm::MemoryBuffer::getFile(Out))->getBuffer().str();
  llvm::sys::fs::remove(Out);
  return replaceAll(Text, STRESSLINT_SOURCE_DIR, "<repo>");
}

void compareGolden(const std::string &Actual, llvm::StringRef Name) {
  std::string Path = std::string(STRESSLINT_SOURCE_DIR) + "/test/golden/" + Name.str();
  if (std::getenv("STRESSLINT_UPDATE_GOLDEN")) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Actual;
    return;
  }
  auto Expected = llvm::MemoryBuffer::getFile(Path);
  ASSERT_TRUE(static_cast<bool>(Expected)) << Path << " missing; run with STRESSLINT_UPDATE_GOLDEN=1";
  EXPECT_EQ(Actual, (*Expected)->getBuffer().str())
      << "report differs from " << Path << "; if intended, regenerate with "
      << "STRESSLINT_UPDATE_GOLDEN=1 and review the diff";
}

std::vector<std::string> exampleArgs(llvm::StringRef Format) {
  std::string Example = std::string(STRESSLINT_SOURCE_DIR) + "/examples/shop-backend";
  return {Example, "--quiet", ("--format=" + Format).str(), "--", "-std=c++17",
          "-I" + Example + "/src"};
}

TEST(Golden, ExampleTextReport) { compareGolden(runCli(exampleArgs("text")), "shop-backend.txt"); }

TEST(Golden, ExampleJsonReport) { compareGolden(runCli(exampleArgs("json")), "shop-backend.json"); }

} // namespace
