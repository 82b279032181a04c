//===--- CacheShardTest.cpp - Result cache, shards and merge, progress ----===//
///
/// \file
/// The speed features end to end through the CLI: the result cache serves a
/// TU only while every file it read is unchanged (and never a corrupt or
/// half-written entry), `--shard K/N` + `stresslint merge` report exactly
/// what one full run reports (cross-file findings included), and the
/// progress line and summary table appear only when asked for.
///
//===----------------------------------------------------------------------===//
#include "CliHarness.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/Program.h"
#include <regex>

namespace {

bool contains(llvm::StringRef Haystack, llvm::StringRef Needle) {
  return Haystack.contains(Needle);
}

class CacheTest : public CliTest {
protected:
  /// Three TUs; a.cpp and b.cpp include db.h, c.cpp includes nothing.
  void project() {
    write("p/db.h", "#pragma once\nvoid query(const char *);\n");
    write("p/a.cpp", "#include \"db.h\"\nvoid a() { query(\"SELECT * FROM a\"); }\n");
    write("p/b.cpp",
          "#include \"db.h\"\nvoid b() { query(\"SELECT id FROM b OFFSET 20\"); }\n");
    write("p/c.cpp", "void query(const char *);\n"
                     "void c() { query(\"SELECT id FROM c WHERE n LIKE '%x'\"); }\n");
  }

  RunResult lint(std::vector<std::string> Extra = {}) {
    std::vector<std::string> Args{"--stats", "--cache-dir", path("cache")};
    Args.insert(Args.end(), Extra.begin(), Extra.end());
    for (const char *F : {"p/a.cpp", "p/b.cpp", "p/c.cpp"})
      Args.push_back(path(F));
    Args.insert(Args.end(), {"--", "-std=c++17"});
    return run(Args);
  }

  /// The cache figures of a `--stats` run: hits, missing, stale, corrupt,
  /// stored.
  static std::vector<unsigned> cacheFigures(const RunResult &R) {
    std::smatch M;
    static const std::regex Re("([0-9]+) hits, ([0-9]+) missing, ([0-9]+) stale, "
                               "([0-9]+) corrupt \\(ignored\\); ([0-9]+) stored");
    EXPECT_TRUE(std::regex_search(R.Err, M, Re)) << R.Err;
    std::vector<unsigned> Out;
    for (size_t I = 1; I < M.size(); ++I)
      Out.push_back(std::stoul(M[I].str()));
    Out.resize(5); // a failed match has reported above; indexing stays safe
    return Out;
  }

  std::vector<std::string> entries() {
    std::vector<std::string> Out;
    std::error_code EC;
    for (llvm::sys::fs::recursive_directory_iterator It(path("cache"), EC), End;
         It != End && !EC; It.increment(EC))
      if (llvm::StringRef(It->path()).endswith(".entry"))
        Out.push_back(It->path());
    return Out;
  }

