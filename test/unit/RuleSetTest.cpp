//===--- RuleSetTest.cpp - Loading rules and their errors ------------------===//
#include "rules/RuleSet.h"

#include <gtest/gtest.h>

using namespace stresslint;

namespace {
/// The error of loading \p Yaml as user file \p File (a rule is the file
/// named after its id), or an empty string.
std::string loadError(llvm::StringRef Yaml, llvm::StringRef File = "stress-new.yaml") {
  auto S = RuleSet::load({});
  EXPECT_TRUE(static_cast<bool>(S));
  if (!S)
    return llvm::toString(S.takeError());
  llvm::Error E = S->addFile(File, Yaml, false);
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
            "stress-new.yaml:2:6: error: illegal map value");
  EXPECT_EQ(
      loadError(
          "id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: offset}\nbogus: 1\n"),
      "stress-new.yaml:5:1: error: unknown key 'bogus' in a rule");
  EXPECT_EQ(
      loadError("id: Bad\nsummary: s\nmessage: m\nmatch: {sql: offset}\n", "Bad.yaml"),
      "Bad.yaml:1:5: error: rule id 'Bad' must start with 'stress-' and "
      "use lower-case letters, digits and '-'");
}

TEST(RuleSet, RuleIdIsTheFileName) {
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: offset}\n",
                      "dir/user.yml"),
            "dir/user.yml:1:5: error: rule id 'stress-new' must be its file's name: "
            "rename 'user.yml' to 'stress-new.yml'");
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: offset}\n",
                      "dir/stress-new.yml"),
            "");
}

// Everything a rule names is checked against the registry of primitives
// (rules/Registry.h) before anything is analysed.
TEST(RuleSet, MatchNamesRegisteredPrimitives) {
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: nope}\n"),
            "stress-new.yaml:4:14: error: unknown SQL predicate 'nope' (known: "
            "select-star, offset, leading-wildcard, row-lock, aggregate; with a "
            "context also query, row-lock-any)");
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmessage: m\n"
                      "match: {context: in-lop, sql: query}\n"),
            "stress-new.yaml:4:18: error: unknown context 'in-lop' (known: in-loop, "
            "on-request-path, in-fan-out-task)");
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmessage: m\n"
                "match: {context: in-loop, call: sleeping}\n"),
      "stress-new.yaml:4:33: error: unknown call set 'sleeping' (known: blocking)");
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: query}\n"),
            "stress-new.yaml:4:14: error: SQL predicate 'query' needs a 'context' "
            "(in-loop, on-request-path, in-fan-out-task)");
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {call: blocking}\n"),
      "stress-new.yaml:4:15: error: 'call' needs a 'context'");
}

TEST(RuleSet, WordsAreParsedOnce) {
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S));
  const Rule *Loop = S->rule("stress-query-in-loop");
  ASSERT_NE(Loop, nullptr);
  EXPECT_EQ(Loop->Context, ContextKind::InLoop);
  EXPECT_EQ(Loop->SqlPredicate, SqlPredicateKind::Query);
  EXPECT_EQ(Loop->Report, ReportAt::Entry);
  EXPECT_EQ(Loop->Severity, RuleSeverity::Warning);
  EXPECT_EQ(Loop->Status, RuleStatus::Stable);
  const Rule *Blocking = S->rule("stress-blocking-call-in-handler");
  ASSERT_NE(Blocking, nullptr);
  EXPECT_EQ(Blocking->CallSet, CallSetKind::Blocking);
  EXPECT_EQ(Blocking->Report, ReportAt::Target);

  const char *Head = "id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: offset}\n";
  EXPECT_EQ(loadError(Head + std::string("status: stabel\n")),
            "stress-new.yaml:5:9: error: 'status' must be stable, experimental or "
            "deprecated");
  EXPECT_EQ(loadError(Head + std::string("status: experimental\n")), "");
  EXPECT_EQ(loadError(Head + std::string("severity: fatal\n")),
            "stress-new.yaml:5:11: error: 'severity' must be warning, error or note");
  EXPECT_EQ(loadError(Head + std::string("report: target\n")),
            "stress-new.yaml:5:9: error: 'report' applies to rules with a 'context'");
}

