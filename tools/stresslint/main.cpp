//===--- main.cpp - The stresslint command line ----------------------------===//
///
/// \file
/// `stresslint [options] <paths...> [-- <compiler flags>]`
/// `stresslint merge [options] <part files...>`
/// `stresslint schema show [--schema-files=<globs>] [path]`
///
/// Exit codes: 0 no findings, 1 findings, 2 usage or configuration error,
/// 3 some input could not be analysed (findings for the rest still shown).
///
//===----------------------------------------------------------------------===//
#include "SchemaDump.h"
#include "driver/ApplyFixes.h"
#include "driver/Driver.h"
#include "driver/Gate.h"
#include "rules/RuleSet.h"
#include "schema/SchemaFiles.h"
#include "support/AtomicFile.h"
#include "tidy/SchemaFor.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace llvm;
using namespace stresslint;

static cl::OptionCategory Category("stresslint options");

static cl::list<std::string> Paths(cl::Positional, cl::desc("<paths...>"),
                                   cl::cat(Category));
static cl::opt<std::string>
    BuildPath("p", cl::desc("Build directory containing compile_commands.json"),
              cl::value_desc("build-dir"), cl::cat(Category));
static cl::opt<std::string>
    Checks("checks",
           cl::desc("Comma-separated globs of checks to enable or (with '-') disable, "
                    "appended to the .clang-tidy Checks"),
           cl::cat(Category));
static cl::opt<std::string>
    Config("config", cl::desc("YAML configuration used instead of .clang-tidy files"),
           cl::cat(Category));
static cl::list<std::string>
    RulePaths("rules",
              cl::desc("Rule or API YAML file, or a directory of them; adds to "
                       "or overrides the built-in rules (repeatable)"),
              cl::cat(Category));
static cl::opt<bool> ListRules("list-rules", cl::desc("List the rules and exit"),
                               cl::cat(Category));
static cl::opt<bool> ListPrimitives(
    "list-primitives",
    cl::desc("List the primitives a rule's 'match:' is built from (SQL "
             "predicates, contexts, call sets), with their options and the "
             "variables of their messages, and exit"),
    cl::cat(Category));
static cl::opt<std::string> Explain("explain",
                                    cl::desc("Print the docs of a rule and exit"),
                                    cl::value_desc("rule-id"), cl::cat(Category));
static cl::opt<bool> DumpConfig(
    "dump-config",
    cl::desc("Print the effective configuration for the first path and exit"),
    cl::cat(Category));
static cl::opt<std::string>
    Format("format",
           cl::desc("Report format: text, json, sarif, github or codeclimate"),
           cl::init("text"), cl::cat(Category));