  using Figures = std::vector<unsigned>;
};

TEST_F(CacheTest, ReusedUntilAFileItReadChanges) {
  project();
  RunResult Cold = lint();
  EXPECT_EQ(Cold.Exit, 1) << Cold.Err;
  EXPECT_EQ(cacheFigures(Cold), (Figures{0, 3, 0, 0, 3}));
  EXPECT_EQ(entries().size(), 3u);

  RunResult Warm = lint();
  EXPECT_EQ(cacheFigures(Warm), (Figures{3, 0, 0, 0, 0}));
  EXPECT_EQ(Warm.Out, Cold.Out);
  EXPECT_EQ(Warm.Exit, Cold.Exit);

  // Rewriting a header with the same bytes (a touch, a branch switch and
  // back) changes nothing.
  write("p/db.h", "#pragma once\nvoid query(const char *);\n");
  EXPECT_EQ(cacheFigures(lint()), (Figures{3, 0, 0, 0, 0}));

  // Editing it re-analyses exactly the two TUs that include it, and the
  // finding it adds is reported.
  write("p/db.h", "#pragma once\nvoid query(const char *);\n"
                  "inline void all() { query(\"SELECT * FROM everything\"); }\n");
  RunResult Edited = lint();
  EXPECT_EQ(cacheFigures(Edited), (Figures{1, 0, 2, 0, 2}));
  EXPECT_TRUE(contains(Edited.Out, "db.h:3:")) << Edited.Out;
  RunResult Fresh = lint({"--no-cache"});
  EXPECT_EQ(Edited.Out, Fresh.Out);
  EXPECT_TRUE(contains(Fresh.Err, "cache                               off"))
      << Fresh.Err;

  // So is an edit of a main file.
  write("p/c.cpp",
        "void query(const char *);\nvoid c() { query(\"SELECT id FROM c\"); }\n");
  RunResult MainEdited = lint();
  EXPECT_EQ(cacheFigures(MainEdited), (Figures{2, 0, 1, 0, 1}));
  EXPECT_FALSE(contains(MainEdited.Out, "c.cpp")) << MainEdited.Out;
}

TEST_F(CacheTest, OptionsRulesAndFlagsArePartOfTheKey) {
  project();
  lint();
  // A check disabled in .clang-tidy: every TU is analysed again.
  write("p/.clang-tidy", "Checks: 'stress-*,-stress-select-star'\n");
  RunResult NoStar = lint();
  EXPECT_EQ(cacheFigures(NoStar), (Figures{0, 3, 0, 0, 3}));
  EXPECT_FALSE(contains(NoStar.Out, "stress-select-star")) << NoStar.Out;
  // A rule file changes the rules' words.
  write("stress-offset-pagination.yaml",
        "id: stress-offset-pagination\noverride: true\n"
        "summary: OFFSET pages\nmessage: 'custom words for OFFSET'\n"
        "match: {sql: offset}\n");
  RunResult Custom = lint({"--rules", path("stress-offset-pagination.yaml")});
  EXPECT_EQ(cacheFigures(Custom)[0], 0u);
  EXPECT_TRUE(contains(Custom.Out, "custom words for OFFSET")) << Custom.Out;
  // Another compiler flag.
  std::vector<std::string> Args{"--stats",       "--cache-dir", path("cache"),
                                path("p/a.cpp"), "--",          "-std=c++20"};
  EXPECT_EQ(cacheFigures(run(Args))[0], 0u);
}

TEST_F(CacheTest, CorruptOrTruncatedEntriesAreIgnoredAndReplaced) {
  project();
  RunResult Cold = lint();
  std::vector<std::string> Files = entries();
  ASSERT_EQ(Files.size(), 3u);
  std::string Whole = llvm::MemoryBuffer::getFile(Files[0]).get()->getBuffer().str();
  auto Overwrite = [](const std::string &Path, llvm::StringRef Content) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << Content;
  };
  Overwrite(Files[0], llvm::StringRef(Whole).take_front(Whole.size() / 2)); // truncated
  std::string Flipped = llvm::MemoryBuffer::getFile(Files[1]).get()->getBuffer().str();
  Flipped[Flipped.size() - 10] ^= 0x20; // one bit, body still valid JSON-ish
  Overwrite(Files[1], Flipped);
  Overwrite(Files[2], "\x7f"
                      "ELF garbage\n\0\1\2");
  RunResult R = lint();
  EXPECT_EQ(cacheFigures(R), (Figures{0, 0, 0, 3, 3}));
  EXPECT_EQ(R.Out, Cold.Out);
  EXPECT_EQ(cacheFigures(lint()), (Figures{3, 0, 0, 0, 0}));
}

TEST_F(CacheTest, ConcurrentRunsShareACacheSafely) {
  project();
  std::vector<std::string> Args{
      STRESSLINT_CLI,  "--quiet",       "--cache-dir", path("cache"), path("p/a.cpp"),
      path("p/b.cpp"), path("p/c.cpp"), "--",          "-std=c++17"};
  std::vector<llvm::StringRef> Argv(Args.begin(), Args.end());
  std::vector<llvm::sys::ProcessInfo> Procs;
  for (int I = 0; I < 3; ++I) {
    std::string Out = path("out" + std::to_string(I));
    std::optional<llvm::StringRef> Redirects[] = {
        llvm::StringRef(""), llvm::StringRef(Out), llvm::StringRef("")};
    Procs.push_back(
        llvm::sys::ExecuteNoWait(STRESSLINT_CLI, Argv, std::nullopt, Redirects));
  }
  for (llvm::sys::ProcessInfo &P : Procs)
    EXPECT_EQ(llvm::sys::Wait(P, /*SecondsToWait=*/120).ReturnCode, 1);
  EXPECT_EQ(read("out0"), read("out1"));
  EXPECT_EQ(read("out0"), read("out2"));
  RunResult After = lint();
  EXPECT_EQ(cacheFigures(After), (Figures{3, 0, 0, 0, 0}));
  EXPECT_EQ(After.Out, read("out0"));
}

