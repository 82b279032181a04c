//===--- Link.cpp - Paths through the call graph of a whole run -----------===//
///
/// \file
/// One file past 500 lines, on purpose: most of it is Finder, one search
/// over the linked graph whose three context searches (in-loop,
/// on-request-path, in-fan-out-task) share its targets, distances and the
/// wording of path steps; cutting it would add a header for a class no
/// other file uses.
///
//===----------------------------------------------------------------------===//
#include "graph/Link.h"
#include "cpp/Names.h"
#include "rules/RuleSet.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace stresslint {

namespace {

/// `app::Repo::loadAuthor` -> {`app::Repo`, `loadAuthor`}.
std::pair<llvm::StringRef, llvm::StringRef> splitName(llvm::StringRef Q) {
  size_t Sep = Q.rfind("::");
  if (Sep == llvm::StringRef::npos)
    return {"", Q};
  return {Q.take_front(Sep), Q.drop_front(Sep + 2)};
}

/// Members of standard containers, strings and smart pointers (API YAML
/// `library-methods:`): a call on an object of unknown type with one of
/// these names is most likely on one of those, never on a project function
/// of the same name.
bool isLibraryMethodName(const RuleSet &Rules, llvm::StringRef N) {
  // `bind(&C::m, this)` wraps C::m (`binders:`); it is no project function.
  return Rules.hasMethodRole(MethodRole::LibraryMethod, "", N) || Rules.binder(N);
}

} // namespace

/// Is \p F a method of a class written as derived from \p Scope
/// (FunctionSummary::ClassBases)?
static bool implementsIn(const FunctionSummary &F, llvm::StringRef Scope) {
  return llvm::any_of(F.ClassBases,
                      [&](const std::string &B) { return scopeMatches(Scope, B); });
}

void CallGraph::resolveByName() const {
  if (ByNameDone)
    return;
  ByNameDone = true;
  llvm::StringMap<std::vector<const FunctionSummary *>> Named;
  for (const auto &KV : Functions) {
    const FunctionSummary &F = KV.second;
    llvm::StringRef Id = F.Id;
    if (!Id.startswith("lambda:") && !Id.startswith("request-loop:"))
      Named[splitName(F.Name).second].push_back(&F);
  }
  llvm::StringSet<> AmbiguousIds;
  // Policy: an unresolved call `x.name(a, b)` reaches the functions of the
  // run named `name` that take two arguments. When the object's class (or
  // the call's qualifier) is known, only that scope's functions; a class
  // the run defines nothing of is a library's: not followed, unless the
  // run's virtual methods of that name in classes written as derived from
  // it (FunctionSummary::ClassBases) implement it. When it is
  // unknown, the candidates must all be of one scope (overloads of one
  // class or namespace); a name in several classes is ambiguous and not
  // followed, and the names of container and string members never are.
  auto Resolve = [&](llvm::StringRef Callee) {
    std::vector<std::string> Out;
    std::optional<ByNameCallee> C = parseByNameCallee(Callee);
    if (!C)
      return Out;
    auto It = Named.find(C->Name);
    if (It == Named.end())
      return Out;
    auto Fits = [&](const FunctionSummary *F) {
      return C->Arity == ByNameCallee::AnyArity ||
             (F->MinArgs <= C->Arity &&
              (F->MaxArgs < 0 || C->Arity <= static_cast<unsigned>(F->MaxArgs)));
    };
    std::vector<const FunctionSummary *> Cands;
    for (const FunctionSummary *F : It->second)
      if (Fits(F) &&
          (C->Scope.empty() || scopeMatches(splitName(F->Name).first, C->Scope)))
        Cands.push_back(F);
    if (Cands.empty() && !C->Scope.empty()) {
      // The class defines no such method in the run, but classes written
      // as derived from it do: an interface (`Storage::query`, pure
      // virtual) and its implementations, all of which the call may reach.
      for (const FunctionSummary *F : It->second)
        if (Fits(F) && implementsIn(*F, C->Scope))
          Out.push_back(F->Id);
      llvm::sort(Out);
      return Out;
    }
    if (Cands.empty() || (C->Scope.empty() && isLibraryMethodName(Rules, C->Name)))
      return Out;
    llvm::StringRef Scope = splitName(Cands.front()->Name).first;
    for (const FunctionSummary *F : Cands)
      if (splitName(F->Name).first != Scope) {
        AmbiguousIds.insert(Callee);
        return Out;
      }
    for (const FunctionSummary *F : Cands)
      Out.push_back(F->Id);
    llvm::sort(Out);
    return Out;
  };
  for (const EntryPoint &E : Entries)
    if (llvm::StringRef(E.Function).startswith("by-name:") && !ByName.count(E.Function))
      ByName[E.Function] = Resolve(E.Function);
  for (const auto &KV : Functions)
    for (const Event &E : KV.second.Events) {
      if (!llvm::StringRef(E.Callee).startswith("by-name:"))
        continue;
      auto [It, New] = ByName.try_emplace(E.Callee);
      if (New)
        It->second = Resolve(E.Callee);
      if (E.K != Event::Call)
        continue;
      ++Stats.Calls;
      if (!It->second.empty())
        ++Stats.Resolved;
      else if (AmbiguousIds.count(E.Callee))
        ++Stats.Ambiguous;
    }
}

ByNameStats CallGraph::byNameStats() const {
  resolveByName();
  return Stats;
}

void CallGraph::add(TUSummary S) {
  ByNameDone = false;
  ByName.clear();
  Stats = {};
  for (FunctionSummary &F : S.Functions) {
    if (Functions.count(F.Id))
      continue;
    for (const std::string &Base : F.Overrides)
      Overriders[Base].push_back(F.Id);
    std::string Id = F.Id;
    Functions.try_emplace(Id, std::move(F));
  }
  for (EntryPoint &E : S.Entries)
    Entries.push_back(std::move(E));
  // A call through a function-pointer field reaches what is stored in it,
  // as a virtual call reaches the overriders.
  for (auto &[Field, Function] : S.FieldStores) {
    std::vector<std::string> &Stored = Overriders[Field];
    if (!llvm::is_contained(Stored, Function))
      Stored.push_back(std::move(Function));
  }
}

