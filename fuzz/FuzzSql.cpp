//===--- FuzzSql.cpp - libFuzzer target: SQL normalisation and analysis ----===//
///
/// \file
/// Feeds arbitrary bytes through what every SQL text goes through: placeholder
/// and dialect normalisation (every dialect) with its byte map, MySQL LIMIT
/// rewriting, libpg_query splitting/parsing/scanning, hole repair, fact
/// extraction (with and without the token fallback) and the rule predicates
/// and message templates. Checks that every
/// offset handed back stays inside the input.
///
//===----------------------------------------------------------------------===//
#include "BuiltinRules.h"
#include "rules/Predicates.h"
#include "rules/RuleSet.h"
#include "sql/MappedText.h"
#include "sql/Normalize.h"
#include "sql/SqlFacts.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace stresslint;

static void check(bool Ok) {
  if (!Ok)
    std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  // Real inputs never carry NUL bytes: the driver rejects such .sql files and
  // a C++ string literal stops at the first one for libpg_query.
  std::string Sql(reinterpret_cast<const char *>(Data), Size);
  Sql = Sql.substr(0, Sql.find('\0'));

  // The input's first byte picks the dialect of the analysis below, so
  // every dialect's normaliser and the token fallback behind it are reached.
  static constexpr SqlDialect Dialects[] = {SqlDialect::PostgreSQL, SqlDialect::MySQL,
                                            SqlDialect::SQLite, SqlDialect::TSql};
  SqlDialect Dialect = Dialects[Size ? Data[0] % 4 : 0];
  for (SqlDialect D : Dialects) {
    MappedText Norm = normalizeSql(Sql, D);
    for (size_t I = 0; I < Norm.text().size(); ++I)
      check(Norm.originOf(I) <= Sql.size());
    MappedText Rewritten;
    if (rewriteMySqlLimit(Norm, Rewritten))
      for (size_t I = 0; I < Rewritten.text().size(); ++I)
        check(Rewritten.originOf(I) <= Sql.size());
  }

  for (bool Fallback : {true, false}) {
    SqlAnalysis A = analyzeSql(Sql, Dialect, Fallback);
    check(A.RepairedStatements <= A.ParsedStatements);
    check(A.ParsedStatements <= A.Statements);
    for (const SqlFact &F : A.Facts) {
      check(F.Begin <= F.End && F.End <= Sql.size());
      for (const Rule &R : builtinRules().rules()) {
        BoundRule B = bindOptions(R);
        if (predicateMatches(B, F))
          (void)expandTemplate(R.Message, F, B);
      }
    }
  }
  return 0;
}
