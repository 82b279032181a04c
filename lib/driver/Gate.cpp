//===--- Gate.cpp - Reports, baselines and changed lines for CI -------------===//
#include "driver/Gate.h"
#include "support/AtomicFile.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace stresslint {

static llvm::Error gateError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

llvm::Expected<std::vector<BaselineEntry>> readBaseline(llvm::StringRef Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return gateError("cannot read baseline '" + Path +
                     "': " + Buf.getError().message());
  auto Parsed = llvm::json::parse((*Buf)->getBuffer());
  if (!Parsed)
    return gateError("baseline '" + Path +
                     "' is not valid JSON: " + llvm::toString(Parsed.takeError()));
  const llvm::json::Object *Root = Parsed->getAsObject();
  const llvm::json::Array *Items = Root ? Root->getArray("findings") : nullptr;
  if (!Items)
    return gateError("baseline '" + Path +
                     "' is not a stresslint baseline (no \"findings\" array); "
                     "write one with --write-baseline");
  if (std::optional<int64_t> V = Root->getInteger("version"); V && *V > 1)
    return gateError("baseline '" + Path + "' has format version " + llvm::Twine(*V) +
                     ", newer than this stresslint reads (1)");
  std::vector<BaselineEntry> Out;
  for (size_t I = 0; I < Items->size(); ++I) {
    const llvm::json::Object *O = (*Items)[I].getAsObject();
    std::optional<llvm::StringRef> Fp = O ? O->getString("fingerprint") : std::nullopt;
    if (!Fp || Fp->empty())
      return gateError("baseline '" + Path + "': findings[" + llvm::Twine(I) +
                       "] has no \"fingerprint\" string");
    BaselineEntry E;
    E.Fingerprint = Fp->str();
    E.Rule = O->getString("rule").value_or("").str();
    E.File = O->getString("file").value_or("").str();
    E.Message = O->getString("message").value_or("").str();
    E.Line = static_cast<unsigned>(O->getInteger("line").value_or(0));
    Out.push_back(std::move(E));
  }
  return Out;
}

static bool isCompilerFinding(const Finding &F) {
  return llvm::StringRef(F.Check).startswith("clang-diagnostic-");
}

void writeBaseline(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::Array Items;
  for (const Finding &F : R.Findings) {
    if (isCompilerFinding(F))
      continue;
    std::string Rel = relativeToRoot(F.File, R.SourceRoot);
    Items.push_back(llvm::json::Object{{"fingerprint", F.Fingerprint},
                                       {"rule", F.Check},
                                       {"file", Rel.empty() ? F.File : Rel},
                                       {"line", F.Line},
                                       {"message", F.Message}});
  }
  llvm::json::Object Root{
      {"version", 1}, {"tool", "stresslint"}, {"findings", std::move(Items)}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
}

static std::string resolvedPath(llvm::StringRef P) {
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(P, Real))
    return std::string(Real);
  return P.str();
}

bool touchesChangedLines(const Finding &F, const ChangedLines &Changed) {
  if (!F.File.empty() &&
      Changed.touches(resolvedPath(F.File), F.Line, std::max(F.Line, F.EndLine)))
    return true;
  return llvm::any_of(F.Notes, [&](const Finding::Note &N) {
    return !N.File.empty() && Changed.touches(resolvedPath(N.File), N.Line, N.Line);
  });
}

/// The directory a file option writes into must exist: checked before the
/// analysis so a typo does not cost a whole run.
static llvm::Error checkWritable(llvm::StringRef Flag, llvm::StringRef Path) {
  if (Path.empty())
    return llvm::Error::success();
  llvm::StringRef Dir = llvm::sys::path::parent_path(Path);
  if (Dir.empty())
    Dir = ".";
  if (!llvm::sys::fs::is_directory(Dir))
    return gateError(Flag + " '" + Path + "': directory '" + Dir + "' does not exist");
  if (llvm::sys::fs::is_directory(Path))
    return gateError(Flag + " '" + Path + "' is a directory");
  return llvm::Error::success();
}

llvm::Expected<Gate> Gate::create(GateOptions Opts) {
  if (!Opts.Baseline.empty() && !Opts.WriteBaseline.empty())
    return gateError("--baseline and --write-baseline cannot be combined");
  if (!Opts.DiffRev.empty() && !Opts.DiffFrom.empty())
    return gateError("--diff and --diff-from cannot be combined");
  if (auto E = checkWritable("--output", Opts.OutputFile))
    return std::move(E);
  if (auto E = checkWritable("--write-baseline", Opts.WriteBaseline))
    return std::move(E);
  Gate G(std::move(Opts));
  const GateOptions &O = G.Opts;
  if (!O.SourceRoot.empty()) {
    if (!llvm::sys::fs::is_directory(O.SourceRoot))
      return gateError("--source-root '" + O.SourceRoot + "' is not a directory");
    G.Root = resolvedPath(O.SourceRoot);
  } else {
    G.Root = findSourceRoot(O.FirstPath.empty() ? "." : O.FirstPath);
  }
  if (!O.Baseline.empty()) {
    auto B = readBaseline(O.Baseline);
    if (!B)
      return B.takeError();
    G.Baseline = std::move(*B);
  }
  if (!O.DiffRev.empty()) {
    auto C = gitChangedLines(O.DiffRev, O.FirstPath.empty() ? "." : O.FirstPath);
    if (!C)
      return C.takeError();
    G.Changed = std::move(*C);
  } else if (!O.DiffFrom.empty()) {
    auto Buf = O.DiffFrom == "-" ? llvm::MemoryBuffer::getSTDIN()
                                 : llvm::MemoryBuffer::getFile(O.DiffFrom);
    if (!Buf)
      return gateError("cannot read --diff-from '" + O.DiffFrom +
                       "': " + Buf.getError().message());
    auto C = parseUnifiedDiff((*Buf)->getBuffer());
    if (!C)
      return gateError("--diff-from '" + O.DiffFrom +
                       "': " + llvm::toString(C.takeError()));
    G.Changed = C->rebased(G.Root);
  }
  return std::move(G);
}