namespace {

/// What a path ends at.
struct Target {
  SrcRange At;
  /// The statement's identity: where its SQL is given (the prepare for a
  /// prepared statement's execution), so two sites of one statement are
  /// one finding.
  SrcRange Id;
  /// An execution of a statement prepared elsewhere, SQL not known here.
  bool Opaque = false;
  std::string What;      ///< For messages: the snippet, query or call.
  std::string Statement; ///< Sink: read, write, control, unknown.
  bool Blocking = false;
  /// A query on an embedded database (SQLite): no network round trip.
  bool Embedded = false;
  std::string Size; ///< `{size}`: ` (~12M rows)` of the table, when known.
  std::string Note = "which runs this query"; ///< The last step's note.
};

class Finder {
public:
  Finder(const llvm::StringMap<FunctionSummary> &Functions,
         const std::vector<EntryPoint> &Entries,
         const llvm::StringMap<std::vector<std::string>> &Overriders,
         const llvm::StringMap<std::vector<std::string>> &ByName, const Rule &R,
         RuleOptionsFor Options, bool OnRequestPathOnly = false)
      : Entries(Entries), R(R), Options(Options), Defaults(bindOptions(R)),
        EmbeddedPass(OnRequestPathOnly) {
    for (const auto &KV : Functions)
      Fns.push_back(&KV.second);
    llvm::sort(Fns, [](const FunctionSummary *A, const FunctionSummary *B) {
      return A->Id < B->Id;
    });
    for (unsigned I = 0; I < Fns.size(); ++I)
      Index[Fns[I]->Id] = I;
    for (const auto &KV : ByName) {
      auto &Out = ByNameIndex[KV.first()];
      for (const std::string &Id : KV.second)
        if (auto X = Index.find(Id); X != Index.end())
          Out.push_back(X->second);
    }
    // Overriders, transitively, as indices; a pure virtual base has no
    // definition of its own but its overriders are still reached.
    for (const auto &KV : Overriders) {
      llvm::SmallVector<std::string, 4> Work{KV.first().str()};
      llvm::StringSet<> Seen;
      auto &Out = Overrides[KV.first()];
      while (!Work.empty()) {
        std::string Id = Work.pop_back_val();
        auto It = Overriders.find(Id);
        if (It == Overriders.end())
          continue;
        for (const std::string &O : It->second)
          if (Seen.insert(O).second) {
            Work.push_back(O);
            if (auto X = Index.find(O); X != Index.end())
              Out.push_back(X->second);
          }
      }
      llvm::sort(Out);
    }
    addImplementations();
    computeCallers();
    computeInProcessReach();
    computeRunsSql();
    if (R.CallSet != CallSetKind::Blocking && pruneIncidentalOverriders()) {
      computeCallers();
      computeRunsSql();
    }
    computeHanded();
    if (R.Context == ContextKind::InLoop) {
      computeDistances(/*AvoidLoops=*/true);
      swapStraightPaths();
      // The paths through lazy loads too, for calls on a loop's items.
      MemoStops = false;
      computeDistances();
      swapItemPaths();
      MemoStops = true;
    }
    computeDistances();
  }

  std::vector<PathFinding> run() {
    if (R.Context == ContextKind::InLoop)
      inLoop();
    else if (R.Context == ContextKind::OnRequestPath)
      onRequestPath();
    else if (R.Context == ContextKind::InFanOutTask)
      inFanOutTask();
    return std::move(Found);
  }

private:
  const BoundRule *optionsFor(llvm::StringRef File) {
    auto It = OptionCache.find(File);
    if (It != OptionCache.end())
      return It->second;
    return OptionCache[File] = Options(R, File);
  }

  /// Is event \p E a target of the rule (judged by its own file's options)?
  std::optional<Target> targetOf(const Event &E) {
    if (R.CallSet == CallSetKind::Blocking) {
      if (E.K != Event::Blocking)
        return std::nullopt;
      Target T{E.At, E.At, false, "'" + E.CalleeName + "' (" + E.Category + ")",
               "",   true};
      T.Note = "which blocks here: " + T.What;
      return T;
    }
    if (E.K != Event::Sink || handedToNonRunner(E))
      return std::nullopt;
    const BoundRule *B = optionsFor(E.At.File);
    if (!B)
      return std::nullopt;
    if (R.SqlPredicate == SqlPredicateKind::Query) {
      // Preparing is not running: the execution is the query. Schema and
      // session statements set up a database or a connection, not data.
      // An embedded database has no round trip to save, but each statement
      // is still parsed, planned and run on its own.
      // Running each of a list of statements one was given (schema from a
      // file, a write queue) is no query repeated per item.
      // On a request path a server repeats the loop per request, so there
      // the statements count again (EmbeddedOnRequestPath, EmbeddedPass).
      bool Embedded = runsInProcess(E);
      if (E.RunsGiven || !isQueryStatement(statementOf(E), *B) ||
          (Embedded && B->flag("IgnoreEmbedded") &&
           !(EmbeddedPass && B->flag("EmbeddedOnRequestPath"))))
        return std::nullopt;
      Target T{E.At, {}, false, "'" + oneLine(E.Text) + "'", E.Statement};
      T.Embedded = Embedded;
      T.Id = E.Origin.valid() ? E.Origin : E.At;
      if (E.Text.empty()) { // The SQL is given elsewhere: prepared, or built.
        T.What = "a statement ('" + E.Category + "')";
        T.Opaque = !E.Origin.valid();
      }
      return T;
    }
    for (const LocatedFact &F : E.Facts)
      if (predicateMatches(*B, F.Fact)) {
        Target T{F.Where.valid() ? F.Where : E.At, E.Origin.valid() ? E.Origin : E.At,
                 false, oneLine(F.Fact.Snippet), E.Statement};
        if (F.Fact.K == SqlFact::RowLock)
          T.Note = "which locks rows here";
        T.Size = tableSizeText(*B, F.Fact);
        return T;
      }
    return std::nullopt;
  }

  /// The kind of statement sink \p E runs: its own, or, for SQL not known
  /// where it runs, the kind the function whose returned text it runs hands
  /// back (`sql << index.creationQuery()`, defined in another file).
  llvm::StringRef statementOf(const Event &E) const {
    if (E.Statement == "unknown" && !E.TextFrom.empty())
      if (auto It = Index.find(E.TextFrom);
          It != Index.end() && !Fns[It->second]->Returns.empty())
        return Fns[It->second]->Returns;
    return E.Statement;
  }

  static bool isQueryStatement(llvm::StringRef Statement, const BoundRule &B) {
    return Statement != "control" && Statement != "prepare" && Statement != "schema" &&
           Statement != "per-table" &&
           (Statement != "write" || B.flag("IncludeWrites"));
  }

  /// The paths a call on an object of the loop's item takes: a lazy load
  /// the callee keeps in that object runs once per item.
  void swapItemPaths() {
    std::swap(Dist, ItemDist);
    std::swap(TargetEvent, ItemTargetEvent);
    std::swap(Next, ItemNext);
    std::swap(Via, ItemVia);
  }

  void swapStraightPaths() {
    std::swap(Dist, StraightDist);
    std::swap(TargetEvent, StraightTargetEvent);
    std::swap(Next, StraightNext);
    std::swap(Via, StraightVia);
  }

  /// Code that runs once a batch is full runs once per batch, not per item
  /// of the loop that fills it.
  bool onceEachBatch(const Event &E) const {
    return E.Batched &&
           (R.Context == ContextKind::InLoop || R.Context == ContextKind::InFanOutTask);
  }

  /// Code in the arm of a lazy load into the object (Event::Memoised) runs
  /// once until the cache is reset: a loop that calls its function does not
  /// repeat it, unless its file's options say to report memoised lookups.
  /// A loop inside the arm still repeats what the loop body runs.
  bool loadedOnce(const Event &E) {
    if (!E.Memoised || !MemoStops ||
        (R.Context != ContextKind::InLoop && R.Context != ContextKind::InFanOutTask))
      return false;
    const BoundRule *B = optionsFor(E.At.File);
    return !B || !B->flag("ReportMemoised");
  }

