//===--- UpwardSearch.cpp - Find a directory by walking up the tree --------===//
#include "support/UpwardSearch.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace stresslint {

std::string findUpward(llvm::StringRef Start,
                       llvm::function_ref<bool(llvm::StringRef Dir)> Found,
                       llvm::function_ref<bool(llvm::StringRef Dir)> Within) {
  llvm::SmallString<256> Abs(Start);
  llvm::sys::fs::make_absolute(Abs);
  if (!llvm::sys::fs::is_directory(Abs))
    llvm::sys::path::remove_filename(Abs);
  // A StringRef walks up over Abs: assigning parent_path(Dir) back into a
  // SmallString Dir would copy the string onto itself (LLVM asserts on it).
  for (llvm::StringRef Dir = Abs; !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    if (Within && !Within(Dir))
      return "";
    if (Found(Dir))
      return Dir.str();
  }
  return "";
}

std::string findDirectoryHolding(llvm::StringRef Start, llvm::StringRef Name) {
  return findUpward(Start, [Name](llvm::StringRef Dir) {
    llvm::SmallString<256> Candidate(Dir);
    llvm::sys::path::append(Candidate, Name);
    return llvm::sys::fs::exists(Candidate);
  });
}

} // namespace stresslint
