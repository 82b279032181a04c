//===--- Report.cpp - Machine-readable reports of a lint run ----------------===//
#include "driver/Report.h"
#include "rules/RuleSet.h"
#include "support/LineTable.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"
#include <map>

#ifndef STRESSLINT_VERSION
#define STRESSLINT_VERSION "0.0.0"
#endif

namespace stresslint {

namespace {

bool isCompilerFinding(const Finding &F) {
  return llvm::StringRef(F.Check).startswith("clang-diagnostic-");
}

/// Source files read once, for line text and column conversion.
class SourceFiles {
public:
  /// Line \p Line (1-based) of \p File without its line break, or "".
  llvm::StringRef line(llvm::StringRef File, unsigned Line) {
    return Files.get(File).lineText(Line);
  }

  /// The bytes from (Line, Column) up to (EndLine, EndColumn), exclusive.
  llvm::StringRef range(llvm::StringRef File, unsigned Line, unsigned Column,
                        unsigned EndLine, unsigned EndColumn) {
    const LineTable *L = Files.find(File);
    if (!L || Line == 0 || EndLine < Line || EndLine > L->lineCount())
      return "";
    size_t Begin = L->lineStart(Line) + Column - 1;
    size_t End = L->lineStart(EndLine) + EndColumn - 1;
    return Begin <= End ? L->text().slice(Begin, End) : "";
  }

private:
  FileLines Files;
};

/// Collapses runs of whitespace to one space and trims the ends.
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

/// Converts a 1-based byte column of \p LineText to UTF-16 code units (the
/// SARIF default column kind). Bytes past the end of the line count one each.
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

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
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

/// The path a report shows: relative to the root when under it.
std::string displayPath(llvm::StringRef File, llvm::StringRef Root) {
  std::string Rel = relativeToRoot(File, Root);
  return Rel.empty() ? File.str() : Rel;
}

} // namespace

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
    Key += normalizeSpace(Files.range(F.File, F.Line, F.Column, F.EndLine, F.EndColumn));
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

namespace {

/// Builds SARIF locations: URIs relative to %SRCROOT% when under the root,
/// columns in UTF-16 code units.
class SarifLocations {
public:
  explicit SarifLocations(llvm::StringRef Root) : Root(Root) {}

  llvm::json::Object artifact(llvm::StringRef File) {
    std::string Rel = relativeToRoot(File, Root);
    if (!Rel.empty())
      return llvm::json::Object{{"uri", encodeUriPath(Rel)}, {"uriBaseId", "SRCROOT"}};
    return llvm::json::Object{{"uri", "file://" + encodeUriPath(canonicalPath(File))}};
  }

  llvm::json::Object location(llvm::StringRef File, unsigned Line, unsigned Column,
                              unsigned EndLine, unsigned EndColumn,
                              llvm::StringRef Message) {
    llvm::json::Object Loc;
    if (!File.empty() && Line) {
      llvm::json::Object Region{
          {"startLine", Line},
          {"startColumn", utf16Column(Files.line(File, Line), Column)}};
      if (EndLine) {
        Region["endLine"] = EndLine;
        Region["endColumn"] = utf16Column(Files.line(File, EndLine), EndColumn);
      }
      Loc["physicalLocation"] = llvm::json::Object{{"artifactLocation", artifact(File)},
                                                   {"region", std::move(Region)}};
    }
    if (!Message.empty())
      Loc["message"] = llvm::json::Object{{"text", Message}};
    return Loc;
  }

  llvm::json::Object noteLocation(const Finding::Note &N) {
    return location(N.File, N.Line, N.Column, 0, 0, N.Message);
  }

