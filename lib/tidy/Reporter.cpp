//===--- Reporter.cpp - From a rule's finding to a clang-tidy diagnostic ---===//
#include "tidy/Reporter.h"
#include "graph/Link.h"
#include "rules/RuleSet.h"
#include "tidy/SchemaFor.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringSet.h"
#include <mutex>
#include <set>

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

/// Whether a note with \p Message and no fix is left out.
static bool isBlankNote(llvm::StringRef Message, bool HasFixes) {
  return !HasFixes && Message.trim().empty();
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
    if (isBlankNote(N.Message, !N.Fixes.empty()))
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

void reportFileFindingsThroughEngine(
    tidy::ClangTidyContext &Ctx, tidy::ClangTidyDiagnosticConsumer &Consumer,
    DiagnosticsEngine &DE, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
    llvm::StringRef Path, llvm::ArrayRef<FileFinding> Findings,
    std::vector<tidy::ClangTidyError> &Out, std::vector<std::string> &Problems) {
  FileSystemOptions FSOpts;
  FileManager FM(FSOpts, std::move(FS));
  SourceManager SM(DE, FM);
  auto FE = FM.getOptionalFileRef(Path);
  if (!FE) {
    Problems.push_back(Path.str() + ": cannot open");
    return;
  }
  DE.setSourceManager(&SM);
  FileID FID = SM.createFileID(*FE, SourceLocation(), SrcMgr::C_User);
  SM.setMainFileID(FID);
  Ctx.setSourceManager(&SM);
  Consumer.BeginSourceFile(LangOptions(), nullptr);
  SourceLocation Start = SM.getLocForStartOfFile(FID);
  auto At = [&](uint32_t Offset) {
    return Start.getLocWithOffset(static_cast<int>(Offset));
  };
  for (const FileFinding &F : Findings) {
    RuleFinding Found{At(F.Begin),
                      CharSourceRange::getCharRange(At(F.Begin), At(F.End)), F.Message};
    for (const FileNote &N : F.Notes) {
      ReportNote Note{At(N.Offset), N.Message};
      for (const FileEdit &E : N.Edits)
        Note.Fixes.push_back(FixItHint::CreateReplacement(
            CharSourceRange::getCharRange(At(E.Begin), At(E.End)), E.Text));
      Found.Notes.push_back(std::move(Note));
    }
    report(Ctx, *F.R, Found);
  }
  Consumer.EndSourceFile();
  Consumer.finish();
  std::vector<tidy::ClangTidyError> FileErrors = Consumer.take();
  std::move(FileErrors.begin(), FileErrors.end(), std::back_inserter(Out));
  DE.setSourceManager(nullptr);
}

bool reportFileFindingsDirectly(tidy::ClangTidyContext &Ctx, llvm::StringRef Path,
                                llvm::StringRef Text,
                                llvm::ArrayRef<FileFinding> Findings,
                                std::vector<tidy::ClangTidyError> &Out) {
  if (Findings.empty())
    return true;
  // clang-tidy's NoLintDirectiveHandler looks for this very spelling.
  if (Text.contains("NOLINT"))
    return false;
  std::set<std::pair<uint32_t, llvm::StringRef>> Places;
  for (const FileFinding &F : Findings) {
    if (!Places.insert({F.Begin, F.Message}).second)
      return false;
    for (const FileNote &N : F.Notes)
      if (!N.Edits.empty())
        return false;
  }
  std::vector<tidy::ClangTidyError> Errors;
  Errors.reserve(Findings.size());
  for (const FileFinding &F : Findings) {
    // ClangTidyDiagnosticConsumer::HandleDiagnostic and finalizeLastError:
    // a warning WarningsAsErrors names is an error; a finding of a check the
    // file does not enable is dropped unless it is an error.
    DiagnosticIDs::Level Level = levelOf(*F.R);
    bool AsError = Level == DiagnosticIDs::Warning && Ctx.treatAsError(F.R->Id);
    tidy::ClangTidyError::Level ErrorLevel =
        Level == DiagnosticIDs::Error || AsError ? tidy::ClangTidyError::Error
        : Level == DiagnosticIDs::Remark         ? tidy::ClangTidyError::Remark
                                                 : tidy::ClangTidyError::Warning;
    if (ErrorLevel != tidy::ClangTidyError::Error && !Ctx.isCheckEnabled(F.R->Id))
      continue;
    tidy::ClangTidyError E(F.R->Id, ErrorLevel, Ctx.getCurrentBuildDirectory(),
                           AsError);
    E.Message.Message = F.Message;
    E.Message.FilePath = Path.str();
    E.Message.FileOffset = F.Begin;
    tooling::FileByteRange Range;
    Range.FilePath = Path.str();
    Range.FileOffset = F.Begin;
    Range.Length = F.End - F.Begin;
    E.Message.Ranges.push_back(std::move(Range));
    for (const FileNote &N : F.Notes) {
      if (isBlankNote(N.Message, /*HasFixes=*/false))
        continue;
      tooling::DiagnosticMessage Note(N.Message);
      Note.FilePath = Path.str();
      Note.FileOffset = N.Offset;
      E.Notes.push_back(std::move(Note));
    }
    Errors.push_back(std::move(E));
  }
  // ClangTidyDiagnosticConsumer::take's order.
  llvm::stable_sort(
      Errors, [](const tidy::ClangTidyError &L, const tidy::ClangTidyError &R) {
        return std::tie(L.Message.FileOffset, L.DiagnosticName, L.Message.Message) <
               std::tie(R.Message.FileOffset, R.DiagnosticName, R.Message.Message);
      });
  std::move(Errors.begin(), Errors.end(), std::back_inserter(Out));
  return true;
}

void reportFileFindings(
    tidy::ClangTidyContext &Ctx, tidy::ClangTidyDiagnosticConsumer &Consumer,
    DiagnosticsEngine &DE, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
    llvm::StringRef Path, llvm::StringRef Text, llvm::ArrayRef<FileFinding> Findings,
    std::vector<tidy::ClangTidyError> &Out, std::vector<std::string> &Problems) {
  if (!reportFileFindingsDirectly(Ctx, Path, Text, Findings, Out))
    reportFileFindingsThroughEngine(Ctx, Consumer, DE, std::move(FS), Path, Findings,
                                    Out, Problems);
}

} // namespace stresslint
