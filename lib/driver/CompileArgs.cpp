//===--- CompileArgs.cpp - Make a project's compile command safe for Clang -===//
#include "driver/CompileArgs.h"
#include "driver/ProjectHeaders.h"
#include "driver/Report.h"
#include "driver/SourceRoot.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Driver/Options.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace stresslint {

using namespace clang::driver;

/// Clang's own precompiled headers start with "CPCH".
static bool isForeignPch(llvm::StringRef Header) {
  std::string Pch = (Header + ".gch").str();
  if (!llvm::sys::fs::exists(Pch))
    return false;
  auto Buf = llvm::MemoryBuffer::getFileSlice(Pch, 4, 0);
  return !Buf || !(*Buf)->getBuffer().startswith("CPCH");
}

clang::tooling::ArgumentsAdjuster
getSanitizingAdjuster(const std::function<void(const std::string &)> &Warn) {
  return [Warn](const clang::tooling::CommandLineArguments &Args,
                llvm::StringRef File) {
    if (Args.size() < 2)
      return Args;
    std::vector<const char *> Ptrs;
    for (size_t I = 1; I < Args.size(); ++I)
      Ptrs.push_back(Args[I].c_str());
    unsigned MissingIndex = 0, MissingCount = 0;
    const llvm::opt::OptTable &Table = getDriverOptTable();
    llvm::opt::InputArgList List = Table.ParseArgs(Ptrs, MissingIndex, MissingCount);
    std::set<unsigned> Drop;
    auto DropArg = [&](const llvm::opt::Arg *A, unsigned Count) {
      for (unsigned K = 0; K < Count; ++K)
        Drop.insert(A->getIndex() + K);
    };
    for (const llvm::opt::Arg *A : List) {
      const llvm::opt::Option &O = A->getOption();
      unsigned Spelled = 1;
      if (O.getKind() == llvm::opt::Option::SeparateClass ||
          O.getKind() == llvm::opt::Option::JoinedOrSeparateClass)
        Spelled = llvm::StringRef(Ptrs[A->getIndex()]) == A->getSpelling() ? 2 : 1;
      if (O.matches(options::OPT_UNKNOWN) ||
          O.matches(options::OPT_clang_ignored_gcc_optimization_f_Group) ||
          O.matches(options::OPT_pedantic_errors) ||
          (O.matches(options::OPT_W_Joined) && A->getNumValues() == 1 &&
           llvm::StringRef(A->getValue()).startswith("error"))) {
        // Flags Clang does not know, GCC optimisation flags it ignores with
        // a warning, and -Werror: a lint run must not fail on compiler
        // warnings.
        DropArg(A, 1);
      } else if (O.matches(options::OPT_include) && A->getNumValues() == 1 &&
                 isForeignPch(A->getValue())) {
        DropArg(A, Spelled);
      } else if (O.matches(options::OPT_fplugin_EQ) ||
                 O.matches(options::OPT_fplugin_arg) ||
                 O.matches(options::OPT_fpass_plugin_EQ) ||
                 O.matches(options::OPT_load)) {
        Warn(std::string("dropped '") + A->getAsString(List) +
             "' from the compile command of " + File.str() +
             ": stresslint never loads compiler plugins");
        DropArg(A, Spelled);
      } else if (O.matches(options::OPT_Xclang) && A->getNumValues() == 1) {
        llvm::StringRef V = A->getValue();
        // -Xclang -load -Xclang lib.so / -Xclang -plugin ...
        if (V == "-load" || V == "-plugin" || V == "-add-plugin" ||
            V.startswith("-plugin-arg") || V.startswith("-fplugin")) {
          Warn(std::string("dropped '-Xclang ") + V.str() +
               "' from the compile command of " + File.str() +
               ": stresslint never loads compiler plugins");
          DropArg(A, 2);
          // The -Xclang that carries the plugin's path, name or argument.
          unsigned Next = A->getIndex() + 2;
          bool TakesValue = V == "-load" || V == "-plugin" || V == "-add-plugin" ||
                            V.startswith("-plugin-arg");
          if (TakesValue && Next + 1 < Ptrs.size() &&
              llvm::StringRef(Ptrs[Next]) == "-Xclang") {
            Drop.insert(Next);
            Drop.insert(Next + 1);
          }
        }
      }
    }
    clang::tooling::CommandLineArguments Out{Args[0]};
    for (size_t I = 0; I < Ptrs.size(); ++I)
      if (!Drop.count(static_cast<unsigned>(I)))
        Out.push_back(Ptrs[I]);
    return Out;
  };
}

