//===--- Builder.h - The visitor behind a TU's call-graph summary ---------===//
///
/// \file
/// The RecursiveASTVisitor that builds a translation unit's summary
/// (graph/GraphBuilder.h), declared for the files that define its parts:
/// GraphBuilder.cpp (the walk over functions, lambdas and calls),
/// BuilderLoops.cpp, BuilderNames.cpp, BuilderHandlers.cpp,
/// BuilderUnresolved.cpp, BuilderDropped.cpp, BuilderCalls.cpp and
/// BuilderPrepared.cpp. Private to lib/graph. Past 500 lines because it
/// declares one class, whose members those files share.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_GRAPH_BUILDER_H
#define STRESSLINT_GRAPH_BUILDER_H

#include "cpp/Names.h"
#include "cpp/RecoveredLoops.h"
#include "cpp/SqlSites.h"
#include "graph/GivenStatements.h"
#include "graph/Repetition.h"
#include "graph/Summary.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Token.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stresslint::graph {

/// The member a pointer to member written `&Class::name` names (`name`), or
/// empty when \p Text is not that.
std::string memberPointerName(llvm::StringRef Text);

// The parts of the builder are written against clang's names, as every
// file of lib/ is; the directive stays inside this private namespace.
using namespace clang;

/// Strips conversions, temporaries and wrappers around a callable or text.
const Expr *stripWrappers(const Expr *E);

/// `"/items/list"`, `"/api/v1/x/:id"`, `"/json.htm"`: a route, not a path on
/// disk (`"/tmp/file.txt"`, `"/usr/bin"`) nor a URL.
bool isRouteLike(llvm::StringRef S);

/// A word of \p Name says retry or attempt (`retries`, `maxTries`,
/// `numAttempts`; not `entries`).
bool isRetryName(llvm::StringRef Name);

class Builder : public RecursiveASTVisitor<Builder> {
  using Base = RecursiveASTVisitor<Builder>;

public:
  Builder(ASTContext &Ctx, const RuleSet &Rules, const SqlSites &Sites);

  bool shouldVisitTemplateInstantiations() const { return false; }
  bool shouldVisitImplicitCode() const { return false; }

  TUSummary finish();

  bool TraverseDecl(Decl *D);

  bool TraverseLambdaExpr(LambdaExpr *L);

  // --- Loops (BuilderLoops.cpp): the statements up to TraverseDoStmt ---
  // and inLoop, currentLoop; the rest of this section: GraphBuilder.cpp.

  // Only a loop's body runs once per iteration: its init, range and (for
  // practical purposes) condition are traversed outside the loop.
  bool TraverseForStmt(ForStmt *S);

  bool TraverseCXXForRangeStmt(CXXForRangeStmt *S);

  bool TraverseSwitchStmt(SwitchStmt *S);

  /// A block in a loop that ends by leaving it (`return`, `throw`, a
  /// `break` of that loop) runs at most once per run of the loop: what it
  /// calls belongs to the loops outside (`if (match) { return load(row); }`
  /// in a search over rows is no N+1).
  bool TraverseCompoundStmt(CompoundStmt *S);
  bool traverseBlock(CompoundStmt *S);
  /// The local flag of `if (first) { ...; first = false; }` (also `!done`
  /// set true, and `flag && f()` in the condition): the arm turns it off
  /// and nothing in the function turns it on again, so the condition and
  /// the arm run once per run of the loops inside the flag's scope.
  const VarDecl *onceFlag(const IfStmt *S) const;
  /// The calls in the statements of block \p S that Clang dropped whole,
  /// read from their tokens: `if (q.exec()) list.append(QPair<...>(...));`
  /// loses the `if` with its condition when the branch does not compile.
  /// `obj.name(...)` on a local, parameter, member or global of a class the
  /// TU knows is a call of its method of that many arguments, or of a sink
  /// the API YAML declares for that class, running what obj prepared; a
  /// plain `name(...)` of the class's own method or a file's function.
  void droppedStatementCalls(const CompoundStmt *S);
  /// The calls of an expression Clang gave up on and kept empty (`if
  /// (!alterTable(m_db.m_tables["t"], v))`, the subscript of no
  /// operator), read as a gap's.
  void emptyRecoveryCalls(const RecoveryExpr *E);
  /// The calls read from the tokens of \p Gaps (places, end excluded) in
  /// the function traversed.
  void droppedCallsIn(llvm::ArrayRef<std::pair<uint32_t, uint32_t>> Gaps);
  /// The re-spelled loops (`_Sf (T x ; range) body`) among \p Toks, the
  /// tokens of a gap: Clang dropped them again, and the calls read from
  /// their bodies run once per item.
  void droppedLoops(llvm::ArrayRef<clang::Token> Toks);
  /// Where a plain call written in \p FD may find its function: the
  /// namespaces around it, innermost first, the translation unit, and the
  /// project's anonymous namespaces at its top (`namespace { auto
  /// route(...) }`).
  llvm::SmallVector<const clang::DeclContext *, 4>
  enclosingScopes(const clang::FunctionDecl *FD);
  std::optional<llvm::SmallVector<const clang::NamespaceDecl *, 2>> AnonymousNamespaces;
  /// At \p Toks[I], a per-element algorithm handed a lambda Clang dropped
  /// (`std::remove_if(a, b, [&](auto &x) {...})`): the lambda's body as a
  /// loop of \p Function. Returns the index of the call's `)`, or 0.
  size_t droppedAlgorithmLoop(llvm::ArrayRef<clang::Token> Toks, size_t I,
                              size_t Function);

