//===--- TUAction.cpp - One C++ translation unit through clang-tidy -------===//
///
/// \file
/// What a worker process runs for one TU (LintSession::analyseTU): a
/// ClangTool with clang-tidy's AST consumer, scoped to the project's own
/// declarations, recording the files read and the range-for loops Clang
/// dropped; a second parse with those loops re-spelled; compiler errors
/// kept, hidden or turned into an input problem. No state outside the
/// session and the TUResult.
///
//===----------------------------------------------------------------------===//
#include "cpp/RecoveredLoops.h"
#include "driver/CompileArgs.h"
#include "driver/Driver.h"
#include "driver/ProjectScope.h"
#include "driver/ResultCache.h"
#include "driver/SessionImpl.h"
#include "graph/Summary.h"
#include "tidy/RuleFiles.h"

#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/ADT/STLExtras.h"
#include <chrono>
#include <thread>

using namespace clang;
using namespace clang::tidy;

namespace stresslint {

namespace {

/// Passes on every diagnostic clang-tidy's consumer can render. Clang 16's
/// ClangTidyDiagnosticRenderer reads the source ranges of a diagnostic
/// through its location's SourceManager, which an unlocated diagnostic has
/// not: such a diagnostic with a range (a note on an overload candidate
/// declared nowhere, after a missing header) would crash it. Nothing can
/// point at it, so it is left out.
class RenderableDiagnostics : public DiagnosticConsumer {
public:
  explicit RenderableDiagnostics(DiagnosticConsumer &Next) : Next(Next) {}
  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    Next.BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override { Next.EndSourceFile(); }
  void finish() override { Next.finish(); }
  void clear() override {
    DiagnosticConsumer::clear();
    Next.clear();
  }
  bool IncludeInDiagnosticCounts() const override {
    return Next.IncludeInDiagnosticCounts();
  }
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    if (Info.getLocation().isInvalid() && Info.getNumRanges() > 0)
      return;
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    Next.HandleDiagnostic(Level, Info);
  }

private:
  DiagnosticConsumer &Next;
};

/// The clang-tidy FrontendActionFactory, as runClangTidy builds it.
class TidyActionFactory : public tooling::FrontendActionFactory {
public:
  /// \p Inputs, when set, receives every file the TU read; \p Dropped, when
  /// set, the range-for loops of the main file Clang dropped and the names
  /// of types it could not name (cpp/RecoveredLoops.h); \p Scope how
  /// many top-level declarations the checks traversed (driver/ProjectScope.h).
  TidyActionFactory(ClangTidyContext &Context,
                    IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> FS,
                    std::vector<TUResult::Input> *Inputs, DroppedCode *Dropped,
                    ScopeCounts *Scope)
      : ConsumerFactory(Context, std::move(FS)), Inputs(Inputs), Dropped(Dropped),
        Scope(Scope) {}
  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(&ConsumerFactory, Inputs, Dropped, Scope);
  }
  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation, FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    // No "N warnings generated." lines: findings are printed by us.
    Invocation->getDiagnosticOpts().ShowCarets = false;
    RenderableDiagnostics Renderable(*DiagConsumer);
    if (!Dropped)
      return FrontendActionFactory::runInvocation(Invocation, Files, PCHContainerOps,
                                                  &Renderable);
    UnknownTypeRecorder Recorder(Renderable, *Dropped);
    return FrontendActionFactory::runInvocation(Invocation, Files, PCHContainerOps,
                                                &Recorder);
  }

