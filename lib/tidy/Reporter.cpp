//===--- Reporter.cpp - From a rule's finding to a clang-tidy diagnostic ---===//
#include "tidy/Reporter.h"
#include "graph/Link.h"
#include "rules/RuleSet.h"
#include "tidy/SchemaFor.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/StringSet.h"
#include <mutex>

using namespace clang;

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

DiagnosticIDs::Level levelOf(const Rule &R) {
  switch (R.Severity) {
  case RuleSeverity::Error:
    return DiagnosticIDs::Error;
  case RuleSeverity::Note:
    return DiagnosticIDs::Remark;
  case RuleSeverity::Warning:
    return DiagnosticIDs::Warning;
  }
  llvm_unreachable("unknown severity");
}

/// Reports a bad option value once per process, as clang-tidy words it
/// (ClangTidyCheck::OptionsView).
static void reportBadValue(tidy::ClangTidyContext &Ctx, llvm::StringRef Option,
                           llvm::StringRef Value, llvm::StringRef Expected) {
  static std::mutex Mu;
  static llvm::StringSet<> Reported;
  std::lock_guard<std::mutex> Lock(Mu);
  if (Reported.insert((Option + "\n" + Value).str()).second)
    Ctx.configurationDiag("invalid configuration value '%0' for option '%1'; "
                          "expected %2")
        << Value << Option << Expected;
}

bool flagOption(tidy::ClangTidyContext &Ctx, llvm::StringRef Option,
                llvm::StringRef Value, bool Default) {
  if (std::optional<bool> B = parseBoolOption(Value))
    return *B;
  reportBadValue(Ctx, Option, Value, "a bool");
  return Default;
}

BoundRule bindRule(const Rule &R, tidy::ClangTidyContext &Ctx, bool WithSchema) {
  const tidy::ClangTidyOptions &Opts = Ctx.getOptions();
  llvm::StringMap<std::string> Set;
  for (const RuleOption &O : R.Options) {
    auto It = Opts.CheckOptions.find(R.Id + "." + O.Name);
    if (It != Opts.CheckOptions.end())
      Set[O.Name] = It->second.Value;
  }
  BoundRule B = bindOptions(
      R, Set,
      [&](const RuleOption &O, llvm::StringRef Value, llvm::StringRef Expected) {
        reportBadValue(Ctx, R.Id + "." + O.Name, Value, Expected);
      });
  if (WithSchema)
    B.DbSchema = schemaFor(Ctx, schemaFilesOption(Opts, R.Id));
  return B;
}

std::string expandMessage(const BoundRule &B, const SqlFact &F) {
  return expandTemplate(B.R->Message, F, B);
}

std::string expandNote(const BoundRule &B, const SqlFact &F) {
  if (B.R->Note.empty())
    return "";
  std::string Note = expandTemplate(B.R->Note, F, B);
  return llvm::StringRef(Note).trim().empty() ? "" : Note;
}

void report(tidy::ClangTidyContext &Ctx, const Rule &R, const RuleFinding &F) {
  {
    DiagnosticBuilder D = Ctx.diag(R.Id, F.Loc, escapeDiagText(F.Message), levelOf(R));
    for (const FixItHint &H : F.Fixes)
      D << H;
    if (F.Range.isValid())
      D << F.Range;
  }
  for (const ReportNote &N : F.Notes) {
    if (N.Fixes.empty() && llvm::StringRef(N.Message).trim().empty())
      continue;
    DiagnosticBuilder D =
        Ctx.diag(R.Id, N.Loc, escapeDiagText(N.Message), DiagnosticIDs::Note);
    for (const FixItHint &H : N.Fixes)
      D << H;
  }
}

void reportPath(tidy::ClangTidyContext &Ctx, const PathFinding &F, LocationOf LocOf) {
  SourceLocation Loc = LocOf(F.At);
  if (Loc.isInvalid())
    return;
  RuleFinding Found{Loc, {}, F.Message};
  if (F.At.End > F.At.Begin)
    Found.Range = CharSourceRange::getCharRange(
        Loc, Loc.getLocWithOffset(static_cast<int>(F.At.End - F.At.Begin)));
  for (const PathStep &N : F.Notes)
    if (SourceLocation NL = LocOf(N.At); NL.isValid())
      Found.Notes.push_back({NL, N.Message});
  report(Ctx, *F.R, Found);
}

} // namespace stresslint
