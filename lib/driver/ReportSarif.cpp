//===--- ReportSarif.cpp - Findings as SARIF 2.1.0 ------------------------===//
#include "driver/Report.h"
#include "driver/ReportCommon.h"
#include "rules/RuleSet.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include <map>

#ifndef STRESSLINT_VERSION
#define STRESSLINT_VERSION "0.0.0"
#endif

namespace stresslint {

using namespace reportdetail;

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
      {"defaultConfiguration",
       llvm::json::Object{{"level", sarifLevel(severityName(R.Severity))}}}};
  llvm::StringRef Doc = embeddedDoc(R.Id);
  std::string Description = docDescription(Doc, R.Summary);
  if (!Doc.empty())
    Out["help"] =
        llvm::json::Object{{"text", Description + "\n\nSee " + ruleDocUrl(R, DocsBase)},
                           {"markdown", Doc}};
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
      Where.push_back(
          Locs.location(F.File, F.Line, F.Column, F.EndLine, F.EndColumn, ""));
    if (isCompilerFinding(F)) {
      // Compiler diagnostics are about the run, not results of a rule.
      Notifications.push_back(
          llvm::json::Object{{"level", sarifLevel(F.Level)},
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
        Changes.push_back(
            llvm::json::Object{{"artifactLocation", Locs.artifact(File)},
                               {"replacements", std::move(ByFile[File])}});
      if (!Changes.empty())
        Result["fixes"] = llvm::json::Array{llvm::json::Object{
            {"description",
             llvm::json::Object{
                 {"text", F.Notes.empty() ? F.Message : F.Notes.back().Message}}},
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
      {"invocations", llvm::json::Array{llvm::json::Object{
                          {"executionSuccessful", R.InputErrors.empty()},
                          {"toolExecutionNotifications", std::move(Notifications)}}}},
      {"results", std::move(Results)}};
  llvm::json::Object Log{{"$schema",
                          "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                          "schemas/sarif-schema-2.1.0.json"},
                         {"version", "2.1.0"},
                         {"runs", llvm::json::Array{std::move(Run)}}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Log))) << "\n";
}

} // namespace stresslint
