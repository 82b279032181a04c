//===--- RuleSet.h - Rules and API knowledge loaded from YAML --------------===//
///
/// \file
/// A rule is data (`rules/<id>.yaml`): its words, options and a `match:` made
/// of engine primitives. API knowledge (`rules/apis/*.yaml`) says which calls
/// run SQL and which functions never take SQL. The defaults are embedded in
/// the binary; `--rules PATH` adds or overrides files.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_RULES_RULESET_H
#define STRESSLINT_RULES_RULESET_H

#include "rules/Registry.h"
#include "sql/Dialect.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <climits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace re2 {
class RE2;
} // namespace re2

namespace YAML {
class Node;
} // namespace YAML

namespace stresslint {

struct RuleOption {
  std::string Name;
  std::string Default;
  std::string Description;
  /// The registry's type when a primitive of the rule reads the option,
  /// else the type of its default (optionTypeOf); set when loaded.
  OptionType Type = OptionType::Text;
};

/// A rule, its words parsed once when loaded and its match checked against
/// the registry of primitives (rules/Registry.h).
struct Rule {
  std::string Id;
  std::string Summary;
  RuleSeverity Severity = RuleSeverity::Warning;
  RuleStatus Status = RuleStatus::Stable;
  /// One line; expands the variables of the rule's primitives (`{snippet}`).
  std::string Message;
  std::string Note; ///< Optional note line, same expansions.
  /// Context rules: the message when the statement reached writes.
  std::string WriteMessage;
  std::string Docs; ///< Docs path or URL.
  std::vector<RuleOption> Options;
  /// `match.sql`: the SQL predicate; None for a call set.
  SqlPredicateKind SqlPredicate = SqlPredicateKind::None;
  /// `match.context`: where the construct must run for the rule to fire;
  /// None for SQL-only rules.
  ContextKind Context = ContextKind::None;
  /// `match.call`: a call set instead of an SQL predicate.
  CallSetKind CallSet = CallSetKind::None;
  /// `report`: `entry` reports at the first step of the path (the call in
  /// the loop, the handler or the dispatch), `target` at the construct.
  ReportAt Report = ReportAt::Entry;
  std::string Source; ///< Where the rule was loaded from.
  bool BuiltIn = false;

