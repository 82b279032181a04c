//===--- SqlFiles.cpp - The stress-* checks over .sql files ----------------===//
///
/// A `.sql` file is analysed whole (lib/sql) and each fact a rule's predicate
/// selects becomes a finding. Configuration is clang-tidy's: the file's
/// `Checks`, `CheckOptions` and `WarningsAsErrors`. The findings are
/// reported by tidy/Reporter.h as the C++ files' are: through
/// ClangTidyContext::diag where clang-tidy decides something (NOLINT,
/// NOLINTNEXTLINE, begin/end blocks and its errors for unmatched blocks; the
/// merging of fix-its), and as the same ClangTidyErrors made directly where
/// it cannot.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/ResultCache.h"
#include "driver/SessionImpl.h"
#include "rules/Predicates.h"
#include "rules/Registry.h"
#include "rules/RuleSet.h"
#include "schema/Schema.h"
#include "sql/PgQuery.h"
#include "sql/Rewrites.h"
#include "sql/SqlFacts.h"
#include "tidy/Reporter.h"
#include "tidy/RuleFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

namespace {

/// The rules that run on \p Context's current file, with its options.
std::vector<BoundRule> rulesFor(ClangTidyContext &Context) {
  std::vector<BoundRule> Rules;
  std::shared_ptr<const RuleSet> FileRules = ruleSetFor(Context);
  for (const Rule &R : FileRules->rules()) {
    // Context rules need C++ around the SQL (a loop, a handler, a task); as
    // in C++ files, only rules registered as checks run.
    if (R.hasContext() || !activeRuleSet().rule(R.Id) || !Context.isCheckEnabled(R.Id))
      continue;
    Rules.push_back(bindRule(R, Context));
  }
  return Rules;
}

/// The kinds of facts \p Rules' predicates report: the facts of other
/// kinds (those of the context rules, `aggregate`) are not looked for.
FactKinds factKindsOf(const std::vector<BoundRule> &Rules) {
  FactKinds Kinds = 0;
  for (const BoundRule &B : Rules)
    if (const Primitive *P = primitive(B.R->SqlPredicate); P && P->Matches)
      Kinds |= P->Fact ? factKind(*P->Fact) : AllFactKinds;
  return Kinds;
}

/// The dialect comes from the global check option stresslint.SqlDialect
/// (default PostgreSQL).
SqlDialect dialectOf(const ClangTidyOptions &FileOpts, llvm::StringRef Path) {
  auto It = FileOpts.CheckOptions.find(SqlDialectOption);
  if (It == FileOpts.CheckOptions.end())
    return SqlDialect::PostgreSQL;
  if (std::optional<SqlDialect> D = parseSqlDialect(It->second.Value))
    return *D;
  llvm::errs() << "stresslint: warning: " << Path << ": unknown " << SqlDialectOption
               << " '" << It->second.Value
               << "' (postgresql, mysql, sqlite, tsql); using postgresql\n";
  return SqlDialect::PostgreSQL;
}

/// 1-based line and column of \p Offset, lines ending at `\n`.
std::pair<unsigned, unsigned> position(llvm::StringRef Text, size_t Offset) {
  llvm::StringRef Before = Text.take_front(Offset);
  size_t LineStart = Before.rfind('\n') + 1; // npos + 1 == 0
  return {static_cast<unsigned>(Before.count('\n') + 1),
          static_cast<unsigned>(Offset - LineStart + 1)};
}

} // namespace

