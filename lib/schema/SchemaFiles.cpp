//===--- SchemaFiles.cpp - Finding and loading a project's DDL -------------===//
#include "schema/SchemaFiles.h"
#include "driver/SourceRoot.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <mutex>

namespace stresslint {

std::string schemaRoot(llvm::StringRef File) {
  return findSourceRoot(File.empty() ? "." : File, ".clang-tidy");
}

bool naturalLess(llvm::StringRef A, llvm::StringRef B) {
  size_t I = 0, J = 0;
  while (I < A.size() && J < B.size()) {
    if (llvm::isDigit(A[I]) && llvm::isDigit(B[J])) {
      size_t EI = I, EJ = J;
      while (EI < A.size() && llvm::isDigit(A[EI]))
        ++EI;
      while (EJ < B.size() && llvm::isDigit(B[EJ]))
        ++EJ;
      // Compare as numbers: without leading zeros, the longer is larger.
      llvm::StringRef NA = A.slice(I, EI).ltrim('0'), NB = B.slice(J, EJ).ltrim('0');
      if (NA.size() != NB.size())
        return NA.size() < NB.size();
      if (int C = NA.compare(NB))
        return C < 0;
      I = EI;
      J = EJ;
      continue;
    }
    if (A[I] != B[J])
      return static_cast<unsigned char>(A[I]) < static_cast<unsigned char>(B[J]);
    ++I;
    ++J;
  }
  if (A.size() - I != B.size() - J)
    return A.size() - I < B.size() - J;
  return A < B; // `01` and `1`: a total order all the same.
}

static llvm::Expected<bool> matchSegments(llvm::ArrayRef<llvm::StringRef> Glob,
                                          llvm::ArrayRef<llvm::StringRef> Path) {
  if (Glob.empty())
    return Path.empty();
  if (Glob.front() == "**") {
    // Zero or more segments.
    for (size_t Skip = 0; Skip <= Path.size(); ++Skip) {
      llvm::Expected<bool> M = matchSegments(Glob.drop_front(), Path.drop_front(Skip));
      if (!M || *M)
        return M;
    }
    return false;
  }
  if (Path.empty())
    return false;
  llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(Glob.front());
  if (!P)
    return P.takeError();
  if (!P->match(Path.front()))
    return false;
  return matchSegments(Glob.drop_front(), Path.drop_front());
}

llvm::Expected<bool> matchPathGlob(llvm::StringRef Glob, llvm::StringRef Path) {
  llvm::SmallVector<llvm::StringRef, 8> G, P;
  Glob.split(G, '/', -1, /*KeepEmpty=*/false);
  Path.split(P, '/', -1, /*KeepEmpty=*/false);
  return matchSegments(G, P);
}

/// The globs of a `SchemaFiles` value, trimmed, checked.
static llvm::Expected<std::vector<std::string>> parseGlobs(llvm::StringRef Globs) {
  std::vector<std::string> Out;
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Globs.split(Parts, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef G : Parts) {
    G = G.trim();
    if (G.empty())
      continue;
    G.consume_front("./");
    if (llvm::sys::path::is_absolute(G))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "schema glob '%s' must be relative to the "
                                     "project root",
                                     G.str().c_str());
    // Checks each segment now: a bad glob is an error even when no path
    // reaches it.
    llvm::SmallVector<llvm::StringRef, 8> Segments;
    G.split(Segments, '/', -1, false);
    for (llvm::StringRef S : Segments)
      if (S != "**")
        if (llvm::Expected<llvm::GlobPattern> P = llvm::GlobPattern::create(S); !P)
          return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                         "bad schema glob '%s': %s", G.str().c_str(),
                                         llvm::toString(P.takeError()).c_str());
    Out.push_back(G.str());
  }
  return Out;
}

llvm::Error checkSchemaGlobs(llvm::StringRef Globs) {
  llvm::Expected<std::vector<std::string>> Parsed = parseGlobs(Globs);
  return Parsed ? llvm::Error::success() : Parsed.takeError();
}

/// The directory under \p Root where matches of \p Glob can start: its
/// leading segments without wildcards.
static std::string walkBase(llvm::StringRef Root, llvm::StringRef Glob) {
  llvm::SmallString<256> Base(Root);
  llvm::SmallVector<llvm::StringRef, 8> Segments;
  Glob.split(Segments, '/', -1, false);
  for (size_t I = 0; I + 1 < Segments.size(); ++I) {
    if (Segments[I].find_first_of("*?[{\\") != llvm::StringRef::npos)
      break;
    llvm::sys::path::append(Base, Segments[I]);
  }
  return std::string(Base);
}

