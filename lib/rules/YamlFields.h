//===--- YamlFields.h - Fields of rule and API YAML, with their errors ----===//
///
/// \file
/// Reading the fields of a YAML mapping (rules/*.yaml and rules/apis/*.yaml)
/// into typed values; a field of the wrong type or an unknown key is an
/// error `file:line:col: error: ...` at its mark.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_RULES_YAMLFIELDS_H
#define STRESSLINT_RULES_YAMLFIELDS_H

#include "rules/RuleSet.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <yaml-cpp/yaml.h>

namespace stresslint {

/// Builds `file:line:col: error: message` errors from YAML marks.
struct YamlErrors {
  llvm::StringRef File;
  llvm::Error at(const YAML::Mark &M, const llvm::Twine &Msg) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "%s:%d:%d: error: %s", File.str().c_str(),
                                   M.line + 1, M.column + 1, Msg.str().c_str());
  }
};

/// \p N is a mapping whose keys are all \p Allowed; \p What names it.
llvm::Error checkKeys(const YAML::Node &N, llvm::ArrayRef<const char *> Allowed,
                      const YamlErrors &E, llvm::StringRef What);

/// The string \p Key of \p Parent; empty when absent and not \p Required.
llvm::Expected<std::string> scalar(const YAML::Node &Parent, const char *Key,
                                   const YamlErrors &E, bool Required);

/// The `function:` of a sink or bind entry whose keys are \p Allowed.
llvm::Expected<NamePattern> entryFunction(const YAML::Node &Item,
                                          std::initializer_list<const char *> Allowed,
                                          const YamlErrors &E, llvm::StringRef What);

/// Reads the optional integers \p Keys of \p Parent into their fields.
llvm::Error readInts(const YAML::Node &Parent,
                     std::initializer_list<std::pair<const char *, int *>> Keys,
                     const YamlErrors &E);

/// Reads the optional booleans \p Keys of \p Parent into their fields.
llvm::Error readBools(const YAML::Node &Parent,
                      std::initializer_list<std::pair<const char *, bool *>> Keys,
                      const YamlErrors &E);

/// The name pattern \p Key of \p Item, if present.
llvm::Expected<std::optional<NamePattern>>
optionalPattern(const YAML::Node &Item, const char *Key, const YamlErrors &E);

/// Reads the optional name patterns \p Keys of \p Parent; a key that is
/// absent leaves its field as it is.
llvm::Error readPatterns(
    const YAML::Node &Parent,
    std::initializer_list<std::pair<const char *, std::optional<NamePattern> *>> Keys,
    const YamlErrors &E);

} // namespace stresslint

#endif
