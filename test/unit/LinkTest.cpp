//===--- LinkTest.cpp - Paths through the call graph, from summaries -------===//
///
/// \file
/// The link step (graph/Link.h) on summaries written by hand: what each
/// context rule reports, where, with which notes, across translation units,
/// through virtual and by-name calls, and the traps it must not report
/// (fixed lists, retry loops, memoised lookups, keyed aggregates, paths
/// deeper than MaxCallDepth). The fixtures reach the same code through
/// Clang; these pin the graph's own decisions.
///
//===----------------------------------------------------------------------===//
#include "graph/Link.h"
#include "rules/RuleSet.h"

#include <gtest/gtest.h>

using namespace stresslint;

namespace {

/// Builds one translation unit's summary, offsets counting up as events
/// are added so every place is distinct.
class TU {
public:
  explicit TU(std::string File) { S.MainFile = std::move(File); }

  /// Starts function \p Name (its id is `c:@F@<Name>`).
  TU &fn(const std::string &Name, unsigned MinArgs = 0) {
    FunctionSummary F;
    F.Id = "c:@F@" + Name;
    F.Name = Name;
    F.Def = at();
    F.MinArgs = MinArgs;
    S.Functions.push_back(std::move(F));
    return *this;
  }
  /// A loop in the current function; events added after it are in it until
  /// endLoop().
  TU &loop(const std::string &Kind = "range-for", int TripCount = -1,
           std::string NotPerItem = "", bool FixedList = false) {
    LoopInfo L;
    L.At = at();
    L.Kind = Kind;
    L.TripCount = TripCount;
    L.NotPerItem = std::move(NotPerItem);
    L.FixedList = FixedList;
    L.Parent = Open;
    cur().Loops.push_back(L);
    Open = static_cast<int>(cur().Loops.size()) - 1;
    return *this;
  }
  TU &endLoop() {
    Open = cur().Loops[static_cast<size_t>(Open)].Parent;
    return *this;
  }
  TU &call(const std::string &Callee, bool Virtual = false) {
    Event E = event(Event::Call);
    E.Callee = Callee.rfind("by-name:", 0) == 0 ? Callee : "c:@F@" + Callee;
    E.CalleeName = Callee;
    E.Virtual = Virtual;
    cur().Events.push_back(std::move(E));
    return *this;
  }
  /// Runs \p Sql here; its facts come from the real SQL analysis.
  TU &query(const std::string &Sql, const std::string &Statement = "read") {
    Event E = event(Event::Sink);
    E.Statement = Statement;
    E.Text = Sql;
    E.Category = "exec";
    for (const SqlFact &F : analyzeSql(Sql).Facts)
      E.Facts.push_back({F, {S.MainFile, E.At.Begin + F.Begin, E.At.Begin + F.End}});
    cur().Events.push_back(std::move(E));
    return *this;
  }
  TU &blocking(const std::string &What, const std::string &Category) {
    Event E = event(Event::Blocking);
    E.CalleeName = What;
    E.Category = Category;
    cur().Events.push_back(std::move(E));
    return *this;
  }
  TU &dispatch(const std::string &Task, const std::string &How) {
    Event E = event(Event::Dispatch);
    E.Callee = "c:@F@" + Task;
    E.CalleeName = Task;
    E.Category = How;
    cur().Events.push_back(std::move(E));
    return *this;
  }
  TU &once(std::string Why) {
    cur().Once = std::move(Why);
    return *this;
  }
  TU &overrides(const std::string &Base) {
    cur().Overrides.push_back("c:@F@" + Base);
    return *this;
  }
  /// Function \p Fn is stored in the function-pointer field \p Field.
  TU &stores(const std::string &Field, const std::string &Fn) {
    S.FieldStores.emplace_back("field:" + Field, "c:@F@" + Fn);
    return *this;
  }
  /// A call through the function-pointer field \p Field.
  TU &callField(const std::string &Field) {
    Event E = event(Event::Call);
    E.Callee = "field:" + Field;
    E.CalleeName = Field;
    E.Virtual = true;
    cur().Events.push_back(std::move(E));
    return *this;
  }
  /// The current function is a request handler.
  TU &handler() {
    S.Entries.push_back(
        {EntryPoint::Handler, cur().Id, cur().Name, "cpp-httplib route", at()});
    return *this;
  }

