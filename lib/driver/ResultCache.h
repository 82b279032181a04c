//===--- ResultCache.h - Reuse a TU's results across runs ------------------===//
///
/// \file
/// An on-disk cache of per-TU results (diagnostics, call-graph summary,
/// warnings). An entry is found by a key the driver computes from what
/// decides the analysis besides file contents: the tool and rule-set
/// versions, the compile command and the effective options. It records every
/// file the analysis read with the digest of the bytes read, and is reused
/// only while each of those files still has that digest: editing a header
/// re-analyses exactly the TUs that read it, and a touch that changes no
/// byte reuses them.
///
/// Entries are whole files written atomically (temporary file + rename), so
/// a reader never sees half of one; each carries the digest of its body, so
/// a truncated, corrupted or foreign file is a miss, never a result. Results
/// of TUs that did not compile are not stored: a missing (e.g. generated)
/// header leaves no file to check, and would make the entry stale unseen.
///
/// Limitation: a file that did not exist when the entry was written but would
/// now be found first on the include path (shadowing a header the TU read) is
/// not noticed; clearing the cache directory forces a full run.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_DRIVER_RESULTCACHE_H
#define STRESSLINT_DRIVER_RESULTCACHE_H

#include "driver/TUResult.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <optional>
#include <string>

namespace stresslint {

/// BLAKE3 of \p Bytes, 128 bits in hex: input digests and cache keys.
std::string contentDigest(llvm::StringRef Bytes);

/// Feeds the parts of a key; a separator between parts keeps ("ab","c")
/// and ("a","bc") apart.
class KeyBuilder {
public:
  KeyBuilder &add(llvm::StringRef Part);
  std::string digest() const { return contentDigest(Text); }

private:
  std::string Text;
};

struct CacheStats {
  unsigned Hits = 0;
  /// No entry for the key.
  unsigned Missing = 0;
  /// An entry whose inputs changed.
  unsigned Stale = 0;
  /// An entry that was unreadable, truncated or malformed: ignored.
  unsigned Corrupt = 0;
  unsigned Stored = 0;
  unsigned StoreFailures = 0;
};

class ResultCache {
public:
  /// \p FS reads the inputs as the analysis does (an editor's unsaved
  /// buffers included).
  ResultCache(std::string Directory,
              llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS);

  /// The result stored under \p Key, if every input it read is unchanged.
  std::optional<TUResult> lookup(llvm::StringRef Key);
  /// Stores \p Wire (serializeTUResult of a result with its Inputs) under
  /// \p Key. Failures are counted, never fatal: the cache is an optimisation.
  void store(llvm::StringRef Key, llvm::StringRef Wire);

  const CacheStats &stats() const { return Stats; }
  /// Why the first store failed, or empty.
  const std::string &firstStoreError() const { return FirstStoreError; }
  const std::string &directory() const { return Directory; }

private:
  std::string entryPath(llvm::StringRef Key) const;
  /// The digest of a file's current content, computed once per run; empty
  /// when it cannot be read.
  const std::string &currentDigest(llvm::StringRef Path);

  std::string Directory;
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS;
  llvm::StringMap<std::string> Digests;
  CacheStats Stats;
  std::string FirstStoreError;
};

/// The cache directory when none is given: `$STRESSLINT_CACHE_DIR`, else
/// `<build-dir>/.stresslint/cache` next to the compilation database, else
/// `$XDG_CACHE_HOME/stresslint` or `~/.cache/stresslint`; empty if none can
/// be found.
std::string defaultCacheDirectory(llvm::StringRef DatabaseDir);

} // namespace stresslint

#endif
