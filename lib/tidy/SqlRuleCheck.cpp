//===--- SqlRuleCheck.cpp - One YAML rule as a clang-tidy check ------------===//
#include "tidy/SqlRuleCheck.h"
#include "cpp/SqlSites.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

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

SqlRuleCheck::SqlRuleCheck(llvm::StringRef Name,
                           tidy::ClangTidyContext *Context, const Rule &R)
    : ClangTidyCheck(Name, Context) {
  Bound.R = &R;
  for (const RuleOption &O : R.Options)
    Bound.Options[O.Name] = Options.get(O.Name, O.Default).str();
}

void SqlRuleCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  for (const RuleOption &O : Bound.R->Options)
    Options.store(Opts, O.Name, Bound.option(O.Name));
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
    auto A = analyzeSqlCached(S.Sql.Text, S.FromSink);
    for (const SqlFact &F : A->Facts) {
      if (!predicateMatches(Bound, F))
        continue;
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
