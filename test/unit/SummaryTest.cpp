//===--- SummaryTest.cpp - TU summaries survive their JSON round trip -----===//
#include "graph/Summary.h"
#include "cpp/Names.h"

#include "llvm/Support/JSON.h"
#include <gtest/gtest.h>

using namespace stresslint;

namespace {

TUSummary sample(llvm::StringRef Snippet) {
  TUSummary S;
  S.MainFile = "/p/a.cpp";
  FunctionSummary F;
  F.Id = "c:@F@load";
  F.Name = "load";
  F.Def = {"/p/a.cpp", 10, 14};
  F.Loops.push_back({{"/p/a.cpp", 20, 23}, "range-for", -1, ""});
  Event E;
  E.K = Event::Sink;
  E.At = {"/p/a.cpp", 30, 40};
  E.InLoop = 0;
  E.Statement = "read";
  E.Text = Snippet.str();
  LocatedFact LF{SqlFact{SqlFact::Aggregate}, {"/p/a.cpp", 31, 39}};
  LF.Fact.Snippet = Snippet.str();
  LF.Fact.PinnedColumns = {"user_id"};
  E.Facts.push_back(LF);
  F.Events.push_back(E);
  S.Functions.push_back(F);
  S.Entries.push_back({EntryPoint::Handler,
                       "c:@F@load",
                       "load",
                       "cpp-httplib route",
                       {"/p/a.cpp", 5, 8}});
  return S;
}

TEST(Summary, RoundTrip) {
  auto P = parseSummary(serializeSummary(sample("COUNT(*)")));
  ASSERT_TRUE(static_cast<bool>(P)) << llvm::toString(P.takeError());
  ASSERT_EQ(P->Functions.size(), 1u);
  const Event &E = P->Functions[0].Events[0];
  EXPECT_EQ(E.K, Event::Sink);
  EXPECT_EQ(E.InLoop, 0);
  EXPECT_EQ(E.Facts[0].Fact.K, SqlFact::Aggregate);
  EXPECT_EQ(E.Facts[0].Fact.PinnedColumns, std::vector<std::string>{"user_id"});
  EXPECT_EQ(E.Facts[0].Where.End, 39u);
  EXPECT_EQ(P->Entries[0].How, "cpp-httplib route");
}

/// What the in-loop rule needs to report once per loop and statement: the
/// enclosing loop, fixed lists, a prepared statement's origin, once guards.
TEST(Summary, RepetitionFactsRoundTrip) {
  TUSummary S = sample("COUNT(*)");
  FunctionSummary &F = S.Functions[0];
  F.Once = "memoised in 'cache_'";
  LoopInfo Inner{{"/p/a.cpp", 24, 27}, "for", 4, ""};
  Inner.FixedList = true;
  Inner.Parent = 0;
  F.Loops.push_back(Inner);
  F.Events[0].Origin = {"/p/a.cpp", 25, 26};
  F.Loops[0].OverParam = 2;
  F.Events[0].SingleItemArgs = {0, 3};
  auto P = parseSummary(serializeSummary(S));
  ASSERT_TRUE(static_cast<bool>(P)) << llvm::toString(P.takeError());
  const FunctionSummary &G = P->Functions[0];
  EXPECT_EQ(G.Once, "memoised in 'cache_'");
  // A loop over a parameter, calls that hand lists of one element.
  EXPECT_EQ(G.Loops[0].OverParam, 2);
  EXPECT_EQ(G.Loops[1].OverParam, -1);
  EXPECT_EQ(G.Events[0].SingleItemArgs, (std::vector<int>{0, 3}));
  EXPECT_EQ(G.Loops[0].Parent, -1);
  EXPECT_FALSE(G.Loops[0].FixedList);
  EXPECT_EQ(G.Loops[1].Parent, 0);
  EXPECT_TRUE(G.Loops[1].FixedList);
  EXPECT_EQ(G.Events[0].Origin.Begin, 25u);
  // An enclosing loop that comes after its inner loop is malformed.
  F.Loops[0].Parent = 1;
  auto Bad = parseSummary(serializeSummary(S));
  EXPECT_FALSE(static_cast<bool>(Bad));
  if (!Bad)
    llvm::consumeError(Bad.takeError());
}

/// Where an unknown statement comes from survives the cache and the worker
/// pipe: without it a statement runner is an N+1 again on a warm run.
TEST(Summary, GivenStatementsRoundTrip) {
  TUSummary S = sample("COUNT(*)");
  S.Functions[0].Events[0].RunsParam = 1;
  S.Functions[0].Events[0].RunsGiven = true;
  Event Call;
  Call.K = Event::Call;
  Call.At = {"/p/a.cpp", 30, 31};
  Call.Callee = "c:@F@run";
  Call.GivenArg = 2;
  Call.Passes = {{0, 1}, {2, 0}};
  S.Functions[0].Events.push_back(Call);
  auto P = parseSummary(serializeSummary(S));
  ASSERT_TRUE(static_cast<bool>(P)) << llvm::toString(P.takeError());
  const std::vector<Event> &G = P->Functions[0].Events;
  EXPECT_EQ(G[0].RunsParam, 1);
  EXPECT_TRUE(G[0].RunsGiven);
  EXPECT_EQ(G[0].GivenArg, -1);
  EXPECT_EQ(G[1].GivenArg, 2);
  EXPECT_EQ(G[1].RunsParam, -1);
  EXPECT_FALSE(G[1].RunsGiven);
  EXPECT_TRUE(G[0].Passes.empty());
  EXPECT_EQ(G[1].Passes, (std::vector<std::pair<int, int>>{{0, 1}, {2, 0}}));
  // A pair that is not two small non-negative integers is malformed.
  for (const char *Passes : {"[[0]]", "[[-1,0]]", "[[0,\"a\"]]", "[1]"}) {
    std::string Text = serializeSummary(S);
    size_t At = Text.find("[[0,1],[2,0]]");
    ASSERT_NE(At, std::string::npos);
    Text.replace(At, 13, Passes);
    auto Bad = parseSummary(Text);
    EXPECT_FALSE(static_cast<bool>(Bad)) << Passes;
    if (!Bad)
      llvm::consumeError(Bad.takeError());
  }
}

TEST(Summary, FieldStoresRoundTrip) {
  TUSummary S = sample("COUNT(*)");
  S.FieldStores = {{"field:c:@S@Engine@FI@query", "c:@F@pg_query"},
                   {"field:c:@S@Engine@FI@free", "c:@F@pg_free"}};
  auto P = parseSummary(serializeSummary(S));
  ASSERT_TRUE(static_cast<bool>(P)) << llvm::toString(P.takeError());
  EXPECT_EQ(P->FieldStores, S.FieldStores);
  auto Bad = parseSummary("{\"version\":1,\"fieldStores\":[[\"field:x\"]]}");
  EXPECT_FALSE(static_cast<bool>(Bad));
  if (!Bad)
    llvm::consumeError(Bad.takeError());
}

/// A Latin-1 literal is not UTF-8; the summary must still be valid JSON
/// (found by the sanitizer build, where llvm::json asserts on it).
TEST(Summary, NonUtf8SourceTextStaysValidJson) {
  auto P = parseSummary(serializeSummary(sample("'caf\xe9'")));
  ASSERT_TRUE(static_cast<bool>(P)) << llvm::toString(P.takeError());
  EXPECT_TRUE(llvm::json::isUTF8(P->Functions[0].Events[0].Text));
}

TEST(Summary, MalformedInputIsAnError) {
  for (const char *Bad :
       {"", "{", "[]", "{\"version\": 2}",
        "{\"version\":1,\"functions\":[{\"events\":[{\"k\":\"nope\"}]}]}"}) {
    auto P = parseSummary(Bad);
    EXPECT_FALSE(static_cast<bool>(P)) << Bad;
    if (!P)
      llvm::consumeError(P.takeError());
  }
}

} // namespace

TEST(Summary, OneElementListsAsWritten) {
  for (const char *T :
       {"{id}", "QList<qint64>({m_entryuid})", "(QList<Status>{status})",
        "std::vector<long>{id}", "QStringList({ id })", "{ f(a, b) }"})
    EXPECT_TRUE(writesOneElementList(T)) << T;
  for (const char *T : {"{a, b}", "ids", "{}", "QList<qint64>()",
                        "QList<qint64>({a, b})", "x + {y}", "QStringList() << id"})
    EXPECT_FALSE(writesOneElementList(T)) << T;
}