  /// A function whose work does not repeat per call (memoised, done once)
  /// does not carry its queries into the loops that call it, unless its
  /// file's options say to report memoised lookups.
  /// On the paths of a call on the loop's item (swapItemPaths) it does: the
  /// flag or cache is most often the item's own.
  bool stopsRepetition(unsigned F) {
    if (Fns[F]->Once.empty() || !MemoStops ||
        (R.Context != ContextKind::InLoop && R.Context != ContextKind::InFanOutTask))
      return false;
    const BoundRule *B = optionsFor(Fns[F]->Def.File);
    return !B || !B->flag("ReportMemoised");
  }

  /// Whether every query \p F runs, itself or through calls, is the text of
  /// its parameter \p Param (`zmDbDo(sql)`): handed an item of a list of
  /// statements, it runs that statement and nothing per item.
  /// A wrapper may also prepare its text through one method and run it
  /// through another (`prepare(text); return exec();` in a query class):
  /// then the statements it runs that name no SQL are that text.
  bool onlyRunsParam(unsigned F, int Param, unsigned Depth = 0) {
    if (Dist[F] < 0 || Depth > 4)
      return false;
    const std::vector<Event> &Events = Fns[F]->Events;
    auto Handed = [Param](const Event &E) {
      for (auto [Arg, P] : E.Passes)
        if (P == Param)
          return Arg;
      return -1;
    };
    bool Prepares =
        preparesParam(F, Param) || llvm::any_of(Events, [&](const Event &E) {
          int Arg = Handed(E);
          return E.K == Event::Call && Arg >= 0 &&
                 llvm::any_of(callees(E),
                              [&](unsigned C) { return preparesParam(C, Arg); });
        });
    for (const Event &E : Events) {
      if (E.K == Event::Sink && targetOf(E) && E.RunsParam != Param &&
          !(Prepares && runsPrepared(E)))
        return false;
      if (E.K != Event::Call)
        continue;
      int Arg = Handed(E);
      for (unsigned C : callees(E))
        if (Dist[C] >= 0 && !(Arg >= 0 && onlyRunsParam(C, Arg, Depth + 1)) &&
            !(Prepares && onlyRunsPrepared(C)))
          return false;
    }
    return true;
  }

  /// A sink that runs a statement prepared earlier, which names no SQL.
  static bool runsPrepared(const Event &E) {
    return E.Text.empty() && !E.Origin.valid() && E.RunsParam < 0 && !E.RunsGiven;
  }

  /// Whether \p F prepares the text of its parameter \p Param.
  bool preparesParam(unsigned F, int Param) const {
    return llvm::any_of(Fns[F]->Events, [Param](const Event &E) {
      return E.K == Event::Sink && E.Statement == "prepare" && E.RunsParam == Param;
    });
  }

  /// Whether the only queries \p F runs are statements prepared before it
  /// was called (`exec()` of a query class, a retry loop around it).
  bool onlyRunsPrepared(unsigned F) {
    for (const Event &E : Fns[F]->Events) {
      if (E.K == Event::Sink && targetOf(E) && !runsPrepared(E))
        return false;
      if (E.K == Event::Call &&
          llvm::any_of(callees(E), [this](unsigned C) { return Dist[C] >= 0; }))
        return false;
    }
    return true;
  }

  /// The functions a call event may enter.
  llvm::SmallVector<unsigned, 4> callees(const Event &E) const {
    llvm::SmallVector<unsigned, 4> Out;
    if (auto It = Index.find(E.Callee); It != Index.end())
      Out.push_back(It->second);
    else if (auto B = ByNameIndex.find(E.Callee); B != ByNameIndex.end())
      Out.append(B->second.begin(), B->second.end());
    if (E.Virtual)
      if (auto O = Overrides.find(E.Callee); O != Overrides.end())
        Out.append(O->second.begin(), O->second.end());
    // A Qt signal (no body of the project's) calls the slots connected to
    // it, by the signal itself or, through SIGNAL(), by its name.
    if (Out.empty() && E.K == Event::Call && !Overrides.empty()) {
      if (auto O = Overrides.find(E.Callee); O != Overrides.end() && !E.Virtual)
        Out.append(O->second.begin(), O->second.end());
      if (auto O = Overrides.find("signal:" + splitName(E.CalleeName).second.str());
          O != Overrides.end())
        Out.append(O->second.begin(), O->second.end());
    }
    return Out;
  }

  /// Overriders Clang could not see as such (FunctionSummary::ClassBases):
  /// added to the overriders of each virtual callee they implement, once,
  /// before the searches.
  void addImplementations() {
    llvm::StringMap<llvm::SmallVector<unsigned, 2>> ByShortName;
    for (unsigned I = 0; I < Fns.size(); ++I)
      if (!Fns[I]->ClassBases.empty())
        ByShortName[splitName(Fns[I]->Name).second].push_back(I);
    if (ByShortName.empty())
      return;
    for (const FunctionSummary *F : Fns)
      for (const Event &E : F->Events) {
        if (E.K != Event::Call || !E.Virtual)
          continue;
        auto [Scope, Name] = splitName(E.CalleeName);
        auto It = ByShortName.find(Name);
        if (It == ByShortName.end())
          continue;
        auto &Out = Overrides[E.Callee];
        for (unsigned I : It->second)
          if (!llvm::is_contained(Out, I) && implementsIn(*Fns[I], Scope))
            Out.push_back(I);
      }
  }

  /// A virtual call whose implementations mostly run no SQL (`cylinder->
  /// addThing(item)`: a tile, a container, a player; only a mailbox sends
  /// mail) runs SQL only when the data hands it that one kind of object: a
  /// guess a report should not rest on. When fewer than half of the
  /// implementations the run has (the base's own body counts) run SQL
  /// themselves, not through virtual calls of their own (which would
  /// count the same guess twice), none of those that reach SQL is
  /// followed from that call. An interface of data access (`backend->
  /// getDomainInfo()` on a SQL backend) has them all, or half of them
  /// beside a stand-in. Returns whether any call lost one.
  bool pruneIncidentalOverriders() {
    std::vector<bool> Direct = withCallers([&](const Event &E) { return runsSql(E); },
                                           /*ThroughOverriders=*/false);
    bool Pruned = false;
    for (auto &KV : Overrides) {
      if (KV.first().startswith("signal:"))
        continue;
      std::vector<unsigned> &Out = KV.second;
      size_t All = Out.size() + (Index.count(KV.first()) ? 1 : 0);
      size_t Running = llvm::count_if(Out, [&](unsigned C) { return Direct[C]; });
      if (Running == 0 || 2 * Running >= All)
        continue;
      llvm::erase_if(Out, [&](unsigned C) { return RunsSql[C]; });
      Pruned = true;
    }
    return Pruned;
  }

  /// The functions that run SQL on an embedded database, themselves or
  /// through calls: a wrapper over SQLite handed SQL text costs no round trip.
  void computeInProcessReach() {
    InProcessReach = withCallers([](const Event &E) { return E.InProcess; });
  }

