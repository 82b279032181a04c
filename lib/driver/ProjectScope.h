//===--- ProjectScope.h - The declarations the CLI's checks traverse -------===//
///
/// \file
/// clang-tidy's MatchFinder and the checks' own passes (cpp/SqlSites,
/// graph/GraphBuilder) walk the AST from the TU declaration: every
/// declaration of every header, Qt's or Boost's included, which can cost a
/// third of what parsing costs. Like clangd, which runs clang-tidy checks
/// over the main file's top-level declarations only
/// (`ASTContext::setTraversalScope`), the CLI limits the walk to the
/// project's own code: the top-level declarations that are neither in a
/// system header nor in a library's, that is a file under one of the
/// compiler's system include directories (`/usr/include`, `-isystem` ones)
/// reached through a plain `-I` (`-I/usr/include/x86_64-linux-gnu/qt6`,
/// as qmake and many hand-written flags name Qt).
///
/// Everything else stays in scope: the main file, the project's headers
/// (the call graph needs their inline functions), vendored libraries and
/// anything found through `-I`/`-iquote` elsewhere, whose findings
/// HeaderFilterRegex keeps or drops as before. The checks' passes already
/// skip declarations in system headers at every depth, so those are not
/// traversed either way; a system include directory that holds the main
/// file (`-isystem <project root>`) does not count as a library's.
///
/// Only the CLI (and stresslint-clangd, which runs the CLI's session) sets
/// the scope: `clang-tidy --load` builds its consumer itself.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_PROJECTSCOPE_H
#define STRESSLINT_DRIVER_PROJECTSCOPE_H

#include "clang/Frontend/MultiplexConsumer.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CompilerInstance;
class Decl;
class HeaderSearch;
} // namespace clang

namespace stresslint {

/// How many top-level declarations of a TU were in scope, and how many were
/// left out as system or library code (`--stats`).
struct ScopeCounts {
  unsigned Project = 0;
  unsigned Library = 0;
};

/// The system include directories of \p HS (the compiler's, the standard
/// library's, `-isystem` and `-idirafter` ones) as real paths ending in a
/// separator, except any that holds \p MainFile.
std::vector<std::string> libraryDirectories(const clang::HeaderSearch &HS,
                                            llvm::StringRef MainFile);

/// The top-level declarations of \p Ctx, in order, that are neither in a
/// system header nor in a file under one of \p LibraryDirs; \p Counts, when
/// set, receives how many were kept and left out.
std::vector<clang::Decl *> projectDecls(clang::ASTContext &Ctx,
                                        llvm::ArrayRef<std::string> LibraryDirs,
                                        ScopeCounts *Counts = nullptr);

/// Forwards everything to its consumers; around their HandleTranslationUnit
/// the traversal scope is projectDecls(), then the whole TU again.
class ProjectScopeConsumer : public clang::MultiplexConsumer {
public:
  ProjectScopeConsumer(clang::CompilerInstance &CI,
                       std::vector<std::unique_ptr<clang::ASTConsumer>> Inner,
                       ScopeCounts *Counts);
  void HandleTranslationUnit(clang::ASTContext &Ctx) override;

private:
  clang::CompilerInstance &CI;
  ScopeCounts *Counts;
};

} // namespace stresslint

#endif
