//===--- PgTree.h - Reading libpg_query's JSON parse tree ------------------===//
///
/// \file
/// Small accessors over libpg_query's tree as RapidJSON nodes (JsonTree),
/// shared by the readers of parse trees (SqlFacts, the schema's DDL).
/// Every node a reader holds on to is a `const Value *` into the tree;
/// `Object` marks the ones that are JSON objects, `Array` is a view of a
/// JSON array's elements. A missing field reads as null, empty or nullopt.
///
//===----------------------------------------------------------------------===//
#ifndef STRESSLINT_SQL_PGTREE_H
#define STRESSLINT_SQL_PGTREE_H

#include "sql/PgQuery.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <utility>

namespace stresslint::pgtree {

using Value = JsonTree::Node;
using Object = JsonTree::Node;
using Array = llvm::ArrayRef<Value>;

inline llvm::StringRef str(const Value &V) {
  return llvm::StringRef(V.GetString(), V.GetStringLength());
}

inline const Object *asObject(const Value &V) {
  return V.IsObject() ? &V : nullptr;
}

inline std::optional<Array> asArray(const Value &V) {
  if (!V.IsArray())
    return std::nullopt;
  return Array(V.Begin(), V.Size());
}

/// Member \p Key of \p O, or null. A linear search: libpg_query's nodes have
/// a handful of fields, fewer than a hash lookup would pay off for.
inline const Value *get(const Object *O, llvm::StringRef Key) {
  if (!O || !O->IsObject())
    return nullptr;
  for (const auto &M : O->GetObject())
    if (str(M.name) == Key)
      return &M.value;
  return nullptr;
}

inline const Object *getObject(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  return V ? asObject(*V) : nullptr;
}

inline std::optional<int64_t> getInteger(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  if (!V || !V->IsInt64())
    return std::nullopt;
  return V->GetInt64();
}

inline std::optional<bool> getBoolean(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  if (!V || !V->IsBool())
    return std::nullopt;
  return V->GetBool();
}

/// `{"Type": {...}}` -> the inner object, when the node is of that type.
inline const Object *asNode(const Value *V, llvm::StringRef Type) {
  if (!V || !V->IsObject() || V->MemberCount() != 1)
    return nullptr;
  const auto &M = *V->MemberBegin();
  return str(M.name) == Type ? asObject(M.value) : nullptr;
}

/// The type name and body of a wrapped node `{"Type": {...}}`.
inline std::pair<llvm::StringRef, const Object *> unwrap(const Value *V) {
  if (!V || !V->IsObject() || V->MemberCount() != 1)
    return {"", nullptr};
  const auto &M = *V->MemberBegin();
  return {str(M.name), asObject(M.value)};
}

inline std::optional<Array> arrayField(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  return V ? asArray(*V) : std::nullopt;
}

inline llvm::StringRef stringField(const Object *O, llvm::StringRef Key) {
  const Value *V = get(O, Key);
  return V && V->IsString() ? str(*V) : "";
}

/// The last name of a `funcname`/`name` list: `pg_catalog.count` -> count.
inline std::string lastName(std::optional<Array> Names) {
  if (!Names || Names->empty())
    return "";
  return stringField(asNode(&Names->back(), "String"), "sval").lower();
}

} // namespace stresslint::pgtree

#endif
