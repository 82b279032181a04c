//===--- Reconstruct.h - SQL text from C++ expressions ---------------------===//
///
/// \file
/// Rebuilds the SQL text a C++ expression produces: string literals (raw,
/// u8, adjacent, through macros), constants and locals initialised from
/// literals, `+`, `+=`, `append`, stream `<<`, format templates (`{}`,
/// printf `%d`, QString `%1`) filled with their arguments, the return values
/// of functions defined in the TU with their parameters bound to the call's
/// arguments. Every byte remembers where it came from, so a position in the
/// SQL maps back to the exact character in the C++ source. Parts that cannot
/// be known become holes: placeholders (`$n`, or an identifier after
/// FROM/JOIN/...), or nothing where an optional clause may go.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_CPP_RECONSTRUCT_H
#define STRESSLINT_CPP_RECONSTRUCT_H

#include "clang/AST/Expr.h"
#include "clang/Lex/Token.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringMap.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class FieldDecl;
class FunctionDecl;
class SourceManager;
class ParmVarDecl;
class Token;
class VarDecl;
} // namespace clang

namespace stresslint {

class RuleSet;

/// A run of reconstructed SQL and where it came from.
struct SqlPiece {
  uint32_t Begin = 0, Length = 0;
  /// A piece of a string literal: byte \c LitByte of its content onward.
  const clang::StringLiteral *Lit = nullptr;
  uint32_t LitByte = 0;
  /// A placeholder for an expression whose value is unknown.
  const clang::Expr *Unknown = nullptr;
  /// A string token found by the raw lexer where the AST lost code: byte I
  /// of the piece is at RawLoc + RawOffsets[I].
  clang::SourceLocation RawLoc;
  std::vector<uint32_t> RawOffsets;
  /// Text put in place of something the user wrote elsewhere (a bound
  /// value substituted for its placeholder): every byte is at \c At, and
  /// sourceText shows \c Shown.
  clang::SourceLocation At;
  std::string Shown;
};

/// A part of the SQL whose text is not known.
struct SqlHole {
  enum Kind {
    Value,      ///< A value: `$n` in the text (also inside quotes).
    Identifier, ///< A table or column name: `p__n` in the text.
    Clause,     ///< Where an optional clause may go (`... FROM t` + where +
                ///< ` ORDER BY`): ` $n ` in the text.
  };
  Kind K = Value;
  uint32_t Begin = 0, Length = 0;
  const clang::Expr *E = nullptr; ///< The C++ expression, if any.
};

struct ReconstructedSql {
  std::string Text;
  std::vector<SqlPiece> Pieces;
  /// Every unknown part, in text order.
  std::vector<SqlHole> Holes;
  bool HasLiteral = false;

