//===--- ApplyFixes.cpp - `--fix`: the findings' edits written to the files ===//
#include "driver/ApplyFixes.h"
#include "driver/ResultCache.h"
#include "support/AtomicFile.h"

#include "clang/Tooling/Core/Replacement.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>

using namespace clang;

namespace stresslint {

/// \p Path as the analysis named it, made absolute in \p BuildDir.
static std::string absolutePath(llvm::StringRef Path, llvm::StringRef BuildDir) {
  llvm::SmallString<256> Abs(Path);
  if (!llvm::sys::path::is_absolute(Abs) && !BuildDir.empty()) {
    Abs = BuildDir;
    llvm::sys::path::append(Abs, Path);
  }
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

FixReport
applyFixes(llvm::ArrayRef<tidy::ClangTidyError> Findings, bool FromNotes,
           llvm::function_ref<std::optional<std::string>(llvm::StringRef)> DigestRead) {
  FixReport Out;
  // Per file, the edits of the findings taken so far (sorted by path, so
  // the report is deterministic).
  std::map<std::string, tooling::Replacements> ByFile;
  std::map<std::string, unsigned> FindingsIn;
  for (const tidy::ClangTidyError &E : Findings) {
    // The compiler's own fix-its guess at code it could not parse (a
    // missing header makes `-> span<...>` look like a missing ';'): they
    // are never applied, as clang-tidy applies them only with --fix-errors.
    if (llvm::StringRef(E.DiagnosticName).startswith("clang-diagnostic-"))
      continue;
    const llvm::StringMap<tooling::Replacements> *Fix = tidy::getFixIt(E, FromNotes);
    if (!Fix || Fix->empty())
      continue;
    // All of the finding's edits, or none.
    std::map<std::string, tooling::Replacements> Merged;
    bool Conflict = false;
    for (const auto &FileAndReps : *Fix) {
      for (const tooling::Replacement &R : FileAndReps.second) {
        std::string Path = absolutePath(R.getFilePath(), E.BuildDirectory);
        tooling::Replacement Abs(Path, R.getOffset(), R.getLength(),
                                 R.getReplacementText());
        auto [It, New] = Merged.try_emplace(Path, ByFile[Path]);
        (void)New;
        if (llvm::Error Err = It->second.add(Abs)) {
          llvm::consumeError(std::move(Err));
          Conflict = true;
        }
      }
    }
    if (Conflict) {
      Out.Skipped.push_back("the fix of '" + E.Message.Message +
                            "' overlaps another fix; not applied");
      continue;
    }
    for (auto &[Path, Reps] : Merged) {
      ByFile[Path] = std::move(Reps);
      ++FindingsIn[Path];
    }
  }
  for (const auto &[Path, Reps] : ByFile) {
    if (Reps.empty())
      continue;
    auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!Buf) {
      Out.Errors.push_back("cannot read '" + Path +
                           "' to fix it: " + Buf.getError().message());
      continue;
    }
    llvm::StringRef Code = (*Buf)->getBuffer();
    std::optional<std::string> Read = DigestRead(Path);
    if (!Read || *Read != contentDigest(Code)) {
      Out.Skipped.push_back("'" + Path +
                            "' changed after it was analysed; not fixed (run "
                            "stresslint again)");
      continue;
    }
    llvm::Expected<std::string> Fixed = tooling::applyAllReplacements(Code, Reps);
    if (!Fixed) {
      Out.Errors.push_back("cannot fix '" + Path +
                           "': " + llvm::toString(Fixed.takeError()));
      continue;
    }
    // Through a symlink, the file it points at: the link stays a link.
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(Path, Real))
      Real = Path;
    if (llvm::Error Err = writeFileAtomically(Real, *Fixed)) {
      Out.Errors.push_back(llvm::toString(std::move(Err)));
      continue;
    }
    ++Out.Files;
    Out.Findings += FindingsIn[Path];
  }
  return Out;
}

} // namespace stresslint