  /// A range-for Clang dropped for want of headers, re-parsed as an `if`
  /// (cpp/RecoveredLoops.h): its range has no type, so nothing bounds it.
  bool TraverseIfStmt(IfStmt *S);

  bool TraverseWhileStmt(WhileStmt *S);

  bool TraverseLabelStmt(LabelStmt *S);

  /// After lambda \p L (function \p Index) is traversed: when Clang lost
  /// the call of a lambda invoked where it is written (`[&] { ... }()`),
  /// the enclosing function's call of it.
  void invokedInPlace(const LambdaExpr *L, size_t Index);

  /// Before a loop's body is traversed: the loop it is about to push.
  void noteRepeatedCalls(const Expr *Cond, const Stmt *Body);

  bool TraverseDoStmt(DoStmt *S);

  bool VisitCallExpr(CallExpr *C);
  /// Whether \p C is made on an object declared in the innermost loop
  /// around it (Event::PerItemObject).
  bool onPerItemObject(const CallExpr *C) const;
  /// Whether \p D is a local declared in loop \p Loop of the current
  /// function (its element, or a local of its body).
  bool declaredInLoop(const Decl *D, int Loop) const;

  /// A call Clang could not build (arguments of unknown types, an
  /// undeclared function) is kept as a RecoveryExpr over the callee and
  /// the arguments.
  bool VisitRecoveryExpr(RecoveryExpr *RE);

  bool VisitVarDecl(VarDecl *V);
  /// `QSqlQuery q(QString("... %1").arg(id));` where the class is only a
  /// stub (its header missing): Clang keeps the arguments but not the
  /// constructor. A declared sink's constructor by the class's name runs
  /// the SQL it is handed.
  void unresolvedConstruction(const VarDecl *V);

  bool VisitCXXConstructExpr(CXXConstructExpr *C);

  // --- Function-pointer fields (BuilderCalls.cpp) ---
  /// `t_engine e = {..., mysql_query, ...}` and `e.query = &f`: the
  /// functions a call through the field may enter (TUSummary::FieldStores).
  bool VisitInitListExpr(InitListExpr *IL);
  bool VisitBinaryOperator(BinaryOperator *B);

private:
  /// The field of function-pointer type \p Callee calls through
  /// (`sql->query(...)`, `(*e.run)(...)`), or null.
  static const FieldDecl *calledField(const Expr *Callee);
  /// The id a call through \p F has: `field:<USR>`.
  static std::string fieldId(const FieldDecl *F);
  static bool isFunctionPointer(const FieldDecl *F);
  void recordFieldStore(const FieldDecl *F, const Expr *Value);
  /// `connect(sender, &A::changed, receiver, &B::reload)`, or with Qt's
  /// SIGNAL()/SLOT() strings: emitting the signal calls the slot.
  void recordConnection(const CallExpr *C);
  /// The same, of a call to connect() Clang could not resolve (Qt's
  /// headers missing): its arguments, the class it is called on if known.
  void recordConnection(llvm::ArrayRef<const Expr *> Args,
                        const CXXRecordDecl *Receiver);
  /// The member `&Class::name` names when Clang dropped its declaration,
  /// read from the text (memberPointerName); empty otherwise.
  std::string droppedMemberPointer(const Expr *E) const;
  /// `lambda in <enclosing function>`: how a lambda is shown.
  std::string lambdaName() const;
  /// The loop Clang dropped whole (droppedLoops) that \p Off of function
  /// \p Function is in, or -1.
  int droppedLoopAt(size_t Function, uint32_t Off) const;
  /// A call through a function-pointer field of the project's: the SQL
  /// handed to it runs there, as with a wrapper, and it enters every
  /// function stored in the field.
  void onFieldCall(const CallExpr *C, const FieldDecl *F,
                   llvm::ArrayRef<const Expr *> Args, SourceLocation At);
  /// SQL handed to a project's function (\p S, else the first argument
  /// holding free SQL) runs at the call: an inferred Sink event there.
  void addHandedSql(const Expr *Call, const SqlSite *S,
                    llvm::ArrayRef<const Expr *> Args, SourceLocation At,
                    const std::string &Callee, const std::string &Shown);
  /// A Call event of the current function to \p Callee at \p At.
  void addCallEvent(const Expr *Call, llvm::ArrayRef<const Expr *> Args,
                    SourceLocation At, std::string Callee, std::string Shown,
                    bool Virtual);