int Gate::finish(LintSession &S) {
  // The report model (lines, paths, fingerprints) only when something reads
  // it: a plain text run prints the session's findings as they are.
  const bool Filtering = Baseline || Changed;
  if (!Filtering && Opts.WriteBaseline.empty() && Opts.OutputFile.empty() &&
      Opts.Format == ReportFormat::Text) {
    S.printText();
    llvm::outs().flush();
    return S.exitCode();
  }
  Report R = makeReport(S, Root);
  R.DocsBaseUrl = Opts.DocsBaseUrl;
  // A baseline records every finding, whatever the diff filter keeps.
  std::string BaselineText;
  size_t BaselineCount = 0;
  if (!Opts.WriteBaseline.empty()) {
    llvm::raw_string_ostream OS(BaselineText);
    writeBaseline(R, OS);
    BaselineCount = llvm::count_if(
        R.Findings, [](const Finding &F) { return !isCompilerFinding(F); });
  }

  std::vector<bool> Keep(R.Findings.size(), true);
  llvm::StringSet<> Matched;
  unsigned OffDiff = 0;
  llvm::StringSet<> Known;
  if (Baseline)
    for (const BaselineEntry &E : *Baseline)
      Known.insert(E.Fingerprint);
  for (size_t I = 0; I < R.Findings.size(); ++I) {
    const Finding &F = R.Findings[I];
    if (isCompilerFinding(F))
      continue;
    if (Baseline && Known.contains(F.Fingerprint)) {
      Matched.insert(F.Fingerprint);
      Keep[I] = false;
      continue;
    }
    if (Changed && !touchesChangedLines(F, *Changed)) {
      ++OffDiff;
      Keep[I] = false;
    }
  }
  if (Filtering) {
    S.retainFindings([&](size_t I) { return Keep[I]; });
    std::vector<Finding> Reported;
    for (size_t I = 0; I < R.Findings.size(); ++I)
      if (Keep[I])
        Reported.push_back(std::move(R.Findings[I]));
    R.Findings = std::move(Reported);
    R.AgainstBaseline = Baseline.has_value();
  }

  if (Opts.OutputFile.empty() && Opts.Format != ReportFormat::Text) {
    writeReport(Opts.Format, R, llvm::outs());
  } else {
    S.printText();
  }
  llvm::outs().flush();
  if (!Opts.OutputFile.empty()) {
    if (auto E = writeFileAtomically(Opts.OutputFile, [&](llvm::raw_ostream &OS) {
          writeReport(Opts.Format, R, OS);
        })) {
      llvm::errs() << "stresslint: error: cannot write report: "
                   << llvm::toString(std::move(E)) << "\n";
      return ExitUsage;
    }
  }

  if (!Opts.Quiet && Baseline) {
    size_t Entries = Baseline->size();
    size_t Stale = llvm::count_if(*Baseline, [&](const BaselineEntry &E) {
      return !Matched.contains(E.Fingerprint);
    });
    llvm::errs() << "stresslint: baseline " << Opts.Baseline << ": "
                 << (Entries - Stale) << " of " << Entries << " entries matched, "
                 << Stale << " stale (no longer found; rewrite with --write-baseline "
                 << "to drop them)\n";
  }
  if (!Opts.Quiet && Changed)
    llvm::errs() << "stresslint: " << OffDiff << " finding" << (OffDiff == 1 ? "" : "s")
                 << " outside the changed lines not reported\n";

  int Exit = S.exitCode();
  if (!Opts.WriteBaseline.empty()) {
    if (auto E = writeFileAtomically(
            Opts.WriteBaseline, [&](llvm::raw_ostream &OS) { OS << BaselineText; })) {
      llvm::errs() << "stresslint: error: cannot write baseline: "
                   << llvm::toString(std::move(E)) << "\n";
      return ExitUsage;
    }
    if (!Opts.Quiet)
      llvm::errs() << "stresslint: wrote " << Opts.WriteBaseline << " ("
                   << BaselineCount
                   << " findings); later runs with --baseline report only new ones\n";
    // The findings are accepted: only unanalysable input fails the run.
    if (Exit == ExitFindings)
      Exit = ExitClean;
  }

  return Exit;
}

} // namespace stresslint
