//===--- FindingText.cpp - Findings printed as clang prints diagnostics ---===//
#include "driver/FindingText.h"
#include "support/LineTable.h"

#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/TextDiagnostic.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <map>

using namespace clang;
using clang::tidy::ClangTidyError;

namespace stresslint {

namespace {

/// TextDiagnostic shows no snippet for a caret past this column or a line
/// longer than this.
constexpr unsigned MaxLineLengthToPrint = 4096;

/// One file the findings point into, read once.
struct SourceText {
  /// The path that first named the file: what clang prints for every name
  /// of it (its FileManager unifies names of one file).
  std::string Name;
  std::unique_ptr<llvm::MemoryBuffer> Buffer;
  /// Lines by SourceManager's rules: `\n`, `\r` and `\r\n` end a line.
  LineTable Lines;
  /// The file in the SourceManager of clang's renderer, once it needed it.
  FileID FID;

  llvm::StringRef text() const { return Buffer->getBuffer(); }
  /// 1-based line of \p Offset.
  unsigned line(unsigned Offset) const { return Lines.line(Offset); }
  /// The bytes of line \p Line (1-based) without its line break.
  llvm::StringRef lineText(unsigned Line) const { return Lines.lineText(Line); }
};

bool isPrintableAscii(llvm::StringRef S) {
  return llvm::all_of(S, [](char C) { return C >= 0x20 && C <= 0x7e; });
}

llvm::StringRef levelName(DiagnosticsEngine::Level Level) {
  switch (Level) {
  case DiagnosticsEngine::Note:
    return "note";
  case DiagnosticsEngine::Remark:
    return "remark";
  case DiagnosticsEngine::Error:
    return "error";
  case DiagnosticsEngine::Fatal:
    return "fatal error";
  default:
    return "warning";
  }
}

/// A range of a message, resolved.
struct FileRange {
  SourceText *File = nullptr;
  unsigned Begin = 0, End = 0;
};

/// A fix of a message: its range and the replacement text.
struct Fix {
  FileRange Range;
  llvm::StringRef Text;
};

class Printer {
public:
  Printer(llvm::raw_ostream &OS, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
          const FindingTextOptions &Opts)
      : OS(OS), FS(std::move(FS)), Opts(Opts) {
    if (auto Cwd = this->FS->getCurrentWorkingDirectory())
      InitialDir = *Cwd;
    DiagOpts->ShowColors = Opts.Colors;
  }

  /// As clang-tidy's ErrorReporter::reportDiagnostic (no fixes).
  void print(const ClangTidyError &E) {
    auto Level = static_cast<DiagnosticsEngine::Level>(E.DiagLevel);
    std::string Name = E.DiagnosticName;
    for (const std::string &Alias : E.EnabledDiagnosticAliases)
      Name += "," + Alias;
    if (E.IsWarningAsError) {
      Name += ",-warnings-as-errors";
      Level = DiagnosticsEngine::Error;
      ++WarningsAsErrors;
    }
    emit(Level, format(Level, E.Message.Message, Name), E.Message, E.BuildDirectory);
    for (const tooling::DiagnosticMessage &Note : E.Notes)
      emit(DiagnosticsEngine::Note, format(DiagnosticsEngine::Note, Note.Message, ""),
           Note, E.BuildDirectory);
  }

  unsigned WarningsAsErrors = 0;

private:
  /// Keeps the text a DiagnosticsEngine formats from a custom diagnostic.
  class Formatted : public DiagnosticConsumer {
  public:
    void HandleDiagnostic(DiagnosticsEngine::Level, const Diagnostic &Info) override {
      Text.clear();
      Info.FormatDiagnostic(Text);
    }
    llvm::SmallString<256> Text;
  };

  /// clang-tidy's `%0 [%1]` (a note's `%0`) with \p Message and \p Name as
  /// arguments: clang escapes what is not printable in them (`<U+0001>`,
  /// `<E9>` for a byte that is not UTF-8), so only plain text skips it.
  std::string format(DiagnosticsEngine::Level Level, llvm::StringRef Message,
                     llvm::StringRef Name) {
    auto Plain = [](llvm::StringRef S) {
      return llvm::all_of(S, [](char C) { return C >= 0x20 && C <= 0x7e; });
    };
    if (Plain(Message) && Plain(Name))
      return Name.empty() ? Message.str() : (Message + " [" + Name + "]").str();
    if (!Formatter) {
      Formatter = std::make_unique<DiagnosticsEngine>(new DiagnosticIDs(),
                                                      new DiagnosticOptions(), &Format,
                                                      /*ShouldOwnClient=*/false);
    }
    {
      auto B = Formatter->Report(Name.empty()
                                     ? Formatter->getCustomDiagID(Level, "%0")
                                     : Formatter->getCustomDiagID(Level, "%0 [%1]"));
      B << Message;
      if (!Name.empty())
        B << Name;
    }
    return std::string(Format.Text);
  }

