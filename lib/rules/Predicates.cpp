//===--- Predicates.cpp - SQL predicates: facts filtered by rule options ---===//
#include "rules/Predicates.h"
#include "rules/RuleSet.h"
#include "schema/Schema.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/YAMLParser.h"
#include <cmath>

namespace stresslint {

std::optional<bool> parseBoolOption(llvm::StringRef V) {
  V = V.trim();
  if (std::optional<bool> B = llvm::yaml::parseBool(V.lower()))
    return B;
  // As clang-tidy: numbers are booleans too, for backward compatibility.
  long long N;
  if (!V.getAsInteger(10, N))
    return N != 0;
  return std::nullopt;
}

std::optional<int> parseIntOption(llvm::StringRef V) {
  int N;
  if (V.trim().getAsInteger(10, N))
    return std::nullopt;
  return N;
}

OptionType optionTypeOf(llvm::StringRef Default) {
  if (parseIntOption(Default))
    return OptionType::Integer;
  if (parseBoolOption(Default))
    return OptionType::Bool;
  return OptionType::Text;
}

/// Parses \p Text as \p V's type into \p V; false when it does not parse.
static bool parseValue(llvm::StringRef Text, BoundRule::Value &V) {
  V.Text = Text.str();
  switch (V.Type) {
  case OptionType::Bool:
    if (std::optional<bool> B = parseBoolOption(Text)) {
      V.Flag = *B;
      return true;
    }
    return false;
  case OptionType::Integer:
    if (std::optional<int> N = parseIntOption(Text)) {
      V.Number = *N;
      V.Flag = *N != 0;
      return true;
    }
    return false;
  case OptionType::Text:
    return true;
  }
  llvm_unreachable("unknown option type");
}

BoundRule bindOptions(const Rule &R, const llvm::StringMap<std::string> &Set,
                      BadOptionValue OnBad) {
  BoundRule B;
  B.R = &R;
  for (const PrimitiveOption *O : R.primitiveOptions()) {
    if (O->required() || R.option(O->Name))
      continue;
    BoundRule::Value V;
    V.Type = O->Type;
    parseValue(O->Default, V);
    B.Values[O->Name] = std::move(V);
  }
  for (const RuleOption &O : R.Options) {
    BoundRule::Value V;
    V.Type = O.Type;
    auto It = Set.find(O.Name);
    if (It == Set.end() || !parseValue(It->second, V)) {
      if (It != Set.end() && OnBad)
        OnBad(O, It->second, V.Type == OptionType::Bool ? "a bool" : "an integer");
      parseValue(O.Default, V);
    }
    B.Values[O.Name] = std::move(V);
  }
  return B;
}

llvm::StringRef BoundRule::option(llvm::StringRef Name) const {
  auto It = Values.find(Name);
  return It == Values.end() ? llvm::StringRef() : llvm::StringRef(It->second.Text);
}

bool BoundRule::flag(llvm::StringRef Name) const {
  auto It = Values.find(Name);
  return It != Values.end() && It->second.Flag;
}

int BoundRule::number(llvm::StringRef Name) const {
  auto It = Values.find(Name);
  return It != Values.end() && It->second.Type == OptionType::Integer
             ? It->second.Number
             : 0;
}

/// Whether \p Col, as spelled, ends in the word \p Word written in camel
/// case: `PlanID`, `userId` end in the word `id`; `paid`, `ID` alone do not.
static bool endsInCamelWord(llvm::StringRef Col, llvm::StringRef Word) {
  if (Word.empty() || Col.size() <= Word.size() ||
      !Col.take_back(Word.size()).equals_insensitive(Word))
    return false;
  char First = Col[Col.size() - Word.size()];
  char Before = Col[Col.size() - Word.size() - 1];
  return First >= 'A' && First <= 'Z' &&
         ((Before >= 'a' && Before <= 'z') || llvm::isDigit(Before));
}

static bool pinsAny(const SqlFact &F, llvm::StringRef KeyColumns) {
  llvm::SmallVector<llvm::StringRef, 4> Keys;
  KeyColumns.split(Keys, ',', -1, false);
  // `*_id` and `id*` match by suffix and prefix, ignoring case; `*_id` also
  // matches the word in camel case (`PlanID`, `userId`).
  return llvm::any_of(Keys, [&](llvm::StringRef K) {
    std::string Key = K.trim().lower();
    llvm::StringRef Pattern(Key);
    return llvm::any_of(F.PinnedColumns, [&](llvm::StringRef Spelled) {
      std::string Lower = Spelled.lower();
      llvm::StringRef Col(Lower);
      if (Pattern.startswith("*"))
        return Col.endswith(Pattern.drop_front()) ||
               (Pattern.startswith("*_") &&
                endsInCamelWord(Spelled, Pattern.drop_front(2)));
      if (Pattern.endswith("*"))
        return Col.startswith(Pattern.drop_back());
      return Col == Pattern;
    });
  });
}

/// Whether the WHERE of \p F pins a primary or unique key of the one table
/// it reads, by the schema (option SchemaKeys).
static bool pinsSchemaKey(const BoundRule &B, const SqlFact &F) {
  if (!B.DbSchema || !F.OnlyTable || !B.flag("SchemaKeys"))
    return false;
  const SchemaTable *T = B.DbSchema->table(F.Table);
  return T && T->pinnedByKey(F.PinnedColumns);
}

/// Whether the column a LIKE pattern of \p F is matched against has a
/// trigram index, by the schema (option TrigramIndexSilences). An
/// unqualified column of several tables is the one table's that has it.
static bool trigramIndexed(const BoundRule &B, const SqlFact &F) {
  if (!B.DbSchema || F.Column.empty() || !B.flag("TrigramIndexSilences"))
    return false;
  const SchemaTable *T = F.Table.empty() ? nullptr : B.DbSchema->table(F.Table);
  for (const std::string &Name : F.CandidateTables) {
    const SchemaTable *C = B.DbSchema->table(Name);
    if (!C || !C->column(F.Column))
      continue;
    if (T)
      return false; // Ambiguous: the query would not run either.
    T = C;
  }
  return T && T->hasTrigramIndex(F.Column, F.ColumnLowered);
}

double tableRows(const BoundRule &B, const SqlFact &F) {
  bool OneTable =
      F.K == SqlFact::SelectStar || (F.K == SqlFact::Aggregate && F.OnlyTable);
  if (!B.DbSchema || !OneTable || F.Table.empty())
    return -1;
  const SchemaTable *T = B.DbSchema->table(F.Table);
  return T ? T->Rows : -1;
}

/// Whether a schema snapshot estimates the one table \p F reads at fewer
/// rows than the rule's SmallTableRows (0: no threshold). A table never
/// analysed (no estimate) is not small.
static bool smallTable(const BoundRule &B, const SqlFact &F) {
  double Rows = tableRows(B, F);
  return Rows >= 0 && Rows < B.number("SmallTableRows");
}

std::string tableSizeText(const BoundRule &B, const SqlFact &F) {
  double Rows = tableRows(B, F);
  if (Rows < 0)
    return "";
  static constexpr std::pair<double, const char *> Units[] = {
      {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  std::string Count = std::to_string(static_cast<long long>(Rows));
  for (const auto &[Scale, Suffix] : Units)
    if (Rows >= Scale) {
      // One significant decimal below ten units: ~1.5M, ~12M, ~340k.
      double N = Rows / Scale;
      Count =
          N < 10 ? llvm::formatv("{0:f1}", N).str() : std::to_string(std::lround(N));
      if (llvm::StringRef(Count).endswith(".0"))
        Count.resize(Count.size() - 2);
      Count += Suffix;
      break;
    }
  return " (~" + Count + " rows)";
}

std::vector<SchemaGap> schemaNotes(const BoundRule &B, llvm::StringRef Sql,
                                   SqlDialect D, uint32_t At) {
  if (!B.DbSchema || !B.flag("SchemaNotes"))
    return {};
  return schemaGaps(*B.DbSchema, Sql, D, At);
}

namespace predicates {

bool selectStar(const BoundRule &B, const SqlFact &F) {
  return F.K == SqlFact::SelectStar && (!F.InReturning || B.flag("IncludeReturning")) &&
         !smallTable(B, F);
}

bool offset(const BoundRule &, const SqlFact &F) { return F.K == SqlFact::Offset; }

bool leadingWildcard(const BoundRule &B, const SqlFact &F) {
  return F.K == SqlFact::LeadingWildcard && !trigramIndexed(B, F);
}

bool rowLock(const BoundRule &B, const SqlFact &F) {
  return F.K == SqlFact::RowLock && !F.HasLimit && !F.NoWaitOrSkip &&
         !pinsAny(F, B.option("KeyColumns")) && !pinsSchemaKey(B, F);
}

bool rowLockAny(const BoundRule &, const SqlFact &F) {
  return F.K == SqlFact::RowLock && !F.NoWaitOrSkip;
}

bool aggregate(const BoundRule &B, const SqlFact &F) {
  if (F.K != SqlFact::Aggregate || !F.FromTable || F.InSubquery || F.HasGroupBy)
    return false;
  llvm::SmallVector<llvm::StringRef, 8> Fns;
  B.option("Functions").split(Fns, ',', -1, false);
  if (!llvm::any_of(Fns, [&](llvm::StringRef Fn) {
        return Fn.trim().equals_insensitive(F.Detail);
      }))
    return false;
  return !pinsAny(F, B.option("KeyColumns")) && !pinsSchemaKey(B, F) &&
         !smallTable(B, F);
}

} // namespace predicates

bool predicateMatches(const BoundRule &B, const SqlFact &F) {
  const Primitive *P = primitive(B.R->SqlPredicate);
  return P && P->Matches && P->Matches(B, F);
}

std::string oneLine(llvm::StringRef S, size_t Max) {
  std::string Out;
  for (char C : S.trim()) {
    bool Space = C == '\n' || C == '\r' || C == '\t' || C == ' ';
    if (Space && (Out.empty() || Out.back() == ' '))
      continue;
    Out += Space ? ' ' : C;
  }
  if (Out.size() > Max)
    Out = Out.substr(0, Max - 3) + "...";
  return Out;
}

std::string expandVars(llvm::StringRef Template,
                       const llvm::StringMap<std::string> &Vars) {
  std::string Out;
  for (size_t I = 0; I < Template.size();) {
    if (Template[I] == '{') {
      size_t Close = Template.find('}', I);
      if (Close != llvm::StringRef::npos) {
        auto It = Vars.find(Template.slice(I + 1, Close));
        if (It != Vars.end()) {
          Out += It->second;
          I = Close + 1;
          continue;
        }
      }
    }
    Out += Template[I++];
  }
  return Out;
}

std::string expandTemplate(llvm::StringRef Template, const SqlFact &F,
                           const BoundRule &B) {
  llvm::StringMap<std::string> Vars;
  Vars["snippet"] = oneLine(F.Snippet);
  Vars["detail"] = F.Detail;
  Vars["size"] = tableSizeText(B, F);
  return expandVars(Template, Vars);
}

} // namespace stresslint