  /// A statement prepared on a query object (`q.prepare(sql)`), which a
  /// later `q.exec()` runs.
  struct Prepared {
    SrcRange At;
    std::string Statement, Text;
    std::vector<LocatedFact> Facts;
    /// Event::RunsParam and Event::RunsGiven of the prepare.
    int RunsParam = -1;
    bool RunsGiven = false;
  };

  struct FnState {
    size_t Function;
    std::vector<int> Loops;
    /// What a `break` leaves, innermost last: 'L' a loop, 'S' a switch.
    std::vector<char> BreakTargets;
    /// Calls a loop repeats until their result says stop (RepeatedCalls),
    /// with the loop's index: they run once per run of the loop around it.
    llvm::DenseMap<const Expr *, int> Repeated;
    const FunctionDecl *FD = nullptr; ///< Null for a request loop's body.
    llvm::DenseMap<const Decl *, Prepared> PreparedOn;
    /// The latest local or parameter of each name: what a name means where
    /// Clang kept only its spelling (a use of a variable of unknown type).
    llvm::StringMap<const DeclaratorDecl *> Locals;
    /// Variables holding an item of a list of statements the function was
    /// given (graph/GivenStatements.h).
    llvm::SmallPtrSet<const VarDecl *, 4> Given;
    /// The bool parameters' values the `if`s around the current statement
    /// require (Event::Requires).
    std::vector<std::pair<int, int>> Requires;
    /// How many `if`s around the current statement run their arm once a
    /// batch is full (Event::Batched).
    unsigned Batched = 0;
    /// How many `if`s around the current statement load a cache of the
    /// object once (Event::Memoised).
    unsigned Memoised = 0;
    /// How many `if`s around the current statement test a retry (`if
    /// (!firstAttempt)`), and whether a `retry:` label came before it: a
    /// sleep there is a back-off after a failure.
    unsigned Retrying = 0;
    bool AfterRetryLabel = false;
  };
  /// Whether \p Call waits to connect again after a failure: under an `if`
  /// on a retry counter, after a `retry:` label, or in a retry loop, where
  /// what is retried (the loop's body, else the function) connects.
  bool backingOff(const Expr *Call);
  /// An `if` whose condition tests that a batch is full (`if (buf.size() >=
  /// max && !flush())`): the operands from that test on and the arm it
  /// guards run once per batch. False when it tests no such thing.
  bool traverseBatchIf(clang::IfStmt *S);
  /// The tests of this function's bool parameters \p Cond makes, all of
  /// which hold when it is true (`!unload`, `a && !b`); \p Whole is set when
  /// the condition is nothing but them.
  std::vector<std::pair<int, int>> parameterTests(const Expr *Cond, bool &Whole) const;

  /// The variable whose text \p E is, also where Clang kept only its name
  /// (a variable of a type it could not name).
  const VarDecl *textVariableOf(const Expr *E) const;
  /// Where the unknown SQL \p Sql of sink \p E comes from: a parameter, or
  /// an item of a list of statements the function was given.
  void noteSqlSource(Event &E, const Expr *Sql) const;

  void pushFunction(size_t Index, const FunctionDecl *FD);

  std::vector<Event> &events();

  size_t beginFunction(const FunctionDecl *FD, std::string Id, std::string Name);

  bool inLoop(LoopInfo L, Stmt *Body);
  /// A loop over the elements of \p Range, \p Item taking each in turn (a
  /// range-for, a foreach macro's expansion).
  bool rangeLoop(SourceLocation For, const Expr *Range, const VarDecl *Item,
                 Stmt *Body);

  int currentLoop() const;

  void addEvent(Event E);

  // --- Names and locations (BuilderNames.cpp) --------------------------------

  std::string fileName(FileID FID) const;

  uint32_t offsetOf(SourceLocation L) const;

  SrcRange range(SourceLocation B, SourceLocation E) const;

  std::string functionId(const FunctionDecl *FD) const;
  /// Sets \p E's callee to the functions \p Fits a call of \p Name with
  /// \p Arity arguments may reach: the one, or the overloads of its scope.
  void setCallee(Event &E, llvm::ArrayRef<const FunctionDecl *> Fits,
                 llvm::StringRef Name, unsigned Arity) const;

  static std::string displayName(const FunctionDecl *FD);

  /// The qualified names a call's callee answers to: as declared, and as a
  /// member of the class of the object it is called on.
  static llvm::SmallVector<std::string, 2> calleeNames(const FunctionDecl *FD,
                                                       const CXXRecordDecl *Object);

  static bool matchesAny(const std::optional<NamePattern> &P,
                         llvm::ArrayRef<std::string> Names);

  static bool hasAnnotation(const FunctionDecl *FD, llvm::StringRef A);

