//===--- RuleSetTest.cpp - Loading rules and their errors ------------------===//
#include "rules/RuleSet.h"

#include <gtest/gtest.h>

using namespace stresslint;

namespace {
std::string loadError(llvm::StringRef Yaml) {
  auto S = RuleSet::load({});
  EXPECT_TRUE(static_cast<bool>(S));
  if (!S)
    return llvm::toString(S.takeError());
  llvm::Error E = S->addFile("user.yaml", Yaml, false);
  return E ? llvm::toString(std::move(E)) : "";
}
} // namespace

TEST(RuleSet, EmbeddedRulesLoadWithDocs) {
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S)) << llvm::toString(S.takeError());
  ASSERT_GE(S->rules().size(), 4u);
  for (const Rule &R : S->rules()) {
    EXPECT_FALSE(embeddedDoc(R.Id).empty()) << R.Id;
    EXPECT_TRUE(embeddedDoc(R.Id).startswith("# " + R.Id)) << R.Id;
  }
  EXPECT_FALSE(S->sinks().empty());
}

TEST(RuleSet, MalformedFilesReportLineAndColumn) {
  EXPECT_EQ(loadError("id: stress-x\n  bad: [\n"),
            "user.yaml:2:6: error: illegal map value");
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: offset}\nbogus: 1\n"),
            "user.yaml:5:1: error: unknown key 'bogus' in a rule");
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: nope}\n"),
            "user.yaml:4:14: error: unknown SQL predicate 'nope' (known: "
            "select-star, offset, leading-wildcard, row-lock, aggregate; with a "
            "context also query, row-lock-any)");
  EXPECT_EQ(loadError("id: Bad\nsummary: s\nmessage: m\nmatch: {sql: offset}\n"),
            "user.yaml:1:5: error: rule id 'Bad' must start with 'stress-' and "
            "use lower-case letters, digits and '-'");
}

TEST(RuleSet, BuiltInIdsCollideUnlessOverridden) {
  std::string E = loadError("id: stress-select-star\nsummary: s\nmessage: m\nmatch: {sql: select-star}\n");
  EXPECT_NE(E.find("user.yaml:1:5: error: rule id 'stress-select-star' is already defined"),
            std::string::npos)
      << E;
  EXPECT_EQ(loadError("id: stress-select-star\noverride: true\nsummary: s\nmessage: m\n"
                      "match: {sql: select-star}\n"),
            "");
}

TEST(RuleSet, ApiFilesAddSinksWithLinearTimePatterns) {
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S));
  size_t Before = S->sinks().size();
  ASSERT_FALSE(static_cast<bool>(S->addFile(
      "acme.yaml", "api: acme\nsinks:\n  - {function: 'acme::Db::*', sql-arg: 0}\n", false)));
  ASSERT_EQ(S->sinks().size(), Before + 1);
  const NamePattern &P = S->sinks().back().Function;
  EXPECT_TRUE(P.matches("acme::Db::query"));
  EXPECT_FALSE(P.matches("acme::Other::query"));
  // A pattern that backtracks catastrophically elsewhere is linear in RE2.
  auto Evil = NamePattern::compile("re:(a+)+$");
  ASSERT_TRUE(static_cast<bool>(Evil));
  EXPECT_FALSE(Evil->matches(std::string(5000, 'a') + "!"));
  EXPECT_EQ(loadError("api: x\nsinks:\n  - {function: 're:(', sql-arg: 0}\n").substr(0, 21),
            "user.yaml:3:16: error");
}

TEST(RuleSet, InferenceKeysReplaceTheDefaults) {
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S));
  const Inference &Built = S->inference();
  EXPECT_TRUE(Built.ByName && Built.Routes && Built.ParamTypes && Built.Overrides);
  ASSERT_TRUE(Built.RequestType && Built.NotRegistration && Built.EndpointCall);
  EXPECT_TRUE(Built.RequestType->matches("HttpRequest"));
  EXPECT_TRUE(Built.RequestType->matches("request"));
  EXPECT_FALSE(Built.RequestType->matches("DbRequest"));
  EXPECT_TRUE(Built.NotRegistration->matches("connect"));
  EXPECT_TRUE(Built.NotRegistration->matches("every"));
  EXPECT_FALSE(Built.NotRegistration->matches("route"));
  EXPECT_FALSE(Built.NotRegistration->matches("addCatalogRoute"));
  EXPECT_TRUE(Built.EndpointCall->matches("registerEndpoint"));
  EXPECT_TRUE(Built.EndpointCall->matches("RegisterCommandCode"));
  EXPECT_FALSE(Built.EndpointCall->matches("registerCallback"));
  EXPECT_FALSE(S->requestLoops().empty());

  ASSERT_FALSE(static_cast<bool>(S->addFile(
      "acme.yaml", "api: acme\ninference:\n  routes: false\n  request-type: AcmeRequest\n",
      false)));
  EXPECT_FALSE(S->inference().Routes);
  EXPECT_TRUE(S->inference().ParamTypes);
  EXPECT_TRUE(S->inference().RequestType->matches("AcmeRequest"));
  EXPECT_FALSE(S->inference().RequestType->matches("HttpRequest"));
  EXPECT_TRUE(S->inference().ResponseType->matches("HttpResponse"));

  EXPECT_EQ(loadError("api: x\ninference:\n  bogus: 1\n"),
            "user.yaml:3:3: error: unknown key 'bogus' in 'inference'");
  EXPECT_EQ(loadError("api: x\ninference:\n  routes: maybe\n"),
            "user.yaml:3:11: error: 'routes' must be true or false");
  EXPECT_EQ(loadError("api: x\nrequest-loops:\n  - {function: f}\n"),
            "user.yaml:3:5: error: an entry of 'request-loops' names the accepting "
            "'call' (or an 'annotation')");
}
