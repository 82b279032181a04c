//===--- ProjectHeaders.cpp - A project's headers wherever they live ------===//
#include "driver/ProjectHeaders.h"
#include "driver/SourceRoot.h"

#include "clang/Basic/LangOptions.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace stresslint {

/// A project far larger than any we lint whole: past this many files the
/// index stops growing, and what it holds still serves.
static constexpr size_t MaxIndexedFiles = 200000;
/// The project files one TU's includes are followed through.
static constexpr size_t MaxFollowedFiles = 4000;

FileDirectives scanDirectives(llvm::StringRef Text) {
  clang::LangOptions LO;
  LO.CPlusPlus = true;
  clang::Lexer L(clang::SourceLocation(), LO, Text.begin(), Text.begin(), Text.end());
  L.SetCommentRetentionState(false);
  auto IsWord = [](const clang::Token &T, llvm::StringRef W) {
    return T.is(clang::tok::raw_identifier) && T.getRawIdentifier() == W;
  };
  // A macro is written in capitals (no keyword is): `for (struct Row r :
  // rows)` has a type.
  auto IsMacro = [](const clang::Token &T) {
    return T.is(clang::tok::raw_identifier) &&
           llvm::all_of(T.getRawIdentifier(), [](char C) {
             return (C >= 'A' && C <= 'Z') || llvm::isDigit(C) || C == '_';
           });
  };
  FileDirectives Out;
  // The four tokens before the current one, oldest first.
  clang::Token W[4];
  for (clang::Token &T : W)
    T.startToken();
  clang::Token Tok;
  bool More = !L.LexFromRawLexer(Tok) || Tok.isNot(clang::tok::eof);
  while (More) {
    // `class MACRO Name {`, `struct MACRO Name : Base`, `... Name final {`:
    // two names after the class key, so the first is no type but a macro.
    if (Tok.isOneOf(clang::tok::l_brace, clang::tok::colon)) {
      bool Final = IsWord(W[3], "final");
      const clang::Token *Head = Final ? W : W + 1;
      if ((IsWord(Head[0], "class") || IsWord(Head[0], "struct")) && IsMacro(Head[1]) &&
          Head[2].is(clang::tok::raw_identifier) && !IsWord(Head[2], "final") &&
          !llvm::is_contained(Out.ClassMacros, Head[1].getRawIdentifier()))
        Out.ClassMacros.push_back(Head[1].getRawIdentifier().str());
    }
    bool Hash = Tok.is(clang::tok::hash) && Tok.isAtStartOfLine();
    std::move(W + 1, W + 4, W);
    W[3] = Tok;
    More = !L.LexFromRawLexer(Tok) || Tok.isNot(clang::tok::eof);
    if (!Hash || !More || Tok.isAtStartOfLine() ||
        Tok.isNot(clang::tok::raw_identifier))
      continue;
    llvm::StringRef Directive = Tok.getRawIdentifier();
    if (Directive != "include" && Directive != "import" && Directive != "include_next")
      continue;
    // The name, read from the text: the raw lexer has no header-name token.
    llvm::StringRef Rest(L.getBufferLocation(),
                         static_cast<size_t>(Text.end() - L.getBufferLocation()));
    Rest = Rest.take_until([](char C) { return C == '\n'; }).ltrim(" \t");
    char Close = Rest.startswith("\"") ? '"' : Rest.startswith("<") ? '>' : 0;
    if (Close) {
      llvm::StringRef Name =
          Rest.drop_front().take_until([&](char C) { return C == Close; });
      if (!Name.empty() && Name.size() + 1 < Rest.size())
        Out.Includes.push_back({Name.str(), Close == '"'});
    }
    More = !L.LexFromRawLexer(Tok) || Tok.isNot(clang::tok::eof);
  }
  return Out;
}

void ProjectHeaders::index() {
  if (Indexed)
    return;
  Indexed = true;
  walkSourceTree(
      Root,
      [&](const std::string &File) {
        if (Files.size() >= MaxIndexedFiles)
          return;
        Files.insert(File);
        ByName[llvm::sys::path::filename(File)].push_back(File);
      },
      // A web front end's packages hold no C++ the project includes.
      [](llvm::StringRef Dir) {
        return llvm::sys::path::filename(Dir) != "node_modules";
      });
}

const FileDirectives &ProjectHeaders::directivesOf(const std::string &File) {
  auto It = Scanned.find(File);
  if (It != Scanned.end())
    return It->second;
  FileDirectives Found;
  if (auto Buf = llvm::MemoryBuffer::getFile(File, /*IsText=*/true))
    Found = scanDirectives((*Buf)->getBuffer());
  return Scanned[File] = std::move(Found);
}