  /// The source location of byte \p Offset of Text.
  clang::SourceLocation locationOf(uint32_t Offset, const clang::ASTContext &Ctx) const;
  /// Bytes [Begin, End) of Text as the user wrote them: placeholders are
  /// shown as the C++ expression they stand for (`OFFSET std::to_string(n)`).
  std::string sourceText(uint32_t Begin, uint32_t End,
                         const clang::ASTContext &Ctx) const;
  /// Appends bytes [Begin, End) of \p Other with their origins and holes.
  void appendSlice(const ReconstructedSql &Other, uint32_t Begin, uint32_t End);
  /// Is the end of Text inside a quoted string or identifier?
  bool endsInQuote();

private:
  uint32_t QuoteScan = 0; ///< endsInQuote has read Text up to here.
  char OpenQuote = 0;
};

/// One arm of an `if`/`switch` a write is in: \c Arm is the `then` or
/// `else` statement, or the `case`/`default` label.
struct BranchArm {
  const clang::Stmt *Cond = nullptr;
  const clang::Stmt *Arm = nullptr;
};

/// A write to a local string, stream or buffer variable (or a by-value
/// parameter), in source order.
struct Mutation {
  enum Kind { Append, Prepend, Assign, Replace } K;
  /// Null for an Assign: the empty text (`s.clear()`).
  const clang::Expr *Value;
  clang::SourceLocation Loc;
  /// The `if`/`switch` arms the write is in, outermost first.
  std::vector<BranchArm> Path = {};
  /// Replace: the marker each place of which takes Value's text.
  std::string Marker = {};
};

/// The text of the marker \p E names for a `replaces:` call: a string
/// literal, maybe in a text wrapper (`QString("{m}")`); empty otherwise.
std::string markerText(const clang::Expr *E, const RuleSet &Rules);

/// The arms of the `if`/`switch` statements around the top of \p Stack
/// (ancestors, outermost first).
std::vector<BranchArm> branchPath(llvm::ArrayRef<const clang::Stmt *> Stack,
                                  const clang::SourceManager &SM);

using MutationMap = llvm::DenseMap<const clang::VarDecl *, std::vector<Mutation>>;

/// The calls of each function of the TU (by canonical declaration).
using CallSiteMap =
    llvm::DenseMap<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>>;

/// The values the TU assigns to each data member (`m_pattern = "%" + t;`
/// in any method). A member also written otherwise (`+=`, an append) is
/// mapped to an empty list: its value is not known.
using FieldWriteMap =
    llvm::DenseMap<const clang::FieldDecl *, std::vector<const clang::Expr *>>;

/// A data member Clang dropped (its type's header is missing: `QString
/// m_filter;`), with every statement that wrote it; its writes as written,
/// read from the tokens of its class's methods and constructors.
struct WrittenField {
  /// The tokens of each assigned value and the function that assigns it.
  std::vector<std::pair<llvm::ArrayRef<clang::Token>, const clang::FunctionDecl *>>
      Writes;
  /// Also appended to or edited in place: its value is not known.
  bool Otherwise = false;
};
using WrittenFieldMap = llvm::DenseMap<const clang::FieldDecl *, WrittenField>;

/// A call Clang dropped of a function it marked invalid (a parameter's type
/// unknown: `bool like(QSqlQuery &q, const QString &pattern)`), as written:
/// the tokens of each argument and the function that makes the call.
struct WrittenCall {
  llvm::SmallVector<llvm::ArrayRef<clang::Token>, 4> Args;
  const clang::FunctionDecl *Caller = nullptr;
};
using WrittenCallMap =
    llvm::DenseMap<const clang::FunctionDecl *, std::vector<WrittenCall>>;

/// The local and namespace-scope variables Clang marked invalid (their
/// type's header is missing), by name: a use of one is often a
/// RecoveryExpr that keeps only its text (`"SELECT ..." + where`).
using InvalidLocalMap = llvm::StringMap<std::vector<const clang::VarDecl *>>;

/// The invalid local \p RE names: a use of `sql` after `QString sql = ...;`
/// with QString's header missing is a RecoveryExpr of one token; the
/// latest such declaration before it in the same function; with
/// \p Globals, when there is none, the latest namespace-scope one before it
/// (`const QString kBase = QStringLiteral("SELECT ...");`); or null.
const clang::VarDecl *invalidLocalNamed(const clang::RecoveryExpr *RE,
                                        const InvalidLocalMap &InvalidLocals,
                                        const clang::ASTContext &Ctx,
                                        bool Globals = false);

/// Appends token \p Tok as written (a number: `.arg(0)`), each byte mapped
/// to where it is.
void appendWrittenToken(const clang::Token &Tok, ReconstructedSql &Out);

/// A value written as \p Written that is wholly unknown (one hole of no
/// origin, appended to \p Out from piece \p FirstPiece on) is shown, and
/// points, where it is written (`.arg(offset)`, `+ term +`).
void showAsWritten(ReconstructedSql &Out, size_t FirstPiece,
                   llvm::ArrayRef<clang::Token> Written, const clang::ASTContext &Ctx);

/// How a call formats a template: `{}` (fmt), `%d` (printf), `%1` (QString).
struct FormatCall {
  enum Style { Brace, Printf, Qt } S = Printf;
  unsigned FormatArg = 0; ///< Argument index of the template.
  unsigned FirstArg = 0;  ///< First value argument.
  /// The result is written to this argument (snprintf's buffer), not
  /// returned; -1 when returned.
  int DestArg = -1;
};

/// Is \p Call a call that fills a format template? Recognised by what the
/// callee is: a `strings:` entry of \p Rules that `builds: format`
/// (fmt/std format), a `format(printf, ...)` attribute (Clang gives one to
/// the C library's printf family), a C-variadic function whose last named
/// parameter is a `const char *`, a variadic template whose parameter
/// before the pack is a string and whose name `builds: printf`.
std::optional<FormatCall> formatCallOf(const clang::CallExpr *Call,
                                       const RuleSet &Rules);

/// QString::arg's marker at \p S[\p I] (`%1`..`%99`, `%L1`): its number
/// and, in \p Length, its length; 0 when there is none.
unsigned qtMarkerAt(llvm::StringRef S, uint32_t I, uint32_t &Length);

class Reconstructor {
public:
  /// The `strings:` entries of \p Rules say which calls build text.
  Reconstructor(
      const clang::ASTContext &Ctx, const RuleSet &Rules, const MutationMap &Mutations,
      const CallSiteMap &Callers, const FieldWriteMap *Fields = nullptr,
      const InvalidLocalMap *InvalidLocals = nullptr,
      const llvm::SmallPtrSetImpl<const clang::VarDecl *> *LoopElements = nullptr,
      const WrittenFieldMap *WrittenFields = nullptr,
      const WrittenCallMap *WrittenCalls = nullptr)
      : Ctx(Ctx), Rules(Rules), Mutations(Mutations), Callers(Callers), Fields(Fields),
        InvalidLocals(InvalidLocals), LoopElements(LoopElements),
        WrittenFields(WrittenFields), WrittenCalls(WrittenCalls) {}

