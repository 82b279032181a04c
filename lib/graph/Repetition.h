//===--- Repetition.h - How often code repeats, as the code says -----------===//
///
/// \file
/// What the call graph needs to know about repetition beyond "inside a
/// loop": whether a loop goes over a list the program fixes (a braced list,
/// a constant table, a counter up to a constant) rather than over data,
/// whether its bound comes from configuration, and whether a function does
/// its work only once (a "done" flag) or once per key (a memo cache), so
/// calling it per item does not repeat its queries.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_GRAPH_REPETITION_H
#define STRESSLINT_GRAPH_REPETITION_H

#include <string>

namespace clang {
class ASTContext;
class Expr;
class ForStmt;
class IfStmt;
class Stmt;
class FunctionDecl;
class QualType;
} // namespace clang

namespace stresslint {

class RuleSet;

/// What a loop's header says about how often its body runs.
struct LoopBound {
  /// The exact number of iterations when the code fixes it, else -1.
  int TripCount = -1;
  /// The loop goes over a list the program fixes, not over data.
  bool FixedList = false;
  /// Why the loop is not per-item work, or empty ("trip count from
  /// configuration").
  std::string NotPerItem;
};

/// A loop over the elements of \p Range (a range-for's range, a foreach
/// macro's list): `for (x : {"a", "b"})`, over a C array or `std::array`,
/// over a constant table or a container initialised from literals and never
/// modified (only const methods and API YAML `read-methods:` called on it).
LoopBound rangeBound(const clang::Expr *Range, const RuleSet &Rules);

/// `for (int i = a; i < b; ++i)`: constant a and b give the trip count; a
/// constant b alone a fixed list; a bound read from a configuration object
/// (`config.workers`, `settings_.value(...)`) is not per-item.
LoopBound forBound(const clang::ForStmt *S, clang::ASTContext &Ctx,
                   const RuleSet &Rules);

/// Why a call of \p FD does not repeat its work per call, or empty: it
/// returns early on a persistent flag it sets later ("runs once
/// ('initialized_')"), on a hit in a persistent container it fills later
/// ("memoised in 'cache_'"), or its work is a static local's initializer
/// (`static Database db; return db;`, "initialised once (static local
/// 'db')").
std::string onceGuard(const clang::FunctionDecl *FD, const RuleSet &Rules);

/// Why the work in \p If's arm runs once and not on every pass, or empty: a
/// lazy load into the object (`if (!loaded_) { load(); loaded_ = true; }`,
/// `if (cache_.isEmpty()) cache_ = load();`, `if (dirty_) { cache_ =
/// load(); dirty_ = false; }`, the guard perhaps reset by a method of the
/// object the arm calls).
std::string lazyLoadGuard(const clang::IfStmt *If, const RuleSet &Rules,
                          const clang::ASTContext &Ctx);

/// True when an argument written in \p Call (a call or a construction) can
/// carry text: a character pointer or array, a string or string view class,
/// or a type that depends on a template parameter. `QSqlQuery q(db)` has
/// none: it builds a query object and runs nothing.
bool hasTextArgument(const clang::Expr *Call);

/// Whether values of \p T are text: character pointers and arrays, and
/// string classes (std::string, QString, QByteArray, string views, ...).
bool isTextType(clang::QualType T);

/// Whether \p Cond, an `if`'s condition in \p Body, tests that a batch
/// the code accumulates there is full: a size or count it adds to (`buf +=
/// row`, `++n`, `rows.push_back(r)`) at or past a limit (`buf.length() >=
/// max`, `length > maxPacket`) that \p Arm (the `if`) empties again, itself
/// or through a method of the object (`execute()`), or a count modulo a
/// batch size (`++n % 500 == 0`). What runs then runs once per batch.
bool testsFullBatch(const clang::Expr *Cond, const clang::Stmt *Body,
                    const clang::Stmt *Arm, clang::ASTContext &Ctx);

} // namespace stresslint

#endif
