//===--- UnifiedDiff.cpp - Lines a change added or modified -----------------===//
#include "driver/UnifiedDiff.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace stresslint {

void ChangedLines::add(llvm::StringRef File, unsigned First, unsigned Count) {
  if (Count == 0)
    return;
  unsigned Last = First + Count - 1;
  auto &Ranges = Files[File.str()];
  if (Ranges.empty() || First > Ranges.back().second + 1) {
    Ranges.emplace_back(First, Last);
    return;
  }
  if (First >= Ranges.back().first) {
    Ranges.back().second = std::max(Ranges.back().second, Last);
    return;
  }
  // Out of order (a hand-written diff): sort and merge.
  Ranges.emplace_back(First, Last);
  llvm::sort(Ranges);
  std::vector<std::pair<unsigned, unsigned>> Merged;
  for (const auto &R : Ranges) {
    if (!Merged.empty() && R.first <= Merged.back().second + 1)
      Merged.back().second = std::max(Merged.back().second, R.second);
    else
      Merged.push_back(R);
  }
  Ranges = std::move(Merged);
}

bool ChangedLines::touches(llvm::StringRef File, unsigned First, unsigned Last) const {
  auto It = Files.find(File.str());
  if (It == Files.end())
    return false;
  const auto &Ranges = It->second;
  // The first range that ends at or after First.
  auto R = llvm::partition_point(
      Ranges, [&](const std::pair<unsigned, unsigned> &P) { return P.second < First; });
  return R != Ranges.end() && R->first <= Last;
}

ChangedLines ChangedLines::rebased(llvm::StringRef Root) const {
  ChangedLines Out;
  for (const auto &[Path, Ranges] : Files) {
    llvm::SmallString<256> Abs(Path);
    if (!llvm::sys::path::is_absolute(Abs)) {
      Abs = Root;
      llvm::sys::path::append(Abs, Path);
    }
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
    llvm::SmallString<256> Real;
    if (!llvm::sys::fs::real_path(Abs, Real))
      Abs = Real;
    auto &Into = Out.Files[std::string(Abs)];
    Into.insert(Into.end(), Ranges.begin(), Ranges.end());
    llvm::sort(Into);
  }
  return Out;
}

namespace {

llvm::Error diffError(size_t LineNo, const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "line " + llvm::Twine(LineNo) + ": " + Msg);
}

/// The path of a `---`/`+++` line: C-style quoted as git writes unusual
/// names, or up to a tab (diff -u appends a timestamp after one).
llvm::Expected<std::string> headerPath(llvm::StringRef S, size_t LineNo) {
  if (!S.startswith("\""))
    return S.split('\t').first.rtrim().str();
  std::string Out;
  for (size_t I = 1; I < S.size(); ++I) {
    char C = S[I];
    if (C == '"')
      return Out;
    if (C != '\\') {
      Out += C;
      continue;
    }
    if (++I == S.size())
      break;
    C = S[I];
    if (C >= '0' && C <= '7') {
      unsigned V = 0;
      for (unsigned N = 0; N < 3 && I < S.size() && S[I] >= '0' && S[I] <= '7';
           ++N, ++I)
        V = V * 8 + static_cast<unsigned>(S[I] - '0');
      --I;
      Out += static_cast<char>(V);
      continue;
    }
    switch (C) {
    case 'n':
      Out += '\n';
      break;
    case 't':
      Out += '\t';
      break;
    case 'r':
      Out += '\r';
      break;
    case 'a':
      Out += '\a';
      break;
    case 'b':
      Out += '\b';
      break;
    case 'f':
      Out += '\f';
      break;
    case 'v':
      Out += '\v';
      break;
    default:
      Out += C; // \\ and \"
    }
  }
  return diffError(LineNo, "unterminated quoted file name");
}

/// `@@ -a[,b] +c[,d] @@ ...` -> {b, c, d}; counts default to 1.
bool parseHunkHeader(llvm::StringRef L, unsigned &OldCount, unsigned &NewStart,
                     unsigned &NewCount) {
  if (!L.consume_front("@@ -"))
    return false;
  unsigned OldStart = 0;
  auto Range = [&L](unsigned &Start, unsigned &Count) {
    if (L.consumeInteger(10, Start))
      return false;
    Count = 1;
    if (L.consume_front(","))
      return !L.consumeInteger(10, Count);
    return true;
  };
  if (!Range(OldStart, OldCount) || !L.consume_front(" +") ||
      !Range(NewStart, NewCount))
    return false;
  return L.startswith(" @@");
}

} // namespace