void LintSession::runSql(const std::string &Path) {
  ClangTidyContext &Context = *I->Context;
  auto Buf = I->FS->getBufferForFile(Path, -1, /*RequiresNullTerminator=*/true,
                                     /*IsVolatile=*/false);
  if (!Buf) {
    InputProblems.push_back(Path + ": cannot read: " + Buf.getError().message());
    return;
  }
  llvm::StringRef Text = (*Buf)->getBuffer();
  if (Text.find('\0') != llvm::StringRef::npos) {
    InputProblems.push_back(Path + ": binary file (contains NUL bytes); not analysed");
    return;
  }
  // The context and the rules stay set for the next file of the same
  // directory (SessionImpl.h), unless a TU set the context since. A
  // symbolic link (or a file not on disk) is bound for itself: its schema's
  // root is found from where it points.
  llvm::StringRef Dir = llvm::sys::path::parent_path(Path);
  bool Link = true;
  if (llvm::sys::fs::is_symlink_file(Path, Link))
    Link = true;
  if (Link || !I->SqlDir || !I->SqlDir->Shared || I->SqlDir->Dir != Dir ||
      Context.getCurrentFile() != I->SqlDir->ContextFile) {
    Context.setCurrentFile(Path);
    I->SqlDir = {Dir.str(), Path, !Link, rulesFor(Context)};
  }
  Context.setCurrentBuildDirectory("");
  const std::vector<BoundRule> &Rules = I->SqlDir->Rules;
  // What setting the rules up reported (a `stresslint.RuleFiles` or
  // `SchemaFiles` value that does not load), as the C++ files' runs do.
  std::vector<ClangTidyError> Config = I->Consumer->take();
  std::move(Config.begin(), Config.end(), std::back_inserter(Errors));
  // In a PostgreSQL file a statement that does not parse is broken, not
  // another dialect, so there is no token fallback; in another dialect's
  // file it is mostly syntax the normaliser does not rewrite, so its tokens
  // still give the facts they show.
  SqlDialect Dialect = dialectOf(Context.getOptions(), Path);
  SqlAnalysis A = analyzeSql(Text, Dialect,
                             /*AllowTokenFallback=*/Dialect != SqlDialect::PostgreSQL,
                             /*SkipFactFreeTrees=*/true, factKindsOf(Rules),
                             /*CountDataStatements=*/false);
  if (unsigned Skipped = A.Statements - A.ParsedStatements + A.Unrecognized) {
    auto [Line, Col] = position(Text, A.FirstProblemOffset);
    llvm::errs() << "stresslint: warning: " << Path << ":" << Line << ":" << Col << ": "
                 << Skipped << " statement(s) were not analysed"
                 << (A.FirstError.empty() ? "" : " (" + A.FirstError + ")") << "\n";
  }
  if (Opts.RecordInputs) {
    llvm::SmallString<256> Abs(Path);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    InputDigests[Abs] = contentDigest(Text);
  }
  std::vector<FileFinding> Findings;
  // The rewrites and the schema's notes read the finding's statement alone:
  // the file is split once, by the analysis when it split the text as it
  // is, not once per finding.
  std::optional<std::vector<std::pair<uint32_t, uint32_t>>> Statements =
      std::move(A.OriginalStatements);
  for (const SqlFact &F : A.Facts)
    for (const BoundRule &B : Rules)
      if (predicateMatches(B, F)) {
        FileFinding Found{B.R, F.Begin, F.End, expandMessage(B, F)};
        Found.Notes.push_back({F.Begin, expandNote(B, F)});
        auto StatementAt = [&](uint32_t At) {
          if (!Statements)
            Statements = splitSql(Text);
          auto It = llvm::upper_bound(
              *Statements, At, [](uint32_t A, const std::pair<uint32_t, uint32_t> &R) {
                return A < R.first;
              });
          uint32_t SB = It == Statements->begin() ? 0 : std::prev(It)->first;
          uint32_t SE = It == Statements->begin() ? static_cast<uint32_t>(Text.size())
                                                  : std::prev(It)->second;
          return std::pair(SB, Text.slice(SB, std::max(SE, F.End)));
        };
        SqlRewrite K;
        if (F.K == SqlFact::Offset || F.K == SqlFact::RowLock) {
          auto [SB, Stmt] = StatementAt(F.Begin);
          uint32_t At = F.Begin - SB;
          K = F.K == SqlFact::Offset
                  ? keysetRewrite(
                        Stmt, Dialect, At,
                        [&](llvm::StringRef T, llvm::StringRef C) {
                          return uniqueColumn(B.DbSchema.get(), T, C);
                        },
                        [&](llvm::StringRef T, llvm::StringRef C) {
                          return notNullColumn(B.DbSchema.get(), T, C);
                        })
                  : claimRewrite(
                        Stmt, Dialect, At,
                        static_cast<unsigned>(std::max(1, B.number("ClaimBatchSize"))));
          for (SqlEdit &E : K.Edits) {
            E.Begin += SB;
            E.End += SB;
          }
        }
        if (!K.Edits.empty()) {
          FileNote Fix{F.Begin, std::move(K.Note)};
          for (SqlEdit &E : K.Edits)
            Fix.Edits.push_back({E.Begin, E.End, std::move(E.Text)});
          Found.Notes.push_back(std::move(Fix));
        }
        if (B.DbSchema && !B.DbSchema->empty()) {
          auto [SB, Stmt] = StatementAt(F.Begin);
          for (SchemaGap &G : schemaNotes(B, Stmt, Dialect, F.Begin - SB))
            Found.Notes.push_back({G.Begin + SB, std::move(G.Message)});
        }
        Findings.push_back(std::move(Found));
      }
  reportFileFindings(Context, *I->Consumer, *I->Diags, I->FS, Path, Text, Findings,
                     Errors, InputProblems);
}

} // namespace stresslint
