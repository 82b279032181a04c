//===--- SessionImpl.h - What a LintSession holds of clang-tidy ------------===//
///
/// \file
/// The clang-tidy engine state of a LintSession, shared by the files that
/// implement it (Driver.cpp: C++ and the cross-TU link; SqlFiles.cpp: `.sql`
/// files). Private to lib/driver.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_SESSIONIMPL_H
#define STRESSLINT_DRIVER_SESSIONIMPL_H

#include "driver/Driver.h"

#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace stresslint {

struct LintSession::Impl {
  clang::tidy::ClangTidyGlobalOptions GlobalOptions;
  std::unique_ptr<clang::tidy::ClangTidyContext> Context;
  // One consumer and one DiagnosticsEngine for the whole session: the
  // context maps custom diagnostic IDs to check names, and IDs are only
  // unique within one DiagnosticIDs.
  std::unique_ptr<clang::tidy::ClangTidyDiagnosticConsumer> Consumer;
  std::unique_ptr<clang::DiagnosticsEngine> Diags;
  std::unique_ptr<clang::tooling::CompilationDatabase> Database;
  llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS;
};

} // namespace stresslint

#endif
