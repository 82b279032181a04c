//===--- Summary.h - What one translation unit tells the link step
//---------===//
///
/// \file
/// The context rules (queries in loops, blocking work in request handlers,
/// hot-path aggregates, locks in fan-out tasks) need paths that cross
/// functions and files. Each translation unit yields a summary of the
/// functions it defines: the calls, SQL executions, blocking calls and task
/// dispatches in their bodies (each with the loop it runs in), and the
/// functions frameworks enter (request handlers, per-item job handlers). The
/// driver collects the summaries of a run and links them (graph/Link.h).
///
/// Locations are files and byte offsets, so a summary outlives the AST it
/// came from and can be stored for the editor and plugin modes.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_GRAPH_SUMMARY_H
#define STRESSLINT_GRAPH_SUMMARY_H

#include "sql/SqlFacts.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace stresslint {

/// A byte range in a file; End == Begin when only a point is known.
struct SrcRange {
  std::string File;
  uint32_t Begin = 0, End = 0;
  bool valid() const { return !File.empty(); }
};

/// A fact of an executed SQL text (sql/SqlFacts.h) located in the source.
struct LocatedFact {
  SqlFact Fact;
  SrcRange Where;
};

/// Something a function body does that the link step cares about.
struct Event {
  enum Kind {
    Call,     ///< Calls another function (by id).
    Sink,     ///< Runs SQL here (a declared sink or an inferred one).
    Blocking, ///< A blocking or long call (sleep, file I/O, outbound HTTP).
    Dispatch, ///< Starts a task (a function by id) on another thread/queue.
  };
  Kind K = Call;
  SrcRange At;
  /// Index into FunctionSummary::Loops of the innermost loop whose body
  /// contains this event, or -1.
  int InLoop = -1;
  /// Call/Dispatch/Loop: the function reached, and how to name it.
  std::string Callee, CalleeName;
  /// Call: a virtual call, which also reaches the overriders.
  bool Virtual = false;
  /// Sink: an embedded database (no network round trip per statement).
  bool InProcess = false;
  /// Runs only when a batch the code accumulates is full (`if
  /// (buf.size() >= max) flush()`, `if (++n % 500 == 0) commit()`): once
  /// per batch, not per item.
  bool Batched = false;
  /// Runs in the arm of a lazy load into the object (`if (dirty_) { cache_
  /// = load(); dirty_ = false; }`): once until the cache is reset, not per
  /// call (lazyLoadGuard).
  bool Memoised = false;
  /// Call: made on an object declared in the innermost loop around it (the
  /// loop's element, or one built per iteration): a lazy load the callee
  /// keeps in that object (Memoised) runs once per item.
  bool PerItemObject = false;
  /// Blocking: the call polls (`polls: true`), so the loop around it is a
  /// polling loop; read while the function is summarised, not stored.
  bool Polls = false;
  /// Sink: inferred from SQL text handed to Callee, a function of the
  /// project (its body, when known, says what really runs it).
  bool Inferred = false;
  /// Sink whose SQL is not known here: the index of this function's
  /// parameter whose text it runs (a wrapper `run(const std::string &sql)`),
  /// or -1.
  int RunsParam = -1;
  /// Sink: its statement is an item of a list of statements the function
  /// was given, which a loop runs one by one (graph/GivenStatements.h).
  /// Call: the query object it hands over was prepared with such an item.
  bool RunsGiven = false;
  /// Call: the index of the argument that hands over such an item, or -1.
  int GivenArg = -1;
  /// Sink whose SQL is not known here: the function (by id) whose return
  /// value is the SQL it runs (`sql << index.creationQuery()`, defined in
  /// another file), or empty. Its FunctionSummary::Returns tells the kind.
  std::string TextFrom;
  /// Call: the caller's own parameters it hands on, as (argument index,
  /// parameter index) pairs: `prepare(text)` in `exec(const QString &text)`.
  std::vector<std::pair<int, int>> Passes;
  /// Call: the arguments written as a list of one element
  /// (`QList<qint64>({id})`, `{id}`).
  std::vector<int> SingleItemArgs;
  /// The values this function's bool parameters must have for the event to
  /// run, as (parameter index, 0 or 1): `if (!unload) db.exec(...)`.
  std::vector<std::pair<int, int>> Requires;
  /// Call: its bool arguments known here, as (argument index, value): 0 or
  /// 1 for a literal (`unbind(id, true)`), 2 + P for this function's bool
  /// parameter P handed on.
  std::vector<std::pair<int, int>> Flags;
  /// Sink: read | write | control | schema | per-table (a whole table whose
  /// name is spliced in) | prepare | unknown; a short form of the SQL; its
  /// facts. Blocking: what is called and its category.
  std::string Statement, Text, Category;
  std::vector<LocatedFact> Facts;
  /// Sink: where the statement run here got its SQL when that is elsewhere
  /// (`q.prepare(sql)` before `q.exec()`): the statement's identity.
  /// Call: the object the call is made on (or is handed) was prepared there
  /// with Statement/Text, so a prepared-statement execution the callee
  /// reaches runs that statement.
  SrcRange Origin;
};

