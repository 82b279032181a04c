//===--- ReportCi.cpp - GitHub annotations and GitLab Code Quality --------===//
#include "driver/Report.h"
#include "driver/ReportCommon.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

namespace stresslint {

using namespace reportdetail;

std::string escapeWorkflowCommand(llvm::StringRef S, bool Property) {
  std::string Out;
  for (char C : S) {
    switch (C) {
    case '%':
      Out += "%25";
      break;
    case '\r':
      Out += "%0D";
      break;
    case '\n':
      Out += "%0A";
      break;
    case ':':
      Out += Property ? "%3A" : ":";
      break;
    case ',':
      Out += Property ? "%2C" : ",";
      break;
    default:
      Out += C;
    }
  }
  return Out;
}

void writeGithubReport(const Report &R, llvm::raw_ostream &OS) {
  SourceFiles Files;
  for (const Finding &F : R.Findings) {
    llvm::StringRef Command = F.Level == "error"  ? "error"
                              : F.Level == "note" ? "notice"
                                                  : "warning";
    OS << "::" << Command << " ";
    if (!F.File.empty()) {
      llvm::StringRef Line = Files.line(F.File, F.Line);
      OS << "file=" << escapeWorkflowCommand(displayPath(F.File, R.SourceRoot), true)
         << ",line=" << F.Line << ",col=" << utf16Column(Line, F.Column)
         << ",endLine=" << F.EndLine
         << ",endColumn=" << utf16Column(Files.line(F.File, F.EndLine), F.EndColumn)
         << ",";
    }
    OS << "title=" << escapeWorkflowCommand(F.Check, true) << "::";
    std::string Message = F.Message;
    for (const Finding::Note &N : F.Notes) {
      Message += "\nnote: ";
      if (!N.File.empty())
        Message += displayPath(N.File, R.SourceRoot) + ":" + std::to_string(N.Line) +
                   ":" + std::to_string(N.Column) + ": ";
      Message += N.Message;
    }
    OS << escapeWorkflowCommand(Message, false) << "\n";
  }
}

void writeCodeClimateReport(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::Array Issues;
  for (const Finding &F : R.Findings) {
    if (isCompilerFinding(F) || F.File.empty())
      continue;
    // GitLab shows Code Quality severities info < minor < major < critical <
    // blocker: a warning of ours is a gate failure, so major.
    llvm::StringRef Severity = F.Level == "error"  ? "critical"
                               : F.Level == "note" ? "info"
                                                   : "major";
    Issues.push_back(llvm::json::Object{
        {"type", "issue"},
        {"check_name", F.Check},
        {"description", F.Message},
        {"categories", llvm::json::Array{"Performance"}},
        {"fingerprint", F.Fingerprint},
        {"severity", Severity},
        {"location",
         llvm::json::Object{
             {"path", displayPath(F.File, R.SourceRoot)},
             {"lines", llvm::json::Object{{"begin", F.Line}, {"end", F.EndLine}}}}}});
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Issues))) << "\n";
}

} // namespace stresslint
