//===--- GivenStatements.h - Loops that run the statements they are given -===//
///
/// \file
/// An N+1 runs the same statement once per item. A loop whose items are
/// themselves statements runs a list of them, each once: schema setup from
/// a file (`for (cmd : commands) q.exec(cmd)`), migrations, a write queue
/// drained by a worker (`sql = queue.front(); queue.pop(); run(sql)`). The
/// statements were written elsewhere, and there is no "per item" query to
/// batch. This file tells such items apart: a variable that holds an element
/// of a list of statements the function was given (a parameter, a member,
/// a list split from a file's text), not of a list it fills with SQL it
/// writes (`statements.push_back("ANALYZE " + t)`, which is one statement
/// per table and stays an N+1).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_GRAPH_GIVENSTATEMENTS_H
#define STRESSLINT_GRAPH_GIVENSTATEMENTS_H

namespace clang {
class Expr;
class FunctionDecl;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace stresslint {

class RuleSet;

/// Whether \p Collection (a loop's range, a container drained in a loop)
/// holds statements \p Fn was given: no SQL literal in \p Fn reaches it.
bool holdsGivenStatements(const clang::Expr *Collection, const clang::FunctionDecl *Fn,
                          const RuleSet &Rules);

/// The same for a variable or member \p D: neither its initializer nor a
/// full expression of \p Fn (or, for a member, of its class's methods
/// defined here) fills it with SQL.
bool declHoldsGivenStatements(const clang::ValueDecl *D, const clang::FunctionDecl *Fn);

/// Whether \p FD has a body here that writes no SQL statement of its own.
bool writesNoStatement(const clang::FunctionDecl *FD);

/// The container an element read takes from (`q.front()`, `l.takeFirst()`,
/// `v[i]`, `v.at(i)`: API YAML `element-reads:`), through copies and
/// `std::move`; else null.
const clang::Expr *elementContainer(const clang::Expr *Init, const RuleSet &Rules);

/// The variable whose text \p E is, through conversions, copies and text
/// views (`s`, `s.c_str()`, `QString(s)`, `s.toStdString()`: API YAML
/// `text-views:`) and functions of the program that take the text alone,
/// return text and write no statement (`cleanSql(s)`); else null.
const clang::VarDecl *textVariable(const clang::Expr *E, const RuleSet &Rules);

} // namespace stresslint

#endif