/// How many leading directories \p A and \p B share.
static unsigned sharedDirectories(llvm::StringRef A, llvm::StringRef B) {
  unsigned N = 0;
  for (auto I = llvm::sys::path::begin(A), J = llvm::sys::path::begin(B),
            IE = llvm::sys::path::end(A), JE = llvm::sys::path::end(B);
       I != IE && J != JE && *I == *J; ++I, ++J)
    ++N;
  return N;
}

std::string ProjectHeaders::nearestEndingIn(llvm::StringRef Name,
                                            llvm::StringRef FromDir) const {
  auto It = ByName.find(llvm::sys::path::filename(Name));
  if (It == ByName.end())
    return "";
  std::string Suffix = ("/" + Name).str();
  std::string Best;
  unsigned BestShared = 0;
  bool Tie = false;
  for (const std::string &Candidate : It->second) {
    if (!llvm::StringRef(Candidate).endswith(Suffix))
      continue;
    unsigned Shared =
        sharedDirectories(llvm::sys::path::parent_path(Candidate), FromDir);
    if (Best.empty() || Shared > BestShared) {
      Best = Candidate;
      BestShared = Shared;
      Tie = false;
    } else if (Shared == BestShared) {
      Tie = true;
    }
  }
  return Tie ? "" : Best;
}

IncludeDirectories
ProjectHeaders::directoriesFor(llvm::StringRef File,
                               llvm::ArrayRef<std::string> Searched) {
  std::lock_guard<std::mutex> Guard(Lock);
  index();
  IncludeDirectories Out;
  auto InDir = [&](llvm::StringRef Dir, llvm::StringRef Name) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, Name);
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
    return Files.count(Path) ? std::string(Path) : std::string();
  };
  // Where Clang would find \p Inc from a file in \p FromDir: for a quoted
  // include that directory and the quoted-only ones added, then those of
  // both kinds, in order.
  auto Find = [&](const IncludeDirective &Inc, llvm::StringRef FromDir) {
    std::vector<llvm::StringRef> Dirs;
    if (Inc.Quoted) {
      Dirs.push_back(FromDir);
      Dirs.insert(Dirs.end(), Out.Quoted.begin(), Out.Quoted.end());
    }
    Dirs.insert(Dirs.end(), Searched.begin(), Searched.end());
    Dirs.insert(Dirs.end(), Out.Angled.begin(), Out.Angled.end());
    for (llvm::StringRef Dir : Dirs) {
      std::string Path = InDir(Dir, Inc.Name);
      if (!Path.empty())
        return Path;
    }
    return std::string();
  };
  std::vector<std::string> Work{canonicalPath(File)};
  llvm::StringSet<> Seen{Work.front()};
  llvm::StringSet<> OwnNames;
  // A library kept in the project's tree: `3rdparty/`, `vendor/`, ...
  auto IsVendored = [&](llvm::StringRef Path) {
    llvm::StringRef Rel = Path;
    if (Rel.consume_front(Root))
      Rel = Rel.ltrim('/');
    for (auto It = llvm::sys::path::begin(Rel), End = llvm::sys::path::end(Rel);
         It != End; ++It) {
      std::string C = It->lower();
      if (C == "3rdparty" || C == "third_party" || C == "thirdparty" ||
          C == "third-party" || C == "vendor" || C == "vendored" || C == "external" ||
          C == "extern" || C == "deps" || C == "contrib" || C == "submodules")
        return true;
    }
    return false;
  };
  while (!Work.empty() && Seen.size() <= MaxFollowedFiles) {
    std::string Current = Work.back();
    Work.pop_back();
    std::string FromDir(llvm::sys::path::parent_path(Current));
    const FileDirectives &Directives = directivesOf(Current);
    for (const std::string &M : Directives.ClassMacros)
      if (!llvm::is_contained(Out.ClassMacros, M))
        Out.ClassMacros.push_back(M);
    for (const IncludeDirective &Inc : Directives.Includes) {
      if (llvm::sys::path::is_absolute(Inc.Name))
        continue;
      std::string Path = Find(Inc, FromDir);
      if (Path.empty() && !llvm::StringRef(Inc.Name).startswith(".")) {
        Path = nearestEndingIn(Inc.Name, FromDir);
        if (!Path.empty()) {
          // The directory the name is relative to.
          std::string Dir = Path.substr(0, Path.size() - Inc.Name.size() - 1);
          (Inc.Quoted ? Out.Quoted : Out.Angled).push_back(Dir);
        }
      }
      if (!Inc.Quoted && !Path.empty() && !IsVendored(Path) &&
          OwnNames.insert(Inc.Name).second)
        Out.OwnAngled.push_back(Inc.Name);
      if (!Path.empty() && Seen.insert(Path).second)
        Work.push_back(Path);
    }
  }
  return Out;
}

} // namespace stresslint
