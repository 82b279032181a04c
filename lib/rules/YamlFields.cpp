//===--- YamlFields.cpp - Fields of rule and API YAML, with their errors --===//
#include "rules/YamlFields.h"

#include "llvm/ADT/STLExtras.h"

namespace stresslint {

llvm::Error checkKeys(const YAML::Node &N, llvm::ArrayRef<const char *> Allowed,
                      const YamlErrors &E, llvm::StringRef What) {
  if (!N.IsMap())
    return E.at(N.Mark(), What + " must be a mapping");
  for (const auto &KV : N) {
    std::string Key = KV.first.as<std::string>();
    if (!llvm::any_of(Allowed, [&](const char *A) { return Key == A; }))
      return E.at(KV.first.Mark(), "unknown key '" + Key + "' in " + What);
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> scalar(const YAML::Node &Parent, const char *Key,
                                   const YamlErrors &E, bool Required) {
  YAML::Node N = Parent[Key];
  if (!N) {
    if (Required)
      return E.at(Parent.Mark(), llvm::Twine("missing required key '") + Key + "'");
    return std::string();
  }
  if (!N.IsScalar())
    return E.at(N.Mark(), llvm::Twine("'") + Key + "' must be a string");
  return N.as<std::string>();
}

/// The `function:` of a sink or bind entry whose keys are \p Allowed.
llvm::Expected<NamePattern> entryFunction(const YAML::Node &Item,
                                          std::initializer_list<const char *> Allowed,
                                          const YamlErrors &E, llvm::StringRef What) {
  if (auto Err = checkKeys(Item, Allowed, E, What))
    return std::move(Err);
  auto Fn = scalar(Item, "function", E, true);
  if (!Fn)
    return Fn.takeError();
  auto P = NamePattern::compile(*Fn);
  if (!P)
    return E.at(Item["function"].Mark(), llvm::toString(P.takeError()));
  return std::move(*P);
}

/// Reads the optional integers \p Keys of \p Parent into their fields.
llvm::Error readInts(const YAML::Node &Parent,
                     std::initializer_list<std::pair<const char *, int *>> Keys,
                     const YamlErrors &E) {
  for (auto [Key, Field] : Keys) {
    YAML::Node A = Parent[Key];
    if (!A)
      continue;
    try {
      *Field = A.as<int>();
    } catch (const YAML::Exception &) {
      return E.at(A.Mark(), llvm::Twine("'") + Key + "' must be an integer");
    }
  }
  return llvm::Error::success();
}

/// Reads the optional booleans \p Keys of \p Parent into their fields.
llvm::Error readBools(const YAML::Node &Parent,
                      std::initializer_list<std::pair<const char *, bool *>> Keys,
                      const YamlErrors &E) {
  for (auto [Key, Field] : Keys) {
    YAML::Node B = Parent[Key];
    if (!B)
      continue;
    try {
      *Field = B.as<bool>();
    } catch (const YAML::Exception &) {
      return E.at(B.Mark(), llvm::Twine("'") + Key + "' must be true or false");
    }
  }
  return llvm::Error::success();
}

llvm::Expected<std::optional<NamePattern>>
optionalPattern(const YAML::Node &Item, const char *Key, const YamlErrors &E) {
  YAML::Node N = Item[Key];
  if (!N)
    return std::nullopt;
  if (!N.IsScalar())
    return E.at(N.Mark(), llvm::Twine("'") + Key + "' must be a string");
  auto P = NamePattern::compile(N.as<std::string>());
  if (!P)
    return E.at(N.Mark(), llvm::toString(P.takeError()));
  return std::optional<NamePattern>(std::move(*P));
}

/// Reads the optional name patterns \p Keys of \p Parent; a key that is
/// absent leaves its field as it is.
llvm::Error readPatterns(
    const YAML::Node &Parent,
    std::initializer_list<std::pair<const char *, std::optional<NamePattern> *>> Keys,
    const YamlErrors &E) {
  for (auto [Key, Field] : Keys) {
    auto P = optionalPattern(Parent, Key, E);
    if (!P)
      return P.takeError();
    if (*P)
      *Field = std::move(*P);
  }
  return llvm::Error::success();
}

} // namespace stresslint
