//===--- ProjectHeaders.h - A project's headers wherever they live --------===//
///
/// \file
/// Without a compilation database a TU has none of the `-I` flags its build
/// gives it: `#include "network.h"` in `src/core/session.cpp`, with the
/// header in `src/common/`, is missing, and with it every class it
/// declares, so calls on them are dropped or unresolved. The directories
/// above the file (getProjectIncludeAdjuster) serve includes written
/// relative to the source root only.
///
/// ProjectHeaders indexes the files under the project's root once and,
/// for a TU, follows its includes through the project's own files: an
/// include that no directory already searched serves, and that names the
/// end of exactly one file of the project (or of one nearer the including
/// file than any other), has that file's directory added. Quoted includes
/// get `-iquote` directories, as a build's `-I` would serve them; angled
/// ones `-idirafter` directories, after the system's, so that a project
/// file never hides a system header of the same name.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_PROJECTHEADERS_H
#define STRESSLINT_DRIVER_PROJECTHEADERS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <mutex>
#include <string>
#include <vector>

namespace stresslint {

/// An `#include` directive as written: the name between the quotes or the
/// angle brackets.
struct IncludeDirective {
  std::string Name;
  bool Quoted = true;
};

/// What a project file's raw tokens say before any parse.
struct FileDirectives {
  /// The `#include` (and `#import`, `#include_next`) directives, in order,
  /// conditional ones included; comments and strings are not read.
  std::vector<IncludeDirective> Includes;
  /// Names written between `class` (or `struct`) and a class's name
  /// (`class FOO_EXPORT Store : public Base {`): export macros, whose
  /// header the build generates. Undefined, they make Clang read the class
  /// as a variable of type `class FOO_EXPORT` and lose it with its members,
  /// and with them the types only those members name, which the second
  /// parse (cpp/RecoveredLoops.h) would otherwise declare.
  std::vector<std::string> ClassMacros;
};
FileDirectives scanDirectives(llvm::StringRef Text);
inline std::vector<IncludeDirective> includeDirectivesOf(llvm::StringRef Text) {
  return scanDirectives(Text).Includes;
}

/// The directories a TU needs beyond those it searches already.
struct IncludeDirectories {
  std::vector<std::string> Quoted; ///< For `-iquote`.
  std::vector<std::string> Angled; ///< For `-idirafter`.
  /// Names of `#include <...>` that the project's own files serve (not a
  /// vendored library's, under `3rdparty/`, `vendor/`...): Clang takes a
  /// header found through `-idirafter` for the system's, and stresslint
  /// would take the project's classes for a library's
  /// (`--no-system-header-prefix=`).
  std::vector<std::string> OwnAngled;
  /// The export macros of the files reached (FileDirectives::ClassMacros),
  /// to be defined empty.
  std::vector<std::string> ClassMacros;
};

/// The files under one project root, and the include directories its TUs
/// need. Thread-safe; the index is built on first use.
class ProjectHeaders {
public:
  explicit ProjectHeaders(std::string Root) : Root(std::move(Root)) {}

  /// The directories the includes reachable from \p File (absolute, under
  /// the root) through the project's files need, beyond the directories
  /// \p Searched that serve both kinds already.
  IncludeDirectories directoriesFor(llvm::StringRef File,
                                    llvm::ArrayRef<std::string> Searched);

private:
  void index();
  const FileDirectives &directivesOf(const std::string &File);
  /// The project file that ends in \p Name nearest to \p FromDir: the one
  /// sharing the most leading directories with it, none on a tie.
  std::string nearestEndingIn(llvm::StringRef Name, llvm::StringRef FromDir) const;

  std::string Root;
  std::mutex Lock;
  bool Indexed = false;
  llvm::StringSet<> Files;                          ///< Every file.
  llvm::StringMap<std::vector<std::string>> ByName; ///< File name -> files.
  llvm::StringMap<FileDirectives> Scanned;          ///< File -> its directives.
};

} // namespace stresslint

#endif
