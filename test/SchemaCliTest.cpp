//===--- SchemaCliTest.cpp - The schema through the CLI, end to end --------===//
///
/// \file
/// A temporary git checkout with `migrations/` and `queries/`: the schema
/// is discovered from the work tree, `--schema-files` and `.clang-tidy`
/// override the globs, `stresslint schema show` prints what was learnt,
/// and a changed migration re-runs a cached C++ analysis.
///
//===----------------------------------------------------------------------===//
#include "CliHarness.h"

namespace {

class SchemaCliTest : public stresslint_test::CliHarness {
protected:
  void SetUp() override {
    CliHarness::SetUp();
    auto Git = llvm::sys::findProgramByName("git");
    ASSERT_TRUE(static_cast<bool>(Git)) << "git is needed (scripts/install-deps.sh)";
    RunResult R = runProgram(*Git, {"init", "-q", std::string(Dir)});
    ASSERT_EQ(R.Exit, 0) << R.Err;
    write("migrations/001_init.sql",
          "CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
          "CREATE TABLE docs (id bigint PRIMARY KEY, title text NOT NULL, body text);\n"
          "CREATE TABLE lines (order_id bigint, line_no int, qty int,\n"
          "                    PRIMARY KEY (order_id, line_no));\n");
    write("migrations/2_index.sql",
          "CREATE INDEX docs_title_trgm ON docs USING gin (title gin_trgm_ops);\n"
          "THIS IS NOT SQL;\n");
    write("migrations/10_more.sql", "ALTER TABLE docs ADD COLUMN summary text;\n");
    Query =
        write("queries/q.sql",
              "SELECT id FROM docs WHERE title LIKE '%a%';\n"
              "SELECT id FROM docs WHERE body LIKE '%a%';\n"
              "SELECT qty FROM lines WHERE order_id = $1 AND line_no = $2 FOR UPDATE;\n"
              "SELECT qty FROM lines WHERE order_id = $1 FOR UPDATE;\n");
  }

  /// The rule ids reported, one `line:rule` a finding, in order.
  static std::vector<std::string> reported(const RunResult &R) {
    std::vector<std::string> Out;
    llvm::SmallVector<llvm::StringRef, 16> Lines;
    llvm::StringRef(R.Out).split(Lines, '\n');
    for (llvm::StringRef L : Lines) {
      if (!L.contains(": warning: "))
        continue;
      llvm::StringRef Rule = L.substr(L.rfind('[') + 1).drop_back();
      llvm::StringRef Pos = L.substr(L.find(".sql:") + 5);
      Out.push_back(
          (Pos.take_until([](char C) { return C == ':'; }) + ":" + Rule).str());
    }
    return Out;
  }