  const RuleOption *option(llvm::StringRef Name) const;
  bool hasContext() const { return Context != ContextKind::None; }
  /// The registry entries of its match: its context, SQL predicate and
  /// call set, those it has.
  llvm::SmallVector<const Primitive *, 3> primitives() const;
  /// The options its primitives read, each once (in the registry's order,
  /// the context's first); a context rule's exclude the SQL check's own.
  std::vector<const PrimitiveOption *> primitiveOptions() const;
  /// The variables its texts expand: its context's, else its predicate's.
  llvm::ArrayRef<const char *> variables() const;
};

/// A name pattern: an exact qualified name, or a glob with `*` (compiled to a
/// linear-time RE2 automaton), or `re:<RE2 syntax>`.
class NamePattern {
public:
  static llvm::Expected<NamePattern> compile(llvm::StringRef Pattern);
  bool matches(llvm::StringRef Name) const;
  const std::string &text() const { return Text; }

private:
  std::string Text;
  std::shared_ptr<re2::RE2> Regex; ///< Null for exact names.
};

/// A call that runs SQL.
struct Sink {
  std::string Api;
  NamePattern Function;
  /// Which argument carries the SQL; negative counts from the end (-1 is the
  /// last argument written). For operators, 0 is the left operand.
  /// NoSqlArg (`sql-arg: none`): the call runs a statement prepared earlier.
  static constexpr int NoSqlArg = INT_MIN;
  int SqlArg = 0;
  /// For `<<` sinks: `concat` appends every further `<<` operand to the SQL
  /// (SOCI), `first` takes only this operand (Drogon binds parameters).
  std::string Stream = "first";
  /// `prepares: true`: the call only prepares the SQL; it runs later.
  bool Prepares = false;
  /// `prepare-round-trips: true`: preparing is itself a round trip to the
  /// server (libpq's PQprepare), so a prepare per iteration costs like a
  /// query; otherwise only the later execution counts.
  bool PrepareRoundTrips = false;
  /// `in-process: true`: an embedded database (SQLite): a statement costs
  /// no network round trip, so many small queries are not an N+1 problem.
  bool InProcess = false;
  /// `statement-arg: N`: the statement the SQL goes to, which `binds:`
  /// calls name (sqlite3_prepare_v2's `&stmt`); by default the object of a
  /// member call or the variable a constructor initialises.
  static constexpr int ObjectStatement = INT_MIN;
  int StatementArg = ObjectStatement;
  /// `params: following`: the arguments after the SQL are the values of
  /// its placeholders, in order (`exec_params(sql, a, b)`).
  bool ParamsFollow = false;
  /// The API file's `dialect:`: how the SQL the sink runs is read.
  SqlDialect Dialect = SqlDialect::PostgreSQL;
  /// `returns: std::future`: the class of what the call returns, for code
  /// without the API's headers: `auto f = db->execSqlAsyncFuture(sql);`
  /// makes `f.get()` a `std::future::get`.
  std::string Returns;
};

/// A call that binds a value to a placeholder of a prepared statement
/// (`q.bindValue(":name", v)`, `sqlite3_bind_text(stmt, 1, v, ...)`, SOCI's
/// `use(v)` after `sql << "..."`).
struct Bind {
  std::string Api;
  NamePattern Function;
  /// The statement: an argument, or the object of a member call.
  int StatementArg = Sink::ObjectStatement;
  /// The placeholder: its name (`":name"`) or number; -1: the next one.
  int NameArg = -1;
  int ValueArg = 0;
  /// The number of the first placeholder (Qt counts from 0, SQLite from 1),
  /// or AutoIndexBase (`index-base: auto`): from 0 when one of the calls on
  /// a statement binds 0, else from 1 (a project's wrapper, either way).
  int IndexBase = 1;
  static constexpr int AutoIndexBase = -1;
};

/// A call that reads what a sink returned (`results:` in an API file): the
/// rows and columns the program uses, which decide the columns a `SELECT *`
/// can name instead.
struct ResultCall {
  enum Kind {
    Column,   ///< Reads one column of a row: `row["title"]`, `q.value(2)`.
    Row,      ///< Gives a row (or the result) to read on: `r[0]`, `q.record()`.
    NoColumn, ///< Reads no column: `q.next()`, `PQntuples(res)`, `r.size()`.
    /// Hands the rows to a callable (`execSqlAsync(sql, [](const Result &r)
    /// {...})`, Drogon's `>> [](const Result &r) {...}`): its first
    /// parameter is the result, when its type matches ResultType.
    Callback,
  };
  Kind K = Column;
  std::string Api;
  NamePattern Function;
  /// The result or row read: an argument, or the object of a member call
  /// (for an operator, the left operand), or (AnyArg, a bare name in
  /// `no-columns`) wherever the result is.
  static constexpr int AnyArg = INT_MIN + 1;
  int ResultArg = Sink::ObjectStatement;
  /// Column: the argument that names the column (a string) or gives its
  /// 0-based position (an integer); for a member operator, 0 is the operand
  /// after the object (`row["title"]`).
  int KeyArg = 0;
  /// Callback: the argument that is the callable (counted as KeyArg), and
  /// the class its first parameter must be (qualified, no template
  /// arguments): an exception handler beside it is not the rows.
  int CallableArg = 0;
  std::optional<NamePattern> ResultType;
};

/// Recognises functions by what they are or by how they are registered:
/// request handlers, per-item job handlers, task dispatchers, per-element
/// algorithms and blocking calls are all declared this way in API YAML.
struct Recognizer {
  static constexpr int AnyCallableArg = INT_MIN;
  std::string Api;
  std::string How; ///< For messages: "cpp-httplib route", "file I/O", ...
  /// The function's own qualified name (for blocking calls: the callee).
  std::optional<NamePattern> Function;
  /// A call that receives the function as an argument (a lambda, `&f`,
  /// `&C::m`, `bind(&C::m, ...)`): `svr.Get("/", handler)`.
  std::optional<NamePattern> Call;
  int CallableArg = AnyCallableArg; ///< Negative counts from the end.
  /// The function overrides a method of this qualified name.
  std::optional<NamePattern> Override;
  /// The function is defined by an expansion of this macro.
  std::optional<NamePattern> Macro;
  /// The function has a parameter of this class (qualified, no template
  /// arguments); combined with Function when both are given.
  std::optional<NamePattern> ParamType;
  /// `[[clang::annotate("<Annotation>")]]` on the function.
  std::string Annotation;
  /// Dispatch of `new C(...)`/`C(...)`: method C::<TaskMethod> is the task.
  std::string TaskMethod;
  /// Dispatch of `f(x)`: f is the task (a coroutine handed to co_spawn).
  bool TaskFromCall = false;
  /// Blocking: `polls: true`, the call waits for something to change
  /// (a sleep, a wait on another thread): a loop around it is a polling
  /// loop, not per-item work.
  bool Polls = false;
  /// Dispatch: `returns: std::future`, the class of what the call returns,
  /// for code where Clang could not build the call (`auto task =
  /// std::async(..)` over a lambda of unknown type; `task.get()` waits).
  std::string Returns;
};

/// A call that builds or carries text (`strings:` in an API file): how the
/// SQL text it makes is rebuilt from its arguments (lib/cpp/Reconstruct).
struct StringCall {
  enum Kind {
    Text,        ///< `builds: text`: text from its arguments (QString, tr).
    Literal,     ///< `builds: literal`: the text of its first argument.
    Concat,      ///< `builds: concat`: its arguments, one after the other.
    Number,      ///< `builds: number`: the digits of its number argument.
    Format,      ///< `builds: format`: a `{}` template, then its values.
    Printf,      ///< `builds: printf`: a variadic template (`fmt, args...`).
    ArgTemplate, ///< `builds: arg-template`: `%1` markers its chain fills.
    Append,      ///< `appends: true`: adds its argument to its object.
    Prepend,     ///< `prepends: true`: puts its argument before its object.
    /// `replaces: true`: puts a text for each place a marker is in a string
    /// (`s.replace("{m}", x)`, `replace_all(s, "{m}", x)`).
    Replace,
    /// `clears: true`: empties its object (`s.clear()`).
    Clear,
  };
  Kind K = Text;
  std::string Api;
  NamePattern Function;
};

/// A call that wraps a callable (`binders:` in an API file, `std::bind`):
/// what it returns runs the callable at CallableArg.
struct Binder {
  std::string Api;
  NamePattern Function;
  int CallableArg = 0;
};

/// A macro a framework's header defines (`macros:` in an API file): a parse
/// without the header defines it so, when the code uses it as an unknown
/// name (`Q_OBJECT` is empty, `Q_SIGNALS` is `public`).
struct MacroDefinition {
  std::string Api;
  std::string Name;
  std::string Definition;
  /// Function-like, any arguments: `Q_ENUM(Type)` (`arguments: true`).
  bool Arguments = false;
  /// Function-like with these parameters (`parameters: [METHOD, PATH,
  /// NAME, ...]`), written between the parentheses; empty: `(...)`.
  std::string Parameters;
  /// Defined only in a file that writes one of these macros followed by
  /// `(` (`only-with: [ENDPOINT]`): a name as common as `PATH` or
  /// `QUERY` is left alone in code that is not the framework's.
  std::vector<std::string> OnlyWith;
};

/// What a method does, said by name in an API file's method lists: calls
/// the analysis reads through, or knows to change nothing, without running
/// anything (rules/ApiFile.cpp, docs/rules-yaml.md "Methods by name").
enum class MethodRole {
  /// `text-views:` returns its object's text in another type or form
  /// (`s.c_str()`, `q.toUtf8()`, `os.str()`): the same SQL.
  TextView,
  /// `read-methods:` only reads its object, const or not (`v.begin()`,
  /// `m.find(k)`): a container only read keeps its initial elements.
  Read,
  /// `element-reads:` gives one element of its container, read or taken
  /// (`q.front()`, `l.takeFirst()`, `v.at(i)`).
  ElementRead,
  /// `library-methods:` a member of the standard containers, strings and
  /// smart pointers (`size`, `get`, `insert`): a call Clang could not
  /// resolve by such a name, on an object of unknown type, is one of those
  /// and never linked by name to a project function.
  LibraryMethod,
  /// `pass-through:` a function that gives back its one argument
  /// (`std::move(x)`, `std::as_const(x)`, `qAsConst(x)`): read as `x`.
  PassThrough,
  /// `lookup-methods:` looks a key up in its container (`c.find(k)`,
  /// `c.contains(k)`): on a member, a cache checked before the work.
  Lookup,
  /// `end-methods:` the iterator past the end (`c.end()`), which a lookup
  /// is compared with.
  End,
  /// `size-methods:` the number of elements (`v.size()`): a loop up to a
  /// fixed container's size goes over a fixed list.
  Size,
  /// `empty-checks:` whether the container has no element (`c.empty()`):
  /// on a member, a cache filled once.
  EmptyCheck,
  /// `store-methods:` stores into its object (`c.insert(k, v)`,
  /// `flag.store(true)`): what sets a cache or a done flag.
  Store,
  /// `flag-reads:` reads a flag's value (`done.load()`).
  FlagRead,
  /// `flag-types:` a class that holds a done flag (`std::atomic`,
  /// `std::once_flag`), read by conversion or `flag-reads:`.
  FlagType,
  /// `open-checks:` whether a connection is open (`db.isOpen()`): what
  /// follows sets it up, once per connection.
  OpenCheck,
  /// `open-methods:` opens a connection (`db.open()`): what sets the
  /// object an `open-checks:` call reads.
  Open,
  /// `text-streams:` a class (not a method) whose `<<` writes text
  /// (`std::ostringstream`): a local of it builds SQL; `<<` on anything
  /// else (a logger) writes a message.
  TextStream,
  /// `signal-connects:` connects a signal to a slot (`QObject::connect`):
  /// emitting the signal calls the slot (graph/Link.h).
  SignalConnect,
};
inline constexpr unsigned MethodRoleCount = 16;

/// Request handlers and callees inferred without configuration, for code
/// linted without its headers or with an in-house HTTP framework
/// (`inference:` in an API file; a later file's keys replace earlier ones).
struct Inference {
  /// Unresolved calls (a missing header) resolved by name and arity.
  bool ByName = true;
  /// A call that takes a route-like string and a callable registers it.
  bool Routes = true;
  /// A function with request- and response-like parameters is a handler.
  bool ParamTypes = true;
  /// An override of a virtual named like a request handler is a handler.
  bool Overrides = true;
  /// Type names (as written, without template arguments) of requests and
  /// responses; function names that make a request parameter enough; names
  /// of client-side functions that are never handlers.
  std::optional<NamePattern> RequestType, ResponseType, HandlerName, NotHandlerName;
  /// Names of virtuals whose overrides are handlers.
  std::optional<NamePattern> OverrideName;
  /// Calls that register an endpoint by name (`registerEndpoint("x", f)`).
  std::optional<NamePattern> EndpointCall;
  /// Calls that take a string and a callable without registering a handler
  /// (connect, timers, threads, loggers).
  std::optional<NamePattern> NotRegistration;
};

/// What the API files declare (`api:` documents, rules/ApiFile.cpp), in the
/// order the files were read.
struct ApiTables {
  /// Reads one API file into the tables; \p File names it in errors.
  llvm::Error add(const YAML::Node &Doc, llvm::StringRef File);
  bool isStringCall(StringCall::Kind K, llvm::StringRef Qualified,
                    llvm::StringRef Plain) const;
  bool buildsText(llvm::StringRef Plain) const;
  const Binder *binder(llvm::StringRef Plain) const;
  const MacroDefinition *macro(llvm::StringRef Name) const;
  bool hasMethodRole(MethodRole R, llvm::StringRef Qualified,
                     llvm::StringRef Plain) const;
  bool hasMethodRoleNamed(MethodRole R, llvm::StringRef Name) const;