llvm::Expected<std::vector<std::string>> findSchemaFiles(llvm::StringRef Root,
                                                         llvm::StringRef Globs) {
  llvm::Expected<std::vector<std::string>> Parsed = parseGlobs(Globs);
  if (!Parsed)
    return Parsed.takeError();
  std::vector<std::string> Bases;
  for (const std::string &G : *Parsed)
    Bases.push_back(walkBase(Root, G));
  llvm::sort(Bases);
  Bases.erase(std::unique(Bases.begin(), Bases.end()), Bases.end());
  std::vector<std::string> Out;
  llvm::Error Err = llvm::Error::success();
  auto NotDependencies = [](llvm::StringRef Dir) {
    llvm::StringRef Name = llvm::sys::path::filename(Dir);
    return Name != "build" && Name != "node_modules";
  };
  for (size_t B = 0; B < Bases.size(); ++B) {
    // A base inside another base is walked with it.
    if (llvm::any_of(llvm::make_range(Bases.begin(), Bases.begin() + B),
                     [&](llvm::StringRef Outer) {
                       return llvm::StringRef(Bases[B]).startswith(Outer.str() + "/");
                     }))
      continue;
    if (!llvm::sys::fs::is_directory(Bases[B]))
      continue;
    walkSourceTree(
        Bases[B],
        [&](const std::string &File) {
          llvm::StringRef Rel(File);
          if (!Rel.consume_front(Root) || !Rel.consume_front("/"))
            return;
          std::string Slashed = llvm::sys::path::convert_to_slash(Rel);
          for (const std::string &G : *Parsed) {
            llvm::Expected<bool> M = matchPathGlob(G, Slashed);
            if (!M) {
              Err = llvm::joinErrors(std::move(Err), M.takeError());
              return;
            }
            if (*M) {
              Out.push_back(File);
              return;
            }
          }
        },
        NotDependencies);
  }
  if (Err)
    return std::move(Err);
  llvm::sort(Out, [](const std::string &A, const std::string &B) {
    return naturalLess(A, B);
  });
  return Out;
}

namespace {

/// One root and globs: the files found by the one walk, and the schema
/// last loaded from them with their stamp.
struct CacheEntry {
  bool Walked = false;
  std::vector<std::string> Files;
  std::string Stamp;
  SqlDialect Dialect = SqlDialect::PostgreSQL;
  std::shared_ptr<const Schema> Loaded;
};

std::mutex CacheMutex;
llvm::StringMap<CacheEntry> &cache() {
  static llvm::StringMap<CacheEntry> Entries;
  return Entries;
}

/// The entry of \p Root and \p Globs, walked. Called with CacheMutex held.
llvm::Expected<CacheEntry *> walkedEntry(llvm::StringRef Root, llvm::StringRef Globs) {
  CacheEntry &E = cache()[(Root + "\n" + Globs).str()];
  if (E.Walked)
    return &E;
  llvm::Expected<std::vector<std::string>> Files = findSchemaFiles(Root, Globs);
  if (!Files)
    return Files.takeError();
  E.Files = std::move(*Files);
  E.Walked = true;
  return &E;
}

std::string stampOf(const std::vector<std::string> &Files) {
  std::string Stamp;
  for (const std::string &F : Files) {
    llvm::sys::fs::file_status St;
    Stamp += F;
    if (!llvm::sys::fs::status(F, St))
      Stamp += ":" + std::to_string(St.getSize()) + ":" +
               std::to_string(St.getLastModificationTime().time_since_epoch().count());
    Stamp += "\n";
  }
  return Stamp;
}

} // namespace

std::string schemaStamp(llvm::StringRef Root, llvm::StringRef Globs) {
  std::lock_guard<std::mutex> Lock(CacheMutex);
  llvm::Expected<CacheEntry *> E = walkedEntry(Root, Globs);
  if (!E) {
    llvm::consumeError(E.takeError());
    return "";
  }
  return stampOf((*E)->Files);
}

llvm::Expected<std::shared_ptr<const Schema>>
loadSchema(llvm::StringRef Root, llvm::StringRef Globs, SqlDialect Dialect) {
  std::lock_guard<std::mutex> Lock(CacheMutex);
  llvm::Expected<CacheEntry *> Found = walkedEntry(Root, Globs);
  if (!Found)
    return Found.takeError();
  CacheEntry &E = **Found;
  if (E.Files.empty())
    return nullptr;
  std::string Stamp = stampOf(E.Files);
  if (E.Loaded && E.Stamp == Stamp && E.Dialect == Dialect)
    return E.Loaded;
  auto S = std::make_shared<Schema>();
  for (const std::string &F : E.Files) {
    auto Buf = llvm::MemoryBuffer::getFile(F, /*IsText=*/true);
    if (!Buf)
      return llvm::createStringError(Buf.getError(), "cannot read schema file %s: %s",
                                     F.c_str(), Buf.getError().message().c_str());
    std::string Shown = F;
    llvm::StringRef Rel(Shown);
    if (Rel.consume_front(Root) && Rel.consume_front("/"))
      Shown = Rel.str();
    if (llvm::StringRef(F).endswith(".json")) {
      if (llvm::Error Err = S->applySnapshot(Shown, (*Buf)->getBuffer()))
        return std::move(Err);
      continue;
    }
    S->applyFile(Shown, (*Buf)->getBuffer(), Dialect);
  }
  E.Stamp = std::move(Stamp);
  E.Dialect = Dialect;
  E.Loaded = std::move(S);
  return E.Loaded;
}

} // namespace stresslint
