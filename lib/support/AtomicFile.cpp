//===--- AtomicFile.cpp - Write a file so readers never see half of it -----===//
#include "support/AtomicFile.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#if LLVM_ON_UNIX
#include <cerrno>
#include <unistd.h>
#endif

namespace stresslint {

static llvm::Error fail(llvm::StringRef Path, const std::error_code &EC,
                        llvm::StringRef What) {
  return llvm::createStringError(EC, "cannot %s '%s': %s", What.str().c_str(),
                                 Path.str().c_str(), EC.message().c_str());
}

llvm::Error writeFileAtomically(llvm::StringRef Path,
                                llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  // A new file gets what open(2) would give it: 0666 minus the umask.
  unsigned Mode =
      (llvm::sys::fs::all_read | llvm::sys::fs::all_write) & ~llvm::sys::fs::getUmask();
  llvm::sys::fs::file_status Existing;
  if (!llvm::sys::fs::status(Path, Existing))
    Mode = Existing.permissions();

  llvm::SmallString<256> Model(Path);
  Model += ".tmp-%%%%%%%%";
  int FD = -1;
  llvm::SmallString<256> Temp;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Model, FD, Temp))
    return fail(Path, EC, "create a temporary file beside");
  bool Ok = false;
  auto Cleanup = llvm::make_scope_exit([&] {
    if (!Ok)
      llvm::sys::fs::remove(Temp);
  });
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    Write(OS);
    OS.flush();
    std::error_code EC = OS.error();
    OS.clear_error(); // reported below, not by the destructor
    if (EC)
      return fail(Path, EC, "write");
    EC = llvm::sys::fs::setPermissions(FD, static_cast<llvm::sys::fs::perms>(Mode));
    if (EC)
      return fail(Path, EC, "set the permissions of");
#if LLVM_ON_UNIX
    // The rename must not become visible before the data is on disk.
    if (::fsync(FD) != 0)
      return fail(Path, std::error_code(errno, std::generic_category()), "sync");
#endif
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path))
    return fail(Path, EC, "replace");
  Ok = true;
  return llvm::Error::success();
}

llvm::Error writeFileAtomically(llvm::StringRef Path, llvm::StringRef Content) {
  return writeFileAtomically(Path, [&](llvm::raw_ostream &OS) { OS << Content; });
}

} // namespace stresslint