TEST(RuleSet, TextsUseOnlyTheVariablesOfTheirPrimitives) {
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmatch: {sql: offset}\n"
                "message: \"'{snippet}' at {table}\"\n"),
      "stress-new.yaml:4:10: error: unknown variable '{table}' in 'message' (this "
      "rule's 'match' gives {snippet}, {detail}, {size})");
  // A context rule reports a path: its texts expand the context's variables.
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmessage: \"{callee} runs {target}\"\n"
                "note: \"{snippet}\"\n"
                "options: [{name: MaxCallDepth, default: '4'}]\n"
                "match: {context: on-request-path, sql: aggregate}\n"),
      "stress-new.yaml:4:7: error: unknown variable '{snippet}' in 'note' (this "
      "rule's 'match' gives {callee}, {target}, {statement}, {size}, "
      "{round-trips}, {round-trip}, {handler}, {how})");
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmessage: \"{task} {fanout}\"\n"
                "write-message: \"{handler}\"\n"
                "options: [{name: MaxCallDepth, default: '4'}, "
                "{name: MaxConstantTripCount, default: '3'}]\n"
                "match: {context: in-fan-out-task, sql: row-lock-any}\n"),
      "stress-new.yaml:4:16: error: unknown variable '{handler}' in 'write-message' "
      "(this rule's 'match' gives {callee}, {target}, {statement}, {size}, "
      "{round-trips}, {round-trip}, {task}, {fanout})");
  // Braces that are not a variable's name are text.
  EXPECT_EQ(loadError("id: stress-new\nsummary: s\nmatch: {sql: offset}\n"
                      "message: \"'{snippet}' like {} or { x } or {Table}\"\n"),
            "");
}

TEST(RuleSet, OptionsHaveTheirPrimitivesTypes) {
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: select-star}\n"
                "options:\n  - {name: IncludeReturning, default: maybe}\n"),
      "stress-new.yaml:6:39: error: option 'IncludeReturning' of rule 'stress-new' "
      "must default to a bool");
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: select-star}\n"
                "options:\n  - {name: SmallTableRows, default: 'yes'}\n"),
      "stress-new.yaml:6:37: error: option 'SmallTableRows' of rule 'stress-new' "
      "must default to an integer");
  EXPECT_EQ(
      loadError("id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: select-star}\n"
                "options:\n  - {name: SmallTableRows, default: '5'}\n"
                "  - {name: SmallTableRows, default: '6'}\n"),
      "stress-new.yaml:7:12: error: option 'SmallTableRows' is declared twice");
  // The registry types the options its primitives read: a bool default of
  // 1 is a switch, and options no primitive reads keep their default's type.
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S));
  ASSERT_FALSE(static_cast<bool>(
      S->addFile("stress-new.yaml",
                 "id: stress-new\nsummary: s\nmessage: m\nmatch: {sql: select-star}\n"
                 "options:\n  - {name: IncludeReturning, default: '1'}\n"
                 "  - {name: Extra, default: '7'}\n",
                 false)));
  const Rule *R = S->rule("stress-new");
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(R->option("IncludeReturning")->Type, OptionType::Bool);
  EXPECT_EQ(R->option("Extra")->Type, OptionType::Integer);
}

TEST(RuleSet, BuiltInIdsCollideUnlessOverridden) {
  std::string E = loadError(
      "id: stress-select-star\nsummary: s\nmessage: m\nmatch: {sql: select-star}\n",
      "stress-select-star.yaml");
  EXPECT_NE(E.find("stress-select-star.yaml:1:5: error: rule id 'stress-select-star' "
                   "is already defined"),
            std::string::npos)
      << E;
  EXPECT_EQ(loadError("id: stress-select-star\noverride: true\nsummary: s\nmessage: m\n"
                      "match: {sql: select-star}\n",
                      "stress-select-star.yaml"),
            "");
}

TEST(RuleSet, ApiFilesAddSinksWithLinearTimePatterns) {
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S));
  size_t Before = S->sinks().size();
  ASSERT_FALSE(static_cast<bool>(S->addFile(
      "acme.yaml", "api: acme\nsinks:\n  - {function: 'acme::Db::*', sql-arg: 0}\n",
      false)));
  ASSERT_EQ(S->sinks().size(), Before + 1);
  const NamePattern &P = S->sinks().back().Function;
  EXPECT_TRUE(P.matches("acme::Db::query"));
  EXPECT_FALSE(P.matches("acme::Other::query"));
  // A pattern that backtracks catastrophically elsewhere is linear in RE2.
  auto Evil = NamePattern::compile("re:(a+)+$");
  ASSERT_TRUE(static_cast<bool>(Evil));
  EXPECT_FALSE(Evil->matches(std::string(5000, 'a') + "!"));
  EXPECT_EQ(
      loadError("api: x\nsinks:\n  - {function: 're:(', sql-arg: 0}\n", "user.yaml")
          .substr(0, 21),
      "user.yaml:3:16: error");
}