  /// Reconstructs \p E as used at \p UseLoc (appends after it are ignored;
  /// an invalid location means "all of them").
  ReconstructedSql build(const clang::Expr *E, clang::SourceLocation UseLoc);
  /// Reconstructs the concatenation of \p Parts (stream `<<` chains).
  ReconstructedSql buildAll(llvm::ArrayRef<const clang::Expr *> Parts,
                            clang::SourceLocation UseLoc);
  /// Reconstructs the value of variable \p VD as of \p UseLoc.
  ReconstructedSql buildVar(const clang::VarDecl *VD, clang::SourceLocation UseLoc);

  /// The texts \p Parts (or, when \p Var is given, that variable) may
  /// have: first the one buildAll gives, then up to \p Max others, each
  /// distinct: each other branch of a `?:`, each other return of a helper
  /// function, each call site's argument for a string parameter of the
  /// enclosing function. Literals only the others read are not marked used.
  std::vector<ReconstructedSql> buildVariants(llvm::ArrayRef<const clang::Expr *> Parts,
                                              const clang::VarDecl *Var,
                                              clang::SourceLocation UseLoc,
                                              unsigned Max);

  /// Appends a placeholder for an unknown part to \p Out: an identifier
  /// after FROM/JOIN/INTO/UPDATE/TABLE or a dot, nothing (a space) where a
  /// string may hold an optional clause, `$n` elsewhere.
  static void appendPlaceholder(ReconstructedSql &Out, const clang::Expr *E,
                                unsigned &Counter);

