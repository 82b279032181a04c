//===--- SchemaFor.h - The schema of the file a check analyses -------------===//
///
/// \file
/// The checks' way to the schema (lib/schema): the `SchemaFiles` option
/// (local `stress-<rule>.SchemaFiles` or global, as clang-tidy's
/// getLocalOrGlobal reads it) names the DDL files under the project root of
/// the file being analysed, read in the `.sql` files' dialect
/// (`stresslint.SqlDialect`). The same for the CLI, the `--load` plugin and
/// the editor.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TIDY_SCHEMAFOR_H
#define STRESSLINT_TIDY_SCHEMAFOR_H

#include "sql/Dialect.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>

namespace clang::tidy {
class ClangTidyContext;
struct ClangTidyOptions;
} // namespace clang::tidy

namespace stresslint {

class Schema;

/// The `SchemaFiles` value for \p CheckName in \p Opts: the check's own,
/// else the global one, else the default globs.
std::string schemaFilesOption(const clang::tidy::ClangTidyOptions &Opts,
                              llvm::StringRef CheckName);

/// The dialect DDL files are read in: that of `.sql` files
/// (`stresslint.SqlDialect`), PostgreSQL by default.
SqlDialect schemaDialect(const clang::tidy::ClangTidyOptions &Opts);

/// The schema for the file \p Ctx is analysing, from \p Globs; null when no
/// file matches or \p Globs is empty. A bad glob or an unreadable file is
/// reported once through `configurationDiag`, and there is no schema.
std::shared_ptr<const Schema> schemaFor(clang::tidy::ClangTidyContext &Ctx,
                                        llvm::StringRef Globs);

} // namespace stresslint

#endif
