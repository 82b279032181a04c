//===--- UnifiedDiff.h - Lines a change added or modified -------------------===//
///
/// \file
/// A unified-diff reader for `--diff` / `--diff-from`, like clang-tidy-diff:
/// the lines of the new side of each file that the change added or modified.
/// It reads `git diff` output (`a/` `b/` prefixes, quoted names, renames, new
/// and deleted files, binary files, `\ No newline at end of file`) and plain
/// `diff -u` output (timestamps after a tab), with any number of context
/// lines: hunk bodies are walked by their counts, so a removed SQL comment
/// (`--- x` in the body) is not mistaken for a file header.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_UNIFIEDDIFF_H
#define STRESSLINT_DRIVER_UNIFIEDDIFF_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace stresslint {

/// Added or modified lines (1-based, new side) per file.
class ChangedLines {
public:
  /// Marks lines [First, First + Count) of \p File.
  void add(llvm::StringRef File, unsigned First, unsigned Count);
  /// Whether any line in [First, Last] of \p File changed.
  bool touches(llvm::StringRef File, unsigned First, unsigned Last) const;
  /// Files with their sorted, merged line ranges [first, last].
  const std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> &
  files() const {
    return Files;
  }
  /// The same lines with each path (relative) joined to \p Root.
  ChangedLines rebased(llvm::StringRef Root) const;

private:
  std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> Files;
};

/// Parses a unified diff. Paths are those of the `+++` lines, with git's
/// `b/` prefix removed when the `---` line has `a/` (or is /dev/null).
/// Deleted files and binary files contribute nothing. Errors name the line.
llvm::Expected<ChangedLines> parseUnifiedDiff(llvm::StringRef Text);

/// Runs `git diff -U0 <Rev>` (no shell, explicit argv) in the git work tree
/// holding \p AnyPath and returns the changed lines with absolute paths.
llvm::Expected<ChangedLines> gitChangedLines(llvm::StringRef Rev,
                                             llvm::StringRef AnyPath);

} // namespace stresslint

#endif