  bool definedByMacro(const FunctionDecl *FD, const NamePattern &P) const;

  static bool overridesMatching(const CXXMethodDecl *M, const NamePattern &P,
                                unsigned Depth = 0);

  static bool hasParamOfType(const FunctionDecl *FD, const NamePattern &P);

  /// Does \p R recognise \p FD by what it is (not by a registering call)?
  bool recognises(const Recognizer &R, const FunctionDecl *FD) const;

  void recogniseEntry(const FunctionDecl *FD, const std::string &Id);

  // --- Handlers of frameworks nobody declared (BuilderHandlers.cpp) ----------

  /// The class a parameter's type names, as written (its header may be
  /// missing), without scope: `const http::server::request &` -> `request`.
  /// The type of a declaration as written before its name (an invalid
  /// type, from a missing header, keeps only this), reduced to a class.
  std::string declaredClass(const DeclaratorDecl *D) const;

  std::string paramTypeName(const ParmVarDecl *P) const;

  bool isOverride(const CXXMethodDecl *M) const;

  /// `override` or `final` written after the parameters: Clang drops the
  /// attribute when the base class is unknown (its header is missing).
  bool writtenOverride(const FunctionDecl *FD) const;

  /// Why \p FD looks like a request handler of a framework no API file
  /// declares: it overrides a virtual named like one, or takes a request
  /// and a response (or a request, with a handler's name). Empty if not.
  std::string inferredHandler(const FunctionDecl *FD) const;

  /// A call that hands a callable together with a route (`"/items"`) or,
  /// when the call's name says it registers endpoints, an endpoint's name
  /// (`registerEndpoint("createItem", &Api::createItem)`) registers a
  /// request handler of a framework no API file declares.
  /// A callable handed to what an unresolved call with a route returned
  /// (`app.route("/x")(f)`, Crow's CROW_ROUTE without its header): a
  /// registration inferred as inferRegistration does.
  void chainedRegistration(const CallExpr *C, llvm::ArrayRef<const Expr *> Args);
  void inferRegistration(const Expr *Call, llvm::StringRef CallName,
                         llvm::ArrayRef<const Expr *> Args, SourceLocation At);

  /// The callable a `binders:` call (`std::bind(&C::m, this)`) of \p Callee,
  /// unresolved, wraps: one of \p Args; else null.
  template <typename ArgRange>
  const Expr *boundCallable(const Expr *Callee, ArgRange Args) const {
    std::optional<Unresolved> U = unresolvedCallee(Callee);
    const Binder *B = U ? Rules.binder(U->Name) : nullptr;
    if (!B || static_cast<size_t>(B->CallableArg) >= llvm::size(Args))
      return nullptr;
    return *std::next(Args.begin(), B->CallableArg);
  }

  /// A callable argument Clang could not resolve (`&Api::createItem` of a
  /// method whose parameter types are unknown), by its written name: a
  /// `by-name:` id the link step resolves; empty if none.
  std::string callableByName(const Expr *Arg, std::string &Shown,
                             unsigned Depth = 0) const;

  /// A call in a loop's condition that accepts one request per iteration
  /// (`while (FCGX_Accept_r(&req) >= 0)`), as `request-loops:` declare.
  const Recognizer *requestLoopCall(const Stmt *S, unsigned Depth = 0) const;

  /// A request loop's body runs once per request, as a handler: it becomes
  /// a function of its own (`request loop in main`), entered by the
  /// framework, and the loop is not per-item work.
  bool requestLoop(LoopInfo L, Stmt *Body, const Recognizer &R);

  // --- Calls Clang could not resolve (BuilderUnresolved.cpp) -----------------

  /// A callee known by its name only.
  struct Unresolved {
    std::string Name;  ///< Unqualified.
    std::string Scope; ///< Class or namespace, as known or written; or empty.
    bool Member = false;
    std::string ObjectName;                 ///< `log` in `log.write(...)`.
    const DeclaratorDecl *Object = nullptr; ///< Its declaration, when known.
    /// The class of Scope when it is a class the TU defines.
    const CXXRecordDecl *ScopeClass = nullptr;
    SourceLocation NameLoc;

    /// The qualified names recognisers see: `Scope::Name`; a method of an
    /// unknown class is `<unknown>::Name`, so `re:.*::enqueue` still applies.
    llvm::SmallVector<std::string, 2> names() const {
      if (!Scope.empty())
        return {Scope + "::" + Name};
      return {Member ? "<unknown>::" + Name : Name};
    }
    std::string shown() const { return Scope.empty() ? Name : Scope + "::" + Name; }
  };

  std::string writtenText(SourceRange R) const;
  /// The project class a smart pointer \p Object points to, when the call
  /// whose method name is at \p NameLoc reaches it through `->` though
  /// Clang saw no `operator->` (`AmarokSharedPointer<Episode> e;
  /// e->deleteFromDb()`, its base's header missing); else null.
  const CXXRecordDecl *smartPointee(const DeclaratorDecl &Object,
                                    SourceLocation NameLoc) const;
  /// The text of the first string literal written between the parentheses
  /// of \p Call (escapes as written), or empty.
  std::string firstArgumentLiteral(const Expr *Call) const;

