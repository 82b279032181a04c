//===--- FuzzCpp.cpp - libFuzzer target: SQL reconstruction from C++ -------===//
///
/// \file
/// Feeds arbitrary bytes through what a C++ translation unit goes through
/// before the rules: Clang parses them, the SQL sites pass reconstructs every
/// statement (concatenations, appends, templates, streams, holes, bound
/// values) and the graph builder summarises calls, loops and sinks; the
/// summary is then serialised and read back.
///
/// The first byte picks the shape. Even: the rest is the body of a function
/// written as is (broken code, RecoveryExprs, unresolved calls, as in a run
/// without headers). Odd: the rest is split at newlines into string pieces
/// that a fixed function assembles in the ways real code builds SQL, so the
/// mutations land in the SQL rather than in C++ syntax.
///
//===----------------------------------------------------------------------===//
#include "BuiltinRules.h"
#include "cpp/RecoveredLoops.h"
#include "cpp/SqlSites.h"
#include "graph/GraphBuilder.h"
#include "graph/Summary.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace stresslint;

/// Just enough of the standard library and two database APIs to make the
/// assembled code well-typed without parsing real headers on every input.
static const char Prelude[] = R"cpp(
namespace std {
template <class C> struct basic_string {
  basic_string();
  basic_string(const C *);
  basic_string &operator+=(const basic_string &);
  basic_string &operator+=(const C *);
  basic_string &append(const C *);
  const C *c_str() const;
};
using string = basic_string<char>;
string operator+(const string &, const string &);
string operator+(const string &, const char *);
string operator+(const char *, const string &);
string to_string(int);
} // namespace std
struct sqlite3;
struct MYSQL;
extern "C" int sqlite3_exec(sqlite3 *, const char *, void *, void *, char **);
extern "C" int mysql_query(MYSQL *, const char *);
extern "C" int snprintf(char *, unsigned long, const char *, ...);
struct Db { int query(const std::string &); };
)cpp";

static std::string cppLiteral(const std::string &S) {
  std::string Out = "\"";
  for (unsigned char C : S) {
    if (C == '"' || C == '\\') {
      Out += '\\';
      Out += static_cast<char>(C);
    } else if (C < 0x20 || C >= 0x7f) {
      static const char Hex[] = "0123456789abcdef";
      Out += "\\x";
      Out += Hex[C >> 4];
      Out += Hex[C & 15];
      Out += "\"\""; // ends the hex escape
    } else {
      Out += static_cast<char>(C);
    }
  }
  return Out + "\"";
}

static std::string assembled(const std::string &Input) {
  std::vector<std::string> P;
  size_t Start = 0;
  while (P.size() < 8) {
    size_t End = Input.find('\n', Start);
    P.push_back(cppLiteral(Input.substr(Start, End - Start)));
    if (End == std::string::npos)
      break;
    Start = End + 1;
  }
  while (P.size() < 8)
    P.push_back("\"\"");
  return "void f(sqlite3 *db, MYSQL *m, Db &d, int n, const std::string &p,\n"
         "       const char **ids) {\n"
         "  std::string sql = " +
         P[0] +
         ";\n"
         "  sql += " +
         P[1] + " + std::to_string(n) + " + P[2] +
         ";\n"
         "  if (n > 1) sql += p;\n"
         "  sql.append(" +
         P[3] +
         ");\n"
         "  std::string pattern = " +
         P[4] + " + p + " + P[4] +
         ";\n"
         "  char buf[256];\n"
         "  snprintf(buf, sizeof buf, " +
         P[5] +
         ", n, ids[0]);\n"
         "  for (int i = 0; i < n; ++i) {\n"
         "    sqlite3_exec(db, (sql + " +
         P[6] +
         ").c_str(), 0, 0, 0);\n"
         "    mysql_query(m, buf);\n"
         "    d.query(n ? " +
         P[7] +
         " : sql + pattern);\n"
         "  }\n"
         "}\n";
}

/// Parses \p Code and runs the SQL sites pass and the graph builder on it.
static void analyse(const std::string &Code, std::vector<std::string> Args) {
  Args.insert(Args.end(), {"-std=c++17", "-ferror-limit=0", "-w"});
  std::unique_ptr<clang::ASTUnit> AST =
      clang::tooling::buildASTFromCodeWithArgs(Code, Args, "input.cpp");
  if (!AST)
    return;
  clang::ASTContext &Ctx = AST->getASTContext();
  std::unique_ptr<SqlSites> Sites = collectSqlSites(Ctx, builtinRules());
  for (const SqlSite &S : Sites->Sites)
    for (size_t I = 0; I < S.Sql.Text.size(); I += 7)
      (void)S.Sql.locationOf(static_cast<uint32_t>(I), Ctx);
  TUSummary Summary = buildSummary(Ctx, builtinRules(), *Sites);
  llvm::Expected<TUSummary> Back = parseSummary(serializeSummary(Summary));
  if (!Back)
    std::abort(); // what we write we must read back
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  std::string Input(reinterpret_cast<const char *>(Data) + 1, Size - 1);
  Input = Input.substr(0, Input.find('\0'));
  std::string Code = Prelude;
  Code += (Data[0] & 1) ? assembled(Input)
                        : "void f(sqlite3 *db, Db &d, int n) {\n" + Input + "\n}\n";
  analyse(Code, {});
  // The second parse of a run without headers: every loop header the lexer
  // finds re-spelled in place (cpp/RecoveredLoops.h), the same length.
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.CPlusPlus14 = LO.CPlusPlus17 = true;
  std::vector<RangeForHeader> Loops = rangeForHeaders(Code, LO);
  if (Loops.empty())
    return 0;
  std::string Respelled = respellLoops(Code, Loops);
  if (Respelled.size() != Code.size())
    std::abort(); // positions must not move
  analyse(Respelled, {"-D" + RecoveredLoopMarker.str() + "=if"});
  return 0;
}