  std::vector<Sink> Sinks;
  std::vector<Bind> Binds;
  std::vector<ResultCall> ResultCalls;
  std::vector<NamePattern> NotSqlFunctions;
  std::vector<NamePattern> NotSqlMacros;
  std::vector<NamePattern> BatchFunctions;
  std::vector<Recognizer> Handlers, JobHandlers, Dispatchers, PerElement, Blocking,
      RequestLoops;
  Inference Infer;
  std::vector<StringCall> StringCalls;
  std::vector<Binder> Binders;
  std::vector<MacroDefinition> Macros;
  /// The method lists, indexed by MethodRole.
  std::vector<NamePattern> Methods[MethodRoleCount];
};

class RuleSet {
public:
  RuleSet();

  /// Loads the embedded defaults, then each of \p UserPaths (a YAML file or a
  /// directory of them). Errors read `file:line:col: error: ...`.
  static llvm::Expected<RuleSet> load(const std::vector<std::string> &UserPaths);

  const std::vector<Rule> &rules() const { return Rules; }
  /// The user paths given to load(), in order.
  const std::vector<std::string> &userPaths() const { return UserPaths; }
  const Rule *rule(llvm::StringRef Id) const;
  const std::vector<Sink> &sinks() const { return apis().Sinks; }
  const std::vector<Bind> &binds() const { return apis().Binds; }
  const std::vector<ResultCall> &resultCalls() const { return apis().ResultCalls; }
  /// Functions and macros whose string arguments are never SQL (logging,
  /// formatting, exceptions).
  const std::vector<NamePattern> &notSqlFunctions() const {
    return apis().NotSqlFunctions;
  }
  const std::vector<NamePattern> &notSqlMacros() const { return apis().NotSqlMacros; }
  /// Functions that collect SQL to run later as one batch (`batch.add(sql)`,
  /// a pipeline's insert): handing them SQL does not execute it.
  const std::vector<NamePattern> &batchFunctions() const {
    return apis().BatchFunctions;
  }
  const std::vector<Recognizer> &handlers() const { return apis().Handlers; }
  const std::vector<Recognizer> &jobHandlers() const { return apis().JobHandlers; }
  const std::vector<Recognizer> &dispatchers() const { return apis().Dispatchers; }
  const std::vector<Recognizer> &perElement() const { return apis().PerElement; }
  const std::vector<Recognizer> &blocking() const { return apis().Blocking; }
  /// Calls whose loop accepts one request per iteration (FastCGI's
  /// `while (FCGX_Accept_r(&r) >= 0)`): the body is a request handler.
  const std::vector<Recognizer> &requestLoops() const { return apis().RequestLoops; }
  const Inference &inference() const { return apis().Infer; }
  const std::vector<StringCall> &stringCalls() const { return apis().StringCalls; }
  /// Is a call of \p Qualified (`fmt::format`; may be empty when unknown)
  /// or \p Plain (`format`) declared `strings:` of kind \p K?
  bool isStringCall(StringCall::Kind K, llvm::StringRef Qualified,
                    llvm::StringRef Plain) const {
    return apis().isStringCall(K, Qualified, Plain);
  }
  /// Does a call named \p Plain, as written where its header is missing,
  /// only build text (a `strings:` entry of any kind but printf and
  /// appends)? The SQL it is handed runs where the text goes.
  bool buildsText(llvm::StringRef Plain) const { return apis().buildsText(Plain); }
  /// The `binders:` entry a call named \p Plain (its name without scope,
  /// as calls that did not resolve are known) matches, or null.
  const Binder *binder(llvm::StringRef Plain) const { return apis().binder(Plain); }
  /// The `macros:` entry named \p Name (the last one declared), or null.
  const MacroDefinition *macro(llvm::StringRef Name) const {
    return apis().macro(Name);
  }
  /// Every `macros:` entry, in the order declared.
  const std::vector<MacroDefinition> &macros() const { return apis().Macros; }
  /// Is a method of qualified name \p Qualified (may be empty when the
  /// call did not resolve) or plain name \p Plain listed with role \p R?
  bool hasMethodRole(MethodRole R, llvm::StringRef Qualified,
                     llvm::StringRef Plain) const {
    return apis().hasMethodRole(R, Qualified, Plain);
  }
  /// Is a method listed with role \p R named \p Name, whatever its class
  /// (`QObject::connect` is named `connect`)? For calls Clang could not
  /// resolve, whose class is not known.
  bool hasMethodRoleNamed(MethodRole R, llvm::StringRef Name) const {
    return apis().hasMethodRoleNamed(R, Name);
  }
  /// A digest of every file loaded (names and contents, built-ins
  /// included), in order: results computed with another digest may differ.
  const std::string &digest() const { return Digest; }
  /// True when an enabled rule needs call-graph summaries.
  bool hasContextRules() const;

