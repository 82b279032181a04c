//===--- GoldenTest.cpp - Whole reports on the example backend -------------===//
///
/// \file
/// The text, JSON and SARIF reports of the CLI on examples/shop-backend,
/// compared with test/golden/ (absolute paths redacted to <repo>; in SARIF
/// also the tool version and the rule docs pages). Regenerate after a
/// deliberate change with STRESSLINT_UPDATE_GOLDEN=1 and review the diff.
///
//===----------------------------------------------------------------------===//
#include "SarifSchema.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

namespace {

std::string replaceAll(std::string S, llvm::StringRef From, llvm::StringRef To) {
  for (size_t At = 0; (At = S.find(From.str(), At)) != std::string::npos;
       At += To.size())
    S.replace(At, From.size(), To.str());
  return S;
}

std::string runCliRaw(const std::vector<std::string> &Args) {
  llvm::SmallString<128> Out;
  llvm::sys::fs::createTemporaryFile("stresslint-golden", "out", Out);
  std::vector<llvm::StringRef> Argv{STRESSLINT_CLI};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(Out), llvm::StringRef("")};
  int Exit =
      llvm::sys::ExecuteAndWait(STRESSLINT_CLI, Argv, std::nullopt, Redirects, 300);
  EXPECT_EQ(Exit, 1) << "the example must have findings";
  std::string Text = (*llvm::MemoryBuffer::getFile(Out))->getBuffer().str();
  llvm::sys::fs::remove(Out);
  return Text;
}

std::string runCli(const std::vector<std::string> &Args) {
  return replaceAll(runCliRaw(Args), STRESSLINT_SOURCE_DIR, "<repo>");
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
  ASSERT_TRUE(static_cast<bool>(Expected))
      << Path << " missing; run with STRESSLINT_UPDATE_GOLDEN=1";
  EXPECT_EQ(Actual, (*Expected)->getBuffer().str())
      << "report differs from " << Path << "; if intended, regenerate with "
      << "STRESSLINT_UPDATE_GOLDEN=1 and review the diff";
}

std::vector<std::string> exampleArgs(llvm::StringRef Format) {
  std::string Example = std::string(STRESSLINT_SOURCE_DIR) + "/examples/shop-backend";
  // Paths and fingerprints relative to the repository, with or without .git.
  return {Example,
          "--quiet",
          ("--format=" + Format).str(),
          std::string("--source-root=") + STRESSLINT_SOURCE_DIR,
          "--",
          "-std=c++17",
          "-I" + Example + "/src"};
}

TEST(Golden, ExampleTextReport) {
  compareGolden(runCli(exampleArgs("text")), "shop-backend.txt");
}

TEST(Golden, ExampleJsonReport) {
  compareGolden(runCli(exampleArgs("json")), "shop-backend.json");
}

/// The version and the docs pages change without the report changing.
std::string redactSarif(const std::string &Text) {
  auto Log = llvm::json::parse(Text);
  if (!Log) {
    ADD_FAILURE() << llvm::toString(Log.takeError()) << "\n" << Text;
    return Text;
  }
  llvm::json::Object *Driver = Log->getAsObject()
                                   ->getArray("runs")
                                   ->front()
                                   .getAsObject()
                                   ->getObject("tool")
                                   ->getObject("driver");
  (*Driver)["version"] = "<version>";
  (*Driver)["semanticVersion"] = "<version>";
  // ReportTest checks that these texts come from docs/rules/.
  for (llvm::json::Value &R : *Driver->getArray("rules")) {
    llvm::json::Object &Rule = *R.getAsObject();
    Rule["fullDescription"] = llvm::json::Object{{"text", "<docs paragraph>"}};
    if (Rule.getObject("help"))
      Rule["help"] =
          llvm::json::Object{{"text", "<docs page>"}, {"markdown", "<docs page>"}};
  }
  return llvm::formatv("{0:2}", *Log).str() + "\n";
}

TEST(Golden, ExampleSarifReport) {
  std::string Sarif = runCliRaw(exampleArgs("sarif"));
  // The real output, before redaction, is valid SARIF 2.1.0.
  llvm::SmallString<128> File;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("shop-backend", "sarif", File));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    OS << Sarif;
  }
  EXPECT_TRUE(stresslint_test::validateSarif(File));
  llvm::sys::fs::remove(File);
  compareGolden(redactSarif(replaceAll(Sarif, STRESSLINT_SOURCE_DIR, "<repo>")),
                "shop-backend.sarif");
}

} // namespace