  /// \p Sql, read from tokens, with each marker of style \p S in its
  /// literal text (`%1`, `%d`, `{}`) filled: the template of a format call
  /// or an `.arg(...)` chain Clang dropped. A printf or `{}` marker takes
  /// its argument as written in \p Args when that is a number; any other
  /// value is an unknown part, shown as written.
  static ReconstructedSql
  fillMarkers(const ReconstructedSql &Sql, FormatCall::Style S, unsigned &Counter,
              const clang::ASTContext &Ctx,
              llvm::ArrayRef<llvm::ArrayRef<clang::Token>> Args = {});
  /// The text written as \p Toks in \p F, code Clang dropped, as
  /// addWrittenText reads it (a wrapper, string tokens, an `.arg(...)`
  /// chain with its values); HasLiteral is false when it is not such text.
  ReconstructedSql buildWritten(llvm::ArrayRef<clang::Token> Toks,
                                const clang::FunctionDecl *F);

  /// The values \p E may have as SQL literals (`'%' || $1` for `"%" + term`
  /// is `'%$1'`; a constant number is its digits; nothing when no part of it
  /// is known): first the one the default plan gives, then up to \p Max
  /// other known ones, each distinct (a parameter's argument at each call
  /// site, each branch of a `?:`).
  std::vector<std::optional<std::string>>
  literalValues(const clang::Expr *E, clang::SourceLocation UseLoc, unsigned Max);

  /// The value written as \p Toks in \p F, code Clang dropped, as an SQL
  /// literal: operands joined by `+`, each text written as
  /// addWrittenText reads it, a character (`'%'`, `QLatin1Char('%')`), a
  /// variable of \p F, or an unknown part. Nothing when no part is known.
  /// As literalValues: the default plan's, then up to \p Max other ones.
  std::vector<std::optional<std::string>>
  writtenValues(llvm::ArrayRef<clang::Token> Toks, const clang::FunctionDecl *F,
                unsigned Max);

  /// String literals consumed by any reconstruction so far.
  const llvm::SmallPtrSetImpl<const clang::StringLiteral *> &used() const {
    return Used;
  }
  /// The raw string tokens (their locations' encodings) read in place of
  /// an initializer the AST lost: they are part of a statement already.
  const llvm::DenseSet<unsigned> &usedRawTokens() const { return UsedRaw; }

private:
  /// Runs \p Build with the default plan (every choice point's option 0),
  /// then with other plans of the choice points it meets, breadth-first,
  /// until \p Build has said \p Max times that its result is new.
  void explorePlans(llvm::function_ref<bool()> Build, unsigned Max);

  struct Frame {
    const clang::FunctionDecl *FD;
    const clang::CallExpr *Call;
    clang::SourceLocation CallerUseLoc;
  };