  /// The functions that run a statement, themselves or through calls: a
  /// declared sink, or SQL handed to a call whose callee is not in the run.
  /// Preparing is not running: a wrapper that only prepares the text it is
  /// handed (`prepareQuery(sql)` returning the prepared object) runs
  /// nothing where it is called; the object's execution does.
  void computeRunsSql() {
    RunsSql = withCallers([&](const Event &E) { return runsSql(E); });
  }

  /// Whether sink event \p E runs a statement (RunsSql's seeds).
  bool runsSql(const Event &E) const {
    return E.Statement != "prepare" && (!E.Inferred || callees(E).empty());
  }

  /// Each function's callers: the calling function and the call event's
  /// index in it, for the searches backwards from a statement.
  void computeCallers() {
    Callers.assign(Fns.size(), {});
    for (unsigned I = 0; I < Fns.size(); ++I)
      for (unsigned J = 0; J < Fns[I]->Events.size(); ++J)
        if (const Event &E = Fns[I]->Events[J]; E.K == Event::Call)
          for (unsigned C : callees(E))
            Callers[C].push_back({I, J});
  }

  /// The functions with a sink event \p Seed accepts, and every function
  /// that calls one of them, directly or through calls; with
  /// \p ThroughOverriders false, not a virtual call's overriders.
  template <typename Pred>
  std::vector<bool> withCallers(Pred Seed, bool ThroughOverriders = true) const {
    std::vector<bool> Reach(Fns.size(), false);
    std::deque<unsigned> Queue;
    for (unsigned I = 0; I < Fns.size(); ++I)
      if (llvm::any_of(Fns[I]->Events,
                       [&](const Event &E) { return E.K == Event::Sink && Seed(E); })) {
        Reach[I] = true;
        Queue.push_back(I);
      }
    while (!Queue.empty()) {
      unsigned C = Queue.front();
      Queue.pop_front();
      for (auto [Caller, Ev] : Callers[C]) {
        if (Reach[Caller])
          continue;
        if (const Event &E = Fns[Caller]->Events[Ev]; !ThroughOverriders && E.Virtual) {
          auto Named = Index.find(E.Callee);
          if (Named == Index.end() || Named->second != C)
            continue;
        }
        Reach[Caller] = true;
        Queue.push_back(Caller);
      }
    }
    return Reach;
  }

  /// Each call event that hands SQL text to its callee (`sql->query(buf)`,
  /// `db.exec(sql)` on a project wrapper): the inferred sink event the
  /// builder made for the same call.
  void computeHanded() {
    for (const FunctionSummary *F : Fns) {
      std::map<std::tuple<llvm::StringRef, uint32_t, uint32_t>, const Event *> Sinks;
      for (const Event &E : F->Events)
        if (E.K == Event::Sink && E.Inferred)
          Sinks[{E.At.File, E.At.Begin, E.At.End}] = &E;
      if (Sinks.empty())
        continue;
      for (const Event &E : F->Events)
        if (E.K == Event::Call)
          if (auto It = Sinks.find({E.At.File, E.At.Begin, E.At.End});
              It != Sinks.end())
            Handed[&E] = It->second;
    }
  }

  /// SQL handed to a function of the run that runs no statement, itself or
  /// through calls (a logger, a formatter), is not run there.
  bool handedToNonRunner(const Event &E) const {
    if (!E.Inferred)
      return false;
    llvm::SmallVector<unsigned, 4> To = callees(E);
    return !To.empty() && llvm::none_of(To, [&](unsigned C) { return RunsSql[C]; });
  }

  bool runsInProcess(const Event &E) const {
    if (E.InProcess)
      return true;
    if (!E.Inferred)
      return false;
    for (unsigned C : callees(E))
      if (InProcessReach[C])
        return true;
    return false;
  }

  /// Multi-source BFS backwards from every function with a target event:
  /// Dist[f] calls separate f from a target; Next/Via give the first step.
  /// A target that runs a statement prepared elsewhere (a wrapper's
  /// `exec()`) is the statement of the call that hands it over: a step
  /// that hands over transaction control or a schema change (`BEGIN`
  /// through the wrapper) leads to no query, so the search goes on to a
  /// farther path (the insert the same function calls after it). With
  /// \p AvoidLoops, no step and no target sits in a per-item loop of its
  /// function: the paths a loop further out reports.
  void computeDistances(bool AvoidLoops = false) {
    size_t N = Fns.size();
    Dist.assign(N, -1);
    TargetEvent.assign(N, -1);
    Next.assign(N, -1);
    Via.assign(N, 0);
    std::vector<bool> Opaque(N, false);
    std::deque<unsigned> Queue;
    for (unsigned I = 0; I < N; ++I) {
      const FunctionSummary &F = *Fns[I];
      for (unsigned J = 0; J < F.Events.size() && TargetEvent[I] < 0; ++J)
        if (std::optional<Target> T =
                onceEachBatch(F.Events[J]) || loadedOnce(F.Events[J]) ||
                        (AvoidLoops && perItemLoop(F, F.Events[J]) >= 0)
                    ? std::nullopt
                    : targetOf(F.Events[J])) {
          TargetEvent[I] = static_cast<int>(J);
          Opaque[I] = T->Opaque;
        }
      if (TargetEvent[I] >= 0) {
        Dist[I] = 0;
        Queue.push_back(I);
      }
    }
    while (!Queue.empty()) {
      unsigned C = Queue.front();
      Queue.pop_front();
      if (stopsRepetition(C))
        continue;
      for (auto [Caller, Ev] : Callers[C]) {
        if (Dist[Caller] >= 0)
          continue;
        const Event &E = Fns[Caller]->Events[Ev];
        if (onceEachBatch(E) || loadedOnce(E) ||
            (AvoidLoops && perItemLoop(*Fns[Caller], E) >= 0))
          continue;
        bool Names = Opaque[C] && (E.Origin.valid() || Handed.count(&E));
        if (Names && !handsOverQuery(E))
          continue;
        Dist[Caller] = Dist[C] + 1;
        Next[Caller] = static_cast<int>(Ev);
        Via[Caller] = C;
        Opaque[Caller] = Opaque[C] && !Names;
        Queue.push_back(Caller);
      }
    }
  }

  /// Whether the statement call \p E hands over (a prepared query object,
  /// or SQL text) is one this rule reports, as pathFrom judges it.
  bool handsOverQuery(const Event &E) {
    if (R.SqlPredicate != SqlPredicateKind::Query)
      return true;
    const Event *Carrier = E.Origin.valid() ? &E : Handed.lookup(&E);
    const BoundRule *B = optionsFor(E.At.File);
    return B && !Carrier->RunsGiven && isQueryStatement(Carrier->Statement, *B);
  }

  /// Known values of a function's bool parameters, by index.
  using FlagValues = llvm::SmallDenseMap<int, int, 4>;

  /// Do the flags \p Known let event \p E run (Event::Requires)?
  static bool allows(const Event &E, const FlagValues &Known) {
    return llvm::all_of(E.Requires, [&](std::pair<int, int> R) {
      auto It = Known.find(R.first);
      return It == Known.end() || It->second == R.second;
    });
  }

