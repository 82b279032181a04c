//===--- SqlRuleCheck.cpp - One YAML rule as a clang-tidy check ------------===//
#include "tidy/SqlRuleCheck.h"
#include "cpp/SqlFixes.h"
#include "cpp/SqlSites.h"
#include "graph/GraphBuilder.h"
#include "graph/Link.h"
#include "rules/RuleSet.h"
#include "schema/SchemaFiles.h"
#include "tidy/SchemaFor.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/DiagnosticLex.h"
#include "clang/Basic/FileManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace stresslint {

std::string escapeDiagText(llvm::StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (char C : S) {
    if (C == '%')
      Out += '%';
    Out += C;
  }
  return Out;
}

static bool parseBool(llvm::StringRef V) {
  std::string L = V.trim().lower();
  return !(L == "false" || L == "0" || L == "no" || L == "off");
}

SqlRuleCheck::SqlRuleCheck(llvm::StringRef Name,
                           tidy::ClangTidyContext *Context, const Rule &R,
                           std::shared_ptr<const RuleSet> Rules)
    : ClangTidyCheck(Name, Context), Rules(std::move(Rules)), Tidy(Context),
      AnalyzeStringLiterals(parseBool(
          Options.getLocalOrGlobal("AnalyzeStringLiterals", "true"))),
      SchemaFiles(Options.getLocalOrGlobal(SchemaFilesOption, DefaultSchemaFiles)) {
  Bound.R = &R;
  for (const RuleOption &O : R.Options)
    Bound.Options[O.Name] = Options.get(O.Name, O.Default).str();
}

void SqlRuleCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  for (const RuleOption &O : Bound.R->Options)
    Options.store(Opts, O.Name, Bound.option(O.Name));
  Options.store(Opts, "AnalyzeStringLiterals",
                AnalyzeStringLiterals ? "true" : "false");
  Options.store(Opts, SchemaFilesOption, SchemaFiles);
}

void SqlRuleCheck::registerPPCallbacks(const SourceManager &,
                                       Preprocessor *PP, Preprocessor *) {
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

void SqlRuleCheck::onStartOfTranslationUnit() { startSqlSitesTU(this); }

void SqlRuleCheck::onEndOfTranslationUnit() { endSqlSitesTU(this); }

void SqlRuleCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

static DiagnosticIDs::Level levelOf(const Rule &R) {
  return R.Severity == "error"  ? DiagnosticIDs::Error
         : R.Severity == "note" ? DiagnosticIDs::Note
                                : DiagnosticIDs::Warning;
}

/// Outside the CLI: links this TU's summary with those the last CLI run
/// stored under the build directory, and reports what lies in this TU.
void SqlRuleCheck::checkContext(ASTContext &Ctx) {
  const TUSummary &Summary = sharedSummary(Ctx, *Rules);
  if (deferredLinking())
    return;
  CallGraph Graph;
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
  for (const PathFinding &F : Graph.find(*Bound.R, Options)) {
    SourceLocation Loc = LocOf(F.At);
    if (Loc.isInvalid())
      continue;
    {
      auto D = diag(Loc, escapeDiagText(F.Message), levelOf(*Bound.R));
      if (F.At.End > F.At.Begin)
        D << CharSourceRange::getCharRange(
            Loc, Loc.getLocWithOffset(static_cast<int>(F.At.End - F.At.Begin)));
    }
    for (const PathStep &N : F.Notes)
      if (SourceLocation NL = LocOf(N.At); NL.isValid())
        diag(NL, escapeDiagText(N.Message), DiagnosticIDs::Note);
  }
}

void SqlRuleCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  Bound.DbSchema = schemaFor(*Tidy, SchemaFiles);
  if (!Bound.R->Context.empty())
    return checkContext(Ctx);
  const SqlSites &Sites = sharedSqlSites(Ctx, *Rules);
  auto Level = levelOf(*Bound.R);
  llvm::DenseSet<unsigned> Reported;
  auto All =
      llvm::concat<const SqlSite>(Sites.Sites, Sites.Variants, Sites.Fragments);
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
      if (!Reported.insert(Loc.getRawEncoding()).second)
        continue;
      // A fix of the finding's own (SELECT *), or one for a note (keyset).
      std::optional<SqlFix> Own =
          narrowStar(S, F, Sites, Ctx, *Rules, Bound.DbSchema.get());
      std::optional<SqlFix> ForNote =
          F.K == SqlFact::Offset
              ? keysetFix(S, F, Sites, Ctx, Bound.DbSchema.get())
              : claimFix(S, F, Sites, Ctx,
                         static_cast<unsigned>(std::max(1, intOption(Bound, "ClaimBatchSize", 100))));
      {
        auto D = diag(Loc, escapeDiagText(expandTemplate(Bound.R->Message, F, Bound)),
                      Level);
        if (Own)
          for (const FixItHint &H : Own->Edits)
            D << H;
        SourceLocation End = S.Sql.locationOf(F.End - 1, Ctx);
        if (End.isValid() && Ctx.getSourceManager().getFileID(End) ==
                                 Ctx.getSourceManager().getFileID(Loc) &&
            !Ctx.getSourceManager().isBeforeInTranslationUnit(End, Loc))
          D << CharSourceRange::getCharRange(Loc, End.getLocWithOffset(1));
      }
      std::string Note = expandTemplate(Bound.R->Note, F, Bound);
      if (!Bound.R->Note.empty() && !llvm::StringRef(Note).trim().empty())
        diag(Loc, escapeDiagText(Note), DiagnosticIDs::Note);
      if (S.Prefix == 0) // A fragment's statement around it is made up.
        for (const SchemaGap &G : schemaNotes(Bound, S.Sql.Text, S.Dialect, F.Begin))
          if (SourceLocation GL = S.Sql.locationOf(G.Begin, Ctx); GL.isValid())
            diag(GL, escapeDiagText(G.Message), DiagnosticIDs::Note);
      if (Own && Own->NoteLoc.isValid())
        diag(Own->NoteLoc, escapeDiagText(Own->Note), DiagnosticIDs::Note);
      if (ForNote && ForNote->NoteLoc.isValid()) {
        auto N = diag(ForNote->NoteLoc, escapeDiagText(ForNote->Note),
                      DiagnosticIDs::Note);
        for (const FixItHint &H : ForNote->Edits)
          N << H;
      }
    }
  }
}

} // namespace stresslint
