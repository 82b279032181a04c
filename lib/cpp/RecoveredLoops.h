//===- RecoveredLoops.h - range-for loops Clang drops, brought back -------===//
//
// Without a project's headers (a pre-commit hook, a quick look) the range of
// `for (auto &row : db.rows())` often has no type: `db` is of a class Clang
// never saw. Sema then discards the whole statement, body included
// (`auto &&__range = <error>` cannot be deduced), and every query in the
// loop vanishes from the AST: no N+1, not even the `SELECT *` in its body.
//
// The CLI re-parses such a file once, with each dropped loop re-spelled in
// place, byte for byte the same length, as `_Sf (decl ; range)`. With
// `-D_Sf=if` that is an `if` with an init-statement, which Clang keeps with
// its loop variable, its range expression and its body; every other token
// keeps its offset, so every finding keeps its position. The call graph
// reads an `if` spelled through the marker as the range-for it was.
//
// The same parse brings back the calls a local declaration of an unknown
// type loses: Sema drops the initializer of a variable whose type it cannot
// name (`SongList songs = GetSongs(db, id);`), and an `auto` or `int` in
// its place does not help when the call's arguments have unknown types
// too. Only the call is kept: the declaration up to its `=` is blanked,
// and the rest reads as an expression statement Clang keeps. A statement
// an unknown macro opens (`Q_EMIT changed(load(id));`) reads as such a
// declaration; its macro is blanked.
//
//===----------------------------------------------------------------------===//

#ifndef STRESSLINT_CPP_RECOVEREDLOOPS_H
#define STRESSLINT_CPP_RECOVEREDLOOPS_H

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang {
class CompilerInstance;
class IfStmt;
class SourceManager;
} // namespace clang

namespace stresslint {

/// The macro a re-spelled loop's `for` becomes; defined as `if` on the
/// second parse. Three characters, as `for`.
inline constexpr llvm::StringLiteral RecoveredLoopMarker = "_Sf";

/// A range-for header in a file: `for (decl : range)`, or a foreach macro
/// (`foreach (decl, range)`, `Q_FOREACH`, `BOOST_FOREACH`).
struct RangeForHeader {
  unsigned For = 0;    ///< offset of the keyword or macro name
  unsigned Length = 3; ///< its length
  unsigned Colon = 0;  ///< offset of the `:` (the `,` of a macro)
  /// The macro's name for a foreach macro; empty for `for`. Such a header is
  /// a dropped loop only where the macro is not defined (its header is
  /// missing): Clang then reads it as a call and gives up on the body.
  llvm::StringRef Macro;
};

/// The range-for headers of \p Code, lexed raw: preprocessor directives are
/// skipped, C++20 headers with an init-statement are left out (they cannot
/// be re-spelled as an `if`), and a `?:` in the range is not its colon.
std::vector<RangeForHeader> rangeForHeaders(llvm::StringRef Code,
                                            const clang::LangOptions &LO);

/// \p Code with each of \p Loops re-spelled `_Sf (decl ; range)` (a
/// macro's name padded with spaces); the same length, every other byte
/// unchanged.
std::string respellLoops(llvm::StringRef Code,
                         llvm::ArrayRef<RangeForHeader> Loops);

/// Whether \p S is a loop re-spelled by respellLoops.
bool isRecoveredLoop(const clang::IfStmt &S, const clang::SourceManager &SM,
                     const clang::LangOptions &LO);

/// The part of a statement that keeps Clang from building its call: a
/// declaration of an unknown type up to its `=` (`const SongList &songs =`),
/// or an unknown macro (`Q_EMIT`).
struct UnknownTypeSpan {
  unsigned Begin = 0, Length = 0;
};

/// \p Code with each of \p Spans blanked (line breaks kept), the same
/// length.
std::string respellTypes(llvm::StringRef Code,
                         llvm::ArrayRef<UnknownTypeSpan> Spans);

/// What Clang dropped from a main file for want of its headers.
struct DroppedCode {
  std::string Code; ///< the main file's bytes as parsed
  std::vector<RangeForHeader> Loops;
  std::vector<UnknownTypeSpan> Types;
  bool empty() const { return Loops.empty() && Types.empty(); }
  /// The main file re-spelled so that Clang keeps all of it.
  std::string respelled() const;
};

/// After a parse with errors, finds the range-for headers of the main file
/// Clang built no loop for, and the local declarations whose initializer
/// it dropped. Finds nothing on a clean parse.
class DroppedCodeFinder : public clang::ASTConsumer {
public:
  DroppedCodeFinder(clang::CompilerInstance &CI, DroppedCode &Out)
      : CI(CI), Out(Out) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override;

private:
  clang::CompilerInstance &CI;
  DroppedCode &Out;
};

} // namespace stresslint

#endif