static cl::opt<std::string> OutputFile(
    "output",
    cl::desc("Write the report (--format) to this file; stdout gets the text"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string>
    BaselineFile("baseline",
                 cl::desc("Report and fail only on findings not in this baseline"),
                 cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string>
    WriteBaselineFile("write-baseline",
                      cl::desc("Record today's findings in a baseline file"),
                      cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string>
    DiffRev("diff",
            cl::desc("Report only findings on lines changed since a git revision"),
            cl::value_desc("git-rev"), cl::cat(Category));
static cl::opt<std::string>
    DiffFrom("diff-from",
             cl::desc("Report only findings on lines a unified diff adds ('-': stdin)"),
             cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string>
    SourceRoot("source-root",
               cl::desc("Directory report paths and fingerprints are relative to "
                        "(default: the git work tree, else the current directory)"),
               cl::value_desc("dir"), cl::cat(Category));
static cl::opt<std::string> HelpUriBase(
    "help-uri-base", cl::desc("Base URL of the rule docs in reports (SARIF helpUri)"),
    cl::init(DefaultDocsBaseUrl.str()), cl::value_desc("url"), cl::cat(Category));
static cl::opt<bool> Fix("fix",
                         cl::desc("Apply the fixes of the findings to the files "
                                  "(only files unchanged since they were read; "
                                  "each written atomically)"),
                         cl::cat(Category));
static cl::opt<bool>
    FixNotes("fix-notes",
             cl::desc("With --fix, also apply a fix offered in a note when the finding "
                      "has none (as clang-tidy's --fix-notes); such fixes change what "
                      "the code does and need a look"),
             cl::cat(Category));
static cl::opt<std::string>
    ExportFixes("export-fixes",
                cl::desc("Write the findings' fixes to <file> as YAML for "
                         "clang-apply-replacements"),
                cl::value_desc("file"), cl::cat(Category));
static cl::opt<bool> Quiet("quiet", cl::desc("Do not print the summary line"),
                           cl::cat(Category));
static cl::list<std::string>
    ExtraArgs("extra-arg", cl::desc("Append a compiler argument"), cl::cat(Category));
static cl::list<std::string> ExtraArgsBefore("extra-arg-before",
                                             cl::desc("Prepend a compiler argument"),
                                             cl::cat(Category));
static cl::opt<std::string>
    WarningsAsErrors("warnings-as-errors",
                     cl::desc("Checks whose findings are errors (globs)"),
                     cl::cat(Category));
static cl::opt<bool> ShowCompilerErrors(
    "show-compiler-errors",
    cl::desc("Show compiler errors even without a compilation database"),
    cl::cat(Category));
static cl::opt<bool> NoBuildOptions(
    "no-build-options",
    cl::desc(
        "Without a compilation database, leave undefined the build options "
        "(WITH_*, ENABLE_*, USE_*) a whole file sits in; by default they are defined"),
    cl::cat(Category));
static cl::opt<unsigned>
    Jobs("j",
         cl::desc("C++ translation units analysed at once, each in its own worker "
                  "process (default: the number of cores)"),
         cl::value_desc("N"), cl::init(0), cl::Prefix, cl::cat(Category));
static cl::opt<unsigned>
    Timeout("timeout",
            cl::desc("Seconds one translation unit may take before it is reported as "
                     "timed out (default 0: no limit)"),
            cl::value_desc("seconds"), cl::init(0), cl::cat(Category));
// Debugging and tests only (docs/bad-input.md): no worker processes; force a
// crash / hang while analysing a TU whose path contains the substring.
static cl::opt<bool> InProcess("in-process", cl::Hidden, cl::cat(Category));
static cl::opt<std::string> TestCrashOn("test-crash-on", cl::Hidden, cl::cat(Category));
static cl::opt<std::string> TestHangOn("test-hang-on", cl::Hidden, cl::cat(Category));
static cl::opt<std::string>
    CacheDir("cache-dir",
             cl::desc("Directory of the result cache (default: <build-dir>/.stresslint/"
                      "cache next to compile_commands.json, else ~/.cache/stresslint; "
                      "$STRESSLINT_CACHE_DIR overrides)"),
             cl::value_desc("dir"), cl::cat(Category));
static cl::opt<bool> NoCache("no-cache",
                             cl::desc("Analyse every file; read and write no cache"),
                             cl::cat(Category));
static cl::opt<std::string>
    Shard("shard",
          cl::desc("Analyse only part K of N of the inputs (1 <= K <= N), for CI "
                   "machines running in parallel; needs --part"),
          cl::value_desc("K/N"), cl::cat(Category));
static cl::opt<std::string> PartFile(
    "part",
    cl::desc("Write this run's findings and call-graph summaries to a part file "
             "for 'stresslint merge' instead of reporting"),
    cl::value_desc("file"), cl::cat(Category));
static cl::opt<std::string> ProgressMode(
    "progress",
    cl::desc("Live [i/N] line and a summary table on stderr: auto (when stderr "
             "is a terminal), always or never"),
    cl::value_desc("auto|always|never"), cl::init("auto"), cl::cat(Category));
static cl::opt<bool> UseColor("use-color", cl::desc("Force colour on or off"),
                              cl::cat(Category));

static cl::opt<std::string> DatabaseFlag(
    "db",
    cl::desc("For 'schema dump': the PostgreSQL database to read the schema "
             "from (a libpq connection string or URI)"),
    cl::value_desc("conninfo"), cl::cat(Category));

static cl::opt<std::string> SchemaFilesFlag(
    "schema-files",
    cl::desc("Comma-separated globs, relative to the project root, of the DDL "
             "files the schema is learnt from (the global SchemaFiles option; "
             "default '**/migrations/**/*.sql,**/schema*.sql,stresslint-schema.json')"),
    cl::value_desc("globs"), cl::cat(Category));

/// `stresslint schema show [path]`: what the schema of \p S's first path's
/// project is, and from which files.
static int showSchema(LintSession &S, StringRef Path) {
  SmallString<256> First(Path);
  sys::fs::make_absolute(First);
  if (sys::fs::is_directory(First))
    sys::path::append(First, "a.sql");
  clang::tidy::ClangTidyOptions Effective = S.context().getOptionsForFile(First);
  std::string Globs = schemaFilesOption(Effective, "");
  std::string Root = schemaRoot(First);
  outs() << "project root: " << Root << "\n"
         << "globs: " << Globs << "\n";
  auto Loaded = loadSchema(Root, Globs, schemaDialect(Effective));
  if (!Loaded) {
    errs() << "stresslint: error: " << toString(Loaded.takeError()) << "\n";
    return ExitUsage;
  }
  if (!*Loaded) {
    outs() << "no file matches: no schema\n";
    return ExitClean;
  }
  (*Loaded)->print(outs());
  return ExitClean;
}

/// `stresslint schema dump --db <conninfo> [--output <file>]`: the
/// schema of a live PostgreSQL as a snapshot later runs read offline.
static int dumpSchemaTo(StringRef ConnInfo, StringRef Output) {
  if (ConnInfo.empty()) {
    errs() << "error: 'schema dump' needs --db <conninfo> (e.g. "
              "--db 'host=localhost dbname=shop' or --db postgresql://...)\n";
    return ExitUsage;
  }
  Expected<std::string> Snapshot = dumpSchema(ConnInfo.str());
  if (!Snapshot) {
    errs() << "stresslint: error: " << toString(Snapshot.takeError()) << "\n";
    return ExitInputError;
  }
  if (Output.empty() || Output == "-") {
    outs() << *Snapshot;
    return ExitClean;
  }
  if (Error Err = writeFileAtomically(Output, *Snapshot)) {
    errs() << "stresslint: error: " << toString(std::move(Err)) << "\n";
    return ExitInputError;
  }
  errs() << "stresslint: wrote the schema snapshot " << Output << "\n";
  return ExitClean;
}

static int listRules(const RuleSet &Rules) {
  for (const Rule &R : Rules.rules())
    outs() << R.Id << "  " << R.Summary << "\n";
  return ExitClean;
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  // Flags after `--` go to the compiler, as with clang-tidy.
  std::vector<const char *> Args(argv, argv + argc);
  std::optional<std::vector<std::string>> CompilerArgs;
  // `stresslint merge <parts...>`: the positional arguments are part files.
  const bool Merge = Args.size() > 1 && StringRef(Args[1]) == "merge";
  if (Merge)
    Args.erase(Args.begin() + 1);
  // `stresslint schema show [path]`, `stresslint schema dump --db ...`.
  const bool SchemaShow = !Merge && Args.size() > 2 && StringRef(Args[1]) == "schema" &&
                          StringRef(Args[2]) == "show";
  const bool SchemaDump = !Merge && Args.size() > 2 && StringRef(Args[1]) == "schema" &&
                          StringRef(Args[2]) == "dump";
  if (SchemaShow || SchemaDump)
    Args.erase(Args.begin() + 1, Args.begin() + 3);
  for (size_t I = 1; I < Args.size(); ++I)
    if (StringRef(Args[I]) == "--") {
      CompilerArgs.emplace(Args.begin() + I + 1, Args.end());
      Args.resize(I);
      break;
    }
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "stresslint " STRESSLINT_VERSION
          " (clang-tidy checks on LLVM " LLVM_VERSION_STRING ", libpg_query 15)\n";
  });
  // LLVM registers its own -stats (pass statistics) on first use of the
  // option registry; ours replaces it.
  if (cl::Option *LLVMStats = cl::getRegisteredOptions().lookup("stats"))
    LLVMStats->removeArgument();
  static cl::opt<bool> Stats("stats",
                             cl::desc("Print the summary table with per-phase "
                                      "timings and cache figures on stderr"),
                             cl::cat(Category));
  cl::HideUnrelatedOptions(Category);
  std::string ParseErrors;
  raw_string_ostream ErrStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          static_cast<int>(Args.size()), Args.data(),
          "stresslint: finds code that stresses backend servers\n\n"
          "  stresslint [options] <paths...> [-- <compiler flags>]\n"
          "  stresslint merge [options] <part files...>\n"
          "  stresslint schema show [--schema-files=<globs>] [path]\n"
          "  stresslint schema dump --db <conninfo> [--output <file>]\n\n"
          "Exit codes: 0 no findings, 1 findings, 2 usage or configuration "
          "error, 3 some input could not be analysed.\n",
          &ErrStream)) {
    errs() << ErrStream.str();
    return ExitUsage;
  }

  if (SchemaDump)
    return dumpSchemaTo(DatabaseFlag, OutputFile);
  if (ListPrimitives) {
    listPrimitives(outs());
    return ExitClean;
  }
  if (DatabaseFlag.getNumOccurrences()) {
    errs() << "error: --db is for 'stresslint schema dump'\n";
    return ExitUsage;
  }

  auto Loaded =
      RuleSet::load(std::vector<std::string>(RulePaths.begin(), RulePaths.end()));
  if (!Loaded) {
    errs() << toString(Loaded.takeError()) << "\n";
    return ExitUsage;
  }
  setActiveRuleSet(std::move(*Loaded));
  const RuleSet &Rules = activeRuleSet();

  if (ListRules)
    return listRules(Rules);
  if (!Explain.empty()) {
    const Rule *R = Rules.rule(Explain);
    if (!R) {
      errs() << "error: unknown rule '" << Explain << "' (see --list-rules)\n";
      return ExitUsage;
    }
    StringRef Doc = embeddedDoc(R->Id);
    if (Doc.empty())
      outs() << "# " << R->Id << "\n\n" << R->Summary << "\n";
    else
      outs() << Doc;
    return ExitClean;
  }
  std::optional<ReportFormat> Fmt = parseReportFormat(Format);
  if (!Fmt) {
    errs() << "error: unknown --format '" << Format
           << "' (text, json, sarif, github, codeclimate)\n";
    return ExitUsage;
  }

  LintOptions Opts;
  if (Merge) {
    if (Paths.empty()) {
      errs() << "error: merge needs the part files written with --part\n";
      return ExitUsage;
    }
    Opts.MergeParts.assign(Paths.begin(), Paths.end());
  } else {
    Opts.Paths.assign(Paths.begin(), Paths.end());
  }
  if (!Shard.empty()) {
    auto [K, N] = StringRef(Shard).split('/');
    if (K.getAsInteger(10, Opts.ShardIndex) || N.getAsInteger(10, Opts.ShardCount) ||
        Opts.ShardCount == 0) {
      errs() << "error: --shard takes K/N, e.g. --shard 2/4\n";
      return ExitUsage;
    }
    if (PartFile.empty()) {
      errs() << "error: --shard needs --part <file>: a shard's findings are "
                "combined by 'stresslint merge'\n";
      return ExitUsage;
    }
  }
  if (!PartFile.empty() &&
      (Format.getNumOccurrences() || !OutputFile.empty() || !BaselineFile.empty() ||
       !WriteBaselineFile.empty() || !DiffRev.empty() || !DiffFrom.empty())) {
    errs()
        << "error: --part writes a part file, not a report: pass --format, "
           "--output, --baseline, --write-baseline and --diff to 'stresslint merge'\n";
    return ExitUsage;
  }
  if (ProgressMode != "auto" && ProgressMode != "always" && ProgressMode != "never") {
    errs() << "error: --progress takes auto, always or never\n";
    return ExitUsage;
  }
  const bool Interactive =
      ProgressMode == "always" ||
      (ProgressMode == "auto" && !Quiet && sys::Process::StandardErrIsDisplayed());
  Opts.Progress = Interactive;
  Opts.CacheDir = CacheDir;
  Opts.NoCache = NoCache;
  Opts.PartFile = PartFile;
  if (Opts.Paths.empty() && (DumpConfig || SchemaShow))
    Opts.Paths.push_back(".");
  if (SchemaFilesFlag.getNumOccurrences())
    Opts.SchemaFiles = SchemaFilesFlag;
  Opts.BuildPath = BuildPath;
  Opts.CompilerArgs = CompilerArgs;
  Opts.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  Opts.ExtraArgsBefore.assign(ExtraArgsBefore.begin(), ExtraArgsBefore.end());
  Opts.Checks = Checks;
  Opts.Config = Config;
  Opts.WarningsAsErrors = WarningsAsErrors;
  Opts.ShowCompilerErrors = ShowCompilerErrors;
  Opts.DefineBuildOptions = !NoBuildOptions;
  if (UseColor.getNumOccurrences())
    Opts.UseColor = UseColor;
  Opts.Jobs = Jobs;
  Opts.TimeoutSeconds = Timeout;
  Opts.InProcess = InProcess;
  Opts.TestCrashOn = TestCrashOn;
  Opts.TestHangOn = TestHangOn;
  if ((Fix || FixNotes || !ExportFixes.empty()) && (Merge || !PartFile.empty())) {
    errs() << "error: --fix, --fix-notes and --export-fixes apply what this run "
              "analyses; they do not combine with --part or merge\n";
    return ExitUsage;
  }
  Opts.RecordInputs = Fix || FixNotes;
  auto Session = LintSession::create(std::move(Opts));
  if (!Session) {
    errs() << "stresslint: " << toString(Session.takeError()) << "\n";
    return ExitUsage;
  }
  LintSession &S = **Session;
  if (SchemaShow)
    return showSchema(S, Paths.empty() ? "." : Paths.front());

  if (DumpConfig) {
    clang::tidy::ClangTidyContext &Ctx = S.context();
    SmallString<256> First(Paths.empty() ? "." : Paths.front());
    sys::fs::make_absolute(First);
    if (sys::fs::is_directory(First))
      sys::path::append(First, "a.cpp");
    clang::tidy::ClangTidyOptions Effective = Ctx.getOptionsForFile(First);
    Effective.CheckOptions = clang::tidy::getCheckOptions(Effective, false);
    outs() << clang::tidy::configurationAsText(Effective) << "\n";
    return ExitClean;
  }

  GateOptions GO;
  GO.Format = *Fmt;
  GO.OutputFile = OutputFile;
  // A merge's paths are part files: the report is relative to where it runs.
  GO.FirstPath = Paths.empty() || Merge ? "." : Paths.front();
  GO.SourceRoot = SourceRoot;
  GO.DocsBaseUrl = HelpUriBase;
  GO.Baseline = BaselineFile;
  GO.WriteBaseline = WriteBaselineFile;
  GO.DiffRev = DiffRev;
  GO.DiffFrom = DiffFrom;
  GO.Quiet = Quiet;
  auto G = Gate::create(std::move(GO));
  if (!G) {
    errs() << "stresslint: error: " << toString(G.takeError()) << "\n";
    return ExitUsage;
  }

  S.run();
  if (S.writesPart()) {
    // The merge reports and gates; a shard only says what it wrote.
    for (const std::string &P : S.inputProblems())
      errs() << "stresslint: error: " << P << "\n";
    if (Stats)
      errs() << S.statsTable(/*PerPhase=*/true, 0);
    if (!Quiet)
      errs() << "stresslint: wrote " << PartFile << " (" << S.fileCount() << " files"
             << (Shard.empty() ? "" : ", shard " + Shard) << ")\n";
    return S.partWriteFailed() ? ExitInputError : ExitClean;
  }
  auto ReportStart = std::chrono::steady_clock::now();
  int Exit = G->finish(S);
  if (!ExportFixes.empty()) {
    if (Error Err = writeFileAtomically(ExportFixes, [&](raw_ostream &OS) {
          clang::tidy::exportReplacements(Paths.empty() ? "." : Paths.front(),
                                          S.errors(), OS);
        })) {
      errs() << "stresslint: error: " << toString(std::move(Err)) << "\n";
      return ExitInputError;
    }
  }
  if (Fix || FixNotes) {
    FixReport R =
        applyFixes(S.errors(), FixNotes, [&](StringRef P) { return S.digestRead(P); });
    for (const std::string &Why : R.Skipped)
      errs() << "stresslint: warning: " << Why << "\n";
    for (const std::string &E : R.Errors)
      errs() << "stresslint: error: " << E << "\n";
    if (!Quiet)
      errs() << "stresslint: applied the fixes of " << R.Findings << " finding"
             << (R.Findings == 1 ? "" : "s") << " to " << R.Files << " file"
             << (R.Files == 1 ? "" : "s") << "\n";
    if (!R.Errors.empty())
      return ExitInputError;
  }
  double ReportSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ReportStart)
          .count();
  for (const std::string &P : S.inputProblems())
    errs() << "stresslint: error: " << P << "\n";
  if (Stats || Interactive)
    errs() << S.statsTable(/*PerPhase=*/Stats, ReportSeconds);
  if (!Quiet)
    errs() << S.summary() << "\n";
  return Exit;
}