  /// The class of the innermost function being walked that is a method.
  const CXXRecordDecl *enclosingRecord() const;

  std::string enclosingClass() const;

  /// The base classes of \p RD as written, known or not: Clang drops a base
  /// whose header is missing (`class SqlQuery : public QSqlQuery`), and
  /// with it every member the class inherits.
  const std::vector<std::string> &writtenBases(const CXXRecordDecl *RD) const;
  mutable llvm::DenseMap<const CXXRecordDecl *, std::vector<std::string>> WrittenBases;

  /// Whether the class \p U names, or one of the bases it was written with,
  /// is \p Scope.
  bool inScope(llvm::StringRef Scope, const Unresolved &U) const;

  /// The variable, parameter or member an object expression names (`q`,
  /// `*q`, `this->q_`). Where Clang kept only the spelling of a variable of
  /// unknown type (a RecoveryExpr without children), the latest local of
  /// that name.
  const DeclaratorDecl *objectDecl(const Expr *Obj) const;

  /// The class of the object a member is called on: its declared type as
  /// written (the type itself may be unknown), or the class of `this`.
  std::string objectClass(const Expr *Obj, std::string &VarName) const;
  /// The class written for \p D, or, for `auto f = db->execSqlAsyncFuture(..)`
  /// whose type Clang could not deduce, the class a sink's `returns:` gives.
  std::string writtenOrReturnedClass(const DeclaratorDecl *D) const;

  std::string qualifierText(NestedNameSpecifierLoc Q) const;

  static std::string identifier(DeclarationName N);

  /// What an unresolved callee expression names.
  std::optional<Unresolved> unresolvedCallee(const Expr *E) const;

  /// A declared sink an unresolved call names: a free function by name
  /// (`PQexec`), a method when the object's declared type is the sink's
  /// class (`QSqlQuery q; q.exec()`).
  const Sink *sinkByName(const Unresolved &U, size_t Arity) const;

  /// A logger (`log.write(...)`, `Logger::info(...)`): never runs SQL.
  bool looksLikeLogging(const Unresolved &U) const;

  /// Whether \p Name is, in any case, the name of a declared query class's
  /// method that prepares a statement (`prepare`) or, with \p Prepares
  /// false, that runs the prepared one (`exec`; a project's subclass may
  /// spell it `Exec`).
  bool queryMethodNamed(llvm::StringRef Name, bool Prepares) const;
  llvm::StringSet<> PreparingMethods, RunningMethods;

  /// A sink's class and method (`QSqlQuery`, `exec`); empty for a free
  /// function.
  static std::pair<llvm::StringRef, llvm::StringRef> methodOf(const Sink &K);

  /// The prepared statement \p Obj holds, if any.
  const Prepared *preparedOn(const Decl *Obj) const;

  /// A prepare on an object of an unknown class (`q.prepare(sql)` of a
  /// project's subclass whose header is missing): \p S is its SQL, if seen.
  void prepareUnresolved(const Unresolved &U, const SqlSite *S, const Expr *Call,
                         llvm::ArrayRef<const Expr *> Args, SourceLocation At);

  /// What \p Obj prepared before \p At: seen, or in a `q.prepare(...)`
  /// Clang dropped whole (it read a member of unknown type), whose SQL
  /// then runs where \p Obj runs it.
  const Prepared *preparedOrDropped(const Decl *Obj, SourceLocation At);

  /// The run of what \p P prepared (`q.exec()`).
  void runPrepared(const Prepared &P, const Unresolved &U, const Expr *Call,
                   SourceLocation At);

  /// SQL an unresolved call runs: a declared sink matched by name, or a
  /// whole SQL statement handed to it.
  void unresolvedSink(const Unresolved &U, const Expr *Call,
                      llvm::ArrayRef<const Expr *> Args, SourceLocation At);

  // --- SQL in code Clang dropped (BuilderDropped.cpp) ------------------------

  /// Positions in code Clang dropped are places in the source manager's
  /// address space (a file location's raw encoding): a file's offsets are
  /// contiguous there, so positions and ranges of the main file and of the
  /// project's headers compare as a file's offsets do.
  static uint32_t place(SourceLocation FileLoc) { return FileLoc.getRawEncoding(); }
  /// Whether \p L (a file location) is in a file of the project's own:
  /// the main file or a header that is no library's (isLibraryCode).
  bool inProjectFile(SourceLocation L) const {
    return L.isValid() && L.isFileID() && !isLibraryCode(SM, L);
  }
  /// Whether \p B and \p E (file locations) are in one file of the
  /// project's own: a range whose places compare.
  bool inOneProjectFile(SourceLocation B, SourceLocation E) const {
    return inProjectFile(B) && E.isFileID() && SM.getFileID(B) == SM.getFileID(E);
  }

