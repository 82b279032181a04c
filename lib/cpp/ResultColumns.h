//===--- ResultColumns.h - The columns a program reads of a result ---------===//
///
/// \file
/// Follows the rows one SQL statement returns through the function that
/// runs it, and says which columns the program reads: `row["title"]`,
/// `q.value("title")`, `sqlite3_column_text(stmt, 2)`, `PQgetvalue(res, i,
/// PQfnumber(res, "title"))`. What reads a column, gives a row or reads
/// nothing is API knowledge (`results:` in rules/apis/*.yaml). A use of the
/// result that is none of these (it is returned, stored, handed to another
/// function, its columns counted) makes the answer incomplete: a `SELECT *`
/// may then be narrowed only by someone who can see that code.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_CPP_RESULTCOLUMNS_H
#define STRESSLINT_CPP_RESULTCOLUMNS_H

#include "clang/Basic/SourceLocation.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class FunctionDecl;
class ValueDecl;
} // namespace clang

namespace stresslint {

class RuleSet;

struct ColumnReads {
  /// Every use of the result is understood.
  bool Complete = true;
  /// Columns read by name, as written, in the order first read (distinct,
  /// ignoring case).
  std::vector<std::string> Names;
  /// Columns read by 0-based position, ascending, distinct.
  std::vector<unsigned> Positions;
  /// When not complete: the first use that is not understood, in words
  /// (`the result is passed to 'render'`), and where it is.
  std::string Why;
  clang::SourceLocation WhyLoc;
};

/// The columns the code of \p Function reads of the rows sink call \p Sink
/// returns: through the call's value, or, when the rows are read from the
/// statement the sink runs on (\p Statement: a `QSqlQuery`, a
/// `sqlite3_stmt`), through that statement from the call until it is given
/// other SQL.
ColumnReads readColumns(const clang::Expr *Sink, const clang::ValueDecl *Statement,
                        const clang::FunctionDecl *Function, clang::ASTContext &Ctx,
                        const RuleSet &Rules);

} // namespace stresslint

#endif
