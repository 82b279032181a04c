//===--- ReportTest.cpp - The CI lint gate, end to end ---------------------===//
///
/// \file
/// The report formats (SARIF validated against the official schema with
/// python3-jsonschema, GitHub annotations, GitLab Code Quality), --output,
/// fingerprints, baselines and changed-lines mode (a real git repository),
/// through the built CLI; and the report helpers directly.
///
//===----------------------------------------------------------------------===//
#include "driver/Report.h"
#include "CliHarness.h"
#include "SarifSchema.h"
#include "driver/Gate.h"
#include "rules/RuleSet.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include <set>

using namespace stresslint;
using stresslint_test::RunResult;

namespace {

llvm::json::Value parseJson(const std::string &Text) {
  auto V = llvm::json::parse(Text);
  if (!V) {
    ADD_FAILURE() << llvm::toString(V.takeError()) << "\n" << Text;
    return nullptr;
  }
  return std::move(*V);
}

/// rule -> fingerprints, and line of each, from `--format=json` output.
struct JsonFindings {
  std::vector<std::string> Rules, Fingerprints;
  std::vector<int64_t> Lines;
};
JsonFindings jsonFindings(const std::string &Text) {
  JsonFindings Out;
  llvm::json::Value V = parseJson(Text);
  const llvm::json::Object *Root = V.getAsObject();
  if (!Root || !Root->getArray("findings"))
    return Out;
  for (const llvm::json::Value &F : *Root->getArray("findings")) {
    const llvm::json::Object *O = F.getAsObject();
    Out.Rules.push_back(O->getString("rule").value_or("").str());
    Out.Fingerprints.push_back(O->getString("fingerprint").value_or("").str());
    Out.Lines.push_back(O->getInteger("line").value_or(0));
  }
  return Out;
}

class ReportTest : public stresslint_test::CliHarness {
protected:
  std::string git() {
    auto Git = llvm::sys::findProgramByName("git");
    EXPECT_TRUE(static_cast<bool>(Git)) << "git is needed (scripts/install-deps.sh)";
    return Git ? *Git : "git";
  }
  void gitIn(llvm::StringRef Repo, std::vector<std::string> Args) {
    Args.insert(Args.begin(),
                {"-C", Repo.str(), "-c", "user.name=t", "-c",
                 "user.email=t@example.com", "-c", "commit.gpgsign=false"});
    RunResult R = runProgram(git(), Args);
    ASSERT_EQ(R.Exit, 0) << llvm::join(Args, " ") << "\n" << R.Out << R.Err;
  }
  std::string root() { return "--source-root=" + std::string(Dir); }

