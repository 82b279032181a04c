//===--- OptionsTest.cpp - Rule options bound once, typed by their YAML ----===//
#include "rules/Predicates.h"
#include "rules/RuleSet.h"
#include "tidy/Reporter.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include <gtest/gtest.h>

using namespace stresslint;

namespace {

TEST(Options, OneBooleanSyntaxAsClangTidys) {
  for (llvm::StringRef T : {"true", "TRUE", "True", "tRuE", "yes", "YES", "on", "On",
                            "y", "Y", "1", "2", "-1", " true ", "on\n"})
    EXPECT_EQ(parseBoolOption(T), std::optional<bool>(true)) << T.str();
  for (llvm::StringRef F :
       {"false", "FALSE", "False", "no", "No", "off", "OFF", "n", "N", "0", " off "})
    EXPECT_EQ(parseBoolOption(F), std::optional<bool>(false)) << F.str();
  for (llvm::StringRef Bad : {"", "maybe", "truee", "1.5", "enabled", "t", "f"})
    EXPECT_EQ(parseBoolOption(Bad), std::nullopt) << Bad.str();
}

TEST(Options, TheDefaultGivesTheType) {
  EXPECT_EQ(optionTypeOf("true"), OptionType::Bool);
  EXPECT_EQ(optionTypeOf("off"), OptionType::Bool);
  EXPECT_EQ(optionTypeOf("12"), OptionType::Integer);
  EXPECT_EQ(optionTypeOf("0"), OptionType::Integer);
  EXPECT_EQ(optionTypeOf("id,*_id"), OptionType::Text);
  EXPECT_EQ(optionTypeOf(""), OptionType::Text);
}

class BoundOptions : public testing::Test {
protected:
  void SetUp() override {
    auto S = RuleSet::load({});
    ASSERT_TRUE(static_cast<bool>(S)) << llvm::toString(S.takeError());
    Rules = std::move(*S);
  }
  const Rule &rule(llvm::StringRef Id) {
    const Rule *R = Rules.rule(Id);
    EXPECT_NE(R, nullptr) << Id.str();
    return *R;
  }
  RuleSet Rules;
};

TEST_F(BoundOptions, YamlDefaultsReachTheBoundRule) {
  BoundRule Star = bindOptions(rule("stress-select-star"));
  EXPECT_TRUE(Star.flag("IncludeReturning"));
  EXPECT_TRUE(Star.flag("SchemaNotes"));
  EXPECT_EQ(Star.number("SmallTableRows"), 10000);
  EXPECT_EQ(Star.option("SmallTableRows"), "10000");

  BoundRule Loop = bindOptions(rule("stress-query-in-loop"));
  EXPECT_EQ(Loop.number("MaxCallDepth"), 12);
  EXPECT_EQ(Loop.number("MaxConstantTripCount"), 3);
  EXPECT_TRUE(Loop.flag("IncludeWrites"));
  EXPECT_FALSE(Loop.flag("ReportMemoised"));

  BoundRule Lock = bindOptions(rule("stress-unbounded-row-lock"));
  EXPECT_EQ(Lock.number("ClaimBatchSize"), 100);
  EXPECT_EQ(Lock.option("KeyColumns"), "id");
}

TEST_F(BoundOptions, UndeclaredOptionsAreOff) {
  BoundRule Offset = bindOptions(rule("stress-offset-pagination"));
  EXPECT_FALSE(Offset.flag("IncludeReturning"));
  EXPECT_EQ(Offset.number("SmallTableRows"), 0);
  EXPECT_EQ(Offset.option("KeyColumns"), "");
}

TEST_F(BoundOptions, SetValuesAreParsedOnceAndBadOnesReported) {
  std::vector<std::string> Bad;
  auto OnBad = [&](const RuleOption &O, llvm::StringRef V, llvm::StringRef Expected) {
    Bad.push_back(O.Name + "=" + V.str() + ": " + Expected.str());
  };
  BoundRule B =
      bindOptions(rule("stress-select-star"),
                  {{"IncludeReturning", "Off"}, {"SmallTableRows", "0"}}, OnBad);
  EXPECT_FALSE(B.flag("IncludeReturning"));
  EXPECT_EQ(B.option("IncludeReturning"), "Off");
  EXPECT_EQ(B.number("SmallTableRows"), 0);
  EXPECT_TRUE(Bad.empty());

  B = bindOptions(rule("stress-select-star"),
                  {{"IncludeReturning", "maybe"}, {"SmallTableRows", "lots"}}, OnBad);
  EXPECT_TRUE(B.flag("IncludeReturning")); // The YAML default.
  EXPECT_EQ(B.number("SmallTableRows"), 10000);
  EXPECT_EQ(Bad, (std::vector<std::string>{"IncludeReturning=maybe: a bool",
                                           "SmallTableRows=lots: an integer"}));
}

TEST_F(BoundOptions, BindRuleReadsTheFilesCheckOptions) {
  clang::tidy::ClangTidyOptions O = clang::tidy::ClangTidyOptions::getDefaults();
  O.CheckOptions["stress-select-star.SmallTableRows"] = "250";
  O.CheckOptions["stress-select-star.IncludeReturning"] = "no";
  clang::tidy::ClangTidyContext Ctx(
      std::make_unique<clang::tidy::DefaultOptionsProvider>(
          clang::tidy::ClangTidyGlobalOptions(), O));
  Ctx.setCurrentFile("x.sql");
  BoundRule B = bindRule(rule("stress-select-star"), Ctx, /*WithSchema=*/false);
  EXPECT_EQ(B.number("SmallTableRows"), 250);
  EXPECT_FALSE(B.flag("IncludeReturning"));
  EXPECT_TRUE(B.flag("SchemaNotes"));
}

TEST_F(BoundOptions, SeverityMapsToOneLevel) {
  Rule R;
  R.Severity = RuleSeverity::Note;
  EXPECT_EQ(levelOf(R), clang::DiagnosticIDs::Remark);
  R.Severity = RuleSeverity::Error;
  EXPECT_EQ(levelOf(R), clang::DiagnosticIDs::Error);
  R.Severity = RuleSeverity::Warning;
  EXPECT_EQ(levelOf(R), clang::DiagnosticIDs::Warning);
}

TEST_F(BoundOptions, RulesDeclareTheNumbersTheirMatchNeeds) {
  // Each rule is the file named after its id.
  auto Load = [&](llvm::StringRef Yaml) {
    llvm::StringRef Id =
        Yaml.drop_front(4).take_until([](char C) { return C == '\n'; });
    llvm::Error E = Rules.addFile((Id + ".yaml").str(), Yaml, false);
    return E ? llvm::toString(std::move(E)) : "";
  };
  EXPECT_EQ(
      Load("id: stress-app-loop\nsummary: s\nmessage: m\n"
           "options: [{name: MaxCallDepth, default: '4'}]\n"
           "match: {context: in-loop, sql: query}\n"),
      "stress-app-loop.yaml:5:8: error: rule 'stress-app-loop' must declare option "
      "'MaxConstantTripCount' (a number) under 'options': its 'match' reads it");
  EXPECT_EQ(Load("id: stress-app-lock\nsummary: s\nmessage: m\n"
                 "options: [{name: ClaimBatchSize, default: many}]\n"
                 "match: {sql: row-lock}\n"),
            "stress-app-lock.yaml:4:43: error: option 'ClaimBatchSize' of rule "
            "'stress-app-lock' "
            "must default to an integer");
  EXPECT_EQ(Load("id: stress-app-handler\nsummary: s\nmessage: m\n"
                 "options: [{name: MaxCallDepth, default: '6'}]\n"
                 "match: {context: on-request-path, call: blocking}\n"),
            "");
  // Rules whose match needs no number load without options.
  EXPECT_EQ(
      Load("id: stress-app-star\nsummary: s\nmessage: m\nmatch: {sql: select-star}\n"),
      "");
}

} // namespace