llvm::Expected<ChangedLines> parseUnifiedDiff(llvm::StringRef Text) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();
  ChangedLines Out;
  std::optional<std::string> File; // Set after a header; "" = deleted file.
  for (size_t I = 0; I < Lines.size(); ++I) {
    llvm::StringRef L = Lines[I].rtrim('\r');
    if (L.startswith("--- ") && I + 1 < Lines.size() &&
        Lines[I + 1].startswith("+++ ")) {
      auto Old = headerPath(L.drop_front(4), I + 1);
      if (!Old)
        return Old.takeError();
      auto New = headerPath(Lines[I + 1].rtrim('\r').drop_front(4), I + 2);
      if (!New)
        return New.takeError();
      ++I;
      llvm::StringRef NewPath(*New);
      if (NewPath == "/dev/null") {
        File = "";
        continue;
      }
      if ((llvm::StringRef(*Old).startswith("a/") || *Old == "/dev/null") &&
          NewPath.startswith("b/"))
        NewPath = NewPath.drop_front(2);
      if (NewPath.empty())
        return diffError(I + 1, "empty file name");
      File = NewPath.str();
      continue;
    }
    if (!L.startswith("@@"))
      continue; // diff --git, index, mode, rename, Binary files, "\ No newline"
    unsigned OldLeft = 0, NewLine = 0, NewLeft = 0;
    if (!parseHunkHeader(L, OldLeft, NewLine, NewLeft))
      return diffError(I + 1, "malformed hunk header '" + L + "'");
    if (!File)
      return diffError(I + 1, "hunk before any '--- '/'+++ ' file header");
    size_t HunkLine = I + 1;
    while (OldLeft || NewLeft) {
      if (++I == Lines.size())
        return diffError(HunkLine, "hunk ends early (the diff is truncated)");
      llvm::StringRef B = Lines[I];
      char Kind = B.empty() ? ' ' : B[0];
      if (Kind == '\\')
        continue; // \ No newline at end of file
      if (Kind == '+' && NewLeft) {
        if (!File->empty())
          Out.add(*File, NewLine, 1);
        ++NewLine;
        --NewLeft;
      } else if (Kind == '-' && OldLeft) {
        --OldLeft;
      } else if (Kind == ' ' && OldLeft && NewLeft) {
        ++NewLine;
        --OldLeft;
        --NewLeft;
      } else {
        return diffError(I + 1, "line does not fit the hunk header at line " +
                                    llvm::Twine(HunkLine));
      }
    }
  }
  return Out;
}

namespace {

/// Runs git with \p Args; its stdout, or an error with its stderr.
llvm::Expected<std::string> runGit(llvm::ArrayRef<std::string> Args) {
  auto Git = llvm::sys::findProgramByName("git");
  if (!Git)
    return llvm::createStringError(Git.getError(), "git not found on PATH");
  llvm::SmallString<128> OutFile, ErrFile;
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("stresslint-git", "out", OutFile))
    return llvm::createStringError(EC, "cannot create a temporary file");
  if (std::error_code EC =
          llvm::sys::fs::createTemporaryFile("stresslint-git", "err", ErrFile)) {
    llvm::sys::fs::remove(OutFile);
    return llvm::createStringError(EC, "cannot create a temporary file");
  }
  std::vector<llvm::StringRef> Argv{*Git};
  Argv.insert(Argv.end(), Args.begin(), Args.end());
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(OutFile), llvm::StringRef(ErrFile)};
  std::string ExecError;
  int RC = llvm::sys::ExecuteAndWait(*Git, Argv, std::nullopt, Redirects,
                                     /*SecondsToWait=*/600, 0, &ExecError);
  auto Read = [](llvm::StringRef P) {
    auto Buf = llvm::MemoryBuffer::getFile(P);
    return Buf ? (*Buf)->getBuffer().str() : std::string();
  };
  std::string Out = Read(OutFile), Err = Read(ErrFile);
  llvm::sys::fs::remove(OutFile);
  llvm::sys::fs::remove(ErrFile);
  if (RC != 0)
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(), "'git %s' failed: %s",
        llvm::join(Args, " ").c_str(),
        (ExecError.empty() ? llvm::StringRef(Err).trim().str() : ExecError).c_str());
  return Out;
}

} // namespace

llvm::Expected<ChangedLines> gitChangedLines(llvm::StringRef Rev,
                                             llvm::StringRef AnyPath) {
  if (Rev.empty() || Rev.startswith("-"))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--diff: '%s' is not a git revision",
                                   Rev.str().c_str());
  llvm::SmallString<256> Dir(AnyPath);
  llvm::sys::fs::make_absolute(Dir);
  if (!llvm::sys::fs::is_directory(Dir))
    llvm::sys::path::remove_filename(Dir);
  auto Top = runGit({"-C", std::string(Dir), "rev-parse", "--show-toplevel"});
  if (!Top)
    return Top.takeError();
  std::string Root = llvm::StringRef(*Top).trim().str();
  auto Diff = runGit({"-C", Root, "-c", "core.quotePath=false", "diff", "-U0",
                      "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/",
                      "--dst-prefix=b/", Rev.str(), "--"});
  if (!Diff)
    return Diff.takeError();
  auto Changed = parseUnifiedDiff(*Diff);
  if (!Changed)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "cannot read the output of git diff: %s",
                                   llvm::toString(Changed.takeError()).c_str());
  return Changed->rebased(Root);
}

} // namespace stresslint