  TUSummary S;

private:
  FunctionSummary &cur() { return S.Functions.back(); }
  SrcRange at() {
    Next += 100;
    return {S.MainFile, Next, Next + 10};
  }
  Event event(Event::Kind K) {
    Event E;
    E.K = K;
    E.At = at();
    E.InLoop = Open;
    return E;
  }
  uint32_t Next = 0;
  int Open = -1;
};

class LinkTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto Loaded = RuleSet::load({});
    ASSERT_TRUE(static_cast<bool>(Loaded)) << llvm::toString(Loaded.takeError());
    Rules = std::move(*Loaded);
  }

  /// The findings of \p RuleId over \p Units, each `file@offset: message`
  /// with its notes indented below.
  std::vector<std::string> find(llvm::StringRef RuleId, std::vector<TU> Units,
                                llvm::StringMap<std::string> Options = {}) {
    CallGraph G(Rules);
    for (TU &U : Units)
      G.add(std::move(U.S));
    const Rule *R = Rules.rule(RuleId);
    EXPECT_NE(R, nullptr) << RuleId.str();
    if (!R)
      return {};
    BoundRule B = bindOptions(*R, Options);
    std::vector<std::string> Out;
    for (const PathFinding &F :
         G.find(*R, [&](const Rule &, llvm::StringRef) { return &B; })) {
      std::string S = F.At.File + "@" + std::to_string(F.At.Begin) + ": " + F.Message;
      for (const PathStep &N : F.Notes)
        S += "\n  " + N.At.File + "@" + std::to_string(N.At.Begin) + ": " + N.Message;
      Out.push_back(S);
    }
    return Out;
  }

  static size_t count(const std::vector<std::string> &Found) { return Found.size(); }

  RuleSet Rules;
};

TEST_F(LinkTest, AQueryInALoopThroughACallIsReportedAtTheCall) {
  TU A("a.cpp");
  A.fn("listPosts").loop().call("loadAuthor").endLoop();
  A.fn("loadAuthor", 1).query("SELECT name FROM authors WHERE id = $1");
  std::vector<std::string> Found = find("stress-query-in-loop", {A});
  ASSERT_EQ(count(Found), 1u);
  // At the call in the loop (offset 300), the path in notes.
  EXPECT_EQ(Found[0].substr(0, Found[0].find(':')), "a.cpp@300") << Found[0];
  EXPECT_NE(Found[0].find("'loadAuthor'"), std::string::npos) << Found[0];
  EXPECT_NE(Found[0].find("a.cpp@200: loop here"), std::string::npos) << Found[0];
  EXPECT_NE(Found[0].find("which runs this query"), std::string::npos) << Found[0];
}

TEST_F(LinkTest, FunctionsOfAnotherTranslationUnitAreFollowed) {
  TU A("a.cpp"), B("b.cpp");
  A.fn("syncAll").loop().call("saveOne").endLoop();
  B.fn("saveOne").call("writeRow");
  B.fn("writeRow").query("SELECT price FROM items WHERE sku = $1");
  std::vector<std::string> Found = find("stress-query-in-loop", {A, B});
  ASSERT_EQ(count(Found), 1u);
  EXPECT_NE(Found[0].find("calls 'writeRow' here"), std::string::npos) << Found[0];
}

TEST_F(LinkTest, LoopsThatAreNotPerItemAreNotReported) {
  auto With = [&](TU &T) {
    T.fn("load").query("SELECT name FROM authors WHERE id = $1");
    return find("stress-query-in-loop", {T});
  };
  TU Few("a.cpp");
  Few.fn("f").loop("for", 3).call("load").endLoop();
  EXPECT_EQ(count(With(Few)), 0u) << "three trips are three queries, not N+1";
  TU Many("a.cpp");
  Many.fn("f").loop("for", 50).call("load").endLoop();
  EXPECT_EQ(count(With(Many)), 1u);
  TU Retry("a.cpp");
  Retry.fn("f").loop("while", -1, "retry loop").call("load").endLoop();
  EXPECT_EQ(count(With(Retry)), 0u);
  TU Fixed("a.cpp");
  Fixed.fn("f").loop("range-for", -1, "", /*FixedList=*/true).call("load").endLoop();
  EXPECT_EQ(count(With(Fixed)), 0u);
  TU Outside("a.cpp");
  Outside.fn("f").loop().endLoop().call("load");
  EXPECT_EQ(count(With(Outside)), 0u);
}

