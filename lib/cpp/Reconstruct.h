//===--- Reconstruct.h - SQL text from C++ expressions ---------------------===//
///
/// \file
/// Rebuilds the SQL text a C++ expression produces: string literals (raw,
/// u8, adjacent, through macros), constants and locals initialised from
/// literals, `+`, `+=`, `append`, stream `<<`, `fmt::format`, QString
/// helpers. Every byte remembers where it came from, so a position in the SQL
/// maps back to the exact character in the C++ source. Parts that cannot be
/// known become placeholders (`$n`, or an identifier after FROM/JOIN/...).
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_CPP_RECONSTRUCT_H
#define STRESSLINT_CPP_RECONSTRUCT_H

#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class VarDecl;
} // namespace clang

namespace stresslint {

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
};

struct ReconstructedSql {
  std::string Text;
  std::vector<SqlPiece> Pieces;
  bool HasLiteral = false;

  /// The source location of byte \p Offset of Text.
  clang::SourceLocation locationOf(uint32_t Offset,
                                   const clang::ASTContext &Ctx) const;
  /// Bytes [Begin, End) of Text as the user wrote them: placeholders are
  /// shown as the C++ expression they stand for (`OFFSET std::to_string(n)`).
  std::string sourceText(uint32_t Begin, uint32_t End,
                         const clang::ASTContext &Ctx) const;
};

/// A write to a local string or stream variable, in source order.
struct Mutation {
  enum Kind { Append, Assign } K;
  const clang::Expr *Value;
  clang::SourceLocation Loc;
};

using MutationMap =
    llvm::DenseMap<const clang::VarDecl *, std::vector<Mutation>>;

class Reconstructor {
public:
  Reconstructor(const clang::ASTContext &Ctx, const MutationMap &Mutations)
      : Ctx(Ctx), Mutations(Mutations) {}

  /// Reconstructs \p E as used at \p UseLoc (appends after it are ignored;
  /// an invalid location means "all of them").
  ReconstructedSql build(const clang::Expr *E, clang::SourceLocation UseLoc);
  /// Reconstructs the concatenation of \p Parts (stream `<<` chains).
  ReconstructedSql buildAll(llvm::ArrayRef<const clang::Expr *> Parts,
                            clang::SourceLocation UseLoc);
  /// Reconstructs the value of variable \p VD as of \p UseLoc.
  ReconstructedSql buildVar(const clang::VarDecl *VD,
                            clang::SourceLocation UseLoc);

  /// Appends a placeholder for an unknown part to \p Out: an identifier
  /// after FROM/JOIN/INTO/UPDATE/TABLE or a dot, `$n` elsewhere.
  static void appendPlaceholder(ReconstructedSql &Out, const clang::Expr *E,
                                unsigned &Counter);

  /// String literals consumed by any reconstruction so far.
  const llvm::SmallPtrSetImpl<const clang::StringLiteral *> &used() const {
    return Used;
  }

private:
  void add(const clang::Expr *E, clang::SourceLocation UseLoc,
           ReconstructedSql &Out, unsigned Depth);
  void addVar(const clang::VarDecl *VD, clang::SourceLocation UseLoc,
              ReconstructedSql &Out, unsigned Depth);
  void addLiteral(const clang::StringLiteral *L, ReconstructedSql &Out);
  void addUnknown(const clang::Expr *E, ReconstructedSql &Out);

  const clang::ASTContext &Ctx;
  const MutationMap &Mutations;
  llvm::SmallPtrSet<const clang::StringLiteral *, 32> Used;
  llvm::SmallPtrSet<const clang::VarDecl *, 8> InProgress;
  unsigned NextParam = 1;
};

/// A RecoveryExpr that stands for `"literal" + <unresolved>`.
bool isRecoveredConcat(const clang::RecoveryExpr *RE);

/// Strips the implicit and transparent nodes around a string value.
const clang::Expr *ignoreStringWrappers(const clang::Expr *E);

} // namespace stresslint

#endif
