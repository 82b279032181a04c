//===--- Report.cpp - Machine-readable reports of a lint run ----------------===//
///
/// \file
/// The report model (findings with fingerprints, input problems), the
/// format names, rule documentation links, and the text and JSON writers.
/// SARIF is in ReportSarif.cpp, GitHub annotations and GitLab Code Quality
/// in ReportCi.cpp; what they share is in ReportCommon.h.
///
//===----------------------------------------------------------------------===//
#include "driver/Report.h"
#include "driver/ReportCommon.h"
#include "rules/RuleSet.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include <map>

namespace stresslint {

namespace reportdetail {

std::string normalizeSpace(llvm::StringRef S) {
  std::string Out;
  bool Pending = false;
  for (char C : S) {
    if (llvm::isSpace(static_cast<unsigned char>(C))) {
      Pending = !Out.empty();
      continue;
    }
    if (Pending)
      Out += ' ';
    Pending = false;
    Out += C;
  }
  return Out;
}

unsigned utf16Column(llvm::StringRef LineText, unsigned ByteColumn) {
  if (ByteColumn == 0)
    return 0;
  unsigned Units = 1;
  for (size_t I = 0; I + 1 < ByteColumn; ++I) {
    if (I >= LineText.size()) {
      ++Units;
      continue;
    }
    auto C = static_cast<unsigned char>(LineText[I]);
    if ((C & 0xC0) == 0x80)
      continue; // UTF-8 continuation byte
    Units += C >= 0xF0 ? 2 : 1;
  }
  return Units;
}

std::string encodeUriPath(llvm::StringRef Path) {
  std::string Out;
  for (char C : Path) {
    auto U = static_cast<unsigned char>(C);
    if (llvm::isAlnum(U) || llvm::StringRef("-._~/").contains(C)) {
      Out += C;
      continue;
    }
    Out += '%';
    Out += llvm::hexdigit(U >> 4, /*LowerCase=*/false);
    Out += llvm::hexdigit(U & 15, /*LowerCase=*/false);
  }
  return Out;
}

std::string displayPath(llvm::StringRef File, llvm::StringRef Root) {
  std::string Rel = relativeToRoot(File, Root);
  return Rel.empty() ? File.str() : Rel;
}

} // namespace reportdetail

using namespace reportdetail;

std::optional<ReportFormat> parseReportFormat(llvm::StringRef Name) {
  return llvm::StringSwitch<std::optional<ReportFormat>>(Name)
      .Case("text", ReportFormat::Text)
      .Case("json", ReportFormat::Json)
      .Case("sarif", ReportFormat::Sarif)
      .Case("github", ReportFormat::Github)
      .Case("codeclimate", ReportFormat::CodeClimate)
      .Default(std::nullopt);
}

std::string relativeToRoot(llvm::StringRef File, llvm::StringRef Root) {
  if (File.empty() || Root.empty())
    return "";
  std::string F = canonicalPath(File);
  std::string R = canonicalPath(Root);
  llvm::StringRef Rest(F);
  if (!Rest.consume_front(R))
    return "";
  if (!R.empty() && !llvm::sys::path::is_separator(R.back()) &&
      !(!Rest.empty() && llvm::sys::path::is_separator(Rest.front())))
    return "";
  Rest = Rest.ltrim("/\\");
  return llvm::sys::path::convert_to_slash(Rest);
}

std::string ruleDocUrl(const Rule &R, llvm::StringRef Base) {
  llvm::StringRef Docs = R.Docs;
  if (Docs.startswith("https://") || Docs.startswith("http://"))
    return Docs.str();
  std::string Path = Docs.empty() ? "docs/rules/" + R.Id + ".md" : Docs.str();
  llvm::StringRef P(Path);
  P.consume_front("./");
  std::string Url = Base.str();
  if (!Url.empty() && Url.back() != '/')
    Url += '/';
  return Url + encodeUriPath(P);
}

std::string docDescription(llvm::StringRef Markdown, llvm::StringRef Summary) {
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Markdown.split(Lines, '\n');
  std::string Paragraph;
  bool InFence = false;
  auto Done = [&] {
    return !Paragraph.empty() && normalizeSpace(Paragraph) != normalizeSpace(Summary);
  };
  for (llvm::StringRef L : Lines) {
    llvm::StringRef T = L.trim();
    if (T.startswith("```")) {
      InFence = !InFence;
      continue;
    }
    if (InFence || T.startswith("#") || T.empty()) {
      if (Done())
        break;
      Paragraph.clear();
      continue;
    }
    Paragraph += (Paragraph.empty() ? "" : " ") + T.str();
  }
  if (Done())
    return normalizeSpace(Paragraph);
  return Summary.str();
}

void assignFingerprints(std::vector<Finding> &Findings, llvm::StringRef Root) {
  SourceFiles Files;
  std::map<std::string, unsigned> Seen;
  for (Finding &F : Findings) {
    std::string Key = F.Check;
    Key += '\0';
    Key += displayPath(F.File, Root);
    Key += '\0';
    Key += normalizeSpace(Files.line(F.File, F.Line));
    Key += '\0';
    Key +=
        normalizeSpace(Files.range(F.File, F.Line, F.Column, F.EndLine, F.EndColumn));
    unsigned Occurrence = Seen[Key]++;
    Key += '\0';
    Key += std::to_string(Occurrence);
    F.Fingerprint = llvm::utohexstr(llvm::xxHash64(Key), /*LowerCase=*/true, 16);
  }
}

Report makeReport(const LintSession &S, llvm::StringRef SourceRoot) {
  Report R;
  R.Findings = S.findings();
  assignFingerprints(R.Findings, SourceRoot);
  R.InputErrors = S.inputProblems();
  R.FilesAnalyzed = S.fileCount();
  R.SourceRoot = SourceRoot.str();
  return R;
}

static void writeTextReport(const Report &R, llvm::raw_ostream &OS) {
  for (const Finding &F : R.Findings) {
    OS << F.File << ":" << F.Line << ":" << F.Column << ": " << F.Level << ": "
       << F.Message << " [" << F.Check << "]\n";
    for (const Finding::Note &N : F.Notes)
      OS << N.File << ":" << N.Line << ":" << N.Column << ": note: " << N.Message
         << "\n";
  }
}

void writeReport(ReportFormat Format, const Report &R, llvm::raw_ostream &OS) {
  switch (Format) {
  case ReportFormat::Text:
    return writeTextReport(R, OS);
  case ReportFormat::Json:
    return writeJsonReport(R, OS);
  case ReportFormat::Sarif:
    return writeSarifReport(R, OS);
  case ReportFormat::Github:
    return writeGithubReport(R, OS);
  case ReportFormat::CodeClimate:
    return writeCodeClimateReport(R, OS);
  }
}

void writeJsonReport(const Report &R, llvm::raw_ostream &OS) {
  llvm::json::Array Items;
  for (const Finding &F : R.Findings) {
    llvm::json::Array Notes;
    for (const auto &N : F.Notes)
      Notes.push_back(llvm::json::Object{{"message", N.Message},
                                         {"file", N.File},
                                         {"line", N.Line},
                                         {"column", N.Column}});
    Items.push_back(llvm::json::Object{{"rule", F.Check},
                                       {"level", F.Level},
                                       {"message", F.Message},
                                       {"file", F.File},
                                       {"line", F.Line},
                                       {"column", F.Column},
                                       {"endLine", F.EndLine},
                                       {"endColumn", F.EndColumn},
                                       {"fingerprint", F.Fingerprint},
                                       {"notes", std::move(Notes)}});
  }
  llvm::json::Array Problems;
  for (const std::string &P : R.InputErrors)
    Problems.push_back(P);
  llvm::json::Object Root{{"version", 1},
                          {"tool", "stresslint"},
                          {"findings", std::move(Items)},
                          {"inputErrors", std::move(Problems)},
                          {"filesAnalyzed", R.FilesAnalyzed}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << "\n";
}

} // namespace stresslint