TEST_F(LinkTest, MemoisedLookupsAndPreparesDoNotRepeat) {
  TU A("a.cpp");
  A.fn("f").loop().call("cachedName").call("prepareOnce").endLoop();
  A.fn("cachedName")
      .once("memoised in 'cache_'")
      .query("SELECT name FROM t WHERE id = $1");
  A.fn("prepareOnce").query("SELECT name FROM t WHERE id = $1", "prepare");
  EXPECT_EQ(count(find("stress-query-in-loop", {A})), 0u);
  EXPECT_EQ(count(find("stress-query-in-loop", {A}, {{"ReportMemoised", "true"}})), 1u);
}

TEST_F(LinkTest, TheInnermostLoopReportsOnce) {
  TU A("a.cpp");
  A.fn("f").loop().loop().call("load").endLoop().endLoop();
  A.fn("load").query("SELECT name FROM t WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {A})), 1u);
  // The same statement reached twice from one loop: one finding.
  TU B("b.cpp");
  B.fn("f").loop().call("load").call("load").endLoop();
  B.fn("load").query("SELECT name FROM t WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {B})), 1u);
}

TEST_F(LinkTest, VirtualCallsReachTheOverriders) {
  TU A("a.cpp");
  A.fn("f").loop().call("Repo::load", /*Virtual=*/true).endLoop();
  A.fn("Repo::load");
  A.fn("PgRepo::load").overrides("Repo::load").query("SELECT a FROM t WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {A})), 1u);
  TU B("b.cpp");
  B.fn("f").loop().call("Repo::load", /*Virtual=*/false).endLoop();
  B.fn("Repo::load");
  B.fn("PgRepo::load").overrides("Repo::load").query("SELECT a FROM t WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {B})), 0u);
}

TEST_F(LinkTest, FieldCallsReachTheFunctionsStoredInTheField) {
  // `db->query(sql)` in a loop; the backend's table, in another file,
  // stores its query function in that field and a free function in another.
  TU Loop("loop.cpp");
  Loop.fn("save").loop().callField("Engine::query").endLoop();
  Loop.fn("clear").loop().callField("Engine::free_result").endLoop();
  TU Backend("pg.cpp");
  Backend.fn("pg_query").query("SELECT a FROM t WHERE id = $1");
  Backend.fn("pg_free")
      .stores("Engine::query", "pg_query")
      .stores("Engine::free_result", "pg_free");
  std::vector<std::string> Found = find("stress-query-in-loop", {Loop, Backend});
  ASSERT_EQ(count(Found), 1u);
  EXPECT_EQ(Found[0].rfind("loop.cpp@", 0), 0u) << Found[0];
  // Stored twice (the table in a header seen by two TUs): one finding.
  TU Again("pg2.cpp");
  Again.fn("other").stores("Engine::query", "pg_query");
  TU Loop2("loop.cpp"), Backend2("pg.cpp");
  Loop2.fn("save").loop().callField("Engine::query").endLoop();
  Backend2.fn("pg_query")
      .query("SELECT a FROM t WHERE id = $1")
      .stores("Engine::query", "pg_query");
  EXPECT_EQ(count(find("stress-query-in-loop", {Loop2, Backend2, Again})), 1u);
}

TEST_F(LinkTest, UnresolvedCallsAreLinkedByName) {
  // `repo.loadAuthor(id)` with the header missing: matched by name and
  // arity against the run's functions.
  TU A("a.cpp");
  A.fn("f").loop().call(byNameCallee("loadAuthor", 1, "")).endLoop();
  A.fn("loadAuthor", 1).query("SELECT name FROM authors WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {A})), 1u);
  // Too many arguments for the only candidate: not it.
  TU B("b.cpp");
  B.fn("f").loop().call(byNameCallee("loadAuthor", 3, "")).endLoop();
  B.fn("loadAuthor", 1);
  B.S.Functions.back().MaxArgs = 1;
  B.query("SELECT name FROM authors WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {B})), 0u);
}

TEST_F(LinkTest, ACallOnAnInterfaceReachesItsImplementationsByName) {
  // `m_storage->query(sql)` on a `Storage` whose own `query` Clang could
  // not declare (headers missing): the run's `query` methods written as
  // overrides in classes derived from `Storage` implement it, both.
  TU A("a.cpp");
  A.fn("f").loop().call(byNameCallee("query", 1, "Storage")).endLoop();
  A.fn("MySqlStorage::query", 1).query("SELECT name FROM labels WHERE id = 1");
  A.S.Functions.back().ClassBases = {"Storage"};
  A.fn("SqliteStorage::query", 1).query("SELECT name FROM labels WHERE id = 1");
  A.S.Functions.back().ClassBases = {"acme::Storage"};
  EXPECT_EQ(count(find("stress-query-in-loop", {A})), 1u);
  // A class whose methods override nothing of the call's class: a library
  // class's method is not followed.
  TU B("b.cpp");
  B.fn("f").loop().call(byNameCallee("query", 1, "QSqlQuery")).endLoop();
  B.fn("SqliteStorage::query", 1).query("SELECT name FROM labels WHERE id = 1");
  B.S.Functions.back().ClassBases = {"Storage"};
  EXPECT_EQ(count(find("stress-query-in-loop", {B})), 0u);
  // The class's own method, when the run has it, is the one followed.
  TU C("c.cpp");
  C.fn("f").loop().call(byNameCallee("query", 1, "Storage")).endLoop();
  C.fn("Storage::query", 1);
  C.fn("SqliteStorage::query", 1).query("SELECT name FROM labels WHERE id = 1");
  C.S.Functions.back().ClassBases = {"Storage"};
  EXPECT_EQ(count(find("stress-query-in-loop", {C})), 0u);
}

TEST_F(LinkTest, HandlersReachBlockingCallsAndWholeTableAggregates) {
  TU A("a.cpp");
  A.fn("report").handler().call("render").call("stats");
  A.fn("render").blocking("std::this_thread::sleep_for", "sleep");
  A.fn("stats")
      .query("SELECT count(*) FROM orders")
      .query("SELECT count(*) FROM orders WHERE customer_id = $1");
  std::vector<std::string> Blocking = find("stress-blocking-call-in-handler", {A});
  ASSERT_EQ(count(Blocking), 1u);
  EXPECT_NE(Blocking[0].find("request handler (cpp-httplib route) registered here"),
            std::string::npos)
      << Blocking[0];
  std::vector<std::string> Aggregates = find("stress-hot-path-aggregate", {A});
  ASSERT_EQ(count(Aggregates), 1u) << "the keyed count is not whole-table";
  EXPECT_NE(
      Aggregates[0].find("'count(*)' aggregates a whole table on every request to "
                         "handler 'report'"),
      std::string::npos)
      << Aggregates[0];
  // Not reached from a handler: nothing.
  TU B("b.cpp");
  B.fn("cron").call("stats");
  B.fn("stats").query("SELECT count(*) FROM orders");
  EXPECT_EQ(count(find("stress-hot-path-aggregate", {B})), 0u);
}

TEST_F(LinkTest, PathsLongerThanMaxCallDepthAreNotFollowed) {
  auto Chain = [](unsigned Depth) {
    TU A("a.cpp");
    A.fn("h").handler().call("f1");
    for (unsigned I = 1; I < Depth; ++I)
      A.fn("f" + std::to_string(I)).call("f" + std::to_string(I + 1));
    A.fn("f" + std::to_string(Depth)).blocking("sleep", "sleep");
    return A;
  };
  EXPECT_EQ(count(find("stress-blocking-call-in-handler", {Chain(3)})), 1u);
  EXPECT_EQ(count(find("stress-blocking-call-in-handler", {Chain(3)},
                       {{"MaxCallDepth", "2"}})),
            0u);
}

TEST_F(LinkTest, TasksFannedOutPerItemThatLockRows) {
  TU A("a.cpp");
  A.fn("settleAll").loop().dispatch("settle", "std::async").endLoop();
  A.fn("settle").query("SELECT balance FROM accounts WHERE owner = $1 FOR UPDATE");
  std::vector<std::string> Found = find("stress-lock-in-fan-out", {A});
  ASSERT_EQ(count(Found), 1u);
  EXPECT_EQ(Found[0].substr(0, Found[0].find(':')), "a.cpp@300") << Found[0];
  // SKIP LOCKED does not wait on the other tasks' locks.
  TU B("b.cpp");
  B.fn("settleAll").loop().dispatch("settle", "std::async").endLoop();
  B.fn("settle").query(
      "SELECT balance FROM accounts WHERE owner = $1 FOR UPDATE SKIP LOCKED");
  EXPECT_EQ(count(find("stress-lock-in-fan-out", {B})), 0u);
}

TEST_F(LinkTest, AQueryThroughSeveralCallsCarriesEveryStep) {
  // loop -> c1 -> c2 -> c3 -> c4 -> query: one finding at the call in the
  // loop, a note per call on the way.
  TU A("a.cpp");
  A.fn("f").loop().call("c1").endLoop();
  for (int I = 1; I < 4; ++I)
    A.fn("c" + std::to_string(I)).call("c" + std::to_string(I + 1));
  A.fn("c4").query("SELECT name FROM authors WHERE id = $1");
  std::vector<std::string> Found = find("stress-query-in-loop", {A});
  ASSERT_EQ(count(Found), 1u);
  for (const char *Step : {"calls 'c2' here", "calls 'c3' here", "calls 'c4' here",
                           "which runs this query"})
    EXPECT_NE(Found[0].find(Step), std::string::npos) << Step << "\n" << Found[0];
  // Four calls deep: followed at MaxCallDepth 4, not at 3.
  EXPECT_EQ(count(find("stress-query-in-loop", {A}, {{"MaxCallDepth", "4"}})), 1u);
  EXPECT_EQ(count(find("stress-query-in-loop", {A}, {{"MaxCallDepth", "3"}})), 0u);
}

TEST_F(LinkTest, RecursionIsCutAndReportsOnce) {
  // f's loop calls a, which calls b, which calls a again: the cycle ends,
  // and the query b runs is one finding.
  TU A("a.cpp");
  A.fn("f").loop().call("a").endLoop();
  A.fn("a").call("b");
  A.fn("b").call("a").query("SELECT name FROM t WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {A})), 1u);
  // A function that calls itself in its own loop, with no query: nothing.
  TU B("b.cpp");
  B.fn("walk").loop().call("walk").endLoop();
  EXPECT_EQ(count(find("stress-query-in-loop", {B})), 0u);
  // ... and with one after the loop: the recursive call in the loop reaches
  // it, once.
  TU C("c.cpp");
  C.fn("walk").loop().call("walk").endLoop().query("SELECT a FROM t WHERE id = $1");
  EXPECT_EQ(count(find("stress-query-in-loop", {C})), 1u);
}

TEST_F(LinkTest, ALoopThatOnlyBuildsABatchIsNotReported) {
  // The loop collects the rows; one statement after it writes them all.
  TU A("a.cpp");
  A.fn("saveAll").loop().call("addRow").endLoop().call("flush");
  A.fn("addRow");
  A.fn("flush").query("INSERT INTO items (sku) SELECT unnest($1::text[])", "write");
  EXPECT_EQ(count(find("stress-query-in-loop", {A})), 0u);
  // The same write once per row is reported, unless writes are left out.
  TU B("b.cpp");
  B.fn("saveAll").loop().call("flush").endLoop();
  B.fn("flush").query("INSERT INTO items (sku) VALUES ($1)", "write");
  EXPECT_EQ(count(find("stress-query-in-loop", {B})), 1u);
  EXPECT_EQ(count(find("stress-query-in-loop", {B}, {{"IncludeWrites", "false"}})), 0u);
}

TEST_F(LinkTest, HandlersReachAggregatesTheRuleNamesAnyFunction) {
  TU A("a.cpp");
  A.fn("listing").handler().call("names");
  A.fn("names")
      .query("SELECT string_agg(name, ',') FROM users")
      .query("SELECT max(id) FROM users");
  // The defaults (count,sum,avg) name neither.
  EXPECT_EQ(count(find("stress-hot-path-aggregate", {A})), 0u);
  std::vector<std::string> Found =
      find("stress-hot-path-aggregate", {A}, {{"Functions", "string_agg"}});
  ASSERT_EQ(count(Found), 1u);
  EXPECT_NE(Found[0].find("'string_agg(name, ',')' aggregates a whole table"),
            std::string::npos)
      << Found[0];
  EXPECT_EQ(
      count(find("stress-hot-path-aggregate", {A}, {{"Functions", "STRING_AGG,Max"}})),
      2u);
}

} // namespace