  std::string rootUri() const {
    std::string Uri = "file://" + encodeUriPath(canonicalPath(Root));
    if (Uri.back() != '/')
      Uri += '/';
    return Uri;
  }

private:
  std::string Root;
  SourceFiles Files;
};

llvm::StringRef sarifLevel(llvm::StringRef Level) {
  if (Level == "error" || Level == "note")
    return Level;
  return "warning";
}

/// A finding has a path when a note points elsewhere than the finding: the
/// steps of an interprocedural path (loop, call, query), not fix guidance.
/// The notes of a context rule's finding are the steps of a path (loop,
/// calls, query); an SQL rule's notes are advice.
bool hasPathNotes(const Finding &F) {
  const Rule *R = activeRuleSet().rule(F.Check);
  if (R && !R->hasContext())
    return false;
  return llvm::any_of(F.Notes, [&](const Finding::Note &N) {
    return !N.File.empty() && (N.File != F.File || N.Line != F.Line);
  });
}

llvm::json::Object sarifRule(const Rule &R, llvm::StringRef DocsBase) {
  llvm::json::Object Out{
      {"id", R.Id},
      {"shortDescription", llvm::json::Object{{"text", R.Summary}}},
      {"helpUri", ruleDocUrl(R, DocsBase)},
      {"defaultConfiguration", llvm::json::Object{{"level", sarifLevel(severityName(R.Severity))}}}};
  llvm::StringRef Doc = embeddedDoc(R.Id);
  std::string Description = docDescription(Doc, R.Summary);
  if (!Doc.empty())
    Out["help"] = llvm::json::Object{
        {"text", Description + "\n\nSee " + ruleDocUrl(R, DocsBase)}, {"markdown", Doc}};
  Out["fullDescription"] = llvm::json::Object{{"text", std::move(Description)}};
  return Out;
}

} // namespace

void writeSarifReport(const Report &R, llvm::raw_ostream &OS) {
  SarifLocations Locs(R.SourceRoot);
  const RuleSet &Rules = activeRuleSet();
  llvm::json::Array RuleArray;
  std::map<std::string, size_t> RuleIndex;
  for (const Rule &Ru : Rules.rules()) {
    RuleIndex[Ru.Id] = RuleArray.size();
    RuleArray.push_back(sarifRule(Ru, R.DocsBaseUrl));
  }

  llvm::json::Array Results, Notifications;
  for (const Finding &F : R.Findings) {
    llvm::json::Array Where;
    if (!F.File.empty())
      Where.push_back(Locs.location(F.File, F.Line, F.Column, F.EndLine, F.EndColumn, ""));
    if (isCompilerFinding(F)) {
      // Compiler diagnostics are about the run, not results of a rule.
      Notifications.push_back(llvm::json::Object{
          {"level", sarifLevel(F.Level)},
          {"message", llvm::json::Object{{"text", F.Message}}},
          {"descriptor", llvm::json::Object{{"id", F.Check}}},
          {"locations", std::move(Where)}});
      continue;
    }
    llvm::json::Object Result{
        {"ruleId", F.Check},
        {"level", sarifLevel(F.Level)},
        {"message", llvm::json::Object{{"text", F.Message}}},
        {"locations", std::move(Where)},
        {"partialFingerprints", llvm::json::Object{{FingerprintKey, F.Fingerprint}}}};
    if (R.AgainstBaseline)
      Result["baselineState"] = "new";
    auto It = RuleIndex.find(F.Check);
    if (It != RuleIndex.end())
      Result["ruleIndex"] = static_cast<int64_t>(It->second);
    if (!F.Notes.empty()) {
      llvm::json::Array Related;
      for (size_t I = 0; I < F.Notes.size(); ++I) {
        llvm::json::Object L = Locs.noteLocation(F.Notes[I]);
        L["id"] = static_cast<int64_t>(I);
        Related.push_back(std::move(L));
      }
      Result["relatedLocations"] = std::move(Related);
    }
    if (!F.Fix.empty()) {
      // One fix: its edits, grouped by file in the order given.
      llvm::json::Array Changes;
      std::map<std::string, llvm::json::Array> ByFile;
      std::vector<std::string> Order;
      for (const Finding::Edit &E : F.Fix) {
        llvm::json::Object Deleted =
            Locs.location(E.File, E.Line, E.Column, E.EndLine, E.EndColumn, "");
        llvm::json::Object *Physical = Deleted.getObject("physicalLocation");
        if (!Physical)
          continue;
        if (!ByFile.count(E.File))
          Order.push_back(E.File);
        ByFile[E.File].push_back(llvm::json::Object{
            {"deletedRegion", std::move(*Physical->get("region"))},
            {"insertedContent", llvm::json::Object{{"text", E.Text}}}});
      }
      for (const std::string &File : Order)
        Changes.push_back(llvm::json::Object{{"artifactLocation", Locs.artifact(File)},
                                             {"replacements", std::move(ByFile[File])}});
      if (!Changes.empty())
        Result["fixes"] = llvm::json::Array{llvm::json::Object{
            {"description",
             llvm::json::Object{{"text", F.Notes.empty() ? F.Message : F.Notes.back().Message}}},
            {"artifactChanges", std::move(Changes)}}};
    }
    if (hasPathNotes(F)) {
      // The steps in the order the analysis found them (e.g. loop, calls,
      // query); the result's own location is shown beside them.
      llvm::json::Array Steps;
      for (const Finding::Note &N : F.Notes)
        if (!N.File.empty())
          Steps.push_back(llvm::json::Object{{"location", Locs.noteLocation(N)}});
      Result["codeFlows"] = llvm::json::Array{llvm::json::Object{
          {"threadFlows",
           llvm::json::Array{llvm::json::Object{{"locations", std::move(Steps)}}}}}};
    }
    Results.push_back(std::move(Result));
  }
  for (const std::string &P : R.InputErrors)
    Notifications.push_back(llvm::json::Object{
        {"level", "error"}, {"message", llvm::json::Object{{"text", P}}}});

  llvm::json::Object Driver{{"name", "stresslint"},
                            {"version", STRESSLINT_VERSION},
                            {"semanticVersion", STRESSLINT_VERSION},
                            {"informationUri", ToolInformationUri},
                            {"rules", std::move(RuleArray)}};
  llvm::json::Object Run{
      {"tool", llvm::json::Object{{"driver", std::move(Driver)}}},
      {"originalUriBaseIds",
       llvm::json::Object{{"SRCROOT", llvm::json::Object{{"uri", Locs.rootUri()}}}}},
      {"columnKind", "utf16CodeUnits"},
      {"invocations",
       llvm::json::Array{llvm::json::Object{
           {"executionSuccessful", R.InputErrors.empty()},
           {"toolExecutionNotifications", std::move(Notifications)}}}},
      {"results", std::move(Results)}};
  llvm::json::Object Log{
      {"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                  "schemas/sarif-schema-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(Run)}}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Log))) << "\n";
}

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
         << ",endLine=" << F.EndLine << ",endColumn="
         << utf16Column(Files.line(F.File, F.EndLine), F.EndColumn) << ",";
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