TEST_F(CacheTest, AnUnwritableCacheIsAWarningNotAFailure) {
  project();
  write("cache", "a file where the cache directory should be\n");
  RunResult R = lint();
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_TRUE(contains(R.Err, "warning: 3 result(s) not cached (")) << R.Err;
  EXPECT_EQ(R.Out, lint({"--no-cache"}).Out);
}

TEST_F(CacheTest, TranslationUnitsThatDoNotCompileAreNotStored) {
  // The include is generated by a build step that has not run yet.
  write("p/a.cpp",
        "#include \"generated.h\"\nvoid a() { query(\"SELECT id FROM a\"); }\n");
  std::vector<std::string> Args{"--stats",       "--cache-dir", path("cache"),
                                path("p/a.cpp"), "--",          "-std=c++17"};
  RunResult Before = run(Args);
  EXPECT_EQ(cacheFigures(Before), (Figures{0, 1, 0, 0, 0}));
  write("p/generated.h", "void query(const char *);\n"
                         "inline void g() { query(\"SELECT * FROM generated\"); }\n");
  RunResult After = run(Args);
  EXPECT_EQ(cacheFigures(After)[0], 0u);
  EXPECT_TRUE(contains(After.Out, "generated.h:2:")) << After.Out;
}

/// The blog project (test/fixtures/projects/blog) in a temporary directory
/// with its compilation database: its cross-file findings need every TU.
class ShardTest : public CliTest {
protected:
  std::string project() {
    std::string Src =
        std::string(STRESSLINT_SOURCE_DIR) + "/test/fixtures/projects/blog/src";
    llvm::json::Array Commands;
    std::error_code EC;
    for (llvm::sys::fs::directory_iterator It(Src, EC), End; It != End && !EC;
         It.increment(EC)) {
      std::string Name = llvm::sys::path::filename(It->path()).str();
      std::string Copy =
          write("blog/src/" + Name,
                llvm::MemoryBuffer::getFile(It->path()).get()->getBuffer());
      if (llvm::StringRef(Name).endswith(".cpp"))
        Commands.push_back(llvm::json::Object{
            {"directory", path("blog")},
            {"file", Copy},
            {"arguments", llvm::json::Array{"clang++", "-std=c++17",
                                            "-I" + std::string(STRESSLINT_SOURCE_DIR) +
                                                "/test/fixtures/stubs",
                                            "-c", Copy}}});
    }
    write("blog/q.sql", "SELECT * FROM posts OFFSET 100;\n");
    std::string Db;
    llvm::raw_string_ostream(Db) << llvm::json::Value(std::move(Commands));
    write("blog/build/compile_commands.json", Db);
    return path("blog");
  }
};

TEST_F(ShardTest, MergedShardsEqualOneFullRun) {
  std::string Root = project();
  std::string Build = Root + "/build";
  RunResult Full = run({"--no-cache", "--format=json", "-p", Build, Root});
  ASSERT_EQ(Full.Exit, 1) << Full.Err;
  ASSERT_TRUE(contains(Full.Out, "calls '")) << "a cross-file path: " << Full.Out;

  std::vector<std::string> Parts;
  for (int K = 1; K <= 3; ++K) {
    Parts.push_back(path("part" + std::to_string(K) + ".json"));
    RunResult S = run({"--no-cache", "--shard", std::to_string(K) + "/3", "--part",
                       Parts.back(), "-p", Build, Root});
    EXPECT_EQ(S.Exit, 0) << S.Err;
    EXPECT_TRUE(S.Out.empty()) << "a shard reports nothing itself: " << S.Out;
  }
  // Any order of parts.
  RunResult Merged =
      run({"merge", "--format=json", "-p", Build, Parts[2], Parts[0], Parts[1]});
  EXPECT_EQ(Merged.Exit, Full.Exit) << Merged.Err;
  EXPECT_EQ(Merged.Out, Full.Out);
  RunResult MergedText = run({"merge", "-p", Build, Parts[0], Parts[1], Parts[2]});
  RunResult FullText = run({"--no-cache", "-p", Build, Root});
  EXPECT_EQ(MergedText.Out, FullText.Out);
  EXPECT_EQ(MergedText.Err, FullText.Err);

  // Each shard alone misses the cross-file findings: the merge is needed.
  RunResult One = run({"merge", "--format=json", "-p", Build, Parts[0]});
  EXPECT_EQ(One.Exit, 2);
  EXPECT_TRUE(contains(One.Err, "shard 2/3 is missing from the merge")) << One.Err;
  RunResult Twice = run({"merge", Parts[0], Parts[0], Parts[1], Parts[2]});
  EXPECT_EQ(Twice.Exit, 2);
  EXPECT_TRUE(contains(Twice.Err, "shard 1/3 is also in")) << Twice.Err;
}

