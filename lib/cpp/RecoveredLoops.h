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
// The same second parse declares the types the first could not name. A
// function with a parameter of such a type is invalid, and Clang drops
// every call of it from another method's body (`GetSongById(song.id())`
// in a loop, its `QSqlDatabase &` parameter unknown), and the initializer
// of a variable of such a type (`SongList songs = load(db)`). A header
// included first declares each name the first parse reported as an
// unknown type (`struct SongList {};`) or template (`template <class...>
// struct QList {};`): the functions become valid, their calls stay in the
// AST, and a member the stub lacks reads as a call Clang could not
// resolve, as before. Framework macros that open a statement or annotate a
// class (`Q_EMIT`, `Q_OBJECT`, `Q_SIGNALS`), reported as unknown types
// when their header is missing, are defined as their headers define them.
//
//===----------------------------------------------------------------------===//

#ifndef STRESSLINT_CPP_RECOVEREDLOOPS_H
#define STRESSLINT_CPP_RECOVEREDLOOPS_H

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
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

class RuleSet;

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
std::string respellLoops(llvm::StringRef Code, llvm::ArrayRef<RangeForHeader> Loops);

/// Whether \p S is a loop re-spelled by respellLoops.
bool isRecoveredLoop(const clang::IfStmt &S, const clang::SourceManager &SM,
                     const clang::LangOptions &LO);

/// What a parse without the project's headers dropped, and how a second
/// parse keeps it.
struct DroppedCode {
  std::string Code; ///< the main file's bytes as parsed
  /// Range-for loops of the main file Clang built no statement for.
  std::vector<RangeForHeader> Loops;
  /// Names Clang reported as unknown types and unknown templates; sorted,
  /// no duplicates.
  std::vector<std::string> Types, Templates;
  /// Qualified names whose first part Clang did not know, written where a
  /// type goes (`acme::Db &db`): `acme::Db`, `<` at the end of a template.
  std::vector<std::string> Qualified;
  /// Names Clang could not read as a base class (`: public QSqlQuery`).
  /// They are not declared: a class of an unknown base looks its members
  /// up by name, as the call graph expects, where an empty base would
  /// make them undeclared.
  std::vector<std::string> Bases;

  bool empty() const {
    return Loops.empty() && Types.empty() && Templates.empty() && Qualified.empty();
  }
  /// The main file with its dropped loops re-spelled (respellLoops).
  std::string respelled() const;
  /// The header to include first: declarations of the unknown names, but
  /// not of the text classes \p Rules declares (`strings:`), and the
  /// framework macros it declares (`macros:`) defined.
  std::string stubs(const RuleSet &Rules) const;
};

/// The path under which the stubs header is mapped; never a real file.
inline constexpr llvm::StringLiteral UnknownTypeStubsPath =
    "/stresslint-virtual/unknown-types.h";

/// After a parse with errors, finds the range-for headers of the main file
/// Clang built no loop for. Finds nothing on a clean parse.
class DroppedLoopFinder : public clang::ASTConsumer {
public:
  DroppedLoopFinder(clang::CompilerInstance &CI, DroppedCode &Out) : CI(CI), Out(Out) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override;

private:
  clang::CompilerInstance &CI;
  DroppedCode &Out;
};

/// Passes every diagnostic on to \p Next, noting the names it reports as
/// unknown types or templates (outside system headers) in \p Out.
class UnknownTypeRecorder : public clang::DiagnosticConsumer {
public:
  UnknownTypeRecorder(clang::DiagnosticConsumer &Next, DroppedCode &Out)
      : Next(Next), Out(Out) {}
  void BeginSourceFile(const clang::LangOptions &LO,
                       const clang::Preprocessor *PP) override {
    this->LO = &LO;
    Next.BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override;
  void finish() override { Next.finish(); }
  bool IncludeInDiagnosticCounts() const override {
    return Next.IncludeInDiagnosticCounts();
  }
  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic &Info) override;

private:
  void noteQualified(const clang::SourceManager &SM, clang::SourceLocation L);

  clang::DiagnosticConsumer &Next;
  DroppedCode &Out;
  const clang::LangOptions *LO = nullptr;
};

} // namespace stresslint

#endif
