//===--- SqlRuleCheck.cpp - One YAML rule as a clang-tidy check ------------===//
#include "tidy/SqlRuleCheck.h"
#include "cpp/SqlSites.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Lex/Lexer.h"

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

/// The construct as the user wrote it: reconstructed placeholders are shown
/// as the C++ expression they stand for (`OFFSET std::to_string(page)`).
static std::string sourceSnippet(const ReconstructedSql &Sql, uint32_t Begin,
                                 uint32_t End, const ASTContext &Ctx) {
  std::string Out;
  for (const SqlPiece &P : Sql.Pieces) {
    uint32_t B = std::max(Begin, P.Begin), E = std::min(End, P.Begin + P.Length);
    if (B >= E)
      continue;
    if (!P.Unknown) {
      Out += Sql.Text.substr(B, E - B);
      continue;
    }
    CharSourceRange R = CharSourceRange::getTokenRange(P.Unknown->getSourceRange());
    llvm::StringRef Src =
        Lexer::getSourceText(R, Ctx.getSourceManager(), Ctx.getLangOpts());
    Out += Src.empty() ? "..." : Src.str();
  }
  return Out;
}

static bool parseBool(llvm::StringRef V) {
  std::string L = V.trim().lower();
  return !(L == "false" || L == "0" || L == "no" || L == "off");
}

SqlRuleCheck::SqlRuleCheck(llvm::StringRef Name,
                           tidy::ClangTidyContext *Context, const Rule &R)
    : ClangTidyCheck(Name, Context),
      AnalyzeStringLiterals(parseBool(
          Options.getLocalOrGlobal("AnalyzeStringLiterals", "true"))) {
  Bound.R = &R;
  for (const RuleOption &O : R.Options)
    Bound.Options[O.Name] = Options.get(O.Name, O.Default).str();
}

void SqlRuleCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  for (const RuleOption &O : Bound.R->Options)
    Options.store(Opts, O.Name, Bound.option(O.Name));
  Options.store(Opts, "AnalyzeStringLiterals",
                AnalyzeStringLiterals ? "true" : "false");
}

void SqlRuleCheck::onStartOfTranslationUnit() { startSqlSitesTU(this); }

void SqlRuleCheck::onEndOfTranslationUnit() { endSqlSitesTU(this); }

void SqlRuleCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void SqlRuleCheck::check(const MatchFinder::MatchResult &Result) {
  ASTContext &Ctx = *Result.Context;
  const SqlSites &Sites = sharedSqlSites(Ctx, activeRuleSet());
  auto Level = Bound.R->Severity == "error" ? DiagnosticIDs::Error
               : Bound.R->Severity == "note" ? DiagnosticIDs::Note
                                             : DiagnosticIDs::Warning;
  llvm::DenseSet<unsigned> Reported;
  for (const SqlSite &S : Sites.Sites) {
    if (!S.FromSink && !AnalyzeStringLiterals)
      continue;
    auto A = analyzeSqlCached(S.Sql.Text, S.FromSink);
    for (SqlFact F : A->Facts) {
      if (!predicateMatches(Bound, F))
        continue;
      F.Snippet = sourceSnippet(S.Sql, F.Begin, F.End, Ctx);
      SourceLocation Loc = S.Sql.locationOf(F.Begin, Ctx);
      if (Loc.isInvalid())
        Loc = S.Anchor->getBeginLoc();
      if (!Reported.insert(Loc.getRawEncoding()).second)
        continue;
      {
        auto D = diag(Loc, escapeDiagText(expandTemplate(Bound.R->Message, F)),
                      Level);
        SourceLocation End = S.Sql.locationOf(F.End - 1, Ctx);
        if (End.isValid() && Ctx.getSourceManager().getFileID(End) ==
                                 Ctx.getSourceManager().getFileID(Loc) &&
            !Ctx.getSourceManager().isBeforeInTranslationUnit(End, Loc))
          D << CharSourceRange::getCharRange(Loc, End.getLocWithOffset(1));
      }
      std::string Note = expandTemplate(Bound.R->Note, F);
      if (!Bound.R->Note.empty() && !llvm::StringRef(Note).trim().empty())
        diag(Loc, escapeDiagText(Note), DiagnosticIDs::Note);
    }
  }
}

} // namespace stresslint
