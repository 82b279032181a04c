//===--- ProjectScope.cpp - The declarations the CLI's checks traverse -----===//
#include "driver/ProjectScope.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace stresslint {

static bool isUnderAny(llvm::StringRef Path, llvm::ArrayRef<std::string> Dirs) {
  return llvm::any_of(Dirs, [&](const std::string &D) { return Path.startswith(D); });
}

std::vector<std::string> libraryDirectories(const HeaderSearch &HS,
                                            llvm::StringRef MainFile) {
  llvm::SmallString<256> Main;
  if (llvm::sys::fs::real_path(MainFile, Main))
    Main = MainFile;
  std::vector<std::string> Dirs;
  for (auto It = HS.system_dir_begin(), End = HS.search_dir_end(); It != End; ++It) {
    OptionalDirectoryEntryRef Dir = It->getDirRef();
    if (!Dir)
      continue; // A header map or a framework directory.
    llvm::SmallString<256> Real;
    if (llvm::sys::fs::real_path(Dir->getName(), Real))
      continue;
    Real += llvm::sys::path::get_separator();
    if (llvm::StringRef(Main).startswith(Real) || llvm::is_contained(Dirs, Real))
      continue;
    Dirs.push_back(std::string(Real));
  }
  return Dirs;
}

std::vector<Decl *> projectDecls(ASTContext &Ctx,
                                 llvm::ArrayRef<std::string> LibraryDirs,
                                 ScopeCounts *Counts) {
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::DenseMap<FileID, bool> InLibrary;
  // The test the checks' passes make on every declaration, then the
  // library directories, once per file.
  auto IsLibrary = [&](const Decl *D) {
    SourceLocation Loc = D->getLocation();
    if (Loc.isInvalid())
      return false;
    Loc = SM.getExpansionLoc(Loc);
    if (SM.isInSystemHeader(Loc))
      return true;
    if (LibraryDirs.empty())
      return false;
    auto [It, New] = InLibrary.try_emplace(SM.getFileID(Loc), false);
    if (New)
      if (OptionalFileEntryRef FE = SM.getFileEntryRefForID(It->first)) {
        llvm::StringRef Path = FE->getFileEntry().tryGetRealPathName();
        It->second = isUnderAny(Path.empty() ? FE->getName() : Path, LibraryDirs);
      }
    return It->second;
  };
  std::vector<Decl *> Scope;
  ScopeCounts Seen;
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    if (IsLibrary(D)) {
      ++Seen.Library;
      continue;
    }
    ++Seen.Project;
    Scope.push_back(D);
  }
  if (Counts)
    *Counts = Seen;
  return Scope;
}

ProjectScopeConsumer::ProjectScopeConsumer(
    CompilerInstance &CI, std::vector<std::unique_ptr<ASTConsumer>> Inner,
    ScopeCounts *Counts)
    : MultiplexConsumer(std::move(Inner)), CI(CI), Counts(Counts) {}

void ProjectScopeConsumer::HandleTranslationUnit(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::StringRef MainFile;
  if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
    MainFile = Main->getName();
  std::vector<std::string> Libraries =
      libraryDirectories(CI.getPreprocessor().getHeaderSearchInfo(), MainFile);
  // Also drops the parent map: parents are computed within the scope.
  Ctx.setTraversalScope(projectDecls(Ctx, Libraries, Counts));
  MultiplexConsumer::HandleTranslationUnit(Ctx);
  Ctx.setTraversalScope({Ctx.getTranslationUnitDecl()});
}

} // namespace stresslint
