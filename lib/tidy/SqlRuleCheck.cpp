//===--- SqlRuleCheck.cpp - One YAML rule as a clang-tidy check ------------===//
#include "tidy/SqlRuleCheck.h"
#include "cpp/SqlFixes.h"
#include "cpp/SqlSites.h"
#include "graph/Link.h"
#include "rules/RuleSet.h"
#include "schema/SchemaFiles.h"
#include "tidy/Reporter.h"
#include "tidy/SchemaFor.h"
#include "tidy/TUAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/DiagnosticLex.h"
#include "clang/Basic/FileManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"
#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace stresslint {

SqlRuleCheck::SqlRuleCheck(llvm::StringRef Name, tidy::ClangTidyContext *Context,
                           const Rule &R, std::shared_ptr<const RuleSet> Rules,
                           std::shared_ptr<TUAnalysis> TU)
    : ClangTidyCheck(Name, Context), Rules(std::move(Rules)), TU(std::move(TU)),
      Bound(bindRule(R, *Context, /*WithSchema=*/false)), Tidy(Context),
      AnalyzeStringLiterals(
          flagOption(*Context, "AnalyzeStringLiterals",
                     Options.getLocalOrGlobal("AnalyzeStringLiterals", "true"), true)),
      SchemaFiles(Options.getLocalOrGlobal(SchemaFilesOption, DefaultSchemaFiles)) {}

void SqlRuleCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  for (const RuleOption &O : Bound.R->Options)
    Options.store(Opts, O.Name, Bound.option(O.Name));
  Options.store(Opts, "AnalyzeStringLiterals",
                AnalyzeStringLiterals ? "true" : "false");
  Options.store(Opts, SchemaFilesOption, SchemaFiles);
}

void SqlRuleCheck::registerPPCallbacks(const SourceManager &, Preprocessor *PP,
                                       Preprocessor *) {
  // A missing header is an error, not the end of the analysis: after a
  // fatal error Clang instantiates no template (`std::vector<Row>` becomes
  // an invalid `int` and every loop over it is dropped), and after the
  // error limit it stops. Linting without the build environment misses
  // headers by design; the CLI, clang-tidy --load and the editor agree.
  DiagnosticsEngine &Diags = PP->getDiagnostics();
  Diags.setSeverity(diag::err_pp_file_not_found, diag::Severity::Error,
                    SourceLocation());
  Diags.setErrorLimit(0);
}

void SqlRuleCheck::onStartOfTranslationUnit() { TU->startTU(); }

void SqlRuleCheck::onEndOfTranslationUnit() { TU->endTU(); }

void SqlRuleCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

/// Outside the CLI: links this TU's summary with those the last CLI run
/// stored under the build directory, and reports what lies in this TU.
void SqlRuleCheck::checkContext(ASTContext &Ctx) {
  const TUSummary &Summary = TU->summary(Ctx);
  if (TU->driverLinks())
    return;
  CallGraph Graph(TU->rules());
  Graph.add(Summary);
  llvm::StringRef BuildDir = Tidy->getCurrentBuildDirectory();
  if (!BuildDir.empty()) {
    llvm::SmallString<256> Dir(BuildDir);
    llvm::sys::path::append(Dir, ".stresslint", "summaries");
    for (TUSummary &S : loadStoredSummaries(Dir, Summary.MainFile))
      Graph.add(std::move(S));
  }
  SourceManager &SM = Ctx.getSourceManager();
  auto LocOf = [&](const SrcRange &R) -> SourceLocation {
    auto FE = SM.getFileManager().getOptionalFileRef(R.File);
    if (!FE)
      return {};
    FileID FID = SM.translateFile(*FE);
    if (FID.isInvalid() || R.Begin > SM.getBufferData(FID).size())
      return {};
    return SM.getLocForStartOfFile(FID).getLocWithOffset(static_cast<int>(R.Begin));
  };
  auto Options = [&](const Rule &, llvm::StringRef) -> const BoundRule * {
    return &Bound;
  };
  for (const PathFinding &F : Graph.find(*Bound.R, Options))
    reportPath(*Tidy, F, LocOf);
}

void SqlRuleCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  Bound.DbSchema = schemaFor(*Tidy, SchemaFiles);
  if (Bound.R->hasContext())
    return checkContext(Ctx);
  const SqlSites &Sites = TU->sites(Ctx);
  // One finding per place, but two LIKEs of different operands at one
  // place (one spelled operator spliced into each) are two.
  std::set<std::pair<unsigned, std::string>> Reported;
  auto All = llvm::concat<const SqlSite>(Sites.Sites, Sites.Variants, Sites.Fragments);
  for (const SqlSite &S : All) {
    if (!S.FromSink && !AnalyzeStringLiterals)
      continue;
    auto A = S.analysis();
    for (SqlFact F : A->Facts) {
      if (F.Begin < S.Prefix || !predicateMatches(Bound, F))
        continue; // Not in the neutral statement around a fragment.
      F.Snippet = S.Sql.sourceText(F.Begin, F.End, Ctx);
      SourceLocation Loc = S.Sql.locationOf(F.Begin, Ctx);
      if (Loc.isInvalid())
        Loc = S.Anchor->getBeginLoc();
      if (!Reported
               .insert({Loc.getRawEncoding(),
                        F.K == SqlFact::LeadingWildcard ? F.Detail : std::string()})
               .second)
        continue;
      // A fix of the finding's own (SELECT *), or one for a note (keyset).
      std::optional<SqlFix> Own =
          narrowStar(S, F, Sites, Ctx, *Rules, Bound.DbSchema.get());
      std::optional<SqlFix> ForNote =
          F.K == SqlFact::Offset
              ? keysetFix(S, F, Sites, Ctx, Bound.DbSchema.get())
              : claimFix(
                    S, F, Sites, Ctx,
                    static_cast<unsigned>(std::max(1, Bound.number("ClaimBatchSize"))));
      RuleFinding Found{Loc, {}, expandMessage(Bound, F)};
      if (Own)
        Found.Fixes = Own->Edits;
      SourceLocation End = S.Sql.locationOf(F.End - 1, Ctx);
      if (End.isValid() &&
          Ctx.getSourceManager().getFileID(End) ==
              Ctx.getSourceManager().getFileID(Loc) &&
          !Ctx.getSourceManager().isBeforeInTranslationUnit(End, Loc))
        Found.Range = CharSourceRange::getCharRange(Loc, End.getLocWithOffset(1));
      Found.Notes.push_back({Loc, expandNote(Bound, F)});
      if (S.Prefix == 0) // A fragment's statement around it is made up.
        for (const SchemaGap &G : schemaNotes(Bound, S.Sql.Text, S.Dialect, F.Begin))
          if (SourceLocation GL = S.Sql.locationOf(G.Begin, Ctx); GL.isValid())
            Found.Notes.push_back({GL, G.Message});
      if (Own && Own->NoteLoc.isValid())
        Found.Notes.push_back({Own->NoteLoc, Own->Note});
      if (ForNote && ForNote->NoteLoc.isValid())
        Found.Notes.push_back({ForNote->NoteLoc, ForNote->Note, ForNote->Edits});
      report(*Tidy, *Bound.R, Found);
    }
  }
}

} // namespace stresslint