  void add(const clang::Expr *E, clang::SourceLocation UseLoc, ReconstructedSql &Out,
           unsigned Depth);
  bool addCall(const clang::CallExpr *Call, clang::SourceLocation UseLoc,
               ReconstructedSql &Out, unsigned Depth);
  /// The distinct values \p Build gives under the default plan and up to
  /// \p Max others (literalValues, writtenValues); the default's first.
  std::vector<std::optional<std::string>>
  distinctValues(llvm::function_ref<std::optional<std::string>()> Build, unsigned Max);
  bool addField(const clang::FieldDecl *FD, const clang::Expr *E,
                clang::SourceLocation UseLoc, ReconstructedSql &Out, unsigned Depth);
  void addVar(const clang::VarDecl *VD, clang::SourceLocation UseLoc,
              ReconstructedSql &Out, unsigned Depth, const clang::Expr *Ref = nullptr);
  /// The writes of a variable that reach \p UseLoc: one arm of each
  /// `if`/`switch` whose arms assign it, and of each if/else or `switch`
  /// whose arms append to it after that (choice points), the others
  /// dropped. Returns the index of the reaching assignment in \p Writes
  /// (-1: the initial value) and removes the writes of other arms.
  int reachingWrites(llvm::SmallVectorImpl<const Mutation *> &Writes,
                     clang::SourceLocation UseLoc);
  /// A text-building call Clang could not resolve: see builtTextOf.
  bool addUnresolvedText(const clang::Expr *E, clang::SourceLocation UseLoc,
                         ReconstructedSql &Out, unsigned Depth);
  void addParam(const clang::ParmVarDecl *P, const clang::Expr *Ref,
                ReconstructedSql &Out, unsigned Depth);
  void addTemplate(const clang::Expr *Format, llvm::ArrayRef<const clang::Expr *> Args,
                   FormatCall::Style S, clang::SourceLocation UseLoc,
                   ReconstructedSql &Out, unsigned Depth);
  void addValue(const clang::Expr *E, clang::SourceLocation UseLoc,
                ReconstructedSql &Out, unsigned Depth);
  bool addHelperReturn(const clang::CallExpr *Call, const clang::FunctionDecl *FD,
                       clang::SourceLocation UseLoc, ReconstructedSql &Out,
                       unsigned Depth);
  void addLiteral(const clang::StringLiteral *L, ReconstructedSql &Out);
  /// The string tokens of the initializer Clang dropped from \p VD, an
  /// invalid declaration (its type's header is missing): `QString q =
  /// "..." "...";`, `QString q("...")`, `= QLatin1String("%") + term`, each
  /// operand as addWrittenOperands reads it. False when there is none.
  bool addDroppedInitializer(const clang::VarDecl *VD, ReconstructedSql &Out,
                             unsigned Depth);
  /// Text written as tokens the AST does not hold: an optional wrapper
  /// (`QString(`, `QString::fromLatin1(`), string tokens, and `.arg(x)`
  /// calls filling its markers with variables of \p F or text written the
  /// same way; or a wrapper around a whole written value.
  bool addWrittenText(llvm::ArrayRef<clang::Token> Toks, const clang::FunctionDecl *F,
                      ReconstructedSql &Out, unsigned Depth);
  /// A value written as \p Toks in \p F (writtenValue): its operands, each
  /// known or a hole, appended to \p Out. False when an operand is empty.
  bool addWrittenOperands(llvm::ArrayRef<clang::Token> Toks,
                          const clang::FunctionDecl *F, ReconstructedSql &Out,
                          unsigned Depth);
  void addUnknown(const clang::Expr *E, ReconstructedSql &Out);
  /// The option taken at choice point \p Key of \p Options.
  unsigned choose(const void *Key, unsigned Options);

