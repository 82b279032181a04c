//===--- SourceRoot.cpp - The project a file belongs to --------------------===//
#include "driver/SourceRoot.h"
#include "support/UpwardSearch.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace stresslint {

std::string canonicalPath(llvm::StringRef P) {
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(P, Real))
    return std::string(Real);
  llvm::SmallString<256> Abs(P);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

std::string findSourceRoot(llvm::StringRef Path, llvm::StringRef FallbackMarker) {
  std::string Dir = canonicalPath(Path);
  if (!llvm::sys::fs::is_directory(Dir))
    Dir = std::string(llvm::sys::path::parent_path(Dir));
  std::string Git = findDirectoryHolding(Dir, ".git");
  if (!Git.empty())
    return Git;
  if (!FallbackMarker.empty()) {
    std::string Marked = findDirectoryHolding(Dir, FallbackMarker);
    if (!Marked.empty())
      return Marked;
  }
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return Dir;
  return canonicalPath(Cwd);
}

void walkSourceTree(llvm::StringRef Root,
                    llvm::function_ref<void(const std::string &)> Visit,
                    llvm::function_ref<bool(llvm::StringRef Dir)> Enter) {
  // Real paths of visited directories cut symlink loops.
  llvm::StringSet<> Dirs;
  std::vector<std::string> Work{Root.str()};
  while (!Work.empty()) {
    std::string Dir = Work.back();
    Work.pop_back();
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(Dir, Real) || !Dirs.insert(Real).second)
      continue;
    std::error_code EC;
    std::vector<std::string> Entries;
    for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      Entries.push_back(It->path());
    llvm::sort(Entries);
    for (const std::string &E : llvm::reverse(Entries)) {
      llvm::StringRef Name = llvm::sys::path::filename(E);
      if (Name.startswith("."))
        continue; // .git, .cache, editor folders
      if (!llvm::sys::fs::is_directory(E)) {
        Visit(E);
        continue;
      }
      // A CMake build tree (compiler-id probes, generated code) is not the
      // project's source.
      if (!llvm::sys::fs::exists(E + "/CMakeCache.txt") && (!Enter || Enter(E)))
        Work.push_back(E);
    }
  }
}

} // namespace stresslint