// API files are read on the first question about APIs, the built-in ones
// first and the user's after them in order, whether a user file is added
// before that question or after it; a user file's errors are reported when
// it is added.
TEST(RuleSet, ApiFilesAreReadOnFirstUseInOrder) {
  const char *Acme =
      "api: acme\nsinks:\n  - {function: 'acme::Db::query', sql-arg: 0}\n";
  auto Early = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(Early));
  ASSERT_FALSE(static_cast<bool>(Early->addFile("acme.yaml", Acme, false)));
  auto Late = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(Late));
  size_t BuiltIn = Late->sinks().size();
  ASSERT_FALSE(static_cast<bool>(Late->addFile("acme.yaml", Acme, false)));
  EXPECT_GT(BuiltIn, 10u);
  for (const RuleSet *S : {&*Early, &*Late}) {
    ASSERT_EQ(S->sinks().size(), BuiltIn + 1);
    EXPECT_TRUE(S->sinks().back().Function.matches("acme::Db::query"));
  }
  EXPECT_EQ(Early->digest(), Late->digest());
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
      "acme.yaml",
      "api: acme\ninference:\n  routes: false\n  request-type: AcmeRequest\n", false)));
  EXPECT_FALSE(S->inference().Routes);
  EXPECT_TRUE(S->inference().ParamTypes);
  EXPECT_TRUE(S->inference().RequestType->matches("AcmeRequest"));
  EXPECT_FALSE(S->inference().RequestType->matches("HttpRequest"));
  EXPECT_TRUE(S->inference().ResponseType->matches("HttpResponse"));

  EXPECT_EQ(loadError("api: x\ninference:\n  bogus: 1\n", "user.yaml"),
            "user.yaml:3:3: error: unknown key 'bogus' in 'inference'");
  EXPECT_EQ(loadError("api: x\ninference:\n  routes: maybe\n", "user.yaml"),
            "user.yaml:3:11: error: 'routes' must be true or false");
  EXPECT_EQ(loadError("api: x\nrequest-loops:\n  - {function: f}\n", "user.yaml"),
            "user.yaml:3:5: error: an entry of 'request-loops' names the accepting "
            "'call' (or an 'annotation')");
}

