//===--- SarifSchema.h - Validate SARIF against the official schema --------===//
///
/// \file
/// Validates a SARIF file against the official SARIF 2.1.0 JSON schema
/// (STRESSLINT_SARIF_SCHEMA, a CMake cache variable) with the real
/// python3-jsonschema. A missing schema, python3 or jsonschema fails the
/// test with a message saying what to install or configure; it never skips.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_TEST_SARIFSCHEMA_H
#define STRESSLINT_TEST_SARIFSCHEMA_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include <gtest/gtest.h>

namespace stresslint_test {

inline const char *sarifValidatorScript() {
  return R"py(
import json, sys
try:
    import jsonschema
except ImportError:
    print("python3 has no jsonschema module: install Debian's python3-jsonschema "
          "(scripts/install-deps.sh does)")
    sys.exit(3)
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    doc = json.load(f)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(validator.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
for e in errors[:20]:
    print("/" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message[:300])
sys.exit(1 if errors else 0)
)py";
}

/// Success when \p SarifFile is valid SARIF 2.1.0; otherwise the schema
/// violations (or what is missing to check them).
inline testing::AssertionResult validateSarif(llvm::StringRef SarifFile) {
  llvm::StringRef Schema = STRESSLINT_SARIF_SCHEMA;
  if (!llvm::sys::fs::exists(Schema))
    return testing::AssertionFailure()
           << "the official SARIF schema is missing at " << Schema.str()
           << "; configure with -DSTRESSLINT_SARIF_SCHEMA=<path to "
              "sarif-2.1.0-rtm.5.json>, or run scripts/install-deps.sh";
  auto Python = llvm::sys::findProgramByName("python3");
  if (!Python)
    return testing::AssertionFailure() << "python3 not found on PATH";
  llvm::SmallString<128> Out;
  if (llvm::sys::fs::createTemporaryFile("stresslint-sarif-check", "txt", Out))
    return testing::AssertionFailure() << "cannot create a temporary file";
  std::vector<llvm::StringRef> Argv{*Python, "-c", sarifValidatorScript(), Schema,
                                    SarifFile};
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(Out), llvm::StringRef(Out)};
  int Exit = llvm::sys::ExecuteAndWait(*Python, Argv, std::nullopt, Redirects, 120);
  auto Buf = llvm::MemoryBuffer::getFile(Out);
  std::string Text = Buf ? (*Buf)->getBuffer().str() : "";
  llvm::sys::fs::remove(Out);
  if (Exit == 0)
    return testing::AssertionSuccess();
  return testing::AssertionFailure() << SarifFile.str() << " does not validate against "
                                     << Schema.str() << " (exit " << Exit << "):\n"
                                     << Text;
}

} // namespace stresslint_test

#endif