  /// The flags call \p Call gives its callee's parameters, where the
  /// caller's are \p Known (Event::Flags).
  static FlagValues flagsInto(const Event &Call, const FlagValues &Known) {
    FlagValues Out;
    for (auto [Arg, V] : Call.Flags)
      if (V < 2)
        Out[Arg] = V;
      else if (auto It = Known.find(V - 2); It != Known.end())
        Out[Arg] = It->second;
    return Out;
  }

  /// Appends the steps from function \p F down to its nearest target. A
  /// call on the way (or \p From, the call that enters F) that hands over a
  /// prepared query object names the statement an execution there runs;
  /// when that statement is no target, there is no path. \p InnerLoop is
  /// set when a step runs in a per-item loop of its own function.
  std::optional<Target> pathFrom(unsigned F, std::vector<PathStep> &Notes,
                                 const Event *From = nullptr,
                                 bool *InnerLoop = nullptr) {
    const Event *Carrier = From && From->Origin.valid() ? From : nullptr;
    // The SQL text the outermost call on the way hands over: what a
    // statement the callee runs without knowing its text runs.
    const Event *Given = From ? Handed.lookup(From) : nullptr;
    // The flags the calls on the way hand over: `unbind(id, true)` never
    // reaches the `if (!unload)` that deletes.
    FlagValues Known = From ? flagsInto(*From, FlagValues()) : FlagValues();
    for (unsigned Guard = 0; TargetEvent[F] < 0 && Guard < 256; ++Guard) {
      const Event &E = Fns[F]->Events[Next[F]];
      if (!allows(E, Known))
        return std::nullopt;
      Known = flagsInto(E, Known);
      if (E.Origin.valid())
        Carrier = &E;
      if (!Given)
        Given = Handed.lookup(&E);
      if (InnerLoop && perItemLoop(*Fns[F], E) >= 0)
        *InnerLoop = true;
      Notes.push_back({E.At, "calls '" + Fns[Via[F]]->Name + "' here"});
      F = Via[F];
    }
    const Event &E = Fns[F]->Events[TargetEvent[F]];
    if (!allows(E, Known))
      return std::nullopt;
    if (InnerLoop && perItemLoop(*Fns[F], E) >= 0)
      *InnerLoop = true;
    Target T = *targetOf(E);
    if (T.Opaque && Carrier && R.SqlPredicate == SqlPredicateKind::Query) {
      const BoundRule *B = optionsFor(E.At.File);
      if (!B || Carrier->RunsGiven || !isQueryStatement(Carrier->Statement, *B))
        return std::nullopt;
      T.Id = Carrier->Origin;
      T.Statement = Carrier->Statement;
      T.Opaque = false;
      if (!Carrier->Text.empty())
        T.What = "'" + oneLine(Carrier->Text) + "'";
      Notes.push_back({Carrier->Origin, "the statement is prepared here"});
    } else if (T.Opaque && Given && R.SqlPredicate == SqlPredicateKind::Query) {
      // `sql->query(buf)` where buf holds `CREATE TABLE ...`: schema setup,
      // not a query per item, though the callee's own statement is opaque.
      const BoundRule *B = optionsFor(E.At.File);
      if (!B || Given->RunsGiven || !isQueryStatement(Given->Statement, *B))
        return std::nullopt;
      // The callee runs the text it was handed: name that statement.
      if (!Given->Text.empty()) {
        T.What = "'" + oneLine(Given->Text) + "'";
        T.Statement = Given->Statement;
      }
    }
    Notes.push_back({T.At, T.Note});
    return T;
  }

  /// The innermost loop around \p E in \p F that is per-item work, looking
  /// out through loops that are not (a retry or a fixed list inside a loop
  /// over rows runs once per row), or -1.
  int perItemLoop(const FunctionSummary &F, const Event &E) {
    const BoundRule *B = optionsFor(E.At.File);
    if (!B)
      return -1;
    for (int L = E.InLoop, Guard = 0;
         L >= 0 && L < static_cast<int>(F.Loops.size()) && Guard < 64;
         L = F.Loops[L].Parent, ++Guard)
      if (loopIsPerItem(F.Loops[L], *B) && !overOneItem(F, F.Loops[L]))
        return L;
    return -1;
  }

  /// A loop over a parameter that every call of the run hands a list of
  /// one element (`bulkSetStatuses(QList<Status>{status}, QList<qint64>({id}))`
  /// from `setStatus`): it runs once; the repetition is in the callers'.
  bool overOneItem(const FunctionSummary &F, const LoopInfo &L) {
    if (L.OverParam < 0 || L.OverParam >= 64)
      return false;
    if (!OneItemParamsDone) {
      OneItemParamsDone = true;
      for (const FunctionSummary *Caller : Fns)
        for (const Event &E : Caller->Events) {
          if (E.K != Event::Call)
            continue;
          uint64_t Bits = 0;
          for (int A : E.SingleItemArgs)
            if (A >= 0 && A < 64)
              Bits |= uint64_t(1) << A;
          for (unsigned C : callees(E))
            OneItemParams.try_emplace(Fns[C], ~uint64_t(0)).first->second &= Bits;
        }
    }
    auto It = OneItemParams.find(&F);
    return It != OneItemParams.end() && (It->second >> L.OverParam & 1);
  }
  llvm::DenseMap<const FunctionSummary *, uint64_t> OneItemParams;
  bool OneItemParamsDone = false;

  /// The reachable callee of \p E nearest to a target, if within \p Depth.
  std::optional<unsigned> bestCallee(const Event &E, int Depth) {
    std::optional<unsigned> Best;
    for (unsigned C : callees(E))
      if (Dist[C] >= 0 && Dist[C] < Depth && (!Best || Dist[C] < Dist[*Best]) &&
          !stopsRepetition(C))
        Best = C;
    return Best;
  }

  bool loopIsPerItem(const LoopInfo &L, const BoundRule &B) const {
    if (!L.NotPerItem.empty())
      return false;
    // Over a list the program fixes: as many round trips as entries in the
    // code, whatever the data.
    if (L.FixedList && B.flag("IgnoreFixedLists"))
      return false;
    return L.TripCount < 0 || L.TripCount > B.number("MaxConstantTripCount");
  }

  static PathStep loopStep(const LoopInfo &L) {
    if (L.Kind == "for" || L.Kind == "range-for" || L.Kind == "while" || L.Kind == "do")
      return {L.At, "loop here"};
    return {L.At, "runs once per element here ('" + L.Kind + "')"};
  }