clang::tooling::ArgumentsAdjuster getDriverPathAdjuster() {
  // <llvm>/lib/clang/<version> -> <llvm>/bin/clang++
  llvm::StringRef Llvm = STRESSLINT_CLANG_RESOURCE_DIR;
  for (int Up = 0; Up < 3; ++Up)
    Llvm = llvm::sys::path::parent_path(Llvm);
  llvm::SmallString<256> Driver(Llvm);
  llvm::sys::path::append(Driver, "bin", "clang++");
  return [Driver = std::string(Driver)](
             const clang::tooling::CommandLineArguments &Args, llvm::StringRef) {
    clang::tooling::CommandLineArguments Out = Args;
    if (!Out.empty() && !Driver.empty() && Driver != "bin/clang++")
      Out.front() = Driver;
    return Out;
  };
}

/// Does a system include directory hold \p Name (`<string.h>`, `<QtCore/QString>`
/// where a project has a header of that name too)? Then the system's
/// header is the one Clang finds, and it stays the system's.
static bool servedBySystem(llvm::StringRef Name) {
  static const std::vector<std::string> Dirs = [] {
    std::vector<std::string> Out{"/usr/local/include", "/usr/include"};
    std::error_code EC;
    for (llvm::StringRef Parent : {"/usr/include", "/usr/include/c++"})
      for (llvm::sys::fs::directory_iterator It(Parent, EC), End; It != End && !EC;
           It.increment(EC)) {
        llvm::StringRef P = It->path();
        llvm::StringRef Leaf = llvm::sys::path::filename(P);
        if (Leaf.endswith("-linux-gnu") ||
            (Parent.endswith("c++") && !Leaf.empty() && llvm::isDigit(Leaf.front())))
          Out.push_back(P.str());
      }
    return Out;
  }();
  for (const std::string &Dir : Dirs) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, Name);
    if (llvm::sys::fs::exists(Path))
      return true;
  }
  return false;
}

clang::tooling::ArgumentsAdjuster getProjectIncludeAdjuster() {
  // One index of each project's files for every TU of a run.
  struct Projects {
    std::mutex Lock;
    std::map<std::string, std::unique_ptr<ProjectHeaders>> ByRoot;
  };
  auto Known = std::make_shared<Projects>();
  using clang::tooling::CommandLineArguments;
  return [Known](const CommandLineArguments &Args, llvm::StringRef File) {
    // The root reports are relative to; a file outside it (outside any
    // project) gets nothing.
    std::string Root = findSourceRoot(File);
    std::string Rel = relativeToRoot(File, Root);
    if (Rel.empty())
      return Args;
    // Every directory above the file's own (Clang looks there already), up
    // to the root: first for `#include "core/x.h"`, and after the system's
    // directories for `#include <core/x.h>`, which a project's own -I
    // makes its header too.
    std::vector<std::string> Above;
    for (llvm::StringRef Up = llvm::sys::path::parent_path(Rel); !Up.empty();) {
      Up = llvm::sys::path::parent_path(Up);
      llvm::SmallString<256> Dir(Root);
      llvm::sys::path::append(Dir, Up);
      Above.push_back(std::string(Dir));
    }
    // Then the directories of the project's headers the TU includes by a
    // name no directory above serves (`"network.h"` from `src/common/`).
    ProjectHeaders *Headers;
    {
      std::lock_guard<std::mutex> Guard(Known->Lock);
      std::unique_ptr<ProjectHeaders> &Slot = Known->ByRoot[Root];
      if (!Slot)
        Slot = std::make_unique<ProjectHeaders>(Root);
      Headers = Slot.get();
    }
    IncludeDirectories Extra = Headers->directoriesFor(Root + "/" + Rel, Above);
    // The export macros of the project's classes, empty, right after the
    // compiler: a user's `--extra-arg=-DFOO_EXPORT=...` comes later and wins.
    auto Compiler = Args.begin() + (Args.empty() ? 0 : 1);
    CommandLineArguments Out(Args.begin(), Compiler);
    for (const std::string &M : Extra.ClassMacros)
      Out.push_back("-D" + M + "=");
    Out.insert(Out.end(), Compiler, Args.end());
    for (const std::vector<std::string> *Dirs : {&Above, &Extra.Quoted})
      for (const std::string &Dir : *Dirs) {
        Out.push_back("-iquote");
        Out.push_back(Dir);
      }
    for (const std::vector<std::string> *Dirs : {&Above, &Extra.Angled})
      for (const std::string &Dir : *Dirs) {
        Out.push_back("-idirafter");
        Out.push_back(Dir);
      }
    for (const std::string &Name : Extra.OwnAngled)
      if (!servedBySystem(Name))
        Out.push_back("--no-system-header-prefix=" + Name);
    return Out;
  };
}

