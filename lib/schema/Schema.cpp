//===--- Schema.cpp - The database schema, learnt from DDL ------------------===//
///
/// \file
/// Lookups over the schema and its printed form; the DDL that builds it is
/// read in Ddl.cpp.
///
//===----------------------------------------------------------------------===//
#include "schema/Schema.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace stresslint {

std::string schemaKey(llvm::StringRef Name) {
  // `public.users` and `users` are the same table.
  return Name.substr(Name.rfind('.') + 1).lower(); // npos + 1 == 0
}

const SchemaColumn *SchemaTable::column(llvm::StringRef Name) const {
  for (const SchemaColumn &C : Columns)
    if (llvm::StringRef(C.Name).equals_insensitive(Name))
      return &C;
  return nullptr;
}

/// Whether every name of \p Key is one of \p Pinned (any case).
static bool covers(llvm::ArrayRef<std::string> Pinned,
                   llvm::ArrayRef<std::string> Key) {
  return !Key.empty() && llvm::all_of(Key, [&](llvm::StringRef K) {
    return llvm::any_of(Pinned,
                        [&](llvm::StringRef P) { return P.equals_insensitive(K); });
  });
}

bool SchemaTable::pinnedByKey(llvm::ArrayRef<std::string> Pinned) const {
  if (Pinned.empty())
    return false;
  if (llvm::any_of(Keys, [&](const SchemaKey &K) { return covers(Pinned, K.Columns); }))
    return true;
  return llvm::any_of(Indexes, [&](const SchemaIndex &I) {
    if (!I.Unique || I.Partial)
      return false;
    std::vector<std::string> Cols;
    for (const SchemaIndexKey &K : I.Keys) {
      if (K.Column.empty() || !K.Function.empty())
        return false; // An expression key: equality on the column says less.
      Cols.push_back(K.Column);
    }
    return covers(Pinned, Cols);
  });
}

static bool isTrigramOpClass(llvm::StringRef OpClass) {
  return OpClass.equals_insensitive("gin_trgm_ops") ||
         OpClass.equals_insensitive("gist_trgm_ops");
}

bool SchemaTable::hasTrigramIndex(llvm::StringRef Column, bool Lowered) const {
  return llvm::any_of(Indexes, [&](const SchemaIndex &I) {
    if (I.Partial || I.Keys.empty())
      return false;
    // A multicolumn GIN index serves a condition on any of its keys; GiST
    // is best on its first. Either way the key must be the operand.
    return llvm::any_of(I.Keys, [&](const SchemaIndexKey &K) {
      bool Operand = Lowered ? K.Function == "lower" : K.Function.empty();
      return isTrigramOpClass(K.OpClass) && Operand &&
             llvm::StringRef(K.Column).equals_insensitive(Column);
    });
  });
}

const SchemaTable *Schema::table(llvm::StringRef Name) const {
  auto It = Tables.find(schemaKey(Name));
  return It == Tables.end() ? nullptr : &It->second;
}

SchemaTable *Schema::find(llvm::StringRef Name) {
  auto It = Tables.find(schemaKey(Name));
  return It == Tables.end() ? nullptr : &It->second;
}

static void printSource(llvm::raw_ostream &OS, const SchemaSource &S) {
  // A snapshot's items have no line.
  OS << "  (" << S.File;
  if (S.Line)
    OS << ":" << S.Line;
  OS << ")\n";
}

void Schema::print(llvm::raw_ostream &OS) const {
  OS << "files applied (" << Files.size() << "):\n";
  for (const std::string &F : Files)
    OS << "  " << F << "\n";
  OS << "tables (" << Tables.size() << "):\n";
  for (const auto &[Key, T] : Tables) {
    OS << (T.MaterializedView ? "materialized view "
           : T.View           ? "view "
                              : "table ")
       << T.Name;
    if (T.Rows >= 0)
      OS << " ~" << static_cast<long long>(T.Rows) << " rows";
    printSource(OS, T.From);
    for (const SchemaColumn &C : T.Columns) {
      OS << "  column " << C.Name << (C.Type.empty() ? "" : " " + C.Type)
         << (C.NotNull ? " not null" : "");
      printSource(OS, C.From);
    }
    for (const SchemaKey &K : T.Keys) {
      OS << "  " << (K.Primary ? "primary key" : "unique") << " ("
         << llvm::join(K.Columns, ", ") << ")" << (K.Name.empty() ? "" : " " + K.Name);
      printSource(OS, K.From);
    }
    for (const SchemaIndex &I : T.Indexes) {
      OS << "  " << (I.Unique ? "unique index " : "index ") << I.Name << " using "
         << I.Method << " (";
      for (size_t N = 0; N < I.Keys.size(); ++N) {
        const SchemaIndexKey &K = I.Keys[N];
        OS << (N ? ", " : "") << (K.Expression.empty() ? K.Column : K.Expression)
           << (K.OpClass.empty() ? "" : " " + K.OpClass);
      }
      OS << ")" << (I.Partial ? " where ..." : "");
      printSource(OS, I.From);
    }
  }
  OS << "statements skipped (did not parse): " << Skipped;
  if (Skipped)
    OS << ", first at " << FirstSkipped.File << ":" << FirstSkipped.Line << ": "
       << FirstSkipError;
  OS << "\n";
}

} // namespace stresslint