  /// The file \p Path names, resolved as clang-tidy resolves it: relative
  /// to \p BuildDir when set (it changes the working directory there), the
  /// first resolution of a name stays, and names of one file share it.
  SourceText *file(llvm::StringRef Path, llvm::StringRef BuildDir) {
    if (Path.empty())
      return nullptr;
    auto [It, New] = ByName.try_emplace(Path, nullptr);
    if (!New)
      return It->second;
    llvm::SmallString<256> Abs;
    if (llvm::sys::path::is_absolute(Path)) {
      Abs = Path;
    } else {
      Abs = BuildDir.empty() ? llvm::StringRef(InitialDir) : BuildDir;
      llvm::sys::path::append(Abs, Path);
    }
    llvm::ErrorOr<llvm::vfs::Status> St = FS->status(Abs);
    if (!St || St->isDirectory())
      return nullptr;
    std::unique_ptr<SourceText> &Slot = ByID[St->getUniqueID()];
    if (!Slot) {
      auto Buf = FS->getBufferForFile(Abs, -1, /*RequiresNullTerminator=*/true,
                                      /*IsVolatile=*/false);
      if (!Buf)
        return nullptr;
      Slot = std::make_unique<SourceText>();
      Slot->Name = Path.str();
      Slot->Buffer = std::move(*Buf);
      Slot->Lines = LineTable(Slot->text());
    }
    return It->second = Slot.get();
  }

  /// A range's file: clang-tidy makes its path absolute first.
  SourceText *rangeFile(llvm::StringRef Path, llvm::StringRef BuildDir) {
    if (Path.empty() || llvm::sys::path::is_absolute(Path))
      return file(Path, BuildDir);
    llvm::SmallString<256> Abs(BuildDir.empty() ? llvm::StringRef(InitialDir)
                                                : BuildDir);
    llvm::sys::path::append(Abs, Path);
    return file(Abs, BuildDir);
  }

  void emit(DiagnosticsEngine::Level Level, const std::string &Text,
            const tooling::DiagnosticMessage &M, llvm::StringRef BuildDir) {
    SourceText *F = file(M.FilePath, BuildDir);
    llvm::SmallVector<FileRange, 1> Ranges;
    for (const tooling::FileByteRange &R : M.Ranges)
      Ranges.push_back(
          {rangeFile(R.FilePath, BuildDir), R.FileOffset, R.FileOffset + R.Length});
    // Fixes show as fix-it hints (clang-tidy's reportFix), in the map's order.
    llvm::SmallVector<Fix, 1> Fixes;
    for (const auto &FileAndReplacements : M.Fix)
      for (const tooling::Replacement &R : FileAndReplacements.second)
        if (R.isApplicable())
          Fixes.push_back({{rangeFile(R.getFilePath(), BuildDir), R.getOffset(),
                            R.getOffset() + R.getLength()},
                           R.getReplacementText()});
    if (!F) {
      // No location: clang's printer has a path of its own for these, and
      // they leave the last location as it was.
      TextDiagnostic::printDiagnosticLevel(OS, Level, Opts.Colors);
      TextDiagnostic::printDiagnosticMessage(OS, Level == DiagnosticsEngine::Note, Text,
                                             0, 0, Opts.Colors);
      return;
    }
    bool HasRanges = !Fixes.empty() ||
                     llvm::any_of(Ranges, [](const FileRange &R) { return R.File; });
    // TextDiagnostic shows a location's snippet once, unless there are
    // ranges or a note gives way to a diagnostic of another level.
    bool Snippet = !(F == LastFile && M.FileOffset == LastOffset && !HasRanges &&
                     (LastLevel != DiagnosticsEngine::Note || Level == LastLevel));
    if (Opts.AlwaysClang || !Fixes.empty() ||
        !emitPlain(Level, Text, *F, M.FileOffset, Ranges, Snippet))
      emitClang(Level, Text, *F, M.FileOffset, Ranges, Fixes, Snippet);
    LastFile = F;
    LastOffset = M.FileOffset;
    LastLevel = Level;
  }