  /// The SARIF report of \p F alone (in \p Text, and parsed), written to
  /// \p Name and validated against the schema.
  llvm::json::Value sarifOf(const Finding &F, llvm::StringRef Name, std::string &Text) {
    Report R;
    R.Findings = {F};
    R.SourceRoot = std::string(Dir);
    assignFingerprints(R.Findings, R.SourceRoot);
    {
      llvm::raw_string_ostream OS(Text);
      writeSarifReport(R, OS);
    }
    EXPECT_TRUE(stresslint_test::validateSarif(write(Name, Text)));
    return parseJson(Text);
  }
  static const llvm::json::Object *firstResult(const llvm::json::Value &Log) {
    return (*(*Log.getAsObject()->getArray("runs"))[0].getAsObject()->getArray(
        "results"))[0]
        .getAsObject();
  }
};

// --- SARIF ---------------------------------------------------------------

TEST_F(ReportTest, SarifHasRulesResultsRegionsAndFingerprints) {
  std::string F =
      write("q.sql", "SELECT id FROM t;\nSELECT * FROM orders LIMIT 10 OFFSET 20;\n");
  RunResult R =
      run({F, "--format=sarif", root(), "--help-uri-base=https://docs.example.com/sl"});
  ASSERT_EQ(R.Exit, 1) << R.Err;
  std::string SarifFile = write("q.sarif", R.Out);
  EXPECT_TRUE(stresslint_test::validateSarif(SarifFile));

  llvm::json::Value Log = parseJson(R.Out);
  ASSERT_TRUE(Log.getAsObject());
  EXPECT_EQ(*Log.getAsObject()->getString("version"), "2.1.0");
  const llvm::json::Object *Run =
      (*Log.getAsObject()->getArray("runs"))[0].getAsObject();
  const llvm::json::Object *Driver = Run->getObject("tool")->getObject("driver");
  EXPECT_EQ(*Driver->getString("name"), "stresslint");
  EXPECT_EQ(*Driver->getString("informationUri"), ToolInformationUri);
  const llvm::json::Array *Rules = Driver->getArray("rules");
  ASSERT_TRUE(Rules);
  EXPECT_EQ(Rules->size(), activeRuleSet().rules().size());
  for (const llvm::json::Value &RV : *Rules) {
    const llvm::json::Object *Ru = RV.getAsObject();
    llvm::StringRef Id = *Ru->getString("id");
    const Rule *Known = activeRuleSet().rule(Id);
    ASSERT_TRUE(Known) << Id.str();
    EXPECT_EQ(*Ru->getObject("shortDescription")->getString("text"), Known->Summary);
    EXPECT_EQ(*Ru->getObject("defaultConfiguration")->getString("level"),
              severityName(Known->Severity));
    EXPECT_EQ(*Ru->getString("helpUri"),
              "https://docs.example.com/sl/docs/rules/" + Id.str() + ".md");
    // From the docs page (RuleSet.EmbeddedRulesLoadWithDocs requires one).
    llvm::StringRef Full = *Ru->getObject("fullDescription")->getString("text");
    if (embeddedDoc(Id).empty())
      continue;
    EXPECT_NE(Full, Known->Summary) << "fullDescription is the docs' explanation";
    EXPECT_NE(embeddedDoc(Id).find(Full.take_front(20)), llvm::StringRef::npos)
        << Full.str();
    ASSERT_TRUE(Ru->getObject("help"));
    EXPECT_EQ(*Ru->getObject("help")->getString("markdown"), embeddedDoc(Id));
  }
  EXPECT_EQ(
      *Run->getObject("originalUriBaseIds")->getObject("SRCROOT")->getString("uri"),
      "file://" + std::string(Dir) + "/");

  // The JSON report carries the same fingerprints.
  JsonFindings Json = jsonFindings(run({F, "--format=json", root()}).Out);
  const llvm::json::Array *Results = Run->getArray("results");
  ASSERT_TRUE(Results && Results->size() == 2) << R.Out;
  for (size_t I = 0; I < Results->size(); ++I) {
    const llvm::json::Object *Res = (*Results)[I].getAsObject();
    llvm::StringRef RuleId = *Res->getString("ruleId");
    int64_t Index = *Res->getInteger("ruleIndex");
    EXPECT_EQ(*(*Rules)[Index].getAsObject()->getString("id"), RuleId);
    EXPECT_EQ(*Res->getString("level"), "warning");
    EXPECT_EQ(*Res->getObject("partialFingerprints")->getString(FingerprintKey),
              Json.Fingerprints[I]);
    const llvm::json::Object *Phys =
        (*Res->getArray("locations"))[0].getAsObject()->getObject("physicalLocation");
    EXPECT_EQ(*Phys->getObject("artifactLocation")->getString("uri"), "q.sql");
    EXPECT_EQ(*Phys->getObject("artifactLocation")->getString("uriBaseId"), "SRCROOT");
    const llvm::json::Object *Region = Phys->getObject("region");
    EXPECT_EQ(*Region->getInteger("startLine"), 2);
    if (RuleId == "stress-select-star") {
      EXPECT_EQ(*Region->getInteger("startColumn"), 8);
      EXPECT_EQ(*Region->getInteger("endColumn"), 9);
      EXPECT_EQ(Res->getArray("relatedLocations"), nullptr);
    } else {
      EXPECT_EQ(RuleId, "stress-offset-pagination");
      EXPECT_EQ(*Region->getInteger("startColumn"), 31);
      EXPECT_EQ(*Region->getInteger("endColumn"), 40);
      // The fix guidance note is a related location, not a path step.
      const llvm::json::Array *Related = Res->getArray("relatedLocations");
      ASSERT_TRUE(Related && Related->size() == 1);
      EXPECT_NE(
          Related->front().getAsObject()->getObject("message")->getString("text")->find(
              "order by a unique key"),
          llvm::StringRef::npos);
      EXPECT_EQ(Res->getArray("codeFlows"), nullptr);
    }
  }
}

TEST_F(ReportTest, SarifColumnsAreUtf16CodeUnits) {
  // 'é' is 2 bytes and 1 UTF-16 unit; U+1F600 is 4 bytes and 2 units.
  std::string F = write(
      "u.sql", "SELECT id FROM t WHERE n = '\xC3\xA9\xF0\x9F\x98\x80' OFFSET 5;\n");
  llvm::json::Value Json = parseJson(run({F, "--format=json", root()}).Out);
  const llvm::json::Array *Findings = Json.getAsObject()->getArray("findings");
  ASSERT_TRUE(Findings && Findings->size() == 1);
  int64_t ByteColumn = *Findings->front().getAsObject()->getInteger("column");
  llvm::json::Value Log = parseJson(run({F, "--format=sarif", root()}).Out);
  const llvm::json::Object *Run =
      (*Log.getAsObject()->getArray("runs"))[0].getAsObject();
  EXPECT_EQ(*Run->getString("columnKind"), "utf16CodeUnits");
  const llvm::json::Object *Region =
      (*(*Run->getArray("results"))[0].getAsObject()->getArray("locations"))[0]
          .getAsObject()
          ->getObject("physicalLocation")
          ->getObject("region");
  EXPECT_EQ(ByteColumn, 37);
  EXPECT_EQ(*Region->getInteger("startColumn"), ByteColumn - 3);
  EXPECT_EQ(*Region->getInteger("endColumn"), ByteColumn - 3 + 8);
}

/// Interprocedural findings carry their path as notes elsewhere: SARIF gets
/// relatedLocations and a codeFlow, and still validates.
TEST_F(ReportTest, SarifPathNotesBecomeCodeFlows) {
  std::string Repo = write("src/repo.cpp", "void loadAuthor(Db& db, int id) {\n"
                                           "  db.query(\"SELECT * FROM authors\");\n"
                                           "}\n");
  std::string Handler = write("src/handler.cpp", "void list(Db& db) {\n"
                                                 "  for (int id : ids)\n"
                                                 "    loadAuthor(db, id);\n"
                                                 "}\n");
  Finding F;
  F.Check = "stress-query-in-loop";
  F.Level = "warning";
  F.Message = "query in a loop";
  F.File = Repo;
  F.Line = 2;
  F.Column = 20;
  F.EndLine = 2;
  F.EndColumn = 21;
  F.Notes = {{"loop here", Handler, 2, 3},
             {"calls loadAuthor() here", Handler, 3, 5},
             {"which runs this query", Repo, 2, 3}};
  std::string Text;
  llvm::json::Value Log = sarifOf(F, "path.sarif", Text);
  const llvm::json::Object *Res = firstResult(Log);
  EXPECT_EQ(Res->getArray("relatedLocations")->size(), 3u);
  const llvm::json::Array *Steps =
      (*(*Res->getArray("codeFlows"))[0].getAsObject()->getArray("threadFlows"))[0]
          .getAsObject()
          ->getArray("locations");
  ASSERT_EQ(Steps->size(), 3u) << "one step per note, in order";
  const llvm::json::Object *First = (*Steps)[0].getAsObject()->getObject("location");
  EXPECT_EQ(*First->getObject("message")->getString("text"), "loop here");
  EXPECT_EQ(*First->getObject("physicalLocation")
                 ->getObject("artifactLocation")
                 ->getString("uri"),
            "src/handler.cpp");
}

TEST_F(ReportTest, SarifFixesAndAdviceNotes) {
  // An SQL rule's notes are advice, not the steps of a path; its fix is a
  // SARIF fix of the artifact.
  std::string Repo = write("src/repo.cpp", "void f(Db& db) {\n"
                                           "  db.query(\"SELECT * FROM authors\");\n"
                                           "}\n");
  Finding F;
  F.Check = "stress-select-star";
  F.Level = "warning";
  F.Message = "'*' ships every column";
  F.File = Repo;
  F.Line = 2;
  F.Column = 20;
  F.EndLine = 2;
  F.EndColumn = 21;
  F.Notes = {{"the code reads only 'name'", Repo, 3, 1}};
  F.Fix = {{Repo, "name", 2, 20, 2, 21}};
  std::string Text;
  llvm::json::Value Log = sarifOf(F, "fix.sarif", Text);
  const llvm::json::Object *Res = firstResult(Log);
  EXPECT_EQ(Res->get("codeFlows"), nullptr);
  const llvm::json::Array *Fixes = Res->getArray("fixes");
  ASSERT_TRUE(Fixes && Fixes->size() == 1u) << Text;
  const llvm::json::Object *Change =
      (*(*Fixes)[0].getAsObject()->getArray("artifactChanges"))[0].getAsObject();
  EXPECT_EQ(*Change->getObject("artifactLocation")->getString("uri"), "src/repo.cpp");
  const llvm::json::Object *Rep = (*Change->getArray("replacements"))[0].getAsObject();
  EXPECT_EQ(*Rep->getObject("insertedContent")->getString("text"), "name");
  EXPECT_EQ(*Rep->getObject("deletedRegion")->getInteger("startColumn"), 20);
  EXPECT_EQ(*Rep->getObject("deletedRegion")->getInteger("endColumn"), 21);
}

TEST_F(ReportTest, SchemaValidationCatchesInvalidSarif) {
  // The validator itself can fail: a result without its required message.
  std::string F = write("q.sql", "SELECT * FROM t;\n");
  RunResult R = run({F, "--format=sarif", root()});
  std::string Broken = R.Out;
  size_t At = Broken.find("\"message\": {");
  ASSERT_NE(At, std::string::npos);
  Broken.replace(At, 10, "\"messages\"");
  EXPECT_FALSE(stresslint_test::validateSarif(write("bad.sarif", Broken)));
}

// --- other formats, --output -----------------------------------------------

TEST_F(ReportTest, GithubAnnotationsAreEscapedWorkflowCommands) {
  std::string F = write("a,b:c.sql", "SELECT * FROM orders LIMIT 10 OFFSET 20;\n");
  RunResult R = run({F, "--format=github", root()});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_EQ(
      R.Out.rfind("::warning file=a%2Cb%3Ac.sql,line=1,col=8,endLine=1,endColumn=9,"
                  "title=stress-select-star::'*' ships every column",
                  0),
      0u)
      << R.Out;
  EXPECT_NE(
      R.Out.find("::warning file=a%2Cb%3Ac.sql,line=1,col=31,endLine=1,endColumn=40,"
                 "title=stress-offset-pagination::'OFFSET 20' makes"),
      std::string::npos)
      << R.Out;
  // The note follows on its own annotation line (%0A), with a readable path.
  EXPECT_NE(R.Out.find("%0Anote: a,b:c.sql:1:31: order by a unique key"),
            std::string::npos)
      << R.Out;
  EXPECT_EQ(llvm::count(R.Out, '\n'), 2);
  RunResult E =
      run({F, "--format=github", root(), "--warnings-as-errors=stress-select-star"});
  EXPECT_EQ(E.Out.rfind("::error file=", 0), 0u) << E.Out;
}

TEST_F(ReportTest, CodeClimateForGitLab) {
  std::string F = write("sub/q.sql", "SELECT id FROM t;\nSELECT * FROM orders;\n");
  RunResult R = run({F, "--format=codeclimate", root()});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  llvm::json::Value V = parseJson(R.Out);
  const llvm::json::Array *Issues = V.getAsArray();
  ASSERT_TRUE(Issues && Issues->size() == 1) << R.Out;
  const llvm::json::Object *I = Issues->front().getAsObject();
  EXPECT_EQ(*I->getString("check_name"), "stress-select-star");
  EXPECT_EQ(*I->getString("type"), "issue");
  EXPECT_NE(I->getString("description")->find("ships every column"),
            llvm::StringRef::npos);
  EXPECT_EQ(*I->getString("severity"), "major");
  EXPECT_EQ(*I->getString("fingerprint"),
            jsonFindings(run({F, "--format=json", root()}).Out).Fingerprints[0]);
  EXPECT_EQ(*I->getObject("location")->getString("path"), "sub/q.sql");
  EXPECT_EQ(*I->getObject("location")->getObject("lines")->getInteger("begin"), 2);
  RunResult E = run({F, "--format=codeclimate", root(), "--warnings-as-errors=*"});
  EXPECT_NE(E.Out.find("\"severity\": \"critical\""), std::string::npos) << E.Out;
}

TEST_F(ReportTest, OutputFileGetsTheReportWhileStdoutGetsText) {
  std::string F = write("q.sql", "SELECT * FROM orders;\n");
  write("out/report.sarif", "previous report");
  std::string Out = path("out/report.sarif");
  RunResult R = run({F, "--format=sarif", "--output=" + Out, root()});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_NE(R.Out.find(F + ":1:8: warning: '*' ships every column"), std::string::npos)
      << R.Out;
  EXPECT_NE(R.Out.find("SELECT * FROM orders;\n       ^"), std::string::npos) << R.Out;
  EXPECT_NE(R.Err.find("stresslint: 1 finding in 1 file"), std::string::npos) << R.Err;
  EXPECT_TRUE(stresslint_test::validateSarif(Out));
  EXPECT_NE(read("out/report.sarif").find("\"ruleId\": \"stress-select-star\""),
            std::string::npos);
  // Written through a temporary file renamed over the old one: nothing left.
  std::error_code EC;
  unsigned Entries = 0;
  for (llvm::sys::fs::directory_iterator It(path("out"), EC), End; It != End && !EC;
       It.increment(EC))
    ++Entries;
  EXPECT_EQ(Entries, 1u);

  // JSON to a file is what --format=json prints.
  RunResult J = run({F, "--format=json", "--output=" + path("out/r.json"), root()});
  EXPECT_EQ(read("out/r.json"), run({F, "--format=json", root()}).Out);
  EXPECT_NE(J.Out.find("[stress-select-star]"), std::string::npos);

  // Text to a file: the diagnostic lines, without source lines and carets.
  run({F, "--output=" + path("out/r.txt"), root()});
  EXPECT_EQ(read("out/r.txt"),
            F + ":1:8: warning: '*' ships every column of the table to the "
                "client (wider rows, more I/O and memory, breaks when "
                "columns change); name the columns you use "
                "[stress-select-star]\n");

  RunResult Bad = run({F, "--format=sarif", "--output=" + path("missing/r.sarif")});
  EXPECT_EQ(Bad.Exit, 2);
  EXPECT_NE(Bad.Err.find("does not exist"), std::string::npos) << Bad.Err;
  EXPECT_EQ(Bad.Out, "") << "fails before the analysis";
  EXPECT_EQ(run({F, "--format=yaml"}).Exit, 2);
}

// --- fingerprints and baselines --------------------------------------------

TEST_F(ReportTest, FingerprintsSurviveUnrelatedEdits) {
  std::string F = write("p/q.sql", "SELECT * FROM orders;\n"
                                   "SELECT id FROM users WHERE name LIKE '%x';\n"
                                   "SELECT * FROM orders;\n");
  JsonFindings Before = jsonFindings(run({F, "--format=json", root()}).Out);
  ASSERT_EQ(Before.Fingerprints.size(), 3u);
  std::set<std::string> Unique(Before.Fingerprints.begin(), Before.Fingerprints.end());
  EXPECT_EQ(Unique.size(), 3u) << "identical lines get distinct fingerprints";
  for (const std::string &Fp : Before.Fingerprints)
    EXPECT_EQ(Fp.size(), 16u) << Fp;

  // Lines inserted above, blank lines between, re-indentation.
  write("p/q.sql", "-- reports\n"
                   "-- owned by the data team\n\n"
                   "SELECT * FROM orders;\n\n"
                   "   SELECT id   FROM users WHERE name LIKE '%x';\n"
                   "SELECT * FROM orders;\n");
  JsonFindings Moved = jsonFindings(run({F, "--format=json", root()}).Out);
  EXPECT_EQ(Moved.Fingerprints, Before.Fingerprints);
  EXPECT_EQ(Moved.Lines, (std::vector<int64_t>{4, 6, 7}));

  // The same project elsewhere (another checkout) has the same fingerprints.
  write("copy/p/q.sql", read("p/q.sql"));
  JsonFindings Copy = jsonFindings(
      run({path("copy/p/q.sql"), "--format=json", "--source-root=" + path("copy")})
          .Out);
  EXPECT_EQ(Copy.Fingerprints, Before.Fingerprints);
  // By default the root is the git work tree holding the files.
  write("copy/.git/HEAD", "ref: refs/heads/main\n");
  JsonFindings Git = jsonFindings(run({path("copy/p/q.sql"), "--format=json"}).Out);
  EXPECT_EQ(Git.Fingerprints, Before.Fingerprints);

  // Editing the flagged line changes its fingerprint only.
  write("p/q.sql", "SELECT * FROM orders;\n"
                   "SELECT id FROM users WHERE email LIKE '%x';\n"
                   "SELECT * FROM orders;\n");
  JsonFindings Edited = jsonFindings(run({F, "--format=json", root()}).Out);
  EXPECT_EQ(Edited.Fingerprints[0], Before.Fingerprints[0]);
  EXPECT_NE(Edited.Fingerprints[1], Before.Fingerprints[1]);
  EXPECT_EQ(Edited.Fingerprints[2], Before.Fingerprints[2]);
}

TEST_F(ReportTest, BaselineReportsOnlyNewFindings) {
  std::string F = write("q.sql", "SELECT * FROM orders;\n"
                                 "SELECT id FROM t ORDER BY id LIMIT 5 OFFSET 10;\n");
  std::string Baseline = path("stresslint-baseline.json");
  RunResult W = run({F, "--write-baseline=" + Baseline, root()});
  EXPECT_EQ(W.Exit, 0) << "recorded findings are accepted\n" << W.Err;
  EXPECT_NE(W.Err.find("(2 findings)"), std::string::npos) << W.Err;
  llvm::json::Value B = parseJson(read("stresslint-baseline.json"));
  const llvm::json::Array *Entries = B.getAsObject()->getArray("findings");
  ASSERT_TRUE(Entries && Entries->size() == 2);
  const llvm::json::Object *E0 = Entries->front().getAsObject();
  EXPECT_EQ(*E0->getString("rule"), "stress-select-star");
  EXPECT_EQ(*E0->getString("file"), "q.sql");
  EXPECT_EQ(*E0->getInteger("line"), 1);
  EXPECT_EQ(E0->getString("fingerprint")->size(), 16u);

  // Lines moved, one old finding fixed, one new finding.
  write("q.sql", "-- legacy queries\n\n"
                 "SELECT * FROM orders;\n"
                 "SELECT id FROM users WHERE email LIKE '%@example.com';\n");
  RunResult R = run({F, "--baseline=" + Baseline, root()});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_NE(R.Out.find(F + ":4:"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find("[stress-leading-wildcard-like]"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("[stress-select-star]"), std::string::npos) << R.Out;
  EXPECT_NE(R.Err.find("1 of 2 entries matched, 1 stale"), std::string::npos) << R.Err;
  EXPECT_NE(R.Err.find("stresslint: 1 finding in 1 file"), std::string::npos) << R.Err;
  RunResult S = run({F, "--baseline=" + Baseline, "--format=sarif", root()});
  EXPECT_NE(S.Out.find("\"baselineState\": \"new\""), std::string::npos) << S.Out;

  // Only baselined findings left: the gate passes.
  write("q.sql", "SELECT * FROM orders;\n");
  RunResult Clean = run({F, "--baseline=" + Baseline, root()});
  EXPECT_EQ(Clean.Exit, 0) << Clean.Out << Clean.Err;
  EXPECT_EQ(Clean.Out, "");

  // A missing or malformed baseline is a usage error.
  RunResult Missing = run({F, "--baseline=" + path("nope.json")});
  EXPECT_EQ(Missing.Exit, 2);
  EXPECT_NE(Missing.Err.find("cannot read baseline"), std::string::npos) << Missing.Err;
  RunResult Malformed = run({F, "--baseline=" + write("bad.json", "{\"findings\": [")});
  EXPECT_EQ(Malformed.Exit, 2);
  EXPECT_NE(Malformed.Err.find("is not valid JSON"), std::string::npos)
      << Malformed.Err;
  RunResult NoFp = run({F, "--baseline=" + write("nofp.json", "{\"findings\": [{}]}")});
  EXPECT_EQ(NoFp.Exit, 2);
  EXPECT_NE(NoFp.Err.find("findings[0] has no \"fingerprint\""), std::string::npos)
      << NoFp.Err;
  EXPECT_EQ(run({F, "--baseline=" + Baseline, "--write-baseline=" + Baseline}).Exit, 2);
}

// --- changed lines ---------------------------------------------------------

TEST_F(ReportTest, DiffReportsOnlyChangedLines) {
  std::string Repo = path("repo");
  llvm::sys::fs::create_directories(Repo);
  gitIn(Repo, {"init", "-q"});
  write("repo/q.sql", "SELECT * FROM a;\nSELECT id FROM b;\n");
  write("repo/r.sql", "SELECT * FROM legacy;\n");
  gitIn(Repo, {"add", "."});
  gitIn(Repo, {"commit", "-q", "-m", "base"});

  std::string Q = path("repo/q.sql");
  write("repo/q.sql",
        "SELECT * FROM a;\nSELECT * FROM b;\nSELECT id FROM c LIMIT 5 OFFSET 5;\n");
  gitIn(Repo, {"mv", "r.sql", "s.sql"}); // a rename touches no line
  RunResult R = run({Repo, "--diff=HEAD"});
  EXPECT_EQ(R.Exit, 1) << R.Err;
  EXPECT_EQ(R.Out.find(Q + ":1:8:"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find(Q + ":2:8: warning: '*'"), std::string::npos) << R.Out;
  EXPECT_NE(R.Out.find(Q + ":3:"), std::string::npos) << R.Out;
  EXPECT_EQ(R.Out.find("legacy"), std::string::npos) << R.Out;
  EXPECT_NE(R.Err.find("2 findings outside the changed lines not reported"),
            std::string::npos)
      << R.Err;

  // The same diff from a file and from stdin.
  RunResult Diff = runProgram(git(), {"-C", Repo, "diff", "-U0", "HEAD"});
  ASSERT_EQ(Diff.Exit, 0);
  std::string DiffFile = write("change.diff", Diff.Out);
  RunResult FromFile = run({Repo, "--diff-from=" + DiffFile});
  EXPECT_EQ(FromFile.Exit, 1);
  EXPECT_EQ(FromFile.Out, R.Out);
  RunResult FromStdin = run({Repo, "--diff-from=-", "--format=json"}, DiffFile);
  EXPECT_EQ(jsonFindings(FromStdin.Out).Lines, (std::vector<int64_t>{2, 3}))
      << FromStdin.Out;

  // A change without findings on its lines passes the gate.
  gitIn(Repo, {"add", "."});
  gitIn(Repo, {"commit", "-q", "-m", "more"});
  write("repo/q.sql",
        "SELECT * FROM a;\nSELECT * FROM b;\nSELECT id FROM c ORDER BY id LIMIT 5;\n");
  RunResult Fixed = run({Repo, "--diff=HEAD"});
  EXPECT_EQ(Fixed.Exit, 0) << Fixed.Out << Fixed.Err;
  EXPECT_EQ(Fixed.Out, "");

  RunResult BadRev = run({Repo, "--diff=no-such-rev"});
  EXPECT_EQ(BadRev.Exit, 2);
  EXPECT_NE(BadRev.Err.find("git"), std::string::npos) << BadRev.Err;
  EXPECT_EQ(run({Repo, "--diff=--output=x"}).Exit, 2);
  RunResult BadDiff =
      run({Repo, "--diff-from=" + write("bad.diff", "+++ b/q.sql\n@@ -1 +x @@\n")});
  EXPECT_EQ(BadDiff.Exit, 2);
  EXPECT_NE(BadDiff.Err.find("malformed hunk header"), std::string::npos)
      << BadDiff.Err;
}

TEST_F(ReportTest, BaselineAndDiffTogether) {
  std::string Repo = path("repo");
  llvm::sys::fs::create_directories(Repo);
  gitIn(Repo, {"init", "-q"});
  write("repo/q.sql", "SELECT * FROM a;\n");
  gitIn(Repo, {"add", "."});
  gitIn(Repo, {"commit", "-q", "-m", "base"});
  std::string Baseline = path("b.json");
  // --write-baseline records every finding, whatever --diff reports.
  write("repo/q.sql", "SELECT * FROM a;\nSELECT * FROM b;\n");
  RunResult W = run({Repo, "--diff=HEAD", "--write-baseline=" + Baseline});
  EXPECT_EQ(W.Exit, 0) << W.Err;
  EXPECT_NE(W.Err.find("(2 findings)"), std::string::npos) << W.Err;
  write("repo/q.sql", "SELECT * FROM a;\nSELECT * FROM b;\nSELECT * FROM c;\n");
  RunResult R = run({Repo, "--diff=HEAD", "--baseline=" + Baseline, "--format=json"});
  EXPECT_EQ(R.Exit, 1);
  EXPECT_EQ(jsonFindings(R.Out).Lines, (std::vector<int64_t>{3})) << R.Out;
}

// --- helpers ---------------------------------------------------------------

TEST(ReportUnit, WorkflowCommandEscaping) {
  EXPECT_EQ(escapeWorkflowCommand("50% of rows\r\nnext: a,b", false),
            "50%25 of rows%0D%0Anext: a,b");
  EXPECT_EQ(escapeWorkflowCommand("src/a,b:c%.sql", true), "src/a%2Cb%3Ac%25.sql");
}

TEST(ReportUnit, DocDescriptionIsTheFirstExplainingParagraph) {
  EXPECT_EQ(docDescription("# stress-x\n\nOne line summary\n\n## Why is this bad?\n\n"
                           "It reads\nevery row.\n\nMore.\n",
                           "One line summary"),
            "It reads every row.");
  EXPECT_EQ(docDescription("", "Summary"), "Summary");
  Rule R;
  R.Id = "stress-x";
  R.Docs = "docs/rules/stress-x.md";
  EXPECT_EQ(ruleDocUrl(R, "https://h/base"), "https://h/base/docs/rules/stress-x.md");
  R.Docs = "https://elsewhere/x";
  EXPECT_EQ(ruleDocUrl(R, "https://h/"), "https://elsewhere/x");
}

TEST(ReportUnit, PathStepsOnChangedLinesCount) {
  ChangedLines Changed;
  Changed.add("/src/handler.cpp", 10, 2);
  Finding F;
  F.File = "/src/repo.cpp";
  F.Line = F.EndLine = 5;
  EXPECT_FALSE(touchesChangedLines(F, Changed));
  F.Notes.push_back({"loop here", "/src/handler.cpp", 11, 3});
  EXPECT_TRUE(touchesChangedLines(F, Changed));
  Finding Multi;
  Multi.File = "/src/handler.cpp";
  Multi.Line = 8;
  Multi.EndLine = 10; // a range that reaches a changed line
  EXPECT_TRUE(touchesChangedLines(Multi, Changed));
}

} // namespace
