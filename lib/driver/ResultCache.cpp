//===--- ResultCache.cpp - Reuse a TU's results across runs ----------------===//
#include "driver/ResultCache.h"
#include "support/AtomicFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

namespace stresslint {

/// The first line of an entry: this magic, then the digest of the rest.
static constexpr llvm::StringLiteral EntryMagic = "stresslint-cache-entry-v1 ";

std::string contentDigest(llvm::StringRef Bytes) {
  auto Hash = llvm::BLAKE3::hash<16>(llvm::arrayRefFromStringRef(Bytes));
  return llvm::toHex(Hash, /*LowerCase=*/true);
}

KeyBuilder &KeyBuilder::add(llvm::StringRef Part) {
  // Length-prefixed, so no part can be mistaken for a separator.
  Text += std::to_string(Part.size());
  Text += ':';
  Text += Part;
  return *this;
}

ResultCache::ResultCache(std::string Directory,
                         llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
    : Directory(std::move(Directory)), FS(std::move(FS)) {}

std::string ResultCache::entryPath(llvm::StringRef Key) const {
  llvm::SmallString<256> P(Directory);
  llvm::sys::path::append(P, Key.take_front(2), Key.drop_front(2) + ".entry");
  return std::string(P);
}

const std::string &ResultCache::currentDigest(llvm::StringRef Path) {
  auto [It, New] = Digests.try_emplace(Path);
  if (New)
    if (auto Buf = FS->getBufferForFile(Path, -1, /*RequiresNullTerminator=*/false,
                                        /*IsVolatile=*/true))
      It->second = contentDigest((*Buf)->getBuffer());
  return It->second;
}

std::optional<TUResult> ResultCache::lookup(llvm::StringRef Key) {
  auto Buf = llvm::MemoryBuffer::getFile(entryPath(Key), /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf) {
    ++Stats.Missing;
    return std::nullopt;
  }
  llvm::StringRef Text = (*Buf)->getBuffer();
  auto [Header, Body] = Text.split('\n');
  std::optional<TUResult> R;
  if (Header.consume_front(EntryMagic) && Header == contentDigest(Body)) {
    if (auto Parsed = deserializeTUResult(Body))
      R = std::move(*Parsed);
    else
      llvm::consumeError(Parsed.takeError());
  }
  if (!R || R->Inputs.empty()) {
    ++Stats.Corrupt;
    return std::nullopt;
  }
  for (const TUResult::Input &In : R->Inputs) {
    const std::string &Now = currentDigest(In.Path);
    if (Now.empty() || Now != In.Digest) {
      ++Stats.Stale;
      return std::nullopt;
    }
  }
  ++Stats.Hits;
  return R;
}

void ResultCache::store(llvm::StringRef Key, llvm::StringRef Wire) {
  std::string Path = entryPath(Key);
  std::error_code EC =
      llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
  llvm::Error Err = EC ? llvm::errorCodeToError(EC)
                       : writeFileAtomically(Path, [&](llvm::raw_ostream &OS) {
                           OS << EntryMagic << contentDigest(Wire) << '\n' << Wire;
                         });
  if (Err) {
    std::string Why = llvm::toString(std::move(Err));
    if (FirstStoreError.empty())
      FirstStoreError = Path + ": " + Why;
    ++Stats.StoreFailures;
    return;
  }
  ++Stats.Stored;
}

std::string defaultCacheDirectory(llvm::StringRef DatabaseDir) {
  if (auto Env = llvm::sys::Process::GetEnv("STRESSLINT_CACHE_DIR"))
    if (!Env->empty())
      return *Env;
  llvm::SmallString<256> Dir;
  if (!DatabaseDir.empty()) {
    Dir = DatabaseDir;
    llvm::sys::fs::make_absolute(Dir);
    llvm::sys::path::append(Dir, ".stresslint", "cache");
    return std::string(Dir);
  }
  // ~/.cache, or $XDG_CACHE_HOME, as LLVM's own tools find it.
  if (!llvm::sys::path::cache_directory(Dir))
    return "";
  llvm::sys::path::append(Dir, "stresslint");
  return std::string(Dir);
}

} // namespace stresslint
