//===--- PgQuery.h - RAII access to libpg_query -----------------------------===//
///
/// \file
/// Thin owners around libpg_query (the PostgreSQL 15 parser): every result is
/// freed on every path, errors are returned as values.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_PGQUERY_H
#define STRESSLINT_SQL_PGQUERY_H

#include "sql/RapidJson.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace stresslint {

/// A lexical token from libpg_query's scanner (comments included).
struct SqlToken {
  uint32_t Begin = 0, End = 0;
  int Kind = 0; ///< PgQuery__Token value.
  bool Keyword = false;
  /// A keyword that cannot name a column unquoted (`order`, `user`,
  /// `left`): PostgreSQL's reserved and type-or-function-name keywords.
  bool Reserved = false;
};

/// Token kinds we look at; values of libpg_query's PgQuery__Token enum.
namespace tok {
enum : int {
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Semicolon = 59,
  Less = 60,
  Equals = 61,
  Greater = 62,
  Ident = 258,
  FConst = 260,
  SConst = 261,
  Op = 265,
  IConst = 266,
  Param = 267,
  LessEquals = 272,
  GreaterEquals = 273,
  NotEquals = 274,
  SqlComment = 275,
  CComment = 276,
  All = 285,
  And = 291,
  As = 294,
  Asc = 295,
  Between = 308,
  By = 315,
  Desc = 385,
  Distinct = 390,
  Except = 405,
  Fetch = 418,
  For = 424,
  From = 429,
  Group = 438,
  Having = 442,
  ILike = 448,
  In = 453,
  Intersect = 471,
  Into = 473,
  Key = 479,
  Like = 490,
  Limit = 491,
  Locked = 499,
  No = 524,
  Not = 528,
  NoWait = 532,
  Nulls = 535,
  Offset = 540,
  On = 543,
  Or = 548,
  Order = 549,
  Returning = 606,
  Select = 625,
  Share = 635,
  Similar = 637,
  Skip = 639,
  To = 673,
  Union = 689,
  Update = 695,
  Where = 713,
  Window = 715,
  With = 716
};
} // namespace tok

struct SqlParseError {
  std::string Message;
  int CursorPos = 0; ///< 1-based byte position, 0 if unknown.
};

/// Parses \p Sql; returns false and fills \p Error if it does not parse.
bool sqlParses(llvm::StringRef Sql, SqlParseError &Error);

/// libpg_query's parse tree of one statement as JSON text, left in the
/// buffer libpg_query returned it in and freed with it: the text of a whole
/// corpus is tens of megabytes, and JsonTree parses it where it is.
class SqlJson {
public:
  SqlJson(SqlJson &&Other) noexcept;
  SqlJson &operator=(SqlJson &&Other) noexcept;
  SqlJson(const SqlJson &) = delete;
  SqlJson &operator=(const SqlJson &) = delete;
  ~SqlJson();

  /// The JSON text (NUL-terminated).
  llvm::StringRef text() const { return Text; }

private:
  friend std::optional<SqlJson> parseSqlToJson(const std::string &Sql,
                                               SqlParseError &Error);
  friend class JsonTree;
  SqlJson(char *Tree, char *Stderr);
  void release();

  // The parts of libpg_query's PgQueryParseResult it frees on success.
  char *Tree = nullptr;
  char *Stderr = nullptr;
  llvm::StringRef Text;
};

/// Parses \p Sql; on success returns libpg_query's parse tree as JSON text,
/// not yet turned into a DOM (callers may skip trees they do not need).
/// On failure returns std::nullopt and fills \p Error.
std::optional<SqlJson> parseSqlToJson(const std::string &Sql, SqlParseError &Error);

/// A read-only DOM of libpg_query's JSON parse tree.
///
/// RapidJSON parses the text in place (strings point into it, nothing is
/// copied) and puts every node into one memory pool, so building the tree
/// costs a few allocations however large it is, and freeing it is releasing
/// the pool. llvm::json, used before, allocated every node and object key on
/// its own and deep-copied arrays as they grew; on a corpus of migrations
/// that was most of stresslint's time (docs/performance.md). Objects keep
/// their members in document order, which is libpg_query's field order.
///
/// One JsonTree may parse many texts in turn: each parse drops the previous
/// tree (its pool is released in whole chunks, not node by node) and reuses
/// the parser's stack.
class JsonTree {
public:
  using Node = rapidjson::Value;

  JsonTree() : Doc(&Pool) {}
  JsonTree(const JsonTree &) = delete;
  JsonTree &operator=(const JsonTree &) = delete;

  /// Takes \p Json and parses it; on failure returns false and fills
  /// \p Error.
  bool parse(SqlJson Json, SqlParseError &Error);
  /// The root of the last successful parse.
  const Node &root() const { return Doc; }

private:
  /// Parsed in place: the tree's strings point into it.
  std::optional<SqlJson> Source;
  rapidjson::MemoryPoolAllocator<> Pool;
  rapidjson::Document Doc;
};

/// Scans \p Sql into tokens; returns false if the scanner itself failed (e.g.
/// an unterminated quoted string), with the tokens before the error.
bool scanSql(llvm::StringRef Sql, std::vector<SqlToken> &Tokens);

/// The byte offset in \p Sql of libpg_query's 1-based error cursor, which
/// counts characters, not bytes; npos when there is none.
size_t cursorByteOffset(llvm::StringRef Sql, int CursorPos);

/// Splits \p Sql into statements with the scanner (survives syntax errors).
/// Each range is [Begin, End) in bytes; leading whitespace and comments are
/// part of the range as libpg_query reports them.
std::vector<std::pair<uint32_t, uint32_t>> splitSql(llvm::StringRef Sql);

} // namespace stresslint

#endif
