//===--- Registry.h - Every fact: its needles, its extractor, its examples -===//
///
/// \file
/// One FactSpec per SqlFact::Kind, each defined in the fact's own file
/// (SelectStar.cpp, Offset.cpp, LeadingWildcard.cpp, RowLock.cpp,
/// Aggregate.cpp). A spec owns everything the parse-tree analysis knows
/// about its fact:
///
/// - its *needles*: strings of libpg_query's JSON text (a node type, a field,
///   an operator) of which a tree holding the fact has at least one, each
///   with the words of the SQL text that bring it. The prefilter
///   (Prefilter.h) skips the DOM and the walk of a tree with no needle of
///   any fact, so a fact whose needles miss a case silently loses it:
///   makeFact refuses an empty list at compile time, and
///   test/unit/SqlFactRegistryTest.cpp checks that the prefilter passes
///   every fact's own examples;
/// - the walk hook it runs at (FactWalk, Walk.h) and its extractor;
/// - what a repaired clause hole (`FROM t $1`) changes in it;
/// - positive SQL examples, which the unit tests run.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_FACTS_REGISTRY_H
#define STRESSLINT_SQL_FACTS_REGISTRY_H

#include "sql/PgTree.h"
#include "sql/SqlFacts.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace stresslint {
namespace sqlfacts {

class FactWalk;

/// A string of the parse tree's JSON text, starting after a quote: `A_Star"`
/// is the key or value `"A_Star"`. The quotes make a needle match whole
/// names only, and never inside a string constant (its quotes are escaped).
struct Needle {
  llvm::StringLiteral Text;
  /// The needle counts only in a tree that also has a `fromClause` field
  /// (a function call is a fact only in a SELECT that reads FROM).
  bool NeedsFromClause = false;
  /// Words of the statement's text (any case, anywhere, comments too) of
  /// which a statement whose tree has the needle has at least one: `*` for
  /// `A_Star`, `offset` for `limitOffset`. Empty when no word tells (a
  /// `FuncCall` may come from `x AT TIME ZONE y`). A statement with none of
  /// the words of any needle is not searched further (textMayHoldFact); the
  /// unit tests check each fact's examples have one.
  llvm::ArrayRef<llvm::StringLiteral> Words = {};
};

/// Where in the walk of a statement's tree an extractor runs.
enum class FactHook {
  Select,    ///< Each SelectStmt (and set-operation branch), on entry.
  AExpr,     ///< Each A_Expr node.
  FuncCall,  ///< Each FuncCall node.
  Statement, ///< Once per statement, after the walk, with its body.
};

struct FactSpec {
  SqlFact::Kind Kind;
  /// The fact's name in tests and diagnostics, as Summary.h spells it.
  llvm::StringLiteral Name;
  llvm::ArrayRef<Needle> Needles;
  FactHook Hook;
  void (*Extract)(FactWalk &W, const pgtree::Object *Node);
  /// Adjusts a fact found in a statement that parsed only once a hole
  /// standing where a clause could be was dropped: that clause is unknown.
  void (*OnClauseHole)(SqlFact &F);
  /// Statements holding the fact (each must give at least one).
  llvm::ArrayRef<const char *> Examples;
};

/// Builds a spec; the arrays cannot be empty (a zero-length array does not
/// bind), so a fact without needles or examples does not compile.
template <size_t NeedleCount, size_t ExampleCount>
constexpr FactSpec makeFact(SqlFact::Kind Kind, llvm::StringLiteral Name,
                            const Needle (&Needles)[NeedleCount], FactHook Hook,
                            void (*Extract)(FactWalk &, const pgtree::Object *),
                            const char *const (&Examples)[ExampleCount],
                            void (*OnClauseHole)(SqlFact &) = nullptr) {
  return FactSpec{Kind, Name, Needles, Hook, Extract, OnClauseHole, Examples};
}

/// The number of SqlFact kinds: Registry.cpp holds one spec for each.
constexpr size_t FactKindCount = SqlFact::Aggregate + 1;

/// Every fact's spec, indexed by SqlFact::Kind.
llvm::ArrayRef<const FactSpec *> factSpecs();

// The specs, one per file.
extern const FactSpec SelectStarFact;
extern const FactSpec OffsetFact;
extern const FactSpec LeadingWildcardFact;
extern const FactSpec RowLockFact;
extern const FactSpec AggregateFact;

// Shared by a fact's parse-tree extractor and the token fallback
// (TokenFacts.h).

/// The keyset-pagination suggestion for an OFFSET whose query orders by
/// \p Cols (\p Desc: descending; \p Mixed: directions differ) and takes
/// \p Limit rows (Offset.cpp).
std::string keysetHintText(const std::vector<std::string> &Cols, bool Desc, bool Mixed,
                           const std::string &Limit);

/// True when the LIKE pattern \p S starts with a wildcard and is a search
/// (LeadingWildcard.cpp).
bool isLeadingWildcard(llvm::StringRef S);

/// True for a one-argument function that case-folds its text and so keeps
/// a pattern's first character (`lower`, `upper`, `lcase`, `ucase`,
/// `unaccent`; \p Name in any case) (LeadingWildcard.cpp).
bool isCaseFolding(llvm::StringRef Name);

} // namespace sqlfacts
} // namespace stresslint

#endif
