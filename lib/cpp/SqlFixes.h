//===--- SqlFixes.h - Fixes of the SQL in C++ string literals --------------===//
///
/// \file
/// Fixes are edits of the exact bytes inside the C++ string literals a
/// statement is built from, offered only on literals that belong to that one
/// query: not in a macro, not shared with another query, written in the
/// function that runs it.
///
/// `stress-select-star`: the `*` of a statement the C++ code
/// runs becomes the columns that code reads of its rows (cpp/ResultColumns.h),
/// an edit of the exact `*` inside the string literal. A fix is offered only
/// when the program reads the same values after it: every use of the rows
/// is understood, columns are read by name, the `*` is the statement's whole
/// output over one table, the literal belongs to this one query (not a
/// macro, not shared with another query, written in the function that reads
/// the rows) and the statement still parses with the names in place.
/// Otherwise the reason is given, for a note.
///
/// `stress-offset-pagination`: OFFSET rewritten to keyset pagination;
/// `stress-unbounded-row-lock`: a claimed batch (`LIMIT n ... SKIP
/// LOCKED`). Both are sql/Rewrites.h's, attached to a note, since the
/// caller must change too.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_CPP_SQLFIXES_H
#define STRESSLINT_CPP_SQLFIXES_H

#include "clang/Basic/Diagnostic.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace stresslint {

class RuleSet;
class Schema;
struct SqlFact;
struct SqlSite;
struct SqlSites;

struct SqlFix {
  /// The edits, when they are safe; none otherwise.
  std::vector<clang::FixItHint> Edits;
  /// What the note says: what the fix does, or why there is none.
  std::string Note;
  clang::SourceLocation NoteLoc;
};

/// The fix for the SelectStar fact \p F of site \p S (one of \p All), or
/// nothing to say (the fact is not a star of a query run here). Its edit
/// belongs to the finding.
/// With \p Db (may be null), columns read by position are named from the
/// table's column order, and names are listed in that order.
std::optional<SqlFix> narrowStar(const SqlSite &S, const SqlFact &F,
                                 const SqlSites &All, clang::ASTContext &Ctx,
                                 const RuleSet &Rules, const Schema *Db);

/// The keyset rewrite for the Offset fact \p F of site \p S, or nothing
/// (no rewrite is safe; the rule's own note stays). Its edits belong to
/// the note.
/// The order is unique when \p Db (may be null) has a one-column key on
/// it; for a table the schema does not know, when the column is `id`.
std::optional<SqlFix> keysetFix(const SqlSite &S, const SqlFact &F, const SqlSites &All,
                                clang::ASTContext &Ctx, const Schema *Db);

/// The claimed-batch rewrite (at most \p Batch rows) for the RowLock fact
/// \p F of site \p S, or nothing. Its edits belong to the note.
std::optional<SqlFix> claimFix(const SqlSite &S, const SqlFact &F, const SqlSites &All,
                               clang::ASTContext &Ctx, unsigned Batch);

} // namespace stresslint

#endif
