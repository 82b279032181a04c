//===--- CacheKey.cpp - What a TU's cached result depends on --------------===//
///
/// \file
/// LintSession::cacheKey: everything besides file contents a TU's result
/// depends on (driver/ResultCache.h): the tool and its binary, the file's
/// configuration and rules, the schema files' stamps and the compile
/// command.
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/ResultCache.h"
#include "driver/SessionImpl.h"
#include "rules/RuleSet.h"
#include "schema/SchemaFiles.h"
#include "tidy/RuleFiles.h"
#include "tidy/SchemaFor.h"

#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

/// The `SchemaFiles` globs of the rules for the current file of \p Context.
std::set<std::string> schemaGlobs(ClangTidyContext &Context) {
  std::set<std::string> Globs;
  for (const Rule &R : activeRuleSet().rules())
    Globs.insert(schemaFilesOption(Context.getOptions(), R.Id));
  return Globs;
}

std::string LintSession::cacheKey(const std::string &File) {
  // The tool's part of every key, computed once per process: the versions,
  // and the binary itself (a rebuild may analyse differently under the same
  // version).
  static const std::string Tool = [] {
    KeyBuilder T;
    T.add("stresslint " STRESSLINT_VERSION).add(LLVM_VERSION_STRING);
    std::string Exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
    llvm::sys::fs::file_status St;
    if (!Exe.empty() && !llvm::sys::fs::status(Exe, St))
      T.add(Exe)
          .add(std::to_string(St.getSize()))
          .add(std::to_string(St.getLastModificationTime().time_since_epoch().count()));
    return T.digest();
  }();
  KeyBuilder K;
  K.add(Tool);
  // The options of the main file decide the checks and their options for
  // the whole TU; ruleSetFor adds the files named by stresslint.RuleFiles.
  ClangTidyContext &Context = *I->Context;
  Context.setCurrentFile(File);
  K.add(configurationAsText(Context.getOptions()));
  K.add(ruleSetFor(Context)->digest());
  // The schema files the checks read (tidy/SchemaFor.h), by path, size and
  // modification time: a changed migration analyses the TU again.
  std::string SchemaRoot = schemaRoot(File);
  for (const std::string &G : schemaGlobs(Context))
    K.add(G).add(schemaStamp(SchemaRoot, G));
  for (const tooling::CompileCommand &C : I->Database->getCompileCommands(File)) {
    K.add(C.Directory).add(C.Filename);
    for (const std::string &A : C.CommandLine)
      K.add(A);
  }
  K.add(NoDatabase && !Opts.ShowCompilerErrors ? "hide-compiler-errors" : "");
  return K.digest();
}

} // namespace stresslint