  /// Renders what TextDiagnostic renders for a plain line; false, having
  /// printed nothing, when the line needs TextDiagnostic.
  bool emitPlain(DiagnosticsEngine::Level Level, llvm::StringRef Text,
                 const SourceText &F, unsigned Offset, llvm::ArrayRef<FileRange> Ranges,
                 bool Snippet) {
    if (Opts.Colors || Text.contains('\x7f'))
      return false;
    llvm::StringRef Buf = F.text();
    unsigned Line = F.line(Offset);
    auto LineStart = static_cast<unsigned>(F.Lines.lineStart(Line));
    llvm::StringRef Source = F.lineText(Line);
    // Within its line (not on a line break, where SourceManager's column
    // depends on what it looked up before) and in the file.
    auto OnLine = [&](unsigned Off, unsigned L) {
      return Off <= Buf.size() && Off - F.Lines.lineStart(L) <= F.lineText(L).size();
    };
    if (!OnLine(Offset, Line))
      return false;
    for (const FileRange &R : Ranges)
      if (R.File != &F || R.End < R.Begin || !OnLine(R.Begin, F.line(R.Begin)) ||
          !OnLine(R.End, F.line(R.End)))
        return false;
    unsigned Column = Offset - LineStart + 1;
    Snippet = Snippet && Column <= MaxLineLengthToPrint && LineStart != Buf.size() &&
              Source.size() <= MaxLineLengthToPrint;
    if (Snippet && !isPrintableAscii(Source))
      return false;

    OS << F.Name << ':' << Line << ':' << Column << ": " << levelName(Level) << ": "
       << Text << '\n';
    if (!Snippet)
      return true;
    // One column per byte: the caret line under the source line.
    std::string Caret(Source.size(), ' ');
    for (const FileRange &R : Ranges) {
      unsigned First = F.line(R.Begin), Last = F.line(R.End);
      if (First > Line || Last < Line)
        continue;
      unsigned From = First == Line ? R.Begin - LineStart : 0;
      unsigned To = Last == Line ? R.End - LineStart : Source.size();
      std::fill(Caret.begin() + From, Caret.begin() + To, '~');
    }
    if (Caret.size() < Column)
      Caret.resize(Column, ' ');
    Caret[Column - 1] = '^';
    Caret.erase(Caret.find_last_not_of(' ') + 1);
    if (!Source.empty())
      OS << Source << '\n';
    OS << Caret << '\n';
    return true;
  }

  /// Renders through clang's TextDiagnostic, with \p Snippet deciding what
  /// its own memory of the last location would.
  void emitClang(DiagnosticsEngine::Level Level, llvm::StringRef Text, SourceText &F,
                 unsigned Offset, llvm::ArrayRef<FileRange> Ranges,
                 llvm::ArrayRef<Fix> Fixes, bool Snippet) {
    if (!SM) {
      Files = std::make_unique<FileManager>(FileSystemOptions(), FS);
      Diags = std::make_unique<DiagnosticsEngine>(new DiagnosticIDs(), &*DiagOpts,
                                                  new IgnoringDiagConsumer());
      SM = std::make_unique<SourceManager>(*Diags, *Files);
    }
    auto LocOf = [&](SourceText &S, unsigned Off) {
      if (S.FID.isInvalid())
        // Named as clang-tidy's FileManager names it.
        S.FID = SM->createFileID(llvm::MemoryBuffer::getMemBuffer(S.text(), S.Name),
                                 SrcMgr::C_User);
      return SM->getLocForStartOfFile(S.FID).getLocWithOffset(static_cast<int>(Off));
    };
    auto SpanOf = [&](const FileRange &R) {
      if (!R.File)
        return CharSourceRange();
      SourceLocation Begin = LocOf(*R.File, R.Begin);
      return CharSourceRange::getCharRange(
          Begin, Begin.getLocWithOffset(static_cast<int>(R.End - R.Begin)));
    };
    llvm::SmallVector<CharSourceRange, 1> Spans;
    for (const FileRange &R : Ranges)
      if (R.File)
        Spans.push_back(SpanOf(R));
    llvm::SmallVector<FixItHint, 1> Hints;
    for (const Fix &X : Fixes)
      Hints.push_back(FixItHint::CreateReplacement(SpanOf(X.Range), X.Text));
    DiagOpts->ShowCarets = Snippet;
    TextDiagnostic Renderer(OS, LangOptions(), &*DiagOpts);
    Renderer.emitDiagnostic(FullSourceLoc(LocOf(F, Offset), *SM), Level, Text, Spans,
                            Hints);
  }

  llvm::raw_ostream &OS;
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS;
  FindingTextOptions Opts;
  std::string InitialDir;
  llvm::StringMap<SourceText *> ByName;
  std::map<llvm::sys::fs::UniqueID, std::unique_ptr<SourceText>> ByID;
  const SourceText *LastFile = nullptr;
  unsigned LastOffset = 0;
  DiagnosticsEngine::Level LastLevel = DiagnosticsEngine::Ignored;
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> DiagOpts = new DiagnosticOptions();
  std::unique_ptr<FileManager> Files;
  std::unique_ptr<DiagnosticsEngine> Diags;
  std::unique_ptr<SourceManager> SM;
  Formatted Format;
  std::unique_ptr<DiagnosticsEngine> Formatter;
};

} // namespace

unsigned printFindingText(llvm::ArrayRef<ClangTidyError> Errors, llvm::raw_ostream &OS,
                          llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                          const FindingTextOptions &Opts) {
  Printer P(OS, std::move(FS), Opts);
  for (const ClangTidyError &E : Errors)
    P.print(E);
  return P.WarningsAsErrors;
}

} // namespace stresslint
