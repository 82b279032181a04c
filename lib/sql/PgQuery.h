//===--- PgQuery.h - RAII access to libpg_query -----------------------------===//
///
/// \file
/// Thin owners around libpg_query (the PostgreSQL 15 parser): every result is
/// freed on every path, errors are returned as values.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_PGQUERY_H
#define STRESSLINT_SQL_PGQUERY_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"
#include <optional>
#include <string>
#include <vector>

namespace stresslint {

/// A lexical token from libpg_query's scanner (comments included).
struct SqlToken {
  uint32_t Begin = 0, End = 0;
  int Kind = 0;    ///< PgQuery__Token value.
  bool Keyword = false;
};

/// Token kinds we look at; values of libpg_query's PgQuery__Token enum.
namespace tok {
enum : int {
  LParen = 40, RParen = 41, Star = 42, Comma = 44, Dot = 46, Semicolon = 59,
  Ident = 258, SConst = 261, IConst = 266, Param = 267,
  SqlComment = 275, CComment = 276,
  All = 285, Distinct = 390, For = 424, From = 429, ILike = 448, Key = 479,
  Like = 490, Limit = 491, No = 524, NoWait = 532, Not = 528, Offset = 540,
  Select = 625, Share = 635, Similar = 637, Skip = 639, Update = 695,
  With = 716
};
} // namespace tok

struct SqlParseError {
  std::string Message;
  int CursorPos = 0; ///< 1-based byte position, 0 if unknown.
};

/// Parses \p Sql; on success returns the parse tree as JSON.
/// On failure returns std::nullopt and fills \p Error.
std::optional<llvm::json::Value> parseSql(llvm::StringRef Sql,
                                          SqlParseError &Error);

/// Parses \p Sql; on success returns libpg_query's parse tree as JSON text,
/// not yet turned into a DOM (callers may skip trees they do not need).
/// On failure returns std::nullopt and fills \p Error.
std::optional<std::string> parseSqlToJsonText(llvm::StringRef Sql,
                                              SqlParseError &Error);

/// Turns \p JsonText from parseSqlToJsonText into a DOM, or fills \p Error.
std::optional<llvm::json::Value> parseJsonTree(llvm::StringRef JsonText,
                                               SqlParseError &Error);

/// Scans \p Sql into tokens; returns false if the scanner itself failed (e.g.
/// an unterminated quoted string), with the tokens seen so far.
bool scanSql(llvm::StringRef Sql, std::vector<SqlToken> &Tokens);

/// Splits \p Sql into statements with the scanner (survives syntax errors).
/// Each range is [Begin, End) in bytes; leading whitespace and comments are
/// part of the range as libpg_query reports them.
std::vector<std::pair<uint32_t, uint32_t>> splitSql(llvm::StringRef Sql);

} // namespace stresslint

#endif