  /// Reports \p T reached from \p EntryAt. One finding per statement in a
  /// \p Scope (a loop, a handler, a job): another site in the same scope
  /// that reaches the same statement is a note of the first.
  void report(llvm::StringRef Scope, const SrcRange &EntryAt, const Target &T,
              llvm::StringRef Callee, std::vector<PathStep> Notes,
              llvm::StringMap<std::string> Vars) {
    SrcRange At = R.Report == ReportAt::Target ? T.At : EntryAt;
    if (!optionsFor(At.File))
      return;
    std::string Key;
    if (!Scope.empty() && T.Id.valid()) {
      Key = Scope.str() + "\n" + T.Id.File + ":" + std::to_string(T.Id.Begin);
      if (auto It = ByStatement.find(Key); It != ByStatement.end()) {
        PathFinding &First = Found[It->second];
        if (R.Report != ReportAt::Target &&
            !(First.At.File == EntryAt.File && First.At.Begin == EntryAt.Begin))
          First.Notes.push_back({EntryAt, "and again here"});
        return;
      }
    }
    if (!Reported.insert({At.File, At.Begin}).second)
      return;
    if (!Key.empty())
      ByStatement[Key] = Found.size();
    Vars["callee"] = Callee.str();
    Vars["target"] = T.What;
    Vars["statement"] = T.Statement;
    Vars["size"] = T.Size;
    // What each repetition costs: a round trip to a server, or on an
    // embedded database a statement parsed, planned and run on its own.
    Vars["round-trips"] = T.Embedded ? "N+1 statements (an embedded database: no "
                                       "round trip, but each parsed, planned and run)"
                                     : "N+1 round trips";
    Vars["round-trip"] = T.Embedded ? "one statement" : "one round trip";
    std::string Template =
        T.Statement == "write" && !R.WriteMessage.empty() ? R.WriteMessage : R.Message;
    PathFinding F;
    F.R = &R;
    F.At = At;
    F.Message = expandVars(Template, Vars);
    // Reported at the target: the last step points at the report itself.
    if (R.Report == ReportAt::Target && !Notes.empty() &&
        Notes.back().At.File == At.File && Notes.back().At.Begin == At.Begin)
      Notes.pop_back();
    F.Notes = std::move(Notes);
    if (!R.Note.empty())
      F.Notes.push_back({At, expandVars(R.Note, Vars)});
    Found.push_back(std::move(F));
  }

  void inLoop() {
    std::vector<bool> OnRequestPath;
    if (EmbeddedPass)
      OnRequestPath = reachedFromHandlers();
    std::vector<bool> Migration = migrations();
    for (unsigned I = 0; I < Fns.size(); ++I) {
      const FunctionSummary &F = *Fns[I];
      if (EmbeddedPass && !OnRequestPath[I])
        continue;
      if (const BoundRule *B = Migration[I] ? optionsFor(F.Def.File) : nullptr;
          B && B->flag("IgnoreMigrations"))
        continue;
      for (const Event &E : F.Events) {
        int Loop = onceEachBatch(E) ? -1 : perItemLoop(F, E);
        if (Loop < 0)
          continue;
        const BoundRule *B = optionsFor(E.At.File);
        std::string Scope = "loop " + F.Id + " " + std::to_string(Loop);
        std::vector<PathStep> Notes{loopStep(F.Loops[Loop])};
        if (std::optional<Target> T = targetOf(E)) {
          if (EmbeddedPass && !T->Embedded)
            continue;
          if (E.Origin.valid())
            Notes.push_back({E.Origin, "the statement is prepared here"});
          report(Scope, E.At, *T, "this call", std::move(Notes), {});
          continue;
        }
        if (E.K != Event::Call && E.K != Event::Dispatch)
          continue;
        // Tasks started per element of a collection (not N workers from a
        // counter loop) run their queries once per element.
        const std::string &Kind = F.Loops[Loop].Kind;
        if (E.K == Event::Dispatch &&
            (Kind == "for" || Kind == "while" || Kind == "do"))
          continue;
        // A task started per item runs its queries per item too.
        std::optional<unsigned> C = bestCallee(E, B->number("MaxCallDepth"));
        // A call on the item itself reaches what the item loads lazily.
        bool ItemPaths = false;
        if (!C && E.PerItemObject) {
          swapItemPaths();
          MemoStops = false;
          C = bestCallee(E, B->number("MaxCallDepth"));
          ItemPaths = C.has_value();
          if (!ItemPaths) {
            swapItemPaths();
            MemoStops = true;
          }
        }
        // Back to the usual paths when this iteration ends.
        struct Restore {
          Finder *F;
          bool On;
          ~Restore() {
            if (On) {
              F->swapItemPaths();
              F->MemoStops = true;
            }
          }
        } RestorePaths{this, ItemPaths};
        if (!C || (E.GivenArg >= 0 && onlyRunsParam(*C, E.GivenArg)))
          continue;
        // `while (v < latest) switch (v++) { case 12: upgradeToV13(); }`:
        // a loop over the upgrade steps runs each migration once.
        if (Migration[*C] && B->flag("IgnoreMigrations"))
          continue;
        if (E.K == Event::Dispatch)
          Notes.push_back({Fns[*C]->Def, "each task runs '" + Fns[*C]->Name + "'"});
        bool InnerLoop = false;
        size_t Before = Notes.size();
        std::optional<Target> T = pathFrom(*C, Notes, &E, &InnerLoop);
        // The loop nearest the query reports it, not every loop around;
        // this loop reports a statement the call reaches outside them
        // (`setOwner(0)` loops over the house's tiles, and updates it).
        if (T && InnerLoop) {
          swapStraightPaths();
          Notes.resize(Before);
          std::optional<unsigned> Straight = bestCallee(E, B->number("MaxCallDepth"));
          InnerLoop = false;
          T = Straight ? pathFrom(*Straight, Notes, &E, &InnerLoop) : std::nullopt;
          swapStraightPaths();
          if (T && !InnerLoop)
            C = Straight;
        }
        if (!T || InnerLoop || (EmbeddedPass && !T->Embedded))
          continue;
        // Which statement is not known: one per function called, so calls
        // of one function in the loop (`getEntry(id)->a(); getEntry(id)->b();`)
        // are one finding and the others its notes.
        if (T->Opaque)
          T->Id = Fns[*C]->Def.valid() ? Fns[*C]->Def : E.At;
        report(Scope, E.At, *T,
               E.K == Event::Dispatch ? "'" + E.Category + "'"
                                      : "'" + Fns[*C]->Name + "'",
               std::move(Notes), {});
      }
    }
  }

  /// Does a function's name say it migrates the schema or the data to a
  /// new version (`migrate`, `migrateTo12`, `postMigrationAction`,
  /// `upgradeSchema`, `upgradeToV13`)? Not `upgradeItem`: the game's, per
  /// item.
  static bool namedMigration(llvm::StringRef Name) {
    std::string L = Name.lower();
    llvm::StringRef N(L);
    if (N.contains("migrat"))
      return true;
    size_t At = N.find("upgrade");
    if (At == llvm::StringRef::npos)
      return false;
    llvm::StringRef Rest = N.drop_front(At + 7);
    Rest.consume_front("_");
    for (llvm::StringRef Word : {"schema", "db", "database", "tables", "version"})
      if (Rest.startswith(Word))
        return true;
    Rest.consume_front("to");
    Rest.consume_front("_");
    Rest.consume_front("v");
    return !Rest.empty() && llvm::isDigit(Rest.front());
  }

