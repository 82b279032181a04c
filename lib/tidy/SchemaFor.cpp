//===--- SchemaFor.cpp - The schema of the file a check analyses -----------===//
#include "tidy/SchemaFor.h"
#include "schema/SchemaFiles.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/StringSet.h"
#include <mutex>

namespace stresslint {

std::string schemaFilesOption(const clang::tidy::ClangTidyOptions &Opts,
                              llvm::StringRef CheckName) {
  const auto &O = Opts.CheckOptions;
  auto It = O.find((CheckName + "." + SchemaFilesOption).str());
  if (It == O.end())
    It = O.find(SchemaFilesOption);
  return It == O.end() ? DefaultSchemaFiles.str() : It->second.Value;
}

SqlDialect schemaDialect(const clang::tidy::ClangTidyOptions &Opts) {
  auto It = Opts.CheckOptions.find(SqlDialectOption);
  if (It == Opts.CheckOptions.end())
    return SqlDialect::PostgreSQL;
  return parseSqlDialect(It->second.Value).value_or(SqlDialect::PostgreSQL);
}

std::shared_ptr<const Schema> schemaFor(clang::tidy::ClangTidyContext &Ctx,
                                        llvm::StringRef Globs) {
  if (Globs.trim().empty())
    return nullptr;
  std::string Root = schemaRoot(Ctx.getCurrentFile());
  auto Loaded = loadSchema(Root, Globs, schemaDialect(Ctx.getOptions()));
  if (Loaded)
    return std::move(*Loaded);
  std::string Message = llvm::toString(Loaded.takeError());
  static std::mutex Mu;
  static llvm::StringSet<> Reported;
  std::lock_guard<std::mutex> Lock(Mu);
  if (Reported.insert(Root + "\n" + Message).second)
    Ctx.configurationDiag("stresslint: %0 '%1': %2; no schema is used")
        << SchemaFilesOption << Globs << Message;
  return nullptr;
}

} // namespace stresslint