/// A loop in a function body.
struct LoopInfo {
  SrcRange At;
  std::string Kind; ///< for, range-for, while, do, or the algorithm name.
  /// The constant trip count when the loop provably runs a fixed number of
  /// times (`for (int i = 0; i < 3; ++i)`, a braced list), else -1.
  int TripCount = -1;
  /// Why the loop is not per-item work: "retry loop", "polling loop", ...
  std::string NotPerItem;
  /// The loop goes over a list the program fixes, not the data: a braced
  /// list, a constant array or table, a container initialised from
  /// literals and never modified, a counter up to a compile-time constant.
  bool FixedList = false;
  /// Index of the loop that directly encloses this one in the same
  /// function, or -1.
  int Parent = -1;
  /// The parameter whose elements the loop goes over (`for (x : ids)`,
  /// `i < ids.count()`), or -1: called only with one-element lists
  /// (Event::SingleItemArgs), it runs once.
  int OverParam = -1;
};

struct FunctionSummary {
  std::string Id;   ///< USR, or `lambda:<file>:<offset>`.
  std::string Name; ///< As users read it: `OrderRepository::loadAuthor`.
  SrcRange Def;
  std::vector<std::string> Overrides; ///< Ids of methods this one overrides.
  /// For a method written `virtual`, `override` or `final` that Clang
  /// found overriding nothing (a type in the base's signature is unknown
  /// without headers): the bases its class is
  /// written with (`Storage` of `class SqliteStorage : public Storage`). A
  /// call by name on a `Storage` that defines no such method in the run
  /// reaches it, as a virtual call reaches its overriders.
  std::vector<std::string> ClassBases;
  /// How many arguments a call may pass (defaults, variadics); MaxArgs -1:
  /// any number. Calls resolved by name (below) must fit.
  unsigned MinArgs = 0;
  int MaxArgs = -1;
  std::vector<LoopInfo> Loops;
  std::vector<Event> Events;
  /// Why a call of this function does not repeat its work per call, or
  /// empty: "memoised in 'cache_'" (a lookup that returns a cached value
  /// before it queries, then stores the result), "runs once
  /// ('initialized_')" (a flag checked on entry and set after).
  std::string Once;
  /// The body is one statement (besides `using` and alias declarations),
  /// so the function is a name for it (`void sleepMs(long ms) {
  /// std::this_thread::sleep_for(...); }`): a call of it is that statement,
  /// and the blocking rule reports a blocking call made here where this
  /// function is called.
  bool Wraps = false;
  /// The kind of statement (Event::Statement) every return of this function
  /// hands back as text (`std::string Index::dropQuery() const`: schema),
  /// or empty when its returns are not all SQL of one kind.
  std::string Returns;
};

/// A function a framework enters: an HTTP request handler or a per-item job
/// handler.
struct EntryPoint {
  enum Kind { Handler, JobHandler };
  Kind K = Handler;
  std::string Function, Name;
  std::string How; ///< "cpp-httplib route", "[[clang::annotate]]", ...
  SrcRange At;     ///< Where it is registered or declared.
};

struct TUSummary {
  std::string MainFile;
  std::vector<FunctionSummary> Functions;
  std::vector<EntryPoint> Entries;
  /// Functions stored in a function-pointer field (`t_engine e = {...,
  /// mysql_query}`, `e.query = &f`), as (`field:<USR>`, function id): a
  /// call through the field may enter each of them. Also the slots
  /// connected to a Qt signal, as (the signal's id or `signal:<name>` for
  /// Qt's SIGNAL() strings, the slot's id or `signal:<name>`): emitting the
  /// signal calls each.
  std::vector<std::pair<std::string, std::string>> FieldStores;
};

/// The callee id of a call Clang could not resolve (its header is missing):
/// `by-name:<name>/<arity>/<scope>`, the scope being the class or namespace
/// as written or known (empty when unknown). The link step resolves it
/// against the functions of the run (graph/Link.h).
std::string byNameCallee(llvm::StringRef Name, unsigned Arity, llvm::StringRef Scope);
struct ByNameCallee {
  /// `*`: a callable named without a call (`&Api::createItem`).
  static constexpr unsigned AnyArity = ~0u;
  llvm::StringRef Name, Scope;
  unsigned Arity = 0;
};
std::optional<ByNameCallee> parseByNameCallee(llvm::StringRef Id);

std::string serializeSummary(const TUSummary &S);
llvm::Expected<TUSummary> parseSummary(llvm::StringRef Json);

/// Stores \p Summaries under \p Dir, one file per main file, each written
/// atomically, for the editor and plugin modes.
llvm::Error storeSummaries(llvm::StringRef Dir, llvm::ArrayRef<TUSummary> Summaries);
/// The summaries stored under \p Dir, except the one of \p ExcludeMain.
/// Unreadable or malformed files are skipped: they are a cache.
std::vector<TUSummary> loadStoredSummaries(llvm::StringRef Dir,
                                           llvm::StringRef ExcludeMain);

/// The one way a driver receives the summary of each TU it analyses: the
/// checks of a TU hand it over when the TU ends (tidy/TUAnalysis.h).
class TUSummaryConsumer {
public:
  virtual ~TUSummaryConsumer();
  virtual void consume(const TUSummary &Summary) = 0;
};
/// Installs the session's consumer (null: none), once per session before
/// any TU runs. While one is installed the driver links the summaries of
/// all its TUs after the last one, so context checks only contribute
/// theirs. Without one (clang-tidy --load, a plain clang-tidy run) a
/// context check links its TU with the summaries the last CLI run stored.
void setTUSummaryConsumer(TUSummaryConsumer *Consumer);
TUSummaryConsumer *tuSummaryConsumer();

} // namespace stresslint

#endif
