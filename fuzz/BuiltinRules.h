//===--- BuiltinRules.h - The embedded rules, loaded once per fuzz target --===//
#ifndef STRESSLINT_FUZZ_BUILTINRULES_H
#define STRESSLINT_FUZZ_BUILTINRULES_H

#include "rules/RuleSet.h"
#include <cstdlib>

/// The built-in rules and APIs; a target whose embedded YAML does not load
/// stops at once.
inline const stresslint::RuleSet &builtinRules() {
  static const stresslint::RuleSet Rules = [] {
    auto R = stresslint::RuleSet::load({});
    if (!R)
      std::abort();
    return std::move(*R);
  }();
  return Rules;
}

#endif
