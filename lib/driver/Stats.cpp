//===--- Stats.cpp - What a run says about itself on stderr ---------------===//
///
/// \file
/// The one-line summary and the `--stats` table: findings per rule, files,
/// time, and per phase the work done (TUs analysed or cached, declarations
/// traversed, calls resolved by name, loops re-parsed, the cache).
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/SessionImpl.h"

#include "llvm/Support/FormatVariadic.h"
#include <map>

using namespace clang::tidy;

namespace stresslint {

std::string LintSession::statsTable(bool PerPhase, double ReportSeconds) const {
  std::map<std::string, unsigned> ByRule;
  unsigned Total = 0;
  for (const ClangTidyError &E : Errors)
    if (!isCompilerDiagnostic(E)) {
      ++ByRule[E.DiagnosticName];
      ++Total;
    }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  auto Row = [&](llvm::StringRef Name, const llvm::Twine &Value) {
    OS << "  " << llvm::left_justify(Name, 36) << Value << "\n";
  };
  OS << "stresslint: findings by rule\n";
  for (const auto &[Rule, Count] : ByRule)
    Row(Rule, llvm::Twine(Count));
  Row("total", llvm::Twine(Total));
  Row("files", llvm::Twine(fileCount()) + " (" + llvm::Twine(CppFiles.size()) +
                   " C++, " + llvm::Twine(SqlFiles.size()) + " SQL)");
  double Seconds = secondsSince(Created) + ReportSeconds;
  Row("time", llvm::formatv("{0:f2} s", Seconds).str());
  if (!PerPhase)
    return Out;
  OS << "stresslint: phases\n";
  auto Phase = [&](llvm::StringRef Name, double S, const llvm::Twine &Extra = "") {
    Row(Name, llvm::formatv("{0:f3} s", S).str() + Extra);
  };
  Phase("setup (inputs, configuration)", Stats.SetupSeconds);
  Phase("cache lookup", Stats.CacheSeconds);
  Phase("C++ analysis", Stats.AnalysisSeconds,
        "  " + llvm::Twine(Stats.Analysed) + " TUs analysed, " +
            llvm::Twine(Stats.FromCache) + " from the cache, -j" +
            llvm::Twine(Stats.Jobs));
  Row("top-level declarations traversed",
      llvm::Twine(Stats.ProjectDecls) + " of " +
          llvm::Twine(Stats.ProjectDecls + Stats.LibraryDecls) + " (" +
          llvm::Twine(Stats.LibraryDecls) + " in system or library headers left out)");
  Phase("cross-TU link", Stats.LinkSeconds);
  Row("calls resolved by name",
      llvm::Twine(Stats.ByNameResolved) + " of " + llvm::Twine(Stats.ByNameCalls) +
          " unresolved calls (" + llvm::Twine(Stats.ByNameAmbiguous) +
          " ambiguous, not followed)");
  Row("code re-parsed",
      llvm::Twine(Stats.RecoveredLoops) + " range-for loops Clang dropped, " +
          llvm::Twine(Stats.UnknownTypes) + " unknown type names declared, in " +
          llvm::Twine(Stats.ReparsedTUs) + " TUs parsed twice");
  Phase("SQL files", Stats.SqlSeconds);
  Phase("report", ReportSeconds);
  const CacheStats &C = Stats.Cache;
  if (Stats.CacheDir.empty())
    Row("cache", "off");
  else
    Row("cache",
        llvm::Twine(C.Hits) + " hits, " + llvm::Twine(C.Missing) + " missing, " +
            llvm::Twine(C.Stale) + " stale, " + llvm::Twine(C.Corrupt) +
            " corrupt (ignored); " + llvm::Twine(C.Stored) + " stored, " +
            llvm::Twine(C.StoreFailures) + " not stored; in " + Stats.CacheDir);
  return Out;
}

std::string LintSession::summary() const {
  unsigned Findings = llvm::count_if(
      Errors, [](const ClangTidyError &E) { return !isCompilerDiagnostic(E); });
  std::string S = "stresslint: " + std::to_string(Findings) + " finding" +
                  (Findings == 1 ? "" : "s") + " in " + std::to_string(fileCount()) +
                  " file" + (fileCount() == 1 ? "" : "s");
  if (TUsWithHiddenErrors)
    S += "\nstresslint: note: " + std::to_string(TUsWithHiddenErrors) +
         " file(s) did not fully compile without a compilation database (e.g. "
         "missing headers); SQL rules ran on the partial AST. Pass -p "
         "<build-dir> or -- <flags>, or --show-compiler-errors to see them";
  return S;
}

} // namespace stresslint