  /// The functions that alter a table's definition (ALTER, outside any
  /// loop), or say by their name that they migrate (namedMigration),
  /// themselves or by a call outside any loop of a function that does
  /// (`alterTable(...)` in `upgradeToV13()`): migrations, run once per
  /// upgrade, whose loops convert the existing rows once, not per item. A
  /// table created and filled (an import) is no migration, nor is a column
  /// added per item when a write finds it missing.
  std::vector<bool> migrations() const {
    auto AltersOnce = [](const Event &E) {
      return E.K == Event::Sink && E.InLoop < 0 && E.Statement == "schema" &&
             llvm::StringRef(E.Text)
                 .ltrim()
                 .take_while(llvm::isAlpha)
                 .equals_insensitive("alter");
    };
    std::vector<bool> Alters(Fns.size()), Out(Fns.size());
    for (unsigned I = 0; I < Fns.size(); ++I)
      Alters[I] = llvm::any_of(Fns[I]->Events, AltersOnce) ||
                  namedMigration(splitName(Fns[I]->Name).second);
    for (unsigned I = 0; I < Fns.size(); ++I)
      Out[I] = Alters[I] || llvm::any_of(Fns[I]->Events, [&](const Event &E) {
                 return E.K == Event::Call && E.InLoop < 0 &&
                        llvm::any_of(callees(E), [&](unsigned C) { return Alters[C]; });
               });
    return Out;
  }

  /// Which functions a request handler runs, itself or through calls
  /// (within the rule's MaxCallDepth). A function that changes the schema
  /// is a migration, run on an upgrade or a restore and not per request:
  /// neither it nor what it calls is on the path through it.
  std::vector<bool> reachedFromHandlers() const {
    // -1: not reached yet; -2: a migration, never on the path.
    std::vector<int> Level(Fns.size(), -1);
    for (unsigned F = 0; F < Fns.size(); ++F)
      if (llvm::any_of(Fns[F]->Events, [](const Event &E) {
            return E.K == Event::Sink && E.Statement == "schema";
          }))
        Level[F] = -2;
    std::deque<unsigned> Queue;
    for (const auto &HE : entries(EntryPoint::Handler))
      if (Level[HE.second] == -1) {
        Level[HE.second] = 0;
        Queue.push_back(HE.second);
      }
    int Depth = Defaults.number("MaxCallDepth");
    while (!Queue.empty()) {
      unsigned F = Queue.front();
      Queue.pop_front();
      if (Level[F] + 1 >= Depth)
        continue;
      for (const Event &E : Fns[F]->Events)
        if (E.K == Event::Call)
          for (unsigned C : callees(E))
            if (Level[C] == -1) {
              Level[C] = Level[F] + 1;
              Queue.push_back(C);
            }
    }
    std::vector<bool> Out(Fns.size());
    for (unsigned I = 0; I < Fns.size(); ++I)
      Out[I] = Level[I] >= 0;
    return Out;
  }

  /// The entry points of kind \p K with the function each enters (a
  /// callable registered by name may enter several overloads).
  std::vector<std::pair<const EntryPoint *, unsigned>>
  entries(EntryPoint::Kind K) const {
    std::vector<std::pair<const EntryPoint *, unsigned>> Out;
    for (const EntryPoint &E : Entries) {
      if (E.K != K)
        continue;
      if (auto It = Index.find(E.Function); It != Index.end())
        Out.push_back({&E, It->second});
      else if (auto B = ByNameIndex.find(E.Function); B != ByNameIndex.end())
        for (unsigned F : B->second)
          Out.push_back({&E, F});
    }
    // Declared handlers first: a target both reach is reported with the
    // declared handler's path, inferred ones only add what it misses.
    auto Key = [](const std::pair<const EntryPoint *, unsigned> &E) {
      return std::make_tuple(llvm::StringRef(E.first->How).startswith("inferred"),
                             llvm::StringRef(E.first->At.File), E.first->At.Begin,
                             llvm::StringRef(E.first->Function), E.second);
    };
    llvm::sort(Out, [&](const auto &A, const auto &B) { return Key(A) < Key(B); });
    return Out;
  }

  static std::string entryName(const EntryPoint &E, const FunctionSummary &F) {
    if (E.Name != "lambda" && F.Name.rfind("lambda", 0) != 0)
      return "handler '" + F.Name + "'";
    // "the handler (inferred: route registration 'route')"
    if (llvm::StringRef(E.How).startswith("inferred"))
      return "the handler (" + E.How + ")";
    return "the " + E.How + " handler";
  }

  /// A blocking call in a wrapper of it (`sleepMs(100)`) is the wrapper's
  /// call: \p T moves to where the handler's code makes it, one finding per
  /// call, each at a line of request code. A handler that only calls
  /// another function (a lambda handing the request to `forward(req, res)`)
  /// is no request code of its own.
  void atWrapperCall(Target &T, const Event &E, const std::vector<PathStep> &Steps,
                     const std::vector<unsigned> &Chain) const {
    size_t K = Chain.size() - 1;
    size_t Lowest = Chain.size() > 1 && Fns[Chain[0]]->Wraps ? 1 : 0;
    while (K > Lowest && Fns[Chain[K]]->Wraps)
      --K;
    if (K + 1 == Chain.size())
      return;
    T.At = T.Id = Steps[K].At;
    T.What = "'" + Fns[Chain[K + 1]]->Name + "' (" + E.Category + ": '" + E.CalleeName +
             "')";
  }

  /// Every target reachable from \p Start by calls, with the path to it:
  /// the call sites, and the functions from \p Start to the target's.
  void forEachReachable(
      unsigned Start, int Depth,
      llvm::function_ref<void(unsigned Fn, unsigned Ev, const std::vector<PathStep> &,
                              const std::vector<unsigned> &)>
          Visit) {
    std::vector<int> Parent(Fns.size(), -2), ParentEvent(Fns.size(), -1);
    std::vector<int> Level(Fns.size(), 0);
    std::deque<unsigned> Queue{Start};
    Parent[Start] = -1;
    while (!Queue.empty()) {
      unsigned F = Queue.front();
      Queue.pop_front();
      const FunctionSummary &S = *Fns[F];
      for (unsigned J = 0; J < S.Events.size(); ++J) {
        const Event &E = S.Events[J];
        if (targetOf(E)) {
          std::vector<PathStep> Steps;
          std::vector<unsigned> Chain{F};
          for (int X = static_cast<int>(F); Parent[X] >= 0; X = Parent[X]) {
            Steps.push_back({Fns[Parent[X]]->Events[ParentEvent[X]].At,
                             "calls '" + Fns[X]->Name + "' here"});
            Chain.push_back(static_cast<unsigned>(Parent[X]));
          }
          std::reverse(Steps.begin(), Steps.end());
          std::reverse(Chain.begin(), Chain.end());
          Visit(F, J, Steps, Chain);
        }
        if (E.K != Event::Call || Level[F] + 1 >= Depth)
          continue;
        for (unsigned C : callees(E))
          if (Parent[C] == -2) {
            Parent[C] = static_cast<int>(F);
            ParentEvent[C] = static_cast<int>(J);
            Level[C] = Level[F] + 1;
            Queue.push_back(C);
          }
      }
    }
  }

