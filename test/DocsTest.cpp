//===--- DocsTest.cpp - Every rule's docs page, checked --------------------===//
///
/// \file
/// Each rule has docs/rules/<id>.md with the fixed sections; its first line
/// names the rule and its summary matches the YAML; its Example triggers the
/// rule and its Use instead does not (run through the real engine). The
/// tables of primitives and options in docs/rules-yaml.md say what the
/// registry (rules/Registry.h) says.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "rules/Registry.h"
#include "rules/RuleSet.h"

#include "llvm/ADT/StringExtras.h"
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
    std::string Path =
        std::string(STRESSLINT_SOURCE_DIR) + "/docs/rules/" + R.Id + ".md";
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
      EXPECT_TRUE(Doc.contains(O.Name))
          << R.Id << ": option " << O.Name << " undocumented";
  }
}

TEST(Docs, ExampleTriggersAndUseInsteadDoesNot) {
  for (const Rule &R : activeRuleSet().rules()) {
    std::string Path =
        std::string(STRESSLINT_SOURCE_DIR) + "/docs/rules/" + R.Id + ".md";
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    ASSERT_TRUE(static_cast<bool>(Buf)) << Path;
    auto [ExLang, Example] = blockAfter((*Buf)->getBuffer(), "## Example");
    auto [UseLang, UseInstead] = blockAfter((*Buf)->getBuffer(), "## Use instead");
    ASSERT_FALSE(Example.empty()) << R.Id;
    ASSERT_FALSE(UseInstead.empty()) << R.Id;
    EXPECT_GE(findingsOf(R.Id, ExLang, Example), 1u) << R.Id << " Example:\n"
                                                     << Example;
    EXPECT_EQ(findingsOf(R.Id, UseLang, UseInstead), 0u) << R.Id << " Use instead:\n"
                                                         << UseInstead;
  }
}

/// The rows of the markdown table whose header row is \p Header, each as
/// its cells (trimmed); `\|` inside a cell is text.
std::vector<std::vector<std::string>> tableRows(llvm::StringRef Doc,
                                                llvm::StringRef Header) {
  std::vector<std::vector<std::string>> Rows;
  size_t At = Doc.find(("\n" + Header + "\n").str());
  if (At == llvm::StringRef::npos)
    return Rows;
  llvm::StringRef Rest = Doc.drop_front(At + Header.size() + 2);
  Rest = Rest.drop_front(Rest.find('\n') + 1); // The | --- | row.
  while (Rest.startswith("|")) {
    llvm::StringRef Line;
    std::tie(Line, Rest) = Rest.split('\n');
    std::vector<std::string> Cells(1);
    for (size_t I = 1; I + 1 < Line.size(); ++I) {
      if (Line[I] == '\\' && Line[I + 1] == '|') {
        Cells.back() += "\\|";
        ++I;
      } else if (Line[I] == '|') {
        Cells.emplace_back();
      } else {
        Cells.back() += Line[I];
      }
    }
    for (std::string &C : Cells)
      C = llvm::StringRef(C).trim().str();
    Rows.push_back(std::move(Cells));
  }
  return Rows;
}

/// How the docs write a primitive's options: `` `Name` (required, without
/// a context) ``, comma-separated; `none` when it reads none.
std::string optionsCell(const Primitive &P) {
  std::string Out;
  for (const PrimitiveOption &O : P.Options) {
    std::vector<std::string> Marks;
    if (O.required())
      Marks.push_back("required");
    if (O.WithoutContextOnly)
      Marks.push_back("without a context");
    Out += (Out.empty() ? "`" : ", `") + std::string(O.Name) + "`";
    if (!Marks.empty())
      Out += " (" + llvm::join(Marks, ", ") + ")";
  }
  return Out.empty() ? "none" : Out;
}

/// `` `{snippet}` `{detail}` ``; `none` when it gives none.
std::string variablesCell(const Primitive &P) {
  std::string Out;
  for (const char *V : P.Vars)
    Out += (Out.empty() ? "`{" : " `{") + std::string(V) + "}`";
  return Out.empty() ? "none" : Out;
}

TEST(Docs, PrimitiveTablesAreTheRegistrys) {
  auto Buf = llvm::MemoryBuffer::getFile(std::string(STRESSLINT_SOURCE_DIR) +
                                         "/docs/rules-yaml.md");
  ASSERT_TRUE(static_cast<bool>(Buf));
  llvm::StringRef Doc = (*Buf)->getBuffer();
  const std::pair<PrimitiveKind, const char *> Tables[] = {
      {PrimitiveKind::SqlPredicate,
       "| predicate | reports | options it reads | variables |"},
      {PrimitiveKind::Context,
       "| context | the construct runs ... | entries | options it reads | variables |"},
      {PrimitiveKind::CallSet,
       "| call set | matches | options it reads | variables |"}};
  for (const auto &[Kind, Header] : Tables) {
    std::vector<std::vector<std::string>> Rows = tableRows(Doc, Header);
    std::vector<const Primitive *> Registered;
    for (const Primitive &P : primitives())
      if (P.Kind == Kind)
        Registered.push_back(&P);
    ASSERT_EQ(Rows.size(), Registered.size())
        << "docs/rules-yaml.md: the table '" << Header << "' has " << Rows.size()
        << " rows; the registry has " << Registered.size() << " "
        << primitiveKindName(Kind).str() << "s";
    for (size_t I = 0; I < Rows.size(); ++I) {
      const Primitive &P = *Registered[I];
      const std::vector<std::string> &Row = Rows[I];
      ASSERT_GE(Row.size(), 3u) << Header;
      EXPECT_EQ(Row.front(), "`" + std::string(P.Name) + "`") << Header << " row " << I;
      EXPECT_EQ(Row[Row.size() - 2], optionsCell(P)) << P.Name << ": options";
      EXPECT_EQ(Row.back(), variablesCell(P)) << P.Name << ": variables";
    }
  }

  // Each option: one type and default wherever it is read.
  struct Seen {
    const PrimitiveOption *O;
    std::vector<std::string> ReadBy;
  };
  std::vector<std::pair<std::string, Seen>> Options;
  for (const Primitive &P : primitives())
    for (const PrimitiveOption &O : P.Options) {
      auto It =
          llvm::find_if(Options, [&](const auto &X) { return X.first == O.Name; });
      if (It == Options.end()) {
        Options.push_back({O.Name, {&O, {}}});
        It = std::prev(Options.end());
      }
      EXPECT_EQ(It->second.O->Type, O.Type) << O.Name;
      EXPECT_EQ(It->second.O->required(), O.required()) << O.Name;
      if (!O.required())
        EXPECT_EQ(llvm::StringRef(It->second.O->Default), O.Default) << O.Name;
      It->second.ReadBy.push_back("`" + std::string(P.Name) + "`");
    }
  std::vector<std::vector<std::string>> Rows =
      tableRows(Doc, "| option | type | default | read by |");
  ASSERT_EQ(Rows.size(), Options.size()) << "docs/rules-yaml.md: the table of options";
  for (size_t I = 0; I < Rows.size(); ++I) {
    const auto &[Name, S] = Options[I];
    std::string Default = S.O->required() ? "required"
                          : *S.O->Default == '\0'
                              ? "empty"
                              : "`" + std::string(S.O->Default) + "`";
    EXPECT_EQ(Rows[I], (std::vector<std::string>{"`" + Name + "`",
                                                 optionTypeName(S.O->Type).str(),
                                                 Default, llvm::join(S.ReadBy, ", ")}));
  }
}

} // namespace