TEST_F(ShardTest, BadShardArgumentsAndPartsAreUsageErrors) {
  std::string Root = project();
  EXPECT_EQ(run({"--shard", "4/3", "--part", path("x.json"), Root}).Exit, 2);
  EXPECT_EQ(run({"--shard", "1/0", "--part", path("x.json"), Root}).Exit, 2);
  RunResult NoPart = run({"--shard", "1/2", Root});
  EXPECT_EQ(NoPart.Exit, 2);
  EXPECT_TRUE(contains(NoPart.Err, "--shard needs --part")) << NoPart.Err;
  RunResult ReportOfAPart = run({"--part", path("x.json"), "--format=sarif", Root});
  EXPECT_EQ(ReportOfAPart.Exit, 2);
  EXPECT_TRUE(contains(ReportOfAPart.Err, "to 'stresslint merge'"))
      << ReportOfAPart.Err;
  write("notapart.json", "{\"findings\": []}");
  RunResult NotPart = run({"merge", path("notapart.json")});
  EXPECT_EQ(NotPart.Exit, 2);
  EXPECT_TRUE(contains(NotPart.Err, "not a stresslint part file")) << NotPart.Err;
  RunResult Unwritable = run({"--no-cache", "--part", path("no/such/dir/p.json"), "-p",
                              Root + "/build", Root});
  EXPECT_EQ(Unwritable.Exit, 3);
  EXPECT_TRUE(contains(Unwritable.Err, "cannot write the part file")) << Unwritable.Err;
  // Parts written with other rules do not merge silently.
  std::string Part = path("p.json");
  ASSERT_EQ(run({"--no-cache", "--part", Part, "-p", Root + "/build", Root}).Exit, 0);
  write("stress-offset-pagination.yaml",
        "id: stress-offset-pagination\noverride: true\n"
        "summary: OFFSET pages\nmessage: 'other words'\nmatch: {sql: offset}\n");
  RunResult Other =
      run({"merge", "--rules", path("stress-offset-pagination.yaml"), Part});
  EXPECT_EQ(Other.Exit, 2);
  EXPECT_TRUE(contains(Other.Err, "written with other rules")) << Other.Err;
}

TEST_F(ShardTest, ProgressAndSummaryTableOnlyWhenAsked) {
  std::string Root = project();
  std::vector<std::string> Base{"--no-cache", "-p", Root + "/build", Root};
  // Not a terminal: only the one-line summary.
  RunResult Plain = run(Base);
  EXPECT_FALSE(contains(Plain.Err, "[1/")) << Plain.Err;
  EXPECT_FALSE(contains(Plain.Err, "findings by rule")) << Plain.Err;
  std::vector<std::string> Always = Base;
  Always.insert(Always.begin(), "--progress=always");
  RunResult Shown = run(Always);
  EXPECT_TRUE(contains(Shown.Err, "[4/4] ")) << Shown.Err;
  EXPECT_TRUE(contains(Shown.Err, "findings by rule")) << Shown.Err;
  EXPECT_TRUE(contains(Shown.Err, "stress-query-in-loop")) << Shown.Err;
  EXPECT_FALSE(contains(Shown.Err, "phases")) << Shown.Err;
  EXPECT_EQ(Shown.Out, Plain.Out);
  std::vector<std::string> Stats = Base;
  Stats.insert(Stats.begin(), "--stats");
  RunResult WithStats = run(Stats);
  EXPECT_FALSE(contains(WithStats.Err, "[1/")) << WithStats.Err;
  EXPECT_TRUE(contains(WithStats.Err, "C++ analysis")) << WithStats.Err;
  EXPECT_TRUE(contains(WithStats.Err, "cross-TU link")) << WithStats.Err;
}

} // namespace