private:
  class Action : public ASTFrontendAction {
  public:
    Action(ClangTidyASTConsumerFactory *Factory, std::vector<TUResult::Input> *Inputs,
           DroppedCode *Dropped, ScopeCounts *Scope)
        : Factory(Factory), Inputs(Inputs), Dropped(Dropped), Scope(Scope) {}
    /// The checks traverse the project's own declarations only, as clangd
    /// scopes them to the main file's.
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &Compiler,
                                                   StringRef File) override {
      std::vector<std::unique_ptr<ASTConsumer>> Consumers;
      Consumers.push_back(Factory->createASTConsumer(Compiler, File));
      if (Dropped)
        Consumers.push_back(std::make_unique<DroppedLoopFinder>(Compiler, *Dropped));
      return std::make_unique<ProjectScopeConsumer>(Compiler, std::move(Consumers),
                                                    Scope);
    }
    /// Records the files of the TU with the digest of the very bytes that
    /// were analysed (not of the file as it is later on disk).
    void EndSourceFileAction() override {
      if (!Inputs)
        return;
      SourceManager &SM = getCompilerInstance().getSourceManager();
      FileManager &FM = getCompilerInstance().getFileManager();
      for (auto It = SM.fileinfo_begin(), E = SM.fileinfo_end(); It != E; ++It) {
        const FileEntry *FE = It->first;
        std::optional<llvm::MemoryBufferRef> Buf = SM.getMemoryBufferForFileOrNone(FE);
        if (!Buf)
          continue;
        llvm::SmallString<256> Path(FE->tryGetRealPathName());
        if (Path.empty()) {
          Path = FE->getName();
          FM.makeAbsolutePath(Path);
        }
        Inputs->push_back({std::string(Path), contentDigest(Buf->getBuffer())});
      }
      llvm::sort(*Inputs, [](const TUResult::Input &A, const TUResult::Input &B) {
        return A.Path < B.Path;
      });
    }

  private:
    ClangTidyASTConsumerFactory *Factory;
    std::vector<TUResult::Input> *Inputs;
    DroppedCode *Dropped;
    ScopeCounts *Scope;
  };
  ClangTidyASTConsumerFactory ConsumerFactory;
  std::vector<TUResult::Input> *Inputs;
  DroppedCode *Dropped;
  ScopeCounts *Scope;
};

} // namespace

TUResult LintSession::analyseTU(const std::string &File) {
  if (!Opts.TestCrashOn.empty() && llvm::StringRef(File).contains(Opts.TestCrashOn)) {
    // A real invalid access (LLVM's signal handler, then SIGSEGV), as a bug
    // in a check would make; test-only.
    volatile int *volatile Null = nullptr;
    *Null = 1;
  }
  if (!Opts.TestHangOn.empty() && llvm::StringRef(File).contains(Opts.TestHangOn))
    for (;;)
      std::this_thread::sleep_for(std::chrono::hours(1));

  TUResult Result;
  DroppedCode Dropped;
  I->Summaries.Last.clear();
  int RC = runTool(File, Result, CollectInputs ? &Result.Inputs : nullptr, &Dropped,
                   nullptr);
  std::vector<ClangTidyError> TUErrors = I->Consumer->take();
  if (!Dropped.empty()) {
    // Range-for loops Clang dropped (their range has no type), types it
    // could not name: parse once more with the loops re-spelled, same
    // length, as code Clang keeps, and the types declared
    // (cpp/RecoveredLoops.h). The compiler's diagnostics are the first
    // parse's; the findings and the call graph the second's.
    // The TU's rule set (its stresslint.RuleFiles too) says which names are
    // text classes and framework macros.
    I->Context->setCurrentFile(File);
    std::string Stubs = Dropped.stubs(*ruleSetFor(*I->Context));
    runTool(File, Result, nullptr, nullptr, &Dropped.Files, &Stubs);
    std::vector<ClangTidyError> Second = I->Consumer->take();
    llvm::erase_if(TUErrors,
                   [](const ClangTidyError &E) { return !isCompilerDiagnostic(E); });
    llvm::erase_if(Second, isCompilerDiagnostic);
    std::move(Second.begin(), Second.end(), std::back_inserter(TUErrors));
    Result.RecoveredLoops = Dropped.loops();
    Result.UnknownTypes =
        static_cast<unsigned>(Dropped.Types.size() + Dropped.Templates.size());
  }
  Result.Summary = std::move(I->Summaries.Last);
  bool HadCompileErrors = llvm::any_of(TUErrors, [](const ClangTidyError &E) {
    return isCompilerDiagnostic(E) && E.DiagLevel == tooling::Diagnostic::Error;
  });
  if (NoDatabase && !Opts.ShowCompilerErrors) {
    // Without a compilation database missing headers are expected: the
    // SQL rules still run on the partial AST; keep the output about them.
    Result.HiddenCompileErrors = HadCompileErrors;
    llvm::erase_if(TUErrors, isCompilerDiagnostic);
  } else if (HadCompileErrors || RC != 0) {
    Result.Problems.push_back(File + ": compiler errors; analysed a partial AST");
  }
  Result.Errors = std::move(TUErrors);
  return Result;
}