  std::string Query;
};

TEST_F(SchemaCliTest, TheCheckoutsMigrationsAreTheSchema) {
  RunResult R = run(
      {Query, "--checks=-*,stress-leading-wildcard-like,stress-unbounded-row-lock"});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_EQ(reported(R), (std::vector<std::string>{"2:stress-leading-wildcard-like",
                                                   "4:stress-unbounded-row-lock"}))
      << R.Out << R.Err;
  // Without the schema both traps fire again.
  RunResult Off =
      run({Query, "--checks=-*,stress-leading-wildcard-like,stress-unbounded-row-lock",
           "--schema-files=nothing/*.sql"});
  EXPECT_EQ(reported(Off), (std::vector<std::string>{"1:stress-leading-wildcard-like",
                                                     "2:stress-leading-wildcard-like",
                                                     "3:stress-unbounded-row-lock",
                                                     "4:stress-unbounded-row-lock"}))
      << Off.Out << Off.Err;
}

TEST_F(SchemaCliTest, SchemaFilesFlagAndClangTidyOptionChooseTheFiles) {
  // Only the first migration: no trigram index.
  RunResult R = run({Query, "--checks=-*,stress-leading-wildcard-like",
                     "--schema-files=migrations/001_*.sql"});
  EXPECT_EQ(reported(R), (std::vector<std::string>{"1:stress-leading-wildcard-like",
                                                   "2:stress-leading-wildcard-like"}))
      << R.Out << R.Err;
  write(".clang-tidy", "CheckOptions:\n  SchemaFiles: 'migrations/001_*.sql'\n");
  RunResult C = run({Query, "--checks=-*,stress-leading-wildcard-like"});
  EXPECT_EQ(reported(C), reported(R)) << C.Out << C.Err;
  // The flag wins over the configuration.
  RunResult F = run({Query, "--checks=-*,stress-leading-wildcard-like",
                     "--schema-files=migrations/*.sql"});
  EXPECT_EQ(reported(F), (std::vector<std::string>{"2:stress-leading-wildcard-like"}))
      << F.Out << F.Err;
}

TEST_F(SchemaCliTest, SchemaShowPrintsTablesKeysIndexesAndSkips) {
  RunResult R = run({"schema", "show", path("queries")});
  EXPECT_EQ(R.Exit, 0) << R.Err;
  for (const char *Want :
       {"globs: **/migrations/**/*.sql,**/schema*.sql,stresslint-schema.json\n",
        "files applied (3):\n  migrations/001_init.sql\n  migrations/2_index.sql\n"
        "  migrations/10_more.sql\n",
        "table docs  (migrations/001_init.sql:2)\n"
        "  column id bigint not null  (migrations/001_init.sql:2)\n",
        "  column summary text  (migrations/10_more.sql:1)\n",
        "  primary key (order_id, line_no)  (migrations/001_init.sql:4)\n",
        "  index docs_title_trgm using gin (title gin_trgm_ops)  "
        "(migrations/2_index.sql:1)\n",
        "statements skipped (did not parse): 1, first at migrations/2_index.sql:2: "
        "syntax error at or near \"THIS\"\n"})
    EXPECT_NE(R.Out.find(Want), std::string::npos) << Want << "\n---\n" << R.Out;
  RunResult Only =
      run({"schema", "show", "--schema-files=migrations/10_*.sql", path("")});
  EXPECT_EQ(Only.Exit, 0) << Only.Err;
  EXPECT_NE(Only.Out.find("files applied (1):"), std::string::npos) << Only.Out;
  EXPECT_NE(Only.Out.find("tables (0):"), std::string::npos) << Only.Out;
  RunResult None = run({"schema", "show", "--schema-files=nowhere/*.sql", path("")});
  EXPECT_EQ(None.Exit, 0) << None.Err;
  EXPECT_NE(None.Out.find("no file matches"), std::string::npos) << None.Out;
}

TEST_F(SchemaCliTest, BadGlobsAndUnreadableFilesExitTwo) {
  RunResult Show = run({"schema", "show", "--schema-files=**/[x.sql", path("")});
  EXPECT_EQ(Show.Exit, 2);
  EXPECT_NE(Show.Err.find("[x.sql"), std::string::npos) << Show.Err;
  RunResult Lint = run({Query, "--schema-files=**/[x.sql"});
  EXPECT_EQ(Lint.Exit, 2);
  EXPECT_NE(Lint.Err.find("--schema-files"), std::string::npos) << Lint.Err;
  // In .clang-tidy: a configuration warning, and no schema.
  write(".clang-tidy", "CheckOptions:\n  SchemaFiles: '**/[x.sql'\n");
  RunResult Config = run({Query, "--checks=-*,stress-leading-wildcard-like"});
  EXPECT_EQ(Config.Exit, 1) << Config.Err;
  EXPECT_NE(Config.Out.find("bad schema glob '**/[x.sql'"), std::string::npos)
      << Config.Out;
  EXPECT_NE(Config.Out.find("q.sql:1:"), std::string::npos) << Config.Out;
  llvm::sys::fs::remove(path(".clang-tidy"));
  // A file that cannot be read: a link to nothing (root reads any file).
  ASSERT_FALSE(
      llvm::sys::fs::create_link(path("missing.sql"), path("migrations/3_gone.sql")));
  RunResult U = run({"schema", "show", path("")});
  EXPECT_EQ(U.Exit, 2);
  EXPECT_NE(U.Err.find("cannot read schema file"), std::string::npos) << U.Err;
}

TEST_F(SchemaCliTest, AChangedMigrationAnalysesACachedFileAgain) {
  std::string Cpp =
      write("src/repo.cpp",
            "void run(const char *);\n"
            "void f() { run(\"SELECT id FROM docs WHERE body LIKE '%a%'\"); }\n");
  std::vector<std::string> Args{Cpp,
                                "--checks=-*,stress-leading-wildcard-like",
                                "--cache-dir=" + path("cache"),
                                "--stats",
                                "--",
                                "-std=c++17"};
  RunResult First = run(Args);
  EXPECT_EQ(First.Exit, 1) << First.Err;
  RunResult Cached = run(Args);
  EXPECT_EQ(Cached.Exit, 1) << Cached.Err;
  EXPECT_NE(Cached.Err.find("1 hits"), std::string::npos) << Cached.Err;
  // A trigram index on body: the finding goes, and the cache must know.
  write("migrations/11_body.sql",
        "CREATE INDEX docs_body_trgm ON docs USING gin (body gin_trgm_ops);\n");
  RunResult After = run(Args);
  EXPECT_EQ(After.Exit, 0) << After.Out << After.Err;
  EXPECT_NE(After.Err.find("0 hits"), std::string::npos) << After.Err;
}

TEST_F(SchemaCliTest, NamesTheSchemaLacksAreNotesOfTheFinding) {
  std::string Sql =
      write("queries/typo.sql",
            "SELECT id FROM docz WHERE title LIKE '%a%';\n"
            "SELECT id FROM docs WHERE summry LIKE '%a%' OR body LIKE '%b%';\n");
  RunResult R = run({Sql, "--checks=-*,stress-leading-wildcard-like"});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_NE(
      R.Out.find("typo.sql:1:16: note: table 'docz' is not in the schema stresslint "
                 "learnt (2 tables, see 'stresslint schema show')"),
      std::string::npos)
      << R.Out;
  EXPECT_NE(R.Out.find("typo.sql:2:27: note: column 'summry' is not in table 'docs'"),
            std::string::npos)
      << R.Out;
  // The same through the C++ checks, at the name inside the literal.
  std::string Cpp =
      write("src/typo.cpp",
            "void run(const char *);\n"
            "void f() { run(\"SELECT id FROM docs WHERE summry LIKE '%a%'\"); }\n");
  RunResult C =
      run({Cpp, "--checks=-*,stress-leading-wildcard-like", "--", "-std=c++17"});
  EXPECT_EQ(C.Exit, 1) << C.Err;
  EXPECT_NE(C.Out.find("typo.cpp:2:43: note: column 'summry' is not in table 'docs'"),
            std::string::npos)
      << C.Out;
  // SchemaNotes off: the findings stay, the notes go.
  RunResult Off = run(
      {Sql, "--checks=-*,stress-leading-wildcard-like",
       "--config={CheckOptions: {stress-leading-wildcard-like.SchemaNotes: false}}"});
  EXPECT_EQ(Off.Exit, 1) << Off.Err;
  EXPECT_EQ(Off.Out.find("is not in"), std::string::npos) << Off.Out;
}

} // namespace