/// Does \p Name read like a build option a build system defines
/// (`WITH_SQL`, `ENABLE_PYTHON`, `USE_MYSQL`), rather than a platform or a
/// header guard?
static bool isFeatureName(llvm::StringRef Name) {
  for (llvm::StringRef Prefix : {"WITH_", "ENABLE_", "USE_"})
    if (Name.size() > Prefix.size() && Name.startswith(Prefix))
      return true;
  return false;
}

std::vector<std::string> featureMacrosOf(llvm::StringRef Text) {
  clang::LangOptions LO;
  LO.CPlusPlus = true;
  clang::Lexer L(clang::SourceLocation(), LO, Text.begin(), Text.begin(), Text.end());
  L.SetCommentRetentionState(false);
  struct Group {
    std::vector<std::string> Names; ///< The build options its #if/#ifdef tests.
    unsigned CodeBefore = 0;        ///< Code tokens before it opened.
    bool Alternatives = false;      ///< Has an #elif or #else.
  };
  std::vector<Group> Open;
  /// Groups without alternatives that test options: names, code inside.
  std::vector<std::pair<std::vector<std::string>, unsigned>> Closed;
  llvm::StringSet<> Defined;
  unsigned Code = 0;
  clang::Token Tok;
  auto Next = [&] { return !L.LexFromRawLexer(Tok) || Tok.isNot(clang::tok::eof); };
  bool More = Next();
  while (More) {
    if (!(Tok.is(clang::tok::hash) && Tok.isAtStartOfLine())) {
      ++Code;
      More = Next();
      continue;
    }
    More = Next();
    if (!More || Tok.isAtStartOfLine() || Tok.isNot(clang::tok::raw_identifier))
      continue;
    llvm::StringRef Directive = Tok.getRawIdentifier();
    std::vector<std::string> Names;
    bool Define = Directive == "define";
    // The rest of the directive's line.
    while ((More = Next()) && !Tok.isAtStartOfLine()) {
      if (Tok.isNot(clang::tok::raw_identifier))
        continue;
      llvm::StringRef Name = Tok.getRawIdentifier();
      if (Define) {
        Defined.insert(Name);
        Define = false;
      } else if (isFeatureName(Name) && !llvm::is_contained(Names, Name)) {
        Names.push_back(Name.str());
      }
    }
    if (Directive == "if" || Directive == "ifdef") {
      Open.push_back({std::move(Names), Code, false});
    } else if (Directive == "ifndef") {
      Open.push_back({{}, Code, false});
    } else if ((Directive == "elif" || Directive == "else") && !Open.empty()) {
      Open.back().Alternatives = true;
    } else if (Directive == "endif" && !Open.empty()) {
      Group G = std::move(Open.back());
      Open.pop_back();
      if (!G.Alternatives && !G.Names.empty())
        Closed.push_back({std::move(G.Names), Code - G.CodeBefore});
    }
  }
  // Only an option that holds (nearly) the whole file is switched on: off,
  // the file is empty. One that chooses between branches (`#else`) or
  // guards a part is left as a build without it has it.
  std::vector<std::string> Out;
  for (auto &[Names, Inside] : Closed)
    if (Code && Inside * 10 >= Code * 9)
      for (std::string &N : Names)
        if (!Defined.contains(N) && !llvm::is_contained(Out, N))
          Out.push_back(std::move(N));
  return Out;
}

clang::tooling::ArgumentsAdjuster getFeatureMacroAdjuster() {
  return [](const clang::tooling::CommandLineArguments &Args, llvm::StringRef File) {
    auto Buf = llvm::MemoryBuffer::getFile(File);
    if (!Buf || Args.empty())
      return Args;
    std::vector<std::string> Names = featureMacrosOf((*Buf)->getBuffer());
    // Right after the compiler: a user's `--extra-arg=-UWITH_X` comes later
    // and wins.
    clang::tooling::CommandLineArguments Out(Args.begin(), Args.begin() + 1);
    for (const std::string &N : Names)
      Out.push_back("-D" + N);
    Out.insert(Out.end(), Args.begin() + 1, Args.end());
    return Out;
  };
}

} // namespace stresslint