int LintSession::runTool(const std::string &File, TUResult &Result,
                         std::vector<TUResult::Input> *Inputs, DroppedCode *Dropped,
                         const std::vector<DroppedLoops> *Respelled,
                         const std::string *Stubs) {
  ClangTidyContext &Context = *I->Context;
  ClangTidyDiagnosticConsumer &DiagConsumer = *I->Consumer;
  ScopeCounts Scope;
  TidyActionFactory Factory(Context, I->FS, Inputs, Dropped, &Scope);
  tooling::ClangTool Tool(*I->Database, {File},
                          std::make_shared<PCHContainerOperations>(), I->FS);
  // ClangTool keeps the mapped paths and texts by reference until run().
  std::vector<std::string> Texts;
  if (Respelled && !Respelled->empty()) {
    Texts.reserve(Respelled->size());
    for (const DroppedLoops &F : *Respelled) {
      Texts.push_back(F.respelled());
      Tool.mapVirtualFile(F.Path.empty() ? File : F.Path, Texts.back());
    }
    Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        ("-D" + RecoveredLoopMarker + "=if").str().c_str(),
        tooling::ArgumentInsertPosition::END));
  }
  if (Stubs) {
    Tool.mapVirtualFile(UnknownTypeStubsPath, *Stubs);
    Tool.appendArgumentsAdjuster(
        tooling::getInsertArgumentAdjuster({"-include", UnknownTypeStubsPath.str()},
                                           tooling::ArgumentInsertPosition::END));
  }
  Tool.setPrintErrorMessage(false);
  // ExtraArgs/ExtraArgsBefore from .clang-tidy, as clang-tidy applies them.
  Tool.appendArgumentsAdjuster(
      [&Context](const tooling::CommandLineArguments &Args, StringRef Filename) {
        ClangTidyOptions O = Context.getOptionsForFile(Filename);
        tooling::CommandLineArguments Adjusted = Args;
        if (O.ExtraArgsBefore) {
          auto It = Adjusted.begin();
          if (It != Adjusted.end() && !StringRef(*It).startswith("-"))
            ++It;
          Adjusted.insert(It, O.ExtraArgsBefore->begin(), O.ExtraArgsBefore->end());
        }
        if (O.ExtraArgs)
          Adjusted.insert(Adjusted.end(), O.ExtraArgs->begin(), O.ExtraArgs->end());
        return Adjusted;
      });
  // Ours first, so every plugin flag is named in a warning; clang's own
  // stripping stays as a second net.
  Tool.appendArgumentsAdjuster(getSanitizingAdjuster([&Result](const std::string &W) {
    if (!llvm::is_contained(Result.Warnings, W))
      Result.Warnings.push_back(W);
  }));
  Tool.appendArgumentsAdjuster(tooling::getStripPluginsAdjuster());
  Tool.setDiagnosticConsumer(&DiagConsumer);
  int RC = Tool.run(&Factory);
  Result.ProjectDecls = Scope.Project;
  Result.LibraryDecls = Scope.Library;
  return RC;
}

} // namespace stresslint