TEST(RuleSet, StringsBindersMacrosAndPolls) {
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S)) << llvm::toString(S.takeError());
  // The built-in API files declare the string builders, binders, Qt's
  // macros and which blocking calls poll.
  EXPECT_TRUE(S->buildsText("QStringLiteral"));
  EXPECT_TRUE(S->buildsText("to_string"));
  EXPECT_FALSE(S->buildsText("append"));
  EXPECT_FALSE(S->buildsText("snprintf"));
  EXPECT_TRUE(S->isStringCall(StringCall::Format, "fmt::format", "format"));
  EXPECT_TRUE(S->isStringCall(StringCall::Format, "fmt::v9::format", "format"));
  EXPECT_FALSE(S->isStringCall(StringCall::Format, "acme::format", "format"));
  EXPECT_TRUE(S->isStringCall(StringCall::Printf, "acme::strformat", "strformat"));
  EXPECT_TRUE(S->isStringCall(StringCall::Append, "std::string::append", "append"));
  EXPECT_TRUE(S->isStringCall(StringCall::ArgTemplate, "QString::arg", "arg"));
  ASSERT_NE(S->binder("bind"), nullptr);
  EXPECT_EQ(S->binder("bind")->CallableArg, 0);
  EXPECT_NE(S->binder("bind_front"), nullptr);
  EXPECT_EQ(S->binder("bound"), nullptr);
  ASSERT_NE(S->macro("Q_SIGNALS"), nullptr);
  EXPECT_EQ(S->macro("Q_SIGNALS")->Definition, "public");
  ASSERT_NE(S->macro("Q_PROPERTY"), nullptr);
  EXPECT_TRUE(S->macro("Q_PROPERTY")->Arguments);
  EXPECT_FALSE(S->macro("Q_SIGNALS")->Arguments);
  EXPECT_EQ(S->macro("Q_DECLARE_TR_FUNCTIONS_NOT"), nullptr);
  for (const Recognizer &R : S->blocking())
    if (R.Function && R.Function->text() == "std::this_thread::sleep_for")
      EXPECT_TRUE(R.Polls);

  // A user's own, added by a later file.
  ASSERT_FALSE(static_cast<bool>(
      S->addFile("acme.yaml",
                 "api: acme\nstrings:\n  - {function: \"acme::cat\", builds: concat}\n"
                 "  - {function: \"acme::Text::add\", appends: true}\n"
                 "  - {function: \"acme::fill\", replaces: true}\n"
                 "binders:\n  - {function: \"acme::wrap\", callable-arg: 1}\n"
                 "macros:\n  - {name: ACME_SIGNALS, definition: public}\n"
                 "  - {name: ACME_PROPERTY, arguments: true, definition: \"\"}\n"
                 "blocking:\n  - {function: \"acme::idle\", how: wait, polls: true}\n",
                 false)));
  EXPECT_TRUE(S->isStringCall(StringCall::Concat, "acme::cat", "cat"));
  EXPECT_TRUE(S->isStringCall(StringCall::Append, "acme::Text::add", "add"));
  EXPECT_TRUE(S->isStringCall(StringCall::Replace, "acme::fill", "fill"));
  EXPECT_FALSE(S->buildsText("fill")); // It edits a text; it makes none.
  // `s.clear()` empties a text (std.yaml); a user's own name for it.
  EXPECT_TRUE(S->isStringCall(StringCall::Clear, "std::string::clear", "clear"));
  ASSERT_FALSE(static_cast<bool>(S->addFile(
      "wipe.yaml",
      "api: wipe\nstrings:\n  - {function: \"acme::Text::wipe\", clears: true}\n",
      false)));
  EXPECT_TRUE(S->isStringCall(StringCall::Clear, "acme::Text::wipe", "wipe"));
  EXPECT_EQ(loadError("api: x\nstrings:\n  - {function: f, replaces: true, "
                      "clears: true}\n",
                      "user.yaml"),
            "user.yaml:3:5: error: an entry of 'strings' has one of 'builds', "
            "'appends: true', 'prepends: true', 'replaces: true' or 'clears: true'");
  // `index-base: auto` (a project's statement class: from 0 or 1 as its
  // calls show); anything else that is not a number is an error.
  ASSERT_FALSE(
      static_cast<bool>(S->addFile("stmt.yaml",
                                   "api: stmt\nbinds:\n  - {function: "
                                   "\"acme::Stmt::put\", name-arg: 0, value-arg: 1, "
                                   "index-base: auto}\n",
                                   false)));
  EXPECT_EQ(S->binds().back().IndexBase, Bind::AutoIndexBase);
  EXPECT_EQ(
      loadError("api: x\nbinds:\n  - {function: f, index-base: maybe}\n", "user.yaml"),
      "user.yaml:3:31: error: 'index-base' must be an integer");
  ASSERT_NE(S->binder("wrap"), nullptr);
  EXPECT_EQ(S->binder("wrap")->CallableArg, 1);
  EXPECT_EQ(S->macro("ACME_SIGNALS")->Definition, "public");
  ASSERT_NE(S->macro("ACME_PROPERTY"), nullptr);
  EXPECT_TRUE(S->macro("ACME_PROPERTY")->Arguments);
  EXPECT_TRUE(S->blocking().back().Polls);

  EXPECT_EQ(
      loadError("api: x\nstrings:\n  - {function: f, builds: bogus}\n", "user.yaml"),
      "user.yaml:3:27: error: 'builds' must be text, literal, concat, "
      "number, format, printf or arg-template");
  EXPECT_EQ(loadError("api: x\nstrings:\n  - {function: f}\n", "user.yaml"),
            "user.yaml:3:5: error: an entry of 'strings' has one of 'builds', "
            "'appends: true', 'prepends: true', 'replaces: true' or 'clears: true'");
  EXPECT_EQ(loadError("api: x\nstrings:\n  - {function: f, builds: text, "
                      "appends: true}\n",
                      "user.yaml"),
            "user.yaml:3:5: error: an entry of 'strings' has one of 'builds', "
            "'appends: true', 'prepends: true', 'replaces: true' or 'clears: true'");
  EXPECT_EQ(loadError("api: x\nstrings:\n  - {function: f, appends: true, "
                      "prepends: true}\n",
                      "user.yaml"),
            "user.yaml:3:5: error: an entry of 'strings' has one of 'builds', "
            "'appends: true', 'prepends: true', 'replaces: true' or 'clears: true'");
  EXPECT_EQ(loadError("api: x\nstrings:\n  - {function: f, prepends: true, "
                      "replaces: true}\n",
                      "user.yaml"),
            "user.yaml:3:5: error: an entry of 'strings' has one of 'builds', "
            "'appends: true', 'prepends: true', 'replaces: true' or 'clears: true'");
  EXPECT_EQ(
      loadError("api: x\nstrings:\n  - {function: f, appends: maybe}\n", "user.yaml"),
      "user.yaml:3:28: error: 'appends' must be true or false");
  EXPECT_EQ(loadError("api: x\nstrings:\n  - {function: f, bogus: 1}\n", "user.yaml"),
            "user.yaml:3:19: error: unknown key 'bogus' in an entry of 'strings'");
  EXPECT_EQ(
      loadError("api: x\nbinders:\n  - {function: f, callable-arg: -1}\n", "user.yaml"),
      "user.yaml:3:33: error: 'callable-arg' of a binder must be 0 or more");
  EXPECT_EQ(loadError("api: x\nbinders: f\n", "user.yaml"),
            "user.yaml:2:10: error: 'binders' must be a list");
  EXPECT_EQ(loadError("api: x\nmacros:\n  - {name: \"A B\", definition: \"\"}\n",
                      "user.yaml"),
            "user.yaml:3:12: error: 'name' of a macro must be an identifier");
  EXPECT_EQ(loadError("api: x\nmacros:\n  - {name: A}\n", "user.yaml"),
            "user.yaml:3:5: error: missing required key 'definition'");
  EXPECT_EQ(
      loadError("api: x\nblocking:\n  - {function: f, polls: maybe}\n", "user.yaml"),
      "user.yaml:3:26: error: 'polls' must be true or false");
  EXPECT_EQ(
      loadError("api: x\nhandlers:\n  - {function: f, polls: true}\n", "user.yaml"),
      "user.yaml:3:26: error: 'polls' applies to entries of 'blocking'");
}

