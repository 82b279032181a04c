//===--- FuzzRules.cpp - libFuzzer target: the rule/API YAML loader -------===//
///
/// \file
/// Feeds arbitrary bytes to RuleSet::addFile, the loader of user rule and API
/// YAML (`--rules`), on top of the built-in rules. Malformed input must come
/// back as an llvm::Error, never a crash, an uncaught yaml-cpp exception or a
/// hang; what loads must be usable (patterns matched, templates expanded).
///
//===----------------------------------------------------------------------===//
#include "BuiltinRules.h"
#include "rules/Predicates.h"
#include "rules/RuleSet.h"
#include "sql/SqlFacts.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace stresslint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  RuleSet Rules = builtinRules();
  std::string Yaml(reinterpret_cast<const char *>(Data), Size);
  // A rule must be the file named after its id: name the file after the
  // first `id:` line, so that rules get past that check.
  llvm::StringRef Id;
  for (llvm::StringRef Rest = Yaml; !Rest.empty() && Id.empty();) {
    llvm::StringRef Line;
    std::tie(Line, Rest) = Rest.split('\n');
    if (Line.consume_front("id:"))
      Id = Line.trim();
  }
  std::string File = (Id.empty() ? llvm::StringRef("fuzz") : Id).str() + ".yaml";
  if (llvm::Error E = Rules.addFile(File, Yaml, /*BuiltIn=*/false)) {
    std::string Message = llvm::toString(std::move(E));
    if (Message.empty())
      std::abort(); // every error must say something
    return 0;
  }
  for (const Sink &S : Rules.sinks())
    (void)S.Function.matches("pqxx::transaction_base::exec");
  for (const NamePattern &P : Rules.notSqlFunctions())
    (void)P.matches("acme::log::info");
  SqlAnalysis A = analyzeSql("SELECT * FROM t WHERE a LIKE '%x' OFFSET 5 FOR UPDATE");
  for (const Rule &R : Rules.rules()) {
    BoundRule B = bindOptions(R);
    for (const SqlFact &F : A.Facts)
      if (predicateMatches(B, F)) {
        (void)expandTemplate(R.Message, F, B);
        (void)expandTemplate(R.Note, F, B);
      }
  }
  return 0;
}