  struct BodyRange {
    uint32_t Begin, End; ///< places (place())
    size_t Function;
    int Loop = -1; ///< For a loop's body: the loop's index in the function.
  };
  /// A dropped call `name(... "/route" ..., [..](..) {..})` (Clang kept
  /// nothing of it): its lambda becomes a function of its own, a request
  /// handler, whose body \p Slots gets.
  void droppedRouteLambda(llvm::ArrayRef<Token> Toks, size_t Name, size_t Close,
                          std::vector<BodyRange> &Slots);
  /// The lambda written as the argument \p A of a dropped call
  /// (`[..](..) {..}`): a function of its own, whose body is returned.
  std::optional<BodyRange> droppedLambda(llvm::ArrayRef<Token> A);
  /// Bodies in the project's files, for the SQL literals of code Clang
  /// dropped.
  std::vector<BodyRange> Bodies;
  /// Loop bodies in the project's files: a dropped statement in one runs
  /// per item.
  std::vector<BodyRange> LoopBodies;
  /// Those of re-spelled loops Clang dropped whole (droppedLoops).
  std::vector<BodyRange> DroppedLoopBodies;
  /// Blocks in loops that end by leaving them (`return`, `throw`, `break`):
  /// what they hold runs once, in the loop that is left (Loop), if any.
  std::vector<BodyRange> ExitBlocks;

  /// Statements Clang dropped that hand their SQL on (droppedShape), read
  /// once; those a query object took run where the object runs them, not
  /// where they are written.
  struct DroppedSite {
    const SqlSite *S;
    uint32_t Offset; ///< its place (place())
    char Shape;
    std::string Name;
  };
  std::vector<DroppedSite> Dropped;
  /// Where the SQL of the statements Clang dropped starts (place()), and
  /// the site of each.
  llvm::DenseMap<uint32_t, const SqlSite *> DroppedSqlPlaces;
  std::set<const SqlSite *> Taken;
  /// Statements Clang dropped that a dropped call is handed, by name
  /// (`QString sql = "..."; q.exec(sql);`) or written in an argument
  /// (`db->execSql(QString::fromUtf8("SELECT ..."), id)`): where that call
  /// is, in which function (attachDroppedCalls, attachDroppedSql).
  struct Handing {
    SrcRange At;
    size_t Function;
    uint32_t Place; ///< the call's (place())
  };
  std::map<const SqlSite *, Handing> HandedTo;

  /// How a statement Clang dropped hands on its SQL, read from its tokens:
  /// `q.prepare(...)` prepares it on `q` ('p'); `QString sql(...)` or
  /// `sql = ...` keeps it in `sql` ('v'); else 0. \p Name gets the name.
  char droppedShape(const SqlSite &S, std::string &Name) const;

  /// The latest statement Clang dropped between \p After and \p Before in
  /// one of the project's files that hands its SQL on as \p Shape to
  /// \p Name.
  const SqlSite *droppedFor(char Shape, llvm::StringRef Name, SourceLocation After,
                            SourceLocation Before) const;

  /// The calls in the initializer Clang dropped from the local variable
  /// \p V (`int id = lookupId(it.next());` where `it`'s type is unknown),
  /// read from its tokens: each `name(...)` not after `.`/`->` is a call
  /// by name of that many arguments, in the enclosing class or a free
  /// function, where the function stands.
  void droppedInitializerCalls(const VarDecl *V);
  /// Whether the initializer Clang dropped from \p V, read from its
  /// tokens, is an item of a list of statements the function was given: a
  /// copy of one (`QString cmd(command)`, `line.trimmed()` with a text
  /// view), an element of a list that holds them (`statements.at(i)`), or
  /// either through a function of the program that takes the text alone
  /// and writes no statement (`cleanSql(sql).trimmed()`).
  bool droppedGivenCopy(const VarDecl *V) const;

  /// The calls of a dropped base's methods in the body of \p FD
  /// (`QSqlQuery::exec()` in `class Query : public QSqlQuery`, the base's
  /// header missing), which Clang drops with the statement around them,
  /// read from the tokens: a sink each names runs there.
  void droppedBaseCalls(const FunctionDecl *FD, size_t Function);

  /// Records \p Body's extent in \p Into when it lies in one of the
  /// project's files.
  void noteRange(std::vector<BodyRange> &Into, const Stmt *Body, size_t Function,
                 int Loop = -1);

  void noteBody(const Stmt *Body, size_t Index) { noteRange(Bodies, Body, Index); }

  /// The raw tokens of a file from place \p From through \p To (place()).
  std::vector<Token> fileTokens(uint32_t From, uint32_t To) const;

  /// The innermost loop of function \p Function whose body holds place
  /// \p Off, or -1.
  int loopAt(size_t Function, uint32_t Off) const;