  const clang::ASTContext &Ctx;
  const RuleSet &Rules;
  const MutationMap &Mutations;
  const CallSiteMap &Callers;
  const FieldWriteMap *Fields;
  const InvalidLocalMap *InvalidLocals;
  /// The variables of range-for loops Clang dropped and a second parse
  /// brought back as `if` init-statements: each an element, of unknown text.
  const llvm::SmallPtrSetImpl<const clang::VarDecl *> *LoopElements;
  const WrittenFieldMap *WrittenFields;
  /// The calls Clang dropped of the functions it marked invalid (by
  /// canonical declaration).
  const WrittenCallMap *WrittenCalls;
  /// The invalid local (or else global) variable an empty RecoveryExpr
  /// names by its text.
  const clang::VarDecl *invalidLocalNamed(const clang::RecoveryExpr *RE) const;
  /// Data members whose assigned values are being rebuilt.
  llvm::SmallPtrSet<const clang::FieldDecl *, 4> ExpandingFields;
  llvm::SmallPtrSet<const clang::StringLiteral *, 32> Used;
  llvm::DenseSet<unsigned> UsedRaw;
  llvm::DenseSet<std::pair<const clang::VarDecl *, unsigned>> InProgress;
  llvm::SmallPtrSet<const clang::FunctionDecl *, 8> InCall;
  /// Helpers whose return value is being rebuilt, innermost last.
  std::vector<Frame> Frames;
  /// Functions whose parameter is being replaced by a call site's argument.
  llvm::SmallPtrSet<const clang::FunctionDecl *, 4> Expanding;
  /// The current plan: the option of each choice point (absent: 0), and the
  /// choice points met while building with it.
  llvm::DenseMap<const void *, unsigned> Plan;
  std::vector<std::pair<const void *, unsigned>> Met;
  bool RecordUse = true;
  unsigned Budget = 0;
  unsigned NextParam = 1;
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<const clang::Expr *>> Returns;
};

/// A placeholder the user wrote in the SQL (`?`, `?3`, `$2`, `:name`,
/// `@name`), outside quotes and comments, in a literal part of the text.
struct SqlPlaceholder {
  uint32_t Begin = 0, Length = 0;
  unsigned Ordinal = 0; ///< 0-based position among the placeholders.
  int Number = -1;      ///< `?3`, `$3`: 2 (0-based); -1 when not numbered.
  std::string Name;     ///< `:name`, `@name`: `name`.
};
std::vector<SqlPlaceholder> placeholdersIn(const ReconstructedSql &Sql);

/// A value bound to a placeholder: by name, by 0-based number, or (neither)
/// the next placeholder after the previous sequential one.
struct BoundValue {
  std::string Name;
  int Number = -1;
  const clang::Expr *Value = nullptr;
  clang::SourceLocation Loc; ///< Where it is bound: its text as of there.
  /// Or, where Clang dropped the call that binds it, the value's tokens
  /// and the function they are written in.
  llvm::ArrayRef<clang::Token> Written = {};
  const clang::FunctionDecl *WrittenIn = nullptr;
};

/// \p Sql with each placeholder that has a bound value of known text
/// replaced by that value as an SQL literal (`LIKE ?` bound to `"%" + term`
/// reads `LIKE '%$1'`), mapped to the placeholder's location.
///
/// Then up to \p MaxOthers other texts, each with one bound value taking
/// another text it may have: a parameter bound in a helper is each call
/// site's argument in turn, so `search(db, "%" + term + "%")` shows in the
/// helper's `LIKE ?`.
std::vector<ReconstructedSql>
substituteBound(const ReconstructedSql &Sql, llvm::ArrayRef<BoundValue> Values,
                Reconstructor &R, const clang::ASTContext &Ctx, unsigned MaxOthers);

/// Appends the text of adjacent string tokens the raw lexer found (code the
/// AST lost) to \p Out, each byte mapped to its place in the source. False
/// when a token cannot be read or \p Out still has no literal text.
bool appendRawLiterals(llvm::ArrayRef<clang::Token> Run, const clang::ASTContext &Ctx,
                       ReconstructedSql &Out);

/// The index of the token that closes the bracket \p Toks[\p Open] opens,
/// with the top-level commas in \p Commas; Toks.size() if none before a `;`.
size_t closingBracket(llvm::ArrayRef<clang::Token> Toks, size_t Open,
                      llvm::SmallVectorImpl<size_t> *Commas = nullptr);

/// A RecoveryExpr that stands for `"literal" + <unresolved>`.
bool isRecoveredConcat(const clang::RecoveryExpr *RE);

/// `[]{ ... return "literal" ...; }()` with exactly one string literal in
/// its body (Qt 5's `QStringLiteral`): the value of the call is that literal.
const clang::StringLiteral *immediateLambdaLiteral(const clang::Expr *E);

/// Strips the implicit and transparent nodes around a string value.
const clang::Expr *ignoreStringWrappers(const clang::Expr *E);
/// ignoreStringWrappers, also through copies and conversions of the text
/// (a one-argument construction: `std::string(t.sql())`, a returned local).
const clang::Expr *ignoreTextCopies(const clang::Expr *E);

/// The text a text-building call Clang could not resolve (a missing header)
/// carries, by the call's name (API YAML `strings:`): the argument of
/// `QStringLiteral("...")` or `QLatin1String("%")`, the object of
/// `QString(...).arg(x)`; else null.
const clang::Expr *builtTextOf(const clang::Expr *E, const RuleSet &Rules);

} // namespace stresslint

#endif