  void onRequestPath() {
    for (const auto &HE : entries(EntryPoint::Handler)) {
      const EntryPoint *H = HE.first;
      unsigned HI = HE.second;
      const FunctionSummary &HF = *Fns[HI];
      const BoundRule *B = optionsFor(HF.Def.File);
      int Depth = (B ? *B : Defaults).number("MaxCallDepth");
      llvm::StringMap<std::string> Vars;
      Vars["handler"] = entryName(*H, HF);
      Vars["how"] = H->How;
      PathStep Registered{H->At, "request handler (" + H->How + ") registered here"};
      std::string Scope = "handler " + H->Function + " " + H->At.File + ":" +
                          std::to_string(H->At.Begin);
      if (R.Report == ReportAt::Entry) {
        // One finding per step the handler takes towards a target.
        for (const Event &E : HF.Events) {
          std::vector<PathStep> Notes{Registered};
          if (std::optional<Target> T = targetOf(E)) {
            report(Scope, E.At, *T, "this call", std::move(Notes), Vars);
            continue;
          }
          if (E.K != Event::Call)
            continue;
          std::optional<unsigned> C = bestCallee(E, Depth);
          if (!C)
            continue;
          std::optional<Target> T = pathFrom(*C, Notes, &E);
          if (!T)
            continue;
          report(Scope, E.At, *T, "'" + Fns[*C]->Name + "'", std::move(Notes), Vars);
        }
        continue;
      }
      forEachReachable(HI, Depth,
                       [&](unsigned F, unsigned Ev, const std::vector<PathStep> &Steps,
                           const std::vector<unsigned> &Chain) {
                         const Event &E = Fns[F]->Events[Ev];
                         Target T = *targetOf(E);
                         std::vector<PathStep> Notes{Registered};
                         Notes.insert(Notes.end(), Steps.begin(), Steps.end());
                         Notes.push_back({T.At, T.Note});
                         if (T.Blocking)
                           atWrapperCall(T, E, Steps, Chain);
                         report(Scope, E.At, T, E.CalleeName, std::move(Notes), Vars);
                       });
    }
  }

  void inFanOutTask() {
    for (unsigned I = 0; I < Fns.size(); ++I) {
      const FunctionSummary &F = *Fns[I];
      for (const Event &E : F.Events) {
        if (E.K != Event::Dispatch)
          continue;
        int Loop = perItemLoop(F, E);
        if (Loop < 0)
          continue;
        const BoundRule *B = optionsFor(E.At.File);
        auto Task = Index.find(E.Callee);
        if (Task == Index.end() || Dist[Task->second] < 0 ||
            Dist[Task->second] >= B->number("MaxCallDepth"))
          continue;
        std::vector<PathStep> Notes{loopStep(F.Loops[Loop])};
        std::string TaskName = Fns[Task->second]->Name;
        Notes.push_back({Fns[Task->second]->Def, "each task runs '" + TaskName + "'"});
        std::optional<Target> T = pathFrom(Task->second, Notes, &E);
        if (!T)
          continue;
        llvm::StringMap<std::string> Vars;
        Vars["task"] = TaskName;
        Vars["fanout"] =
            "'" + E.Category + "' starts one task per item of this loop and each";
        report("loop " + F.Id + " " + std::to_string(Loop), E.At, *T, E.Category,
               std::move(Notes), Vars);
      }
    }
    // Functions a job framework runs once per item: report at the lock.
    for (const auto &JE : entries(EntryPoint::JobHandler)) {
      const EntryPoint *J = JE.first;
      unsigned JI = JE.second;
      const BoundRule *B = optionsFor(Fns[JI]->Def.File);
      int Depth = (B ? *B : Defaults).number("MaxCallDepth");
      forEachReachable(
          JI, Depth,
          [&](unsigned F, unsigned Ev, const std::vector<PathStep> &Steps,
              const std::vector<unsigned> &) {
            const Event &E = Fns[F]->Events[Ev];
            Target T = *targetOf(E);
            std::vector<PathStep> Notes{
                {J->At, "per-item job handler '" + Fns[JI]->Name + "' (" + J->How +
                            ") runs once per item, concurrently"}};
            Notes.insert(Notes.end(), Steps.begin(), Steps.end());
            llvm::StringMap<std::string> Vars;
            Vars["task"] = Fns[JI]->Name;
            Vars["fanout"] = "per-item job handler '" + Fns[JI]->Name +
                             "' runs concurrently, once per item, and each run";
            report("job " + J->Function, T.At, T, J->How, std::move(Notes), Vars);
          });
    }
  }

  const std::vector<EntryPoint> &Entries;
  const Rule &R;
  RuleOptionsFor Options;
  /// The rule's YAML defaults: the options where a file's are not known.
  BoundRule Defaults;
  /// The second pass of an in-loop rule: only loops on a request path, only
  /// the embedded database's statements the first pass left out.
  bool EmbeddedPass;
  std::vector<const FunctionSummary *> Fns;
  llvm::StringMap<unsigned> Index;
  /// `by-name:` callees -> the functions they resolve to.
  llvm::StringMap<llvm::SmallVector<unsigned, 2>> ByNameIndex;
  llvm::StringMap<std::vector<unsigned>> Overrides;
  std::vector<int> Dist, TargetEvent, Next;
  /// The same, for paths through no per-item loop (computeDistances with
  /// AvoidLoops), swapped in by withStraightPaths.
  std::vector<int> StraightDist, StraightTargetEvent, StraightNext;
  std::vector<unsigned> StraightVia;
  /// The paths computed with lazy loads counted (swapItemPaths).
  std::vector<int> ItemDist, ItemTargetEvent, ItemNext;
  std::vector<unsigned> ItemVia;
  bool MemoStops = true;
  std::vector<bool> InProcessReach;
  std::vector<bool> RunsSql;
  /// Callers[f]: (calling function, index of the call event in it).
  std::vector<std::vector<std::pair<unsigned, unsigned>>> Callers;
  llvm::DenseMap<const Event *, const Event *> Handed;
  std::vector<unsigned> Via;
  llvm::StringMap<const BoundRule *> OptionCache;
  std::set<std::pair<std::string, uint32_t>> Reported;
  /// Scope and statement -> index of its finding in Found.
  llvm::StringMap<size_t> ByStatement;
  std::vector<PathFinding> Found;
};

} // namespace

std::vector<PathFinding> CallGraph::find(const Rule &R, RuleOptionsFor Options) const {
  if (!R.hasContext())
    return {};
  resolveByName();
  std::vector<PathFinding> Found =
      Finder(Functions, Entries, Overriders, ByName, R, Options).run();
  if (R.Context != ContextKind::InLoop || R.SqlPredicate != SqlPredicateKind::Query ||
      llvm::none_of(Entries,
                    [](const EntryPoint &E) { return E.K == EntryPoint::Handler; }))
    return Found;
  std::set<std::pair<std::string, uint32_t>> Seen;
  for (const PathFinding &F : Found)
    Seen.insert({F.At.File, F.At.Begin});
  for (PathFinding &F : Finder(Functions, Entries, Overriders, ByName, R, Options,
                               /*OnRequestPathOnly=*/true)
                            .run())
    if (Seen.insert({F.At.File, F.At.Begin}).second)
      Found.push_back(std::move(F));
  return Found;
}

} // namespace stresslint