  /// Parses one YAML document; \p Name is used in diagnostics.
  llvm::Error addFile(llvm::StringRef Name, llvm::StringRef Content, bool BuiltIn);

private:
  /// The API tables, read on first use: a run of `.sql` files never needs
  /// the built-in API files, three quarters of the YAML's bytes.
  const ApiTables &apis() const;

  std::vector<Rule> Rules;
  std::vector<std::string> UserPaths;
  std::string Digest;
  struct LazyApis;
  std::shared_ptr<LazyApis> Apis;
};

/// The rule set the checks of this process use. The CLI installs one built
/// from `--rules`; otherwise the embedded defaults, plus the files and
/// directories listed in the environment variable `STRESSLINT_RULES`
/// (separated by `:`), are loaded on first use.
const RuleSet &activeRuleSet();
void setActiveRuleSet(RuleSet Rules);

/// Embedded files (generated at build time from rules/ and docs/rules/).
struct EmbeddedFile {
  const char *Path;
  const char *Content;
};
llvm::ArrayRef<EmbeddedFile> embeddedRuleFiles();
llvm::ArrayRef<EmbeddedFile> embeddedDocFiles();

/// The docs page of rule \p Id, or an empty string.
llvm::StringRef embeddedDoc(llvm::StringRef Id);

} // namespace stresslint

#endif
