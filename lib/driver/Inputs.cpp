//===--- Inputs.cpp - The files a run analyses -----------------------------===//
///
/// \file
/// collectInputs: files and directories named on the command line expanded
/// into C++ sources/headers and `.sql` files (driver/SourceRoot's walk),
/// absolute, deduplicated and sorted.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/SourceRoot.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace stresslint {

static bool isCppFile(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  for (llvm::StringRef E : {".cc", ".cpp", ".cxx", ".c++", ".C", ".h", ".hh", ".hpp",
                            ".hxx", ".h++", ".inl", ".ipp", ".tcc"})
    if (Ext == E)
      return true;
  return false;
}

static bool isSqlFile(llvm::StringRef Path) {
  return llvm::sys::path::extension(Path).equals_insensitive(".sql");
}

llvm::Error collectInputs(const std::vector<std::string> &Paths,
                          std::vector<std::string> &Cpp,
                          std::vector<std::string> &Sql) {
  llvm::StringSet<> Seen;
  auto AddFile = [&](const std::string &P, bool Explicit) {
    llvm::SmallString<256> Abs(P);
    llvm::sys::fs::make_absolute(Abs);
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    if (!Seen.insert(Abs).second)
      return;
    if (isSqlFile(P))
      Sql.push_back(std::string(Abs));
    else if (Explicit || isCppFile(P))
      Cpp.push_back(std::string(Abs));
  };
  for (const std::string &P : Paths) {
    llvm::sys::fs::file_status St;
    if (std::error_code EC = llvm::sys::fs::status(P, St))
      return llvm::createStringError(EC, "error: %s: %s", P.c_str(),
                                     EC.message().c_str());
    if (!llvm::sys::fs::is_directory(St)) {
      AddFile(P, /*Explicit=*/true);
      continue;
    }
    walkSourceTree(P, [&](const std::string &E) {
      if (isCppFile(E) || isSqlFile(E))
        AddFile(E, /*Explicit=*/false);
    });
  }
  llvm::sort(Cpp);
  llvm::sort(Sql);
  return llvm::Error::success();
}

} // namespace stresslint