  /// Functions Clang could not declare, by name: a parameter or the result
  /// is of a class whose header is missing (`QString name(int id)`). Clang
  /// drops every call of one, silently, with the statement around it.
  llvm::StringMap<llvm::SmallVector<const FunctionDecl *, 2>> InvalidFunctions;
  /// The places of the names of the calls the AST holds, and of
  /// those read from a dropped initializer's tokens.
  llvm::DenseSet<uint32_t> CallNames;
  /// The function of each body noted, by its index in the summary.
  llvm::DenseMap<size_t, const FunctionDecl *> BodyOwners;
  /// The variables of each function (by index) that hold an item of a list
  /// of statements it was given (FnState::Given), kept past its traversal
  /// for the arguments of its dropped calls.
  llvm::DenseMap<size_t, llvm::SmallPtrSet<const VarDecl *, 4>> GivenOf;
  /// The class of the object \p Object names in function \p Function (a
  /// local, a parameter or a member; pointed to with \p Arrow), if known.
  const CXXRecordDecl *objectClass(size_t Function, const Token &Object,
                                   bool Arrow) const;
  /// The arguments between \p Open and \p Close of dropped tokens that are
  /// written as a list of one element.
  std::vector<int> singleItemArguments(llvm::ArrayRef<Token> Toks, size_t Open,
                                       size_t Close) const;
  /// The index of the current function's parameter \p E names, or -1.
  int parameterIndex(const Expr *E) const;
  /// The parameter a loop condition counts up to (`i < ids.count()`), or -1.
  int countedParameter(const Expr *Cond) const;
  /// `Cls::instance().name(...)` at \p I of tokens Clang dropped: a call
  /// of the method of what the accessor returns, added; false when the
  /// tokens are not that.
  bool droppedAccessorCall(llvm::ArrayRef<Token> Toks, size_t I);
  /// A blocking call (API YAML `blocking:`) at \p I of tokens Clang dropped,
  /// known by the class written for it: `QThread::msleep(250)`, or
  /// `file.open(...)` on a local declared `QFile file(...)` whose header is
  /// missing. Added; false when the tokens are not one.
  /// A blocking function called by its name (`usleep(10)`,
  /// `std::this_thread::sleep_for(..)`) or a blocking class's object made
  /// (`std::ofstream out(path)`) in a statement Clang dropped.
  bool droppedBlockingFree(llvm::ArrayRef<Token> Toks, size_t I);
  /// What a qualified name as written (`std::ofstream`, `std::future`)
  /// names from the translation unit's scope, or null.
  const NamedDecl *lookupWritten(llvm::StringRef Qualified) const;
  /// The `blocking:` entry whose function \p Name (as written, qualified)
  /// matches, or null.
  const Recognizer *blockingNamed(llvm::StringRef Name) const;
  /// Whether the sleep at \p I of dropped \p Toks waits before trying
  /// again (a back-off): under an `if` or loop on a retry counter.
  bool droppedBackOff(llvm::ArrayRef<Token> Toks, size_t I) const;
  bool droppedBlockingCall(llvm::ArrayRef<Token> Toks, size_t I,
                           const DeclaratorDecl *Object);
  /// Lambdas connected to a signal in tokens Clang dropped (`connect(s,
  /// &Library::entryRemoved, this, [this]() { reload(); })`): a function of
  /// their own each, entered by the signal's name; their bodies' ranges.
  std::vector<BodyRange> droppedLambdaSlots(llvm::ArrayRef<Token> Toks);
  /// An event read from dropped tokens at \p Off: the dropped lambda's it
  /// is in (GapSlots), else the current function's.
  void addGapEvent(Event E, uint32_t Off);
  /// The dropped lambdas of the gap being read.
  std::vector<BodyRange> GapSlots;
  /// The local, parameter or member \p Object names in function \p Function.
  const DeclaratorDecl *objectDeclaration(size_t Function, const Token &Object) const;
  /// The argument \p Arg of a dropped call in function \p Function, read
  /// from its tokens: a local or parameter when it is a lone name.
  const VarDecl *droppedArgument(size_t Function, llvm::ArrayRef<Token> Arg) const;
  /// Is \p Toks[\p I] inside the arguments of a macro the API files define
  /// to make text of them (`SIGNAL(changed(int))`)? Such a name is no call.
  bool inStringizedArgument(llvm::ArrayRef<Token> Toks, size_t I) const;
  void noteCallName(SourceLocation L) {
    L = SM.getFileLoc(L);
    if (inProjectFile(L))
      CallNames.insert(place(L));
  }

public:
  /// A whole SQL statement Clang dropped with the code around it (a member
  /// of an unknown type, a call to an undeclared function) runs in the
  /// function whose body holds it, in the innermost loop of that function
  /// whose body holds it.
  void attachDroppedSql(const SqlSites &Sites);
  /// Notes every function Clang could not declare (InvalidFunctions), before
  /// the traversal: a call may come before the definition.
  void collectInvalidFunctions(ASTContext &Ctx);
  /// The calls of functions Clang could not declare (InvalidFunctions),
  /// read from the tokens of the bodies that hold them: each is a call by
  /// name, of as many arguments as written, in the scope of the function's
  /// declarations, where it stands (in the innermost loop around it).
  void attachDroppedCalls();

private:
  // --- Calls (BuilderCalls.cpp) ----------------------------------------------

