//===--- Walk.h - The walk of one parsed statement, for the facts ----------===//
///
/// \file
/// FactWalk walks the parse tree of one statement, keeps the context a fact
/// needs (the enclosing SELECTs, sublinks, the statement's body, its tokens)
/// and runs each fact's extractor at the hook its FactSpec names
/// (Registry.h). The extractors, one file per fact, report through add().
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_FACTS_WALK_H
#define STRESSLINT_SQL_FACTS_WALK_H

#include "sql/MappedText.h"
#include "sql/facts/Registry.h"
#include "sql/facts/Tree.h"

#include <vector>

namespace stresslint {
namespace sqlfacts {

/// The end in \p Original of a construct that ends at byte \p End of
/// \p Stmt. A construct ending in a rewritten placeholder (`$1` for
/// `@skip`, `:name`, `%s`, `{}`) ends where the original placeholder does:
/// its bytes all map to the placeholder's first byte.
uint32_t originalEnd(const MappedText &Stmt, size_t End, llvm::StringRef Original);

class FactWalk {
public:
  /// Runs the extractors of the facts of kinds \p Wanted only.
  FactWalk(const MappedText &Stmt, llvm::StringRef Original,
           std::vector<SqlFact> &Facts, FactKinds Wanted = AllFactKinds)
      : Stmt(Stmt), Original(Original), Facts(Facts), Wanted(Wanted) {}

  /// Analyses one parsed statement; returns true if it reads or writes
  /// table data (a SELECT with FROM, INSERT, UPDATE, DELETE, MERGE).
  bool run(const Value &RawStmt);

  // --- For the extractors ---------------------------------------------------

  /// A SELECT the walk is in.
  struct SelectCtx {
    const Object *Select;
    bool Subquery;
  };
  /// The SELECTs around the node being visited, innermost last.
  const std::vector<SelectCtx> &selects() const { return Selects; }
  /// The node is inside a sublink (`EXISTS (...)`, `x IN (...)`).
  bool inSublink() const { return InSublink > 0; }
  /// The statement's body (a SelectStmt, UpdateStmt, ...) and its type.
  const Object *top() const { return Top; }
  llvm::StringRef topType() const { return TopType; }
  /// The statement's own SELECT (not a CTE's, a subquery's or a set
  /// operation's arm: S of `A UNION B` has larg/rarg); set for the
  /// Statement hook.
  const Object *topSelect() const { return TopSelect; }

  /// The statement's text as the parser read it.
  llvm::StringRef stmtText() const { return Stmt.text(); }
  size_t stmtSize() const { return Stmt.size(); }
  std::string text(uint32_t Begin, uint32_t End) const {
    return Stmt.text().substr(Begin, End - Begin);
  }

  /// The statement's tokens from \p Offset on (at least), which must be
  /// where a token starts, as every location in the tree is: the scanner
  /// starts there in the state it would be in anyway. Scanning costs about
  /// what parsing does, and a fact mostly needs the tokens that follow its
  /// own location, so the scan starts there rather than at the statement's
  /// beginning, and starts again earlier only when asked to.
  const std::vector<SqlToken> &tokensFrom(uint32_t Offset);
  /// The tokens of the last scan.
  const std::vector<SqlToken> &tokens() const { return Tokens; }
  /// Index of the token starting at \p Offset, or the first after it.
  size_t tokenAt(uint32_t Offset);
  uint32_t tokenEnd(uint32_t Offset);
  /// The end of the operand whose last location is \p Offset, including a
  /// qualified name's further parts (`o.created_at`, `s.t.c`).
  uint32_t operandEnd(uint32_t Offset);
  /// The end of a call starting at \p Offset: its closing parenthesis.
  uint32_t callEnd(uint32_t Offset);

  /// The FROM items the columns of the innermost SELECT (or of the
  /// statement's own UPDATE or DELETE) come from.
  std::vector<FromItem> scopeItems() const;

  /// Reports a fact of kind \p K over bytes [Begin, End) of the statement.
  SqlFact &add(SqlFact::Kind K, uint32_t Begin, uint32_t End);

private:
  void walk(const Value &V, unsigned Depth);
  /// Runs the extractors of \p Hook on \p Node.
  void extract(FactHook Hook, const Object *Node);

  const MappedText &Stmt;
  llvm::StringRef Original;
  std::vector<SqlFact> &Facts;
  FactKinds Wanted;
  std::vector<SqlToken> Tokens;
  bool Scanned = false;
  uint32_t ScannedFrom = 0; ///< Tokens holds the tokens from here on.
  std::vector<SelectCtx> Selects;
  const Object *Top = nullptr;
  llvm::StringRef TopType;
  int InSublink = 0;
  const Object *TopSelect = nullptr;
};

} // namespace sqlfacts
} // namespace stresslint

#endif