TEST(RuleSet, MethodListsByName) {
  auto S = RuleSet::load({});
  ASSERT_TRUE(static_cast<bool>(S)) << llvm::toString(S.takeError());
  // The built-in API files list what the analysis used to spell in C++,
  // name by name: std.yaml, qt-core.yaml and stresslint.yaml together.
  const std::pair<MethodRole, std::vector<const char *>> BuiltIn[] = {
      {MethodRole::TextView,
       {"c_str", "data", "str", "string", "get", "toStdString", "toUtf8", "toLatin1",
        "toLocal8Bit", "constData", "simplified", "trimmed", "toString", "toQString"}},
      {MethodRole::Read,
       {"begin",    "end",         "cbegin",   "cend",   "constBegin",
        "constEnd", "size",        "count",    "length", "empty",
        "isEmpty",  "at",          "front",    "back",   "first",
        "last",     "value",       "contains", "data",   "join",
        "indexOf",  "toStdString", "c_str",    "find",   "constFind"}},
      {MethodRole::ElementRead,
       {"front", "back", "top", "first", "last", "takeFirst", "takeLast", "dequeue",
        "takeAt", "at", "value", "peek"}},
      {MethodRole::LibraryMethod,
       {"size",         "length",    "empty",       "begin",     "end",     "cbegin",
        "cend",         "rbegin",    "rend",        "get",       "at",      "find",
        "count",        "contains",  "insert",      "emplace",   "erase",   "push_back",
        "emplace_back", "pop_back",  "push_front",  "pop_front", "c_str",   "data",
        "clear",        "front",     "back",        "reset",     "swap",    "reserve",
        "resize",       "substr",    "append",      "str",       "assign",  "compare",
        "value",        "has_value", "lock",        "unlock",    "first",   "second",
        "key",          "toString",  "toStdString", "toInt",     "isEmpty", "isNull"}},
      // What once guards and loop bounds read.
      {MethodRole::PassThrough, {"move", "forward", "as_const", "qAsConst"}},
      {MethodRole::Lookup, {"find", "contains", "count", "constFind", "object"}},
      {MethodRole::End, {"end", "cend", "constEnd"}},
      {MethodRole::Size, {"size", "count", "length"}},
      {MethodRole::EmptyCheck, {"empty", "isEmpty"}},
      {MethodRole::Store,
       {"insert", "emplace", "insert_or_assign", "try_emplace", "emplace_hint",
        "push_back", "emplace_back", "append", "store", "exchange", "test_and_set",
        "setValue", "storeRelease", "storeRelaxed"}},
      {MethodRole::FlagRead, {"load", "loadRelaxed", "loadAcquire"}},
      {MethodRole::FlagType, {"atomic", "atomic_bool", "once_flag", "QAtomicInt"}},
      {MethodRole::OpenCheck, {"is_open", "isOpen", "isConnected", "is_connected"}},
      {MethodRole::Open, {"open", "connect", "reconnect"}},
      {MethodRole::SignalConnect, {}}};
  for (const auto &[Role, Names] : BuiltIn)
    for (const char *N : Names)
      EXPECT_TRUE(S->hasMethodRole(Role, "", N)) << N;
  // A qualified name does not hide the plain one it ends in.
  EXPECT_TRUE(S->hasMethodRole(MethodRole::TextView, "QString::toUtf8", "toUtf8"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::TextView, "", "size"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::Read, "", "push_back"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::ElementRead, "", "size"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::LibraryMethod, "", "loadAuthor"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::TextView, "", ""));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::Lookup, "", "value"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::Store, "", "find"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::OpenCheck, "", "open"));
  // Qt's connect, by its qualified name only: a socket's connect() is not.
  EXPECT_TRUE(
      S->hasMethodRole(MethodRole::SignalConnect, "QObject::connect", "connect"));
  EXPECT_FALSE(
      S->hasMethodRole(MethodRole::SignalConnect, "Socket::connect", "connect"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::PassThrough, "", "exec"));

  // A user's own: a qualified name matches where the call resolved, a
  // pattern by the plain name too.
  ASSERT_FALSE(static_cast<bool>(
      S->addFile("acme.yaml",
                 "api: acme\ntext-views: [\"acme::Text::view\", \"re:as\\\\w+Text\"]\n"
                 "read-methods: [peekAll]\nelement-reads: [\"acme::Ring::head\"]\n"
                 "library-methods: [\"acme_*\"]\n"
                 "lookup-methods: [lookupCached]\nopen-checks: [isAlive]\n",
                 false)));
  EXPECT_TRUE(S->hasMethodRole(MethodRole::TextView, "acme::Text::view", "view"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::TextView, "", "view"));
  EXPECT_TRUE(S->hasMethodRole(MethodRole::TextView, "", "asSqlText"));
  EXPECT_TRUE(S->hasMethodRole(MethodRole::Read, "acme::Ring::peekAll", "peekAll"));
  EXPECT_TRUE(S->hasMethodRole(MethodRole::ElementRead, "acme::Ring::head", "head"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::ElementRead, "", "head"));
  EXPECT_TRUE(S->hasMethodRole(MethodRole::LibraryMethod, "", "acme_size"));
  EXPECT_FALSE(S->hasMethodRole(MethodRole::Read, "", "asSqlText"));
  EXPECT_TRUE(S->hasMethodRole(MethodRole::Lookup, "", "lookupCached"));
  EXPECT_TRUE(
      S->hasMethodRole(MethodRole::OpenCheck, "acme::Link::isAlive", "isAlive"));
  EXPECT_TRUE(S->hasMethodRole(MethodRole::Lookup, "", "find")); // Still built in.

  EXPECT_EQ(loadError("api: x\ntext-views: c_str\n", "user.yaml"),
            "user.yaml:2:13: error: 'text-views' must be a list of method names");
  EXPECT_EQ(loadError("api: x\nread-methods:\n  - {name: begin}\n", "user.yaml"),
            "user.yaml:3:5: error: an entry of 'read-methods' must be a method "
            "name");
  EXPECT_TRUE(
      llvm::StringRef(loadError("api: x\nelement-reads: [\"re:(\"]\n", "user.yaml"))
          .startswith("user.yaml:2:17: error: invalid pattern 're:('"));
  EXPECT_EQ(loadError("api: x\nlibrary-methods: {size: true}\n", "user.yaml"),
            "user.yaml:2:18: error: 'library-methods' must be a list of method "
            "names");
  EXPECT_EQ(loadError("api: x\nstore-methods: put\n", "user.yaml"),
            "user.yaml:2:16: error: 'store-methods' must be a list of method names");
  EXPECT_EQ(loadError("api: x\ntext-view: [c_str]\n", "user.yaml"),
            "user.yaml:2:1: error: unknown key 'text-view' in an API file");
}
