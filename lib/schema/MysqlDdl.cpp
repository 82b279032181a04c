//===--- MysqlDdl.cpp - MySQL's CREATE TABLE as PostgreSQL reads it --------===//
#include "schema/MysqlDdl.h"
#include "sql/PgQuery.h"

#include "llvm/ADT/STLExtras.h"

namespace stresslint {

namespace {

/// Decides, token by token, what of a MySQL CREATE TABLE to drop.
class Dropper {
public:
  explicit Dropper(llvm::StringRef Text) : Text(Text) {
    std::vector<SqlToken> All;
    scanSql(Text, All);
    for (const SqlToken &T : All)
      if (T.Kind != tok::SqlComment && T.Kind != tok::CComment)
        Toks.push_back(T);
    Drop.assign(Toks.size(), false);
  }

  /// Marks the tokens to drop; false when this is no CREATE TABLE (...).
  bool run() {
    size_t Open = 0;
    while (Open < Toks.size() && Toks[Open].Kind != tok::LParen)
      ++Open;
    bool Table = false;
    for (size_t I = 1; I < Open; ++I)
      Table |= word(I, "table");
    if (Open >= Toks.size() || !word(0, "create") || !Table)
      return false;
    int Depth = 0;
    size_t Close = Toks.size();
    for (size_t I = Open; I < Toks.size(); ++I) {
      if (Toks[I].Kind == tok::LParen)
        ++Depth;
      else if (Toks[I].Kind == tok::RParen && --Depth == 0) {
        Close = I;
        break;
      }
      if (Depth == 1 && (I == Open || Toks[I].Kind == tok::Comma))
        element(I + 1);
      else
        attribute(I);
    }
    // Table options after the column list (ENGINE=InnoDB, CHARSET=...).
    for (size_t I = Close + 1; I < Toks.size(); ++I)
      Drop[I] = Toks[I].Kind != tok::Semicolon;
    return llvm::is_contained(Drop, true);
  }

  MappedText result(const MappedText &Stmt) const {
    MappedText Out;
    size_t From = 0;
    for (size_t I = 0; I < Toks.size(); ++I) {
      if (!Drop[I])
        continue;
      Out.appendSlice(Stmt, From, Toks[I].Begin);
      Out.appendSynthetic(" ", Stmt.originOf(Toks[I].Begin));
      From = Toks[I].End;
    }
    Out.appendSlice(Stmt, From, Stmt.size());
    return Out;
  }

private:
  bool word(size_t I, llvm::StringRef W) const {
    return I < Toks.size() &&
           Text.slice(Toks[I].Begin, Toks[I].End).equals_insensitive(W);
  }
  bool is(size_t I, int Kind) const { return I < Toks.size() && Toks[I].Kind == Kind; }
  void dropRange(size_t From, size_t To) {
    for (size_t I = From; I < To && I < Toks.size(); ++I)
      Drop[I] = true;
  }
  /// The index after the `)` closing the `(` at \p I.
  size_t afterParens(size_t I) const {
    int Depth = 0;
    for (; I < Toks.size(); ++I) {
      if (Toks[I].Kind == tok::LParen)
        ++Depth;
      else if (Toks[I].Kind == tok::RParen && --Depth == 0)
        return I + 1;
    }
    return I;
  }

  /// An element of the column list starting at \p I.
  void element(size_t I) {
    if (word(I, "fulltext") || word(I, "spatial")) {
      // A whole element, with the comma before it.
      size_t End = I;
      while (End < Toks.size() && !is(End, tok::Comma) && !is(End, tok::RParen))
        End = is(End, tok::LParen) ? afterParens(End) : End + 1;
      dropRange(is(I - 1, tok::Comma) ? I - 1 : I, End);
      return;
    }
    // UNIQUE KEY|INDEX [name] (cols) -> UNIQUE (cols).
    if (word(I, "unique") && (word(I + 1, "key") || word(I + 1, "index"))) {
      Drop[I + 1] = true;
      if (!is(I + 2, tok::LParen))
        Drop[I + 2] = true;
    }
  }

  /// The end of the MySQL column attribute at token \p I, or \p I.
  size_t attributeEnd(size_t I) const {
    if (word(I, "auto_increment") || word(I, "autoincrement") || word(I, "unsigned") ||
        word(I, "zerofill") || word(I, "signed"))
      return I + 1;
    if ((word(I, "comment") && is(I + 1, tok::SConst)) || word(I, "charset") ||
        (word(I, "using") && (word(I + 1, "btree") || word(I + 1, "hash"))))
      return I + 2;
    if (word(I, "character") && word(I + 1, "set"))
      return I + 3;
    if (word(I, "on") && word(I + 1, "update")) // CURRENT_TIMESTAMP[(n)]
      return is(I + 3, tok::LParen) ? afterParens(I + 3) : I + 3;
    return I;
  }

  /// MySQL column attributes and display widths at token \p I.
  void attribute(size_t I) {
    if (Drop[I])
      return;
    if (size_t End = attributeEnd(I); End > I) {
      dropRange(I, End);
      return;
    }
    // Display widths: `int(11)`, `float(10,2)`.
    if ((word(I, "int") || word(I, "integer") || word(I, "smallint") ||
         word(I, "bigint") || word(I, "float") || word(I, "real") ||
         word(I, "boolean")) &&
        is(I + 1, tok::LParen))
      dropRange(I + 1, afterParens(I + 1));
  }

  llvm::StringRef Text;
  std::vector<SqlToken> Toks;
  std::vector<bool> Drop;
};

} // namespace

std::optional<MappedText> mysqlCreateTableAsPostgres(const MappedText &Stmt) {
  Dropper D(Stmt.text());
  if (!D.run())
    return std::nullopt;
  return D.result(Stmt);
}

} // namespace stresslint
