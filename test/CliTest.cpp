//===--- CliTest.cpp - The stresslint executable, end to end ---------------===//
///
/// \file
/// Runs the built CLI as users do and checks output, exit codes (0 clean,
/// 1 findings, 2 usage/configuration error, 3 unanalysable input) and
/// configuration through .clang-tidy, --rules and --config.
///
//===----------------------------------------------------------------------===//
#include "CliHarness.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

namespace {

TEST_F(CliTest, FindingsInClangFormatExitOne) {
  std::string F =
      write("q.sql", "SELECT id FROM t;\nSELECT * FROM orders LIMIT 10 OFFSET 20;\n");
  RunResult R = run({F});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_NE(R.Out.find(F + ":2:8: warning: '*' ships every column"), std::string::npos)
      << R.Out;
  EXPECT_NE(
      R.Out.find(
          "[stress-select-star]\nSELECT * FROM orders LIMIT 10 OFFSET 20;\n       ^"),
      std::string::npos)
      << R.Out;
  EXPECT_NE(R.Out.find(F + ":2:31: warning: 'OFFSET 20' makes the database"),
            std::string::npos);
  EXPECT_NE(R.Out.find(": note: order by a unique key"), std::string::npos) << R.Out;
  EXPECT_NE(R.Err.find("stresslint: 2 findings in 1 file"), std::string::npos) << R.Err;
}

TEST_F(CliTest, CleanInputExitsZero) {
  std::string F =
      write("ok.sql", "SELECT id FROM t WHERE id > $1 ORDER BY id LIMIT 10;\n");
  RunResult R = run({F, "--quiet"});
  EXPECT_EQ(R.Exit, 0) << R.Out << R.Err;
  EXPECT_EQ(R.Out, "");
  EXPECT_EQ(R.Err, "");
}

TEST_F(CliTest, UsageAndConfigurationErrorsExitTwo) {
  EXPECT_EQ(run({"--no-such-flag", "x"}).Exit, 2);
  RunResult Missing = run({std::string(Dir) + "/missing.cpp"});
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_NE(Missing.Err.find("missing.cpp: No such file or directory"),
            std::string::npos)
      << Missing.Err;
  std::string Bad = write("rules/bad.yaml", "id: stress-x\nsummary: [\n");
  RunResult R = run({"--rules", Bad, write("a.sql", "SELECT 1;")});
  EXPECT_EQ(R.Exit, 2);
  EXPECT_NE(R.Err.find(Bad + ":3:1: error:"), std::string::npos) << R.Err;
  EXPECT_EQ(run({"--format=xml", write("b.sql", "SELECT 1;")}).Exit, 2);
  EXPECT_EQ(run({"--explain", "stress-nope"}).Exit, 2);
}

// A user rule is checked against the registry of primitives before any
// file is analysed: a clear `file:line:col: error:` and exit code 2.
TEST_F(CliTest, BadUserRulesStopTheRunBeforeAnalysis) {
  std::string Sql = write("c.sql", "SELECT * FROM t OFFSET 10;\n");
  auto Check = [&](const std::string &File, const std::string &Yaml,
                   const std::string &Error) {
    std::string Rule = write(File, Yaml);
    RunResult R = run({"--rules", Rule, Sql});
    EXPECT_EQ(R.Exit, 2) << R.Out << R.Err;
    EXPECT_EQ(R.Out, "");
    EXPECT_EQ(R.Err, Rule + ":" + Error + "\n");
  };
  const std::string Head = "summary: s\nmessage: \"'{snippet}' {table}\"\n";
  Check("r1/stress-app.yaml", "id: stress-app\n" + Head + "match: {sql: offset}\n",
        "3:10: error: unknown variable '{table}' in 'message' (this rule's 'match' "
        "gives {snippet}, {detail}, {size})");
  Check("r2/stress-app.yaml",
        "id: stress-app\nsummary: s\nmessage: m\nmatch: {sql: offest}\n",
        "4:14: error: unknown SQL predicate 'offest' (known: select-star, offset, "
        "leading-wildcard, row-lock, aggregate; with a context also query, "
        "row-lock-any)");
  Check(
      "r3/app.yaml", "id: stress-app\nsummary: s\nmessage: m\nmatch: {sql: offset}\n",
      "1:5: error: rule id 'stress-app' must be its file's name: rename 'app.yaml' to "
      "'stress-app.yaml'");
  Check("r4/stress-app.yaml",
        "id: stress-app\nstatus: beta\nsummary: s\nmessage: m\nmatch: {sql: offset}\n",
        "2:9: error: 'status' must be stable, experimental or deprecated");
}

TEST_F(CliTest, ListPrimitivesAsClangTidyListsChecks) {
  RunResult L = run({"--list-primitives"});
  EXPECT_EQ(L.Exit, 0) << L.Err;
  EXPECT_EQ(L.Out.rfind("SQL predicates (match.sql):\n    select-star\n", 0), 0u)
      << L.Out;
  for (const char *Heading : {"\nContexts (match.context):\n    in-loop\n",
                              "\nCall sets (match.call):\n    blocking\n"})
    EXPECT_NE(L.Out.find(Heading), std::string::npos) << Heading;
}

TEST_F(CliTest, UnanalysableInputExitsThreeButStillReports) {
  std::string Bin = write("dump.sql", std::string("SELECT\0\x01\x02", 9));
  std::string Good = write("good.sql", "SELECT * FROM users;\n");
  RunResult R = run({Bin, Good});
  EXPECT_EQ(R.Exit, 3);
  EXPECT_NE(R.Err.find("dump.sql: binary file"), std::string::npos) << R.Err;
  EXPECT_NE(R.Out.find("[stress-select-star]"), std::string::npos);

  std::string Broken =
      write("broken.cpp", "void run(const char*);\n"
                          "void f() { run(\"SELECT * FROM users\"); undeclared(); }\n");
  RunResult C = run({Broken, "--", "-std=c++17"});
  EXPECT_EQ(C.Exit, 3) << C.Out << C.Err;
  EXPECT_NE(
      C.Out.find(
          "error: use of undeclared identifier 'undeclared' [clang-diagnostic-error]"),
      std::string::npos)
      << C.Out;
  EXPECT_NE(C.Out.find("[stress-select-star]"), std::string::npos) << C.Out;
}

TEST_F(CliTest, WithoutCompilationDatabaseMissingHeadersAreTolerated) {
  std::string F = write("repo.cpp", "#include <acme/db.hpp>\n"
                                    "void f(acme::Db& db) {\n"
                                    "  db.query(\"SELECT * FROM users\");\n"
                                    "}\n");
  RunResult R = run({F});
  EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
  EXPECT_NE(R.Out.find(F + ":3:20: warning:"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("clang-diagnostic-error"), std::string::npos) << R.Out;
  EXPECT_NE(R.Err.find("did not fully compile"), std::string::npos) << R.Err;
}

// Without a compilation database, the C++ standard library is the one
// the LLVM stresslint was built with finds, wherever the binary is: a
// copy beside a directory that holds another GCC (`<prefix>/bin` and
// `<prefix>/lib/gcc/...`, as in a conda environment or a copy in /tmp)
// does not take that GCC's missing headers.
TEST_F(CliTest, WithoutCompilationDatabaseTheStandardLibraryIgnoresTheBinarysPlace) {
  std::string Bin = path("prefix/bin/stresslint");
  llvm::sys::fs::create_directories(path("prefix/bin"));
  // A GCC installation as Clang's driver recognises one: its crtbegin.o.
  write("prefix/lib/gcc/x86_64-linux-gnu/99/crtbegin.o", "");
  if (llvm::sys::fs::create_hard_link(STRESSLINT_CLI, Bin))
    ASSERT_FALSE(llvm::sys::fs::copy_file(STRESSLINT_CLI, Bin));
  llvm::sys::fs::setPermissions(Bin, llvm::sys::fs::all_exe | llvm::sys::fs::owner_all);
  std::string F = write("repo.cpp", "#include <string>\n"
                                    "void f(std::string &sql) {\n"
                                    "  sql = \"SELECT * FROM users\";\n"
                                    "}\n");
  RunResult R = runProgram(Bin, {"--show-compiler-errors", F});
  EXPECT_EQ(R.Out.find("clang-diagnostic-error"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find(F + ":3:17: warning:"), std::string::npos) << R.Out << R.Err;
}

// Without a compilation database, `#include "core/query.h"` from
// src/app/ is found in src/ (a directory above the file, below the
// project's root): the project's query class is known, though its base's
// header is missing, and its Exec() runs what the inherited prepare() got.
TEST_F(CliTest, WithoutCompilationDatabaseProjectHeadersAreFoundAbove) {
  llvm::sys::fs::create_directories(path("proj/.git"));
  write("proj/src/core/query.h", "#pragma once\n"
                                 "#include <QSqlQuery>\n"
                                 "class Query : public QSqlQuery {\n"
                                 " public:\n"
                                 "  explicit Query(const QSqlDatabase &db);\n"
                                 "  bool Exec();\n"
                                 "};\n");
  std::string Impl =
      write("proj/src/core/query.cpp", "#include \"query.h\"\n"
                                       "bool Query::Exec() { return exec(); }\n");
  std::string App =
      write("proj/src/app/songs.cpp",
            "#include \"core/query.h\"\n"
            "#include <vector>\n"
            "void touch(QSqlDatabase db, const std::vector<long> &ids) {\n"
            "  for (long id : ids) {\n"
            "    Query q(db);\n"
            "    q.prepare(\"UPDATE songs SET seen = 1 WHERE id = ?\");\n"
            "    q.addBindValue(id);\n"
            "    q.Exec();\n"
            "  }\n"
            "}\n");
  RunResult R = run({App, Impl});
  EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
  EXPECT_NE(R.Out.find(App + ":8:7: warning: 'Query::Exec' runs 'UPDATE songs"),
            std::string::npos)
      << R.Out;
  // One finding: the prepare() is not a second one.
  EXPECT_EQ(llvm::StringRef(R.Out).count(": warning:"), 1u) << R.Out;

  // Outside any project (no .git above, not under the working directory)
  // nothing is searched: the header one directory up stays missing.
  write("core/plain.h", "struct Plain {};\n");
  std::string Loose = write("loose/plain.cpp", "#include \"core/plain.h\"\n"
                                               "Plain P;\n");
  RunResult L = run({Loose});
  EXPECT_NE(L.Err.find("did not fully compile"), std::string::npos) << L.Out << L.Err;
}

// Without a compilation database, `#include "storage.h"` from src/core/
// with the header in src/common/ (a build's `-I src/common`) is found: the
// one file of the project whose name it is. Its class is known, so the
// virtual call in the loop reaches the query of its override. A name two
// files carry equally near (`db.h` in lib/a/ and lib/b/) stays missing:
// the tool does not guess.
TEST_F(CliTest, WithoutCompilationDatabaseSiblingHeadersAreFound) {
  llvm::sys::fs::create_directories(path("proj/.git"));
  write("proj/src/common/storage.h", "#pragma once\n"
                                     "#include \"types.h\"\n"
                                     "class Storage {\n"
                                     " public:\n"
                                     "  virtual ~Storage();\n"
                                     "  virtual void touch(Id id) = 0;\n"
                                     "};\n");
  write("proj/src/common/types.h", "#pragma once\ntypedef long Id;\n");
  std::string Impl =
      write("proj/src/sql/sqlstorage.cpp",
            "#include \"storage.h\"\n"
            "void exec(const char *sql, Id id);\n"
            "class SqlStorage : public Storage {\n"
            " public:\n"
            "  void touch(Id id) override {\n"
            "    exec(\"UPDATE songs SET seen = 1 WHERE id = $1\", id);\n"
            "  }\n"
            "};\n");
  std::string App = write("proj/src/core/session.cpp",
                          "#include \"storage.h\"\n"
                          "#include <vector>\n"
                          "void seen(Storage *s, const std::vector<Id> &ids) {\n"
                          "  for (Id id : ids)\n"
                          "    s->touch(id);\n"
                          "}\n");
  write("proj/lib/a/db.h", "struct A {};\n");
  write("proj/lib/b/db.h", "struct B {};\n");
  std::string Guess = write("proj/tools/guess.cpp", "#include \"db.h\"\n");
  RunResult R = run({"--show-compiler-errors", App, Impl, Guess});
  EXPECT_NE(R.Out.find(App + ":5:8: warning: 'SqlStorage::touch' runs 'UPDATE songs"),
            std::string::npos)
      << R.Out << R.Err;
  EXPECT_EQ(R.Out.find("'storage.h' file not found"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("'types.h' file not found"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find(Guess + ":1:10: error: 'db.h' file not found"),
            std::string::npos)
      << R.Out;
}

// Without a compilation database, a build option the whole file sits in
// (`#ifdef WITH_SQL` around a storage backend) is defined: without it the
// file is empty, and a build that compiles it has it on. A header's option
// set from another follows it; `--no-build-options` leaves them undefined.
TEST_F(CliTest, WithoutCompilationDatabaseAWholeFileOptionIsOn) {
  write("setup.h", "#ifdef WITH_SQL\n"
                   "#define WITH_ACCOUNTS 1\n"
                   "#endif\n");
  std::string F = write("storage.cpp", "#include \"setup.h\"\n"
                                       "#ifdef WITH_SQL\n"
                                       "#ifdef WITH_ACCOUNTS\n"
                                       "const char *q = \"SELECT * FROM accounts\";\n"
                                       "#endif\n"
                                       "#ifdef USE_CACHE\n"
                                       "const char *c = \"SELECT * FROM cache\";\n"
                                       "#endif\n"
                                       "#endif\n");
  RunResult R = run({F});
  EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
  EXPECT_NE(R.Out.find(F + ":4:25: warning:"), std::string::npos) << R.Out;
  EXPECT_EQ(llvm::StringRef(R.Out).count(": warning:"), 1u) << R.Out;

  RunResult Off = run({"--no-build-options", F});
  EXPECT_EQ(Off.Exit, 0) << Off.Out << Off.Err;
}

// A project of several programs (a daemon, its tools) has a main() in each;
// one run sees every one of them.
TEST_F(CliTest, EveryProgramsMainIsItsOwnFunction) {
  write("db.h", "void run(const char *sql, int id);\n");
  std::string Files[2];
  for (int I = 0; I < 2; ++I)
    Files[I] = write(std::string(I ? "tool" : "daemon") + ".cpp",
                     "#include \"db.h\"\n"
                     "int main(int argc, char **argv) {\n"
                     "  for (int i = 1; i < argc; ++i)\n"
                     "    run(\"UPDATE jobs SET seen = 1 WHERE id = $1\", i);\n"
                     "  return 0;\n"
                     "}\n");
  RunResult R = run({Files[0], Files[1], "--", "-std=c++17"});
  EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
  for (const std::string &F : Files)
    EXPECT_NE(R.Out.find(F + ":4:5: warning:"), std::string::npos) << R.Out;
}

/// The figures of `--stats`' "top-level declarations traversed" row: in
/// scope, and left out as system or library code.
static std::pair<unsigned, unsigned> traversedDecls(llvm::StringRef Err) {
  llvm::StringRef Row = Err.substr(Err.find("top-level declarations traversed"));
  Row = Row.take_until([](char C) { return C == '\n'; });
  unsigned Kept = 0, Total = 0, Left = 0;
  llvm::StringRef Rest = Row.drop_until([](char C) { return llvm::isDigit(C); });
  Rest.consumeInteger(10, Kept);
  Rest = Rest.drop_until([](char C) { return llvm::isDigit(C); });
  Rest.consumeInteger(10, Total);
  Rest = Rest.drop_until([](char C) { return llvm::isDigit(C); });
  Rest.consumeInteger(10, Left);
  EXPECT_EQ(Kept + Left, Total) << Row.str();
  return {Kept, Left};
}

// The checks traverse the project's own top-level declarations
// (driver/ProjectScope.h): not a system header's (-isystem), nor a
// library's (a header under a system include directory, here reached with
// -I as Qt's flags name /usr/include/.../qt6), whose SQL was reported
// before; a project header's inline function is still in the call graph.
TEST_F(CliTest, ChecksTraverseTheProjectsOwnDeclarations) {
  write(
      "sys/libpq-fe.h",
      "#pragma once\n"
      "typedef struct pg_conn PGconn;\n"
      "struct PGresult;\n"
      "PGresult *PQexec(PGconn *, const char *);\n"
      "inline void sysAudit(PGconn *c) { PQexec(c, \"SELECT * FROM sys_audit\"); }\n");
  write("sys/vendor/vendor.h",
        "#pragma once\n"
        "#include <libpq-fe.h>\n"
        "namespace vendor {\n"
        "inline void audit(PGconn *c) { PQexec(c, \"SELECT * FROM audit\"); }\n"
        "}\n");
  std::string Repo = write("include/repo.h",
                           "#pragma once\n"
                           "#include <libpq-fe.h>\n"
                           "inline void touch(PGconn *c) {\n"
                           "  PQexec(c, \"UPDATE songs SET seen = 1 WHERE id = 1\");\n"
                           "}\n");
  std::string Main = write("src/main.cpp", "#include \"vendor.h\"\n"
                                           "#include \"repo.h\"\n"
                                           "void all(PGconn *c, int n) {\n"
                                           "  vendor::audit(c);\n"
                                           "  for (int i = 0; i < n; ++i)\n"
                                           "    touch(c);\n"
                                           "}\n");
  std::vector<std::string> Flags{"--",
                                 "-std=c++17",
                                 "-isystem",
                                 path("sys"),
                                 "-I" + path("sys/vendor"),
                                 "-I" + path("include")};
  auto Run = [&](std::vector<std::string> Extra) {
    std::vector<std::string> Args{"--stats", "--no-cache", Main};
    llvm::append_range(Args, Flags);
    llvm::append_range(Args, Extra);
    return run(Args);
  };
  RunResult R = Run({});
  EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
  EXPECT_NE(R.Out.find(Main + ":6:5: warning: 'touch' runs 'UPDATE songs"),
            std::string::npos)
      << R.Out;
  EXPECT_NE(R.Out.find(Repo + ":4:3: note: which runs this query"), std::string::npos)
      << R.Out;
  EXPECT_EQ(R.Out.find("audit"), std::string::npos) << R.Out;
  EXPECT_EQ(llvm::StringRef(R.Out).count(": warning:"), 1u) << R.Out;
  auto [Kept, Left] = traversedDecls(R.Err);
  // PGconn, pg_conn, PGresult, PQexec, sysAudit; namespace vendor.
  EXPECT_EQ(Left, 6u) << R.Err;
  EXPECT_GE(Kept, 2u) << R.Err; // touch, all (and Clang's implicit ones)

  // A system directory that holds the main file is the project's: its
  // headers found with -I (repo.h) stay in scope.
  RunResult Own = Run({"-isystem", std::string(Dir)});
  EXPECT_EQ(Own.Out, R.Out);
  EXPECT_EQ(traversedDecls(Own.Err), traversedDecls(R.Err)) << Own.Err;
}

// Regression (found by the sanitizer build, whose LLVM headers assert): the
// upward search for compile_commands.json copied each parent path onto
// itself.
TEST_F(CliTest, CompilationDatabaseInAnAncestorDirectoryIsUsed) {
  std::string F =
      write("proj/src/deep/q.cpp", "void run(const char*);\n"
                                   "#ifdef WITH_DB\n"
                                   "void f() { run(\"SELECT * FROM t\"); }\n"
                                   "#endif\n");
  write("proj/compile_commands.json",
        "[{\"directory\": \"" + std::string(Dir) +
            "/proj\", \"file\": \"src/deep/q.cpp\", "
            "\"arguments\": [\"clang++\", \"-std=c++17\", \"-DWITH_DB\", \"-c\", "
            "\"src/deep/q.cpp\"]}]");
  RunResult R = run({F});
  EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
  // Named as in the compile command: relative to its directory.
  EXPECT_NE(R.Out.find("src/deep/q.cpp:3:24: warning:"), std::string::npos)
      << R.Out << R.Err;
}

// Regression: a compilation database's relative `file` is relative to the
// entry's `directory`; the findings (JSON, SARIF, baselines, fixes) read
// lines and named the file against the working directory instead, so a
// run from elsewhere got line 1 and a column counted from the file's start.
TEST_F(CliTest, RelativeFilesOfTheDatabaseAreResolvedInItsDirectory) {
  write("proj/src/deep/q.cpp", "void run(const char*);\n"
                               "#ifdef WITH_DB\n"
                               "void f() { run(\"SELECT * FROM t\"); }\n"
                               "#endif\n");
  write("proj/build/compile_commands.json",
        "[{\"directory\": \"" + std::string(Dir) +
            "/proj\", \"file\": \"src/deep/q.cpp\", "
            "\"arguments\": [\"clang++\", \"-std=c++17\", \"-DWITH_DB\", \"-c\", "
            "\"src/deep/q.cpp\"]}]");
  write("elsewhere/.keep", "");
  // From another working directory, with relative arguments.
  auto RunElsewhere = [&](const std::vector<std::string> &Args) {
    return runIn("elsewhere", Args);
  };
  RunResult Json = RunElsewhere(
      {"--no-cache", "-p", "../proj/build", "../proj/src/deep/q.cpp", "--format=json"});
  EXPECT_EQ(Json.Exit, 1) << Json.Out << Json.Err;
  auto Parsed = llvm::json::parse(Json.Out);
  ASSERT_TRUE(bool(Parsed)) << Json.Out;
  const llvm::json::Array *Findings = Parsed->getAsObject()->getArray("findings");
  ASSERT_TRUE(Findings && Findings->size() == 1) << Json.Out;
  const llvm::json::Object &F = *(*Findings)[0].getAsObject();
  EXPECT_EQ(F.getString("file"), llvm::StringRef(path("proj/src/deep/q.cpp")));
  EXPECT_EQ(F.getInteger("line"), 3);
  EXPECT_EQ(F.getInteger("column"), 24);
  EXPECT_EQ(F.getInteger("endColumn"), 25);
  // The text names the file as the compile command does, as clang-tidy.
  RunResult Text =
      RunElsewhere({"--no-cache", "-p", "../proj/build", "../proj/src/deep/q.cpp"});
  EXPECT_NE(Text.Out.find("src/deep/q.cpp:3:24: warning:"), std::string::npos)
      << Text.Out << Text.Err;
}

// The same from elsewhere for a finding placed through the call graph (a
// context rule, with a note) and for a second run served by the result
// cache: their files are named relative to the entry's directory too.
TEST_F(CliTest, RelativeFilesOfTheDatabaseKeepTheirPositionsInGraphAndCache) {
  write("proj/src/a.cpp", "void run(const char*);\n"
                          "void g(int n) {\n"
                          "  for (int i = 0; i < n; ++i) run(\"SELECT id FROM t\");\n"
                          "}\n");
  write("proj/build/compile_commands.json",
        "[{\"directory\": \"" + std::string(Dir) +
            "/proj\", \"file\": \"src/a.cpp\", "
            "\"arguments\": [\"clang++\", \"-std=c++17\", \"-c\", \"src/a.cpp\"]}]");
  write("elsewhere/.keep", "");
  for (const char *Pass : {"analysed", "cached"}) {
    RunResult R =
        runIn("elsewhere", {"--checks=-*,stress-query-in-loop", "-p", "../proj/build",
                            "../proj/src/a.cpp", "--format=json"});
    EXPECT_EQ(R.Exit, 1) << Pass << "\n" << R.Out << R.Err;
    auto Parsed = llvm::json::parse(R.Out);
    ASSERT_TRUE(bool(Parsed)) << Pass << "\n" << R.Out;
    const llvm::json::Array *Findings = Parsed->getAsObject()->getArray("findings");
    ASSERT_TRUE(Findings && Findings->size() == 1) << Pass << "\n" << R.Out;
    const llvm::json::Object &F = *(*Findings)[0].getAsObject();
    EXPECT_EQ(F.getString("file"), llvm::StringRef(path("proj/src/a.cpp"))) << Pass;
    EXPECT_EQ(F.getInteger("line"), 3) << Pass;
    EXPECT_EQ(F.getInteger("column"), 31) << Pass;
    const llvm::json::Array *Notes = F.getArray("notes");
    ASSERT_TRUE(Notes && !Notes->empty()) << Pass << "\n" << R.Out;
    const llvm::json::Object &Loop = *Notes->back().getAsObject();
    EXPECT_EQ(Loop.getString("file"), llvm::StringRef(path("proj/src/a.cpp"))) << Pass;
    EXPECT_EQ(Loop.getInteger("line"), 3) << Pass;
    EXPECT_EQ(Loop.getInteger("column"), 3) << Pass;
  }
}

TEST_F(CliTest, CompileCommandsWrittenForGccAreMadeSafe) {
  std::string Pch = write("pch.hxx", "#include <string>\n");
  write("pch.hxx.gch", "GCC precompiled header, not Clang's");
  std::string F = write("g.cpp", "#include <string>\n"
                                 "void run(const std::string&);\n"
                                 "void f() { run(\"SELECT * FROM t\"); }\n");
  RunResult R = run({F, "--", "-std=c++17", "-Werror", "-Wall", "-include", Pch,
                     "-fconcepts-diagnostics-depth=2", "-fno-tree-vrp",
                     "-fplugin=" + std::string(Dir) + "/evil.so"});
  EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
  EXPECT_EQ(R.Out.find("clang-diagnostic"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("[stress-select-star]"), std::string::npos) << R.Out;
  EXPECT_NE(R.Err.find("warning: dropped '-fplugin="), std::string::npos) << R.Err;
}

TEST_F(CliTest, ClangTidyConfigurationIsHonoured) {
  write("proj/.clang-tidy", "Checks: '-*,stress-*,-stress-select-star'\n"
                            "WarningsAsErrors: 'stress-unbounded-row-lock'\n"
                            "CheckOptions:\n"
                            "  stress-unbounded-row-lock.KeyColumns: 'sku'\n");
  std::string F =
      write("proj/q.sql", "SELECT * FROM items WHERE sku = $1 FOR UPDATE;\n"
                          "SELECT id FROM items WHERE id = $1 FOR UPDATE;\n");
  RunResult R = run({F});
  EXPECT_EQ(R.Exit, 1);
  EXPECT_EQ(R.Out.find("stress-select-star"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find(":1:36:"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find(F + ":2:36: error: 'FOR UPDATE' without LIMIT"),
            std::string::npos)
      << R.Out;
  // --checks narrows further; NOLINT is clang-tidy's.
  RunResult Narrow = run({F, "--checks=-stress-unbounded-row-lock"});
  EXPECT_EQ(Narrow.Exit, 0) << Narrow.Out;
  std::string N =
      write("proj/n.sql", "SELECT * FROM a; -- NOLINT(stress-select-star)\n"
                          "SELECT * FROM b; -- NOLINT(stress-offset-pagination)\n");
  RunResult NR = run({N, "--checks=stress-select-star"});
  EXPECT_EQ(NR.Out.find(":1:8:"), std::string::npos) << NR.Out;
  EXPECT_NE(NR.Out.find(":2:8:"), std::string::npos) << NR.Out;
}

TEST_F(CliTest, EachDirectoryOfSqlFilesHasItsOwnConfiguration) {
  // The rules of a directory's `.sql` files are bound once, for its first
  // file; the next directory, even between two files of the first, has its
  // own.
  std::string A = write("dirs/a.sql", "SELECT * FROM t;\n");
  std::string B = write("dirs/b.sql", "SELECT * FROM t;\n");
  write("dirs/sub/.clang-tidy", "Checks: '-*,stress-*,-stress-select-star'\n");
  std::string C = write("dirs/sub/c.sql", "SELECT * FROM t;\n");
  std::string D = write("dirs/sub/d.sql", "SELECT * FROM t;\n");
  for (const std::vector<std::string> &Files :
       {std::vector<std::string>{A, B, C, D}, std::vector<std::string>{C, A, D, B}}) {
    RunResult R = run(Files);
    EXPECT_EQ(R.Exit, 1) << R.Out << R.Err;
    EXPECT_NE(R.Out.find(A + ":1:8:"), std::string::npos) << R.Out;
    EXPECT_NE(R.Out.find(B + ":1:8:"), std::string::npos) << R.Out;
    EXPECT_EQ(R.Out.find("sub/"), std::string::npos) << R.Out;
  }
}

TEST_F(CliTest, StringLiteralAnalysisCanBeTurnedOff) {
  std::string F =
      write("own.cpp", "#include <sqlite3.h>\n"
                       "struct Db { void run(const char*); };\n"
                       "void f(Db& db, sqlite3* s) {\n"
                       "  db.run(\"SELECT * FROM users\");\n"
                       "  sqlite3_exec(s, \"SELECT * FROM orders\", 0, 0, 0);\n"
                       "}\n");
  RunResult On = run({F, "--", "-std=c++17"});
  EXPECT_NE(On.Out.find(":4:"), std::string::npos) << On.Out;
  RunResult Off = run({F, "--config={CheckOptions: {AnalyzeStringLiterals: false}}",
                       "--", "-std=c++17"});
  EXPECT_EQ(Off.Exit, 1) << Off.Err;
  EXPECT_EQ(Off.Out.find(":4:"), std::string::npos) << Off.Out;
  EXPECT_NE(Off.Out.find(":5:27: warning: '*'"), std::string::npos) << Off.Out;
}

TEST_F(CliTest, DirectoriesSkipHiddenFoldersAndBuildTrees) {
  write("tree/src/q.sql", "SELECT * FROM a;\n");
  write("tree/.git/q.sql", "SELECT * FROM b;\n");
  write("tree/build/CMakeCache.txt", "");
  write("tree/build/CMakeFiles/gen.sql", "SELECT * FROM c;\n");
  llvm::sys::fs::create_link(std::string(Dir) + "/tree",
                             std::string(Dir) + "/tree/src/loop");
  RunResult R = run({std::string(Dir) + "/tree"});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_NE(R.Out.find("src/q.sql:1:8:"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find(".git"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("gen.sql"), std::string::npos) << R.Out;
  EXPECT_NE(R.Err.find("1 finding in 1 file"), std::string::npos) << R.Err;
}

TEST_F(CliTest, DumpConfigShowsEffectiveOptions) {
  RunResult R = run({"--dump-config", std::string(Dir)});
  EXPECT_EQ(R.Exit, 0) << R.Err;
  EXPECT_NE(R.Out.find("stress-unbounded-row-lock.KeyColumns"), std::string::npos)
      << R.Out;
  EXPECT_NE(R.Out.find("stress-select-star.IncludeReturning"), std::string::npos)
      << R.Out;
}

TEST_F(CliTest, ListExplainVersion) {
  RunResult L = run({"--list-rules"});
  EXPECT_EQ(L.Exit, 0);
  for (const char *Id : {"stress-select-star", "stress-offset-pagination",
                         "stress-leading-wildcard-like", "stress-unbounded-row-lock"})
    EXPECT_NE(L.Out.find(Id), std::string::npos) << Id;
  RunResult E = run({"--explain", "stress-offset-pagination"});
  EXPECT_EQ(E.Exit, 0);
  EXPECT_EQ(E.Out.rfind("# stress-offset-pagination", 0), 0u) << E.Out;
  EXPECT_NE(E.Out.find("## Why is this bad?"), std::string::npos);
  RunResult V = run({"--version"});
  EXPECT_NE(V.Out.find("stresslint"), std::string::npos);
}

// Regression: with lone `\r` line ends (classic Mac), the JSON positions
// counted only `\n` and disagreed with the text, which is clang's
// (support/LineTable.h: one line table, clang's line ends).
TEST_F(CliTest, JsonPositionsAgreeWithTheTextForCrLineEnds) {
  std::string F = write("cr.sql", "SELECT 1;\rSELECT * FROM t;\r");
  RunResult Text = run({F});
  EXPECT_NE(Text.Out.find("cr.sql:2:8: warning:"), std::string::npos)
      << Text.Out << Text.Err;
  RunResult Json = run({F, "--format=json"});
  auto Parsed = llvm::json::parse(Json.Out);
  ASSERT_TRUE(bool(Parsed)) << Json.Out;
  const llvm::json::Array *Findings = Parsed->getAsObject()->getArray("findings");
  ASSERT_TRUE(Findings && Findings->size() == 1) << Json.Out;
  const llvm::json::Object &Found = *(*Findings)[0].getAsObject();
  EXPECT_EQ(Found.getInteger("line"), 2);
  EXPECT_EQ(Found.getInteger("column"), 8);
  EXPECT_EQ(Found.getInteger("endLine"), 2);
  EXPECT_EQ(Found.getInteger("endColumn"), 9);
}

TEST_F(CliTest, JsonOutputIsStable) {
  std::string F = write("j.sql", "SELECT id FROM t WHERE name LIKE '%x';\n");
  RunResult R = run({F, "--format=json"});
  EXPECT_EQ(R.Exit, 1);
  auto V = llvm::json::parse(R.Out);
  ASSERT_TRUE(static_cast<bool>(V)) << R.Out;
  const llvm::json::Array *Findings = V->getAsObject()->getArray("findings");
  ASSERT_TRUE(Findings && Findings->size() == 1);
  const llvm::json::Object *F0 = (*Findings)[0].getAsObject();
  EXPECT_EQ(*F0->getString("rule"), "stress-leading-wildcard-like");
  EXPECT_EQ(*F0->getInteger("line"), 1);
  EXPECT_EQ(*F0->getInteger("column"), 34);
  EXPECT_EQ(*F0->getInteger("endColumn"), 38);
}

TEST_F(CliTest, NewRulesAndApisNeedOnlyYaml) {
  std::string Rules =
      write("rules/acme.yaml", "api: acme\n"
                               "sinks:\n"
                               "  - {function: 'acme::Db::run', sql-arg: 0}\n");
  write("rules/stress-returning-star.yaml",
        "id: stress-returning-star\n"
        "summary: RETURNING * sends whole rows back\n"
        "message: \"'{snippet}' in RETURNING ships every column; return the key\"\n"
        "match: {sql: select-star}\n");
  std::string F =
      write("w.cpp", "namespace acme { struct Db { void run(const char*); }; }\n"
                     "void f(acme::Db& db) {\n"
                     "  db.run(\"SELECT * FROM [dbo].[users]\");\n"
                     "}\n");
  RunResult R = run({"--rules", std::string(Dir) + "/rules", F, "--", "-std=c++17"});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  // T-SQL does not parse; passed to a declared sink, the token fallback sees it.
  EXPECT_NE(R.Out.find(F + ":3:18: warning: '*' ships"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("[stress-returning-star]"), std::string::npos) << R.Out;
  (void)Rules;
}

} // namespace
