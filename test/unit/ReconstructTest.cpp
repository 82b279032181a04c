//===--- ReconstructTest.cpp - SQL text from C++ and offsets back ----------===//
///
/// \file
/// Builds small ASTs and checks the SQL text each site reconstructs, and that
/// every SQL byte offset maps to the exact line and column of the character
/// in the C++ source: through escapes, raw strings, concatenation across
/// lines, macros and variables.
///
//===----------------------------------------------------------------------===//
#include "cpp/SqlSites.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include <gtest/gtest.h>

using namespace stresslint;
using namespace clang;

namespace {

class ReconstructTest : public testing::Test {
protected:
  const SqlSites &sites(llvm::StringRef Code) {
    AST = tooling::buildASTFromCodeWithArgs(
        Code,
        {"-std=c++17", "-Wno-everything",
         std::string("-resource-dir=") + STRESSLINT_CLANG_RESOURCE_DIR},
        "input.cpp");
    EXPECT_TRUE(AST != nullptr);
    Sites = collectSqlSites(AST->getASTContext(), activeRuleSet());
    return *Sites;
  }

  /// "line:col" of byte \p Offset of site \p S's SQL.
  std::string where(const SqlSite &S, llvm::StringRef Needle) {
    size_t Offset = S.Sql.Text.find(Needle.str());
    EXPECT_NE(Offset, std::string::npos) << Needle.str() << " in " << S.Sql.Text;
    SourceLocation Loc = S.Sql.locationOf(Offset, AST->getASTContext());
    PresumedLoc P = AST->getSourceManager().getPresumedLoc(Loc);
    return std::to_string(P.getLine()) + ":" + std::to_string(P.getColumn());
  }

  std::unique_ptr<ASTUnit> AST;
  std::unique_ptr<SqlSites> Sites;
};

const char *Prelude = R"cpp(
#include <string>
namespace pqxx { struct result {};
struct transaction_base { result exec(const std::string &q, const std::string &d = std::string{}); };
struct work : transaction_base {}; }
)cpp";

TEST_F(ReconstructTest, AdjacentLiteralsAcrossLinesWithEscapes) {
  const SqlSites &S = sites(std::string(Prelude) + R"cpp(
void f(pqxx::work &t) {
  t.exec("SELECT \"id\"\n"
         "FROM t "
         "OFFSET 5");
}
)cpp");
  ASSERT_EQ(S.Sites.size(), 1u);
  EXPECT_EQ(S.Sites[0].Sql.Text, "SELECT \"id\"\nFROM t OFFSET 5");
  EXPECT_TRUE(S.Sites[0].FromSink);
  EXPECT_EQ(where(S.Sites[0], "\"id\""), "8:18"); // the escaped quote
  EXPECT_EQ(where(S.Sites[0], "FROM"), "9:11");
  EXPECT_EQ(where(S.Sites[0], "OFFSET"), "10:11");
}

TEST_F(ReconstructTest, RawStringsAndMacros) {
  const SqlSites &S = sites(std::string(Prelude) + R"cpp(
#define Q "SELECT * FROM t"
void f(pqxx::work &t) {
  t.exec(R"sql(SELECT a
  FROM b)sql");
  t.exec(Q);
}
)cpp");
  ASSERT_EQ(S.Sites.size(), 2u);
  EXPECT_EQ(where(S.Sites[0], "FROM"), "10:3");
  EXPECT_EQ(where(S.Sites[1], "*"), "7:19"); // spelled in the #define
}

TEST_F(ReconstructTest, VariablesAppendsAndUnknownParts) {
  const SqlSites &S = sites(std::string(Prelude) + R"cpp(
static const char *kBase = "SELECT id FROM t";
void f(pqxx::work &t, int page, bool asc) {
  std::string q = kBase;
  q += " WHERE a = 1";
  if (asc) q.append(" ORDER BY id");
  q += " OFFSET " + std::to_string(page * 20);
  t.exec(q);
  q += " FOR UPDATE"; // after the call: not part of it
}
)cpp");
  ASSERT_EQ(S.Sites.size(), 1u);
  EXPECT_EQ(S.Sites[0].Sql.Text, "SELECT id FROM t WHERE a = 1 ORDER BY id OFFSET $1");
  EXPECT_EQ(where(S.Sites[0], "OFFSET"), "12:10");
  // The unknown part points at the expression that produces it.
  EXPECT_EQ(where(S.Sites[0], "$1"), "12:21");
}

TEST_F(ReconstructTest, IdentifierPlaceholderAfterFrom) {
  const SqlSites &S = sites(std::string(Prelude) + R"cpp(
void f(pqxx::work &t, const std::string &table) {
  t.exec("SELECT * FROM " + table + " WHERE id = 1");
}
)cpp");
  ASSERT_EQ(S.Sites.size(), 1u);
  EXPECT_EQ(S.Sites[0].Sql.Text, "SELECT * FROM p__1 WHERE id = 1");
}

TEST_F(ReconstructTest, StreamsAndFreeLiterals) {
  const SqlSites &S = sites(std::string(Prelude) + R"cpp(
#include <sstream>
struct Db { void run(const std::string &); };
void f(pqxx::work &t, Db &db, int n) {
  std::ostringstream os;
  os << "SELECT id FROM t" << " LIMIT " << n;
  t.exec(os.str());
  db.run("DELETE FROM sessions WHERE expired");
  throw "SELECT * FROM users failed";
}
)cpp");
  ASSERT_EQ(S.Sites.size(), 2u);
  EXPECT_EQ(S.Sites[0].Sql.Text, "SELECT id FROM t LIMIT $1");
  EXPECT_FALSE(S.Sites[1].FromSink);
  EXPECT_EQ(S.Sites[1].Sql.Text, "DELETE FROM sessions WHERE expired");
}

TEST_F(ReconstructTest, LongConcatenationDoesNotRecurseDeeply) {
  std::string Code = std::string(Prelude) +
                     "void f(pqxx::work &t, std::string x) {\n"
                     "  t.exec(std::string(\"SELECT a FROM t WHERE b IN (0\")";
  for (int I = 0; I < 3000; ++I)
    Code += " + \",\" + x";
  Code += " + \")\");\n}\n";
  const SqlSites &S = sites(Code);
  ASSERT_EQ(S.Sites.size(), 1u);
  EXPECT_EQ(S.Sites[0].Sql.Text.rfind("SELECT a FROM t WHERE b IN (0,$1,$2", 0), 0u);
}

} // namespace
