//===--- SchemaFiles.h - Finding and loading a project's DDL ---------------===//
///
/// \file
/// Where the schema comes from: the `.sql` files (and snapshots of a live
/// database, `.json`: `stresslint schema dump`) under the project root
/// (findSourceRoot: the git work tree, else the directory of the nearest
/// `.clang-tidy`, else the current directory) that match the `SchemaFiles`
/// globs, applied in natural order of their paths (`2_x.sql` before
/// `10_y.sql`). The tree is walked once per root and globs per process,
/// and the schema is loaded again only when one of its files changed size
/// or modification time, so the CLI over many files, the plugin and the
/// editor pay for it once.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SCHEMA_SCHEMAFILES_H
#define STRESSLINT_SCHEMA_SCHEMAFILES_H

#include "schema/Schema.h"
#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace stresslint {

/// The check option (local `stress-<rule>.SchemaFiles` or global
/// `SchemaFiles`) naming the DDL files: comma-separated globs relative to
/// the project root, `**` for any number of directories; empty: no schema.
inline constexpr llvm::StringLiteral SchemaFilesOption = "SchemaFiles";
inline constexpr llvm::StringLiteral DefaultSchemaFiles =
    "**/migrations/**/*.sql,**/schema*.sql,stresslint-schema.json";

/// The project root the globs of a linted \p File are matched under.
std::string schemaRoot(llvm::StringRef File);

/// Whether \p A sorts before \p B with digit runs compared as numbers
/// (`migrations/2_x.sql` before `migrations/10_y.sql`).
bool naturalLess(llvm::StringRef A, llvm::StringRef B);

/// Whether \p Path (relative, `/`-separated) matches \p Glob, where `*`,
/// `?` and `[...]` stay within a path segment and a `**` segment matches
/// any number of them. Errors for a malformed glob.
llvm::Expected<bool> matchPathGlob(llvm::StringRef Glob, llvm::StringRef Path);

/// An error when \p Globs holds a malformed or absolute glob.
llvm::Error checkSchemaGlobs(llvm::StringRef Globs);

/// The files under \p Root matching \p Globs, in natural order, absolute.
/// Build trees (`build*/`, CMake's), `node_modules/` and hidden
/// directories are not entered. Errors for a malformed glob.
llvm::Expected<std::vector<std::string>> findSchemaFiles(llvm::StringRef Root,
                                                         llvm::StringRef Globs);

/// The schema of \p Root's \p Globs files, read as \p Dialect: null when no
/// file matches. Cached per process (thread-safe). Errors for a malformed
/// glob or an unreadable file.
llvm::Expected<std::shared_ptr<const Schema>>
loadSchema(llvm::StringRef Root, llvm::StringRef Globs, SqlDialect Dialect);

/// What identifies the files a schema was learnt from (paths, sizes,
/// modification times), for result caches; empty when there are none.
std::string schemaStamp(llvm::StringRef Root, llvm::StringRef Globs);

} // namespace stresslint

#endif