  /// The function a callable argument stands for: a lambda, `f`, `&C::m`,
  /// `bind(&C::m, ...)`, a local initialised with a lambda; for dispatches
  /// also a coroutine call or `new Task(...)` with a task method.
  const FunctionDecl *callableOf(const Expr *Arg, const Recognizer *R,
                                 unsigned Depth = 0) const;

  /// The callable arguments \p R designates.
  llvm::SmallVector<const FunctionDecl *, 2>
  callablesFor(const Recognizer &R, llvm::ArrayRef<const Expr *> Args) const;

  const Recognizer *callRecognizer(const std::vector<Recognizer> &List,
                                   const FunctionDecl *FD,
                                   llvm::ArrayRef<std::string> Names) const;

  /// The free SQL text an argument carries: a literal statement, or a
  /// variable initialised with one, or a buffer `snprintf` wrote one into.
  const SqlSite *freeSqlIn(const Expr *Arg) const;
  /// The SQL of a local whose declaration Clang dropped, handed on as
  /// \p Arg (`insert`, `insert.arg(id)`) before \p At; null if none.
  const SqlSite *droppedTextIn(const Expr *Arg, SourceLocation At) const;
  /// The last statement `snprintf` wrote into the local \p Buffer before
  /// \p Use, or null.
  const SqlSite *lastBufferWrite(const VarDecl *Buffer, SourceLocation Use) const;

  /// read | write | control | schema | unknown: what a statement does.
  static std::string statementKind(const SqlAnalysis &A, llvm::StringRef Sql);
  /// FunctionSummary::Returns of \p FD: the kind of the SQL every one of its
  /// returns hands back (a free literal returned, or the local it
  /// initialises), or empty.
  std::string returnedStatement(const FunctionDecl *FD) const;

  Event sinkEvent(const SqlSite &S, SourceLocation At, SourceLocation End,
                  const Expr *Call = nullptr);
  /// A blocking call (API YAML `blocking:` entry \p R) at \p At.
  static Event blockingEvent(const Recognizer &R, SrcRange At, std::string Callee,
                             std::string Shown);

  /// \p U: the callee did not resolve (FD is null) and is known by name.
  void onCall(const Expr *Call, const FunctionDecl *FD,
              llvm::ArrayRef<const Expr *> Args, const CXXRecordDecl *Object,
              SourceLocation At, bool Virtual, const Unresolved *U = nullptr);

  // --- Prepared statements (BuilderPrepared.cpp) -----------------------------

  /// The declared sink that prepares for a call of \p Name (on \p Call's
  /// object class too), or null.
  const Sink *preparingSink(llvm::StringRef Name, const Expr *Call) const;

  bool preparesRoundTrip(llvm::StringRef Name, const Expr *Call) const;

  /// The variable or member a query object expression names (`q`, `*q`,
  /// `&q`, `query_`), or null.
  static const Decl *queryObject(const Expr *E);

  /// Links `q.prepare(sql)` to what runs it later in the same function: the
  /// execution `q.exec()` takes the prepared SQL, and a call handed `q`
  /// (`q.Exec()` of a wrapper, `run(q)`) carries it to the execution its
  /// callee reaches. Events [\p From, end) are those of call \p C.
  void linkPrepared(const CallExpr *C, size_t From);

  /// Logging and formatting functions never run SQL; batch builders
  /// collect it to run later, once.
  bool isNotSql(const FunctionDecl *FD) const;
  bool isTextMethod(const FunctionDecl *FD) const;

  ASTContext &Ctx;
  const SourceManager &SM;
  const RuleSet &Rules;
  llvm::DenseMap<const Expr *, const SqlSite *> SinkSites, FreeRoots;
  llvm::DenseMap<const VarDecl *, const SqlSite *> FreeVars;
  /// The statements `snprintf` writes into each buffer, in source order.
  llvm::DenseMap<const VarDecl *, std::vector<const SqlSite *>> BufferWrites;
  /// The other texts of each site, by anchor.
  llvm::DenseMap<const Expr *, llvm::SmallVector<const SqlSite *, 2>> VariantsOf;
  llvm::DenseMap<const Expr *, const OpaqueSink *> OpaqueSinks;
  /// Calls that create a dispatched task (`co_spawn(ex, task(x), ...)`).
  llvm::DenseSet<const Expr *> TaskCalls;
  std::vector<FnState> Stack;
  TUSummary Out;
};

} // namespace stresslint::graph

#endif
