//===--- PgQuery.cpp - RAII access to libpg_query ---------------------------===//
#include "sql/PgQuery.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>
#include <utility>

namespace stresslint {

#define STRESSLINT_CHECK_TOKEN(Ours, Theirs)                                           \
  static_assert(static_cast<int>(tok::Ours) ==                                         \
                    static_cast<int>(PG_QUERY__TOKEN__##Theirs),                       \
                #Ours);
STRESSLINT_CHECK_TOKEN(LParen, ASCII_40)
STRESSLINT_CHECK_TOKEN(RParen, ASCII_41)
STRESSLINT_CHECK_TOKEN(Star, ASCII_42)
STRESSLINT_CHECK_TOKEN(Comma, ASCII_44)
STRESSLINT_CHECK_TOKEN(Dot, ASCII_46)
STRESSLINT_CHECK_TOKEN(Semicolon, ASCII_59)
STRESSLINT_CHECK_TOKEN(Ident, IDENT)
STRESSLINT_CHECK_TOKEN(SConst, SCONST)
STRESSLINT_CHECK_TOKEN(IConst, ICONST)
STRESSLINT_CHECK_TOKEN(Param, PARAM)
STRESSLINT_CHECK_TOKEN(SqlComment, SQL_COMMENT)
STRESSLINT_CHECK_TOKEN(CComment, C_COMMENT)
STRESSLINT_CHECK_TOKEN(All, ALL)
STRESSLINT_CHECK_TOKEN(Distinct, DISTINCT)
STRESSLINT_CHECK_TOKEN(For, FOR)
STRESSLINT_CHECK_TOKEN(From, FROM)
STRESSLINT_CHECK_TOKEN(ILike, ILIKE)
STRESSLINT_CHECK_TOKEN(Key, KEY)
STRESSLINT_CHECK_TOKEN(Like, LIKE)
STRESSLINT_CHECK_TOKEN(Limit, LIMIT)
STRESSLINT_CHECK_TOKEN(No, NO)
STRESSLINT_CHECK_TOKEN(NoWait, NOWAIT)
STRESSLINT_CHECK_TOKEN(Not, NOT)
STRESSLINT_CHECK_TOKEN(Offset, OFFSET)
STRESSLINT_CHECK_TOKEN(Select, SELECT)
STRESSLINT_CHECK_TOKEN(Share, SHARE)
STRESSLINT_CHECK_TOKEN(Similar, SIMILAR)
STRESSLINT_CHECK_TOKEN(Skip, SKIP)
STRESSLINT_CHECK_TOKEN(Update, UPDATE)
STRESSLINT_CHECK_TOKEN(With, WITH)
STRESSLINT_CHECK_TOKEN(Plus, ASCII_43)
STRESSLINT_CHECK_TOKEN(Minus, ASCII_45)
STRESSLINT_CHECK_TOKEN(Slash, ASCII_47)
STRESSLINT_CHECK_TOKEN(Less, ASCII_60)
STRESSLINT_CHECK_TOKEN(Equals, ASCII_61)
STRESSLINT_CHECK_TOKEN(Greater, ASCII_62)
STRESSLINT_CHECK_TOKEN(FConst, FCONST)
STRESSLINT_CHECK_TOKEN(Op, Op)
STRESSLINT_CHECK_TOKEN(LessEquals, LESS_EQUALS)
STRESSLINT_CHECK_TOKEN(GreaterEquals, GREATER_EQUALS)
STRESSLINT_CHECK_TOKEN(NotEquals, NOT_EQUALS)
STRESSLINT_CHECK_TOKEN(And, AND)
STRESSLINT_CHECK_TOKEN(As, AS)
STRESSLINT_CHECK_TOKEN(Asc, ASC)
STRESSLINT_CHECK_TOKEN(Between, BETWEEN)
STRESSLINT_CHECK_TOKEN(By, BY)
STRESSLINT_CHECK_TOKEN(Desc, DESC)
STRESSLINT_CHECK_TOKEN(Except, EXCEPT)
STRESSLINT_CHECK_TOKEN(Fetch, FETCH)
STRESSLINT_CHECK_TOKEN(Group, GROUP_P)
STRESSLINT_CHECK_TOKEN(Having, HAVING)
STRESSLINT_CHECK_TOKEN(In, IN_P)
STRESSLINT_CHECK_TOKEN(Intersect, INTERSECT)
STRESSLINT_CHECK_TOKEN(Into, INTO)
STRESSLINT_CHECK_TOKEN(Locked, LOCKED)
STRESSLINT_CHECK_TOKEN(Nulls, NULLS_P)
STRESSLINT_CHECK_TOKEN(On, ON)
STRESSLINT_CHECK_TOKEN(Or, OR)
STRESSLINT_CHECK_TOKEN(Order, ORDER)
STRESSLINT_CHECK_TOKEN(Returning, RETURNING)
STRESSLINT_CHECK_TOKEN(To, TO)
STRESSLINT_CHECK_TOKEN(Union, UNION)
STRESSLINT_CHECK_TOKEN(Where, WHERE)
STRESSLINT_CHECK_TOKEN(Window, WINDOW)
#undef STRESSLINT_CHECK_TOKEN

namespace {
/// Owns a libpg_query result of type T and frees it with Free.
template <typename T, void (*Free)(T)> class Owned {
public:
  explicit Owned(T R) : R(R) {}
  ~Owned() { Free(R); }
  Owned(const Owned &) = delete;
  Owned &operator=(const Owned &) = delete;
  const T &operator*() const { return R; }
  const T *operator->() const { return &R; }

private:
  T R;
};
} // namespace

SqlJson::SqlJson(char *Tree, char *Stderr) : Tree(Tree), Stderr(Stderr), Text(Tree) {}

SqlJson::SqlJson(SqlJson &&Other) noexcept
    : Tree(std::exchange(Other.Tree, nullptr)),
      Stderr(std::exchange(Other.Stderr, nullptr)),
      Text(std::exchange(Other.Text, llvm::StringRef())) {}

SqlJson &SqlJson::operator=(SqlJson &&Other) noexcept {
  if (this != &Other) {
    release();
    Tree = std::exchange(Other.Tree, nullptr);
    Stderr = std::exchange(Other.Stderr, nullptr);
    Text = std::exchange(Other.Text, llvm::StringRef());
  }
  return *this;
}

SqlJson::~SqlJson() { release(); }

void SqlJson::release() {
  if (!Tree && !Stderr)
    return;
  PgQueryParseResult R{};
  R.parse_tree = Tree;
  R.stderr_buffer = Stderr;
  pg_query_free_parse_result(R);
  Tree = Stderr = nullptr;
  Text = llvm::StringRef();
}

std::optional<SqlJson> parseSqlToJson(const std::string &Sql, SqlParseError &Error) {
  PgQueryParseResult R = pg_query_parse(Sql.c_str());
  if (R.error) {
    Error.Message = R.error->message ? R.error->message : "parse error";
    Error.CursorPos = R.error->cursorpos;
    pg_query_free_parse_result(R);
    return std::nullopt;
  }
  return SqlJson(R.parse_tree, R.stderr_buffer);
}

bool JsonTree::parse(SqlJson Json, SqlParseError &Error) {
  Doc.SetNull();
  Pool.Clear();
  Source = std::move(Json);
  // Iterative, so that a deeply nested tree cannot overflow the stack. The
  // encoding is not validated again: analyzeSql hands libpg_query valid UTF-8
  // only, its strings are pieces of that text, and findings quote the
  // original text, never the tree.
  Doc.ParseInsitu<rapidjson::kParseInsituFlag | rapidjson::kParseIterativeFlag>(
      Source->Tree);
  if (Doc.HasParseError()) {
    Error.Message = std::string("malformed parse tree JSON: ") +
                    rapidjson::GetParseError_En(Doc.GetParseError()) + " at byte " +
                    std::to_string(Doc.GetErrorOffset());
    return false;
  }
  return true;
}

bool sqlParses(llvm::StringRef Sql, SqlParseError &Error) {
  return parseSqlToJson(Sql.str(), Error).has_value();
}

size_t cursorByteOffset(llvm::StringRef Sql, int CursorPos) {
  if (CursorPos <= 0)
    return llvm::StringRef::npos;
  // Characters before the cursor: every byte that is not a UTF-8
  // continuation byte starts one.
  int Chars = 0;
  for (size_t I = 0; I < Sql.size(); ++I) {
    if ((static_cast<unsigned char>(Sql[I]) & 0xC0) == 0x80)
      continue;
    if (++Chars == CursorPos)
      return I;
  }
  return Sql.size();
}

/// Scans \p Sql; on a scanner error returns false and sets \p ErrorAt to
/// the byte the error is at (npos if unknown).
static bool scanOnce(llvm::StringRef Sql, std::vector<SqlToken> &Tokens,
                     size_t &ErrorAt) {
  std::string Input = Sql.str();
  Owned<PgQueryScanResult, pg_query_free_scan_result> R(pg_query_scan(Input.c_str()));
  if (R->error) {
    ErrorAt = cursorByteOffset(Sql, R->error->cursorpos);
    return false;
  }
  PgQuery__ScanResult *Scan = pg_query__scan_result__unpack(
      nullptr, R->pbuf.len, reinterpret_cast<const uint8_t *>(R->pbuf.data));
  if (!Scan)
    return false;
  Tokens.reserve(Tokens.size() + Scan->n_tokens);
  for (size_t I = 0; I < Scan->n_tokens; ++I) {
    const PgQuery__ScanToken *T = Scan->tokens[I];
    SqlToken Tok;
    Tok.Begin = static_cast<uint32_t>(T->start);
    Tok.End = static_cast<uint32_t>(T->end);
    Tok.Kind = T->token;
    Tok.Keyword = T->keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD;
    Tok.Reserved = T->keyword_kind == PG_QUERY__KEYWORD_KIND__RESERVED_KEYWORD ||
                   T->keyword_kind == PG_QUERY__KEYWORD_KIND__TYPE_FUNC_NAME_KEYWORD;
    Tokens.push_back(Tok);
  }
  pg_query__scan_result__free_unpacked(Scan, nullptr);
  return true;
}

bool scanSql(llvm::StringRef Sql, std::vector<SqlToken> &Tokens) {
  size_t ErrorAt = llvm::StringRef::npos;
  if (scanOnce(Sql, Tokens, ErrorAt))
    return true;
  // The tokens before the error (an unterminated quote, another dialect's
  // escape) are still the text's: scan them alone, a few times at most.
  for (int Try = 0; Try < 3 && ErrorAt != llvm::StringRef::npos && ErrorAt > 0 &&
                    ErrorAt < Sql.size();
       ++Try) {
    Sql = Sql.take_front(ErrorAt);
    size_t Before = Tokens.size();
    if (scanOnce(Sql, Tokens, ErrorAt))
      break;
    Tokens.resize(Before);
  }
  return false;
}

std::vector<std::pair<uint32_t, uint32_t>> splitSql(llvm::StringRef Sql) {
  std::vector<std::pair<uint32_t, uint32_t>> Ranges;
  std::string Input = Sql.str();
  Owned<PgQuerySplitResult, pg_query_free_split_result> R(
      pg_query_split_with_scanner(Input.c_str()));
  if (R->error) {
    // The scanner could not split (e.g. an unterminated quote): the whole
    // text is one statement, and the parser will report why it fails.
    if (!Sql.trim().empty())
      Ranges.emplace_back(0, static_cast<uint32_t>(Sql.size()));
    return Ranges;
  }
  for (int I = 0; I < R->n_stmts; ++I) {
    const PgQuerySplitStmt *S = R->stmts[I];
    Ranges.emplace_back(static_cast<uint32_t>(S->stmt_location),
                        static_cast<uint32_t>(S->stmt_location + S->stmt_len));
  }
  return Ranges;
}

} // namespace stresslint
