//===--- Registry.cpp - The primitives a rule's YAML is built from ---------===//
#include "rules/Registry.h"
#include "rules/Predicates.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace stresslint {

namespace {

using K = PrimitiveKind;
using T = OptionType;

// Options several primitives read, with the same meaning.
constexpr PrimitiveOption SchemaNotes{
    "SchemaNotes", T::Bool, "false",
    "note the tables and columns the project's schema lacks", true};
constexpr PrimitiveOption SmallTableRows{
    "SmallTableRows", T::Integer, "0",
    "tables a schema snapshot estimates at fewer rows are not reported"};
constexpr PrimitiveOption KeyColumns{"KeyColumns", T::Text, "",
                                     "comma-separated columns whose equality "
                                     "in WHERE pins one row (`*_id`, `id*`)"};
constexpr PrimitiveOption SchemaKeys{
    "SchemaKeys", T::Bool, "false",
    "a primary or unique key of the schema pins one row too"};
constexpr PrimitiveOption MaxCallDepth{"MaxCallDepth", T::Integer, nullptr,
                                       "how many calls deep a path may go"};
constexpr PrimitiveOption MaxConstantTripCount{
    "MaxConstantTripCount", T::Integer, nullptr,
    "loops of at most this many iterations are not per item"};
constexpr PrimitiveOption IgnoreFixedLists{
    "IgnoreFixedLists", T::Bool, "false",
    "loops over a list the program fixes are not per item"};
constexpr PrimitiveOption IgnoreMigrations{
    "IgnoreMigrations", T::Bool, "false",
    "loops in a function that alters a table (a migration) are not per item"};
constexpr PrimitiveOption ReportMemoised{
    "ReportMemoised", T::Bool, "false",
    "also report through functions memoised or run once"};

constexpr PrimitiveOption SelectStarOptions[] = {
    {"IncludeReturning", T::Bool, "false", "also report `RETURNING *`"},
    SmallTableRows,
    SchemaNotes};
constexpr PrimitiveOption OffsetOptions[] = {SchemaNotes};
constexpr PrimitiveOption LeadingWildcardOptions[] = {
    {"TrigramIndexSilences", T::Bool, "false",
     "a trigram index of the schema on the column silences it"},
    SchemaNotes};
constexpr PrimitiveOption RowLockOptions[] = {
    KeyColumns,
    SchemaKeys,
    {"ClaimBatchSize", T::Integer, nullptr, "the LIMIT of the claimed-batch fix", true},
    SchemaNotes};
constexpr PrimitiveOption AggregateOptions[] = {
    {"Functions", T::Text, "",
     "comma-separated aggregate functions reported (`count,sum,avg`)"},
    KeyColumns,
    SchemaKeys,
    SmallTableRows,
    SchemaNotes};
constexpr PrimitiveOption QueryOptions[] = {
    {"IncludeWrites", T::Bool, "false",
     "also report INSERT, UPDATE, DELETE, MERGE and COPY"},
    {"IgnoreEmbedded", T::Bool, "false",
     "statements on an embedded database (SQLite) are not reported"},
    {"EmbeddedOnRequestPath", T::Bool, "true",
     "with IgnoreEmbedded, an embedded database's statements are still reported in a "
     "loop on a request path"}};
constexpr PrimitiveOption InLoopOptions[] = {MaxCallDepth, MaxConstantTripCount,
                                             IgnoreFixedLists, IgnoreMigrations,
                                             ReportMemoised};
constexpr PrimitiveOption PerItemOptions[] = {MaxCallDepth, MaxConstantTripCount,
                                              IgnoreFixedLists, ReportMemoised};
constexpr PrimitiveOption HandlerOptions[] = {MaxCallDepth};

const char *const SqlVars[] = {"snippet", "detail", "size"};
const char *const InLoopVars[] = {"callee", "target",      "statement",
                                  "size",   "round-trips", "round-trip"};
const char *const RequestPathVars[] = {"callee",      "target",     "statement", "size",
                                       "round-trips", "round-trip", "handler",   "how"};
const char *const FanOutVars[] = {"callee",      "target",     "statement", "size",
                                  "round-trips", "round-trip", "task",      "fanout"};

template <typename E> constexpr int id(E V) { return static_cast<int>(V); }

const Primitive Registry[] = {
    {K::SqlPredicate, "select-star", id(SqlPredicateKind::SelectStar),
     "`*`/`t.*` whose rows reach the client; `RETURNING *`", SelectStarOptions, SqlVars,
     false, predicates::selectStar, SqlFact::SelectStar},
    {K::SqlPredicate, "offset", id(SqlPredicateKind::Offset),
     "`OFFSET` with a non-zero or unknown value, MySQL `LIMIT a, b`", OffsetOptions,
     SqlVars, false, predicates::offset, SqlFact::Offset},
    {K::SqlPredicate, "leading-wildcard", id(SqlPredicateKind::LeadingWildcard),
     "`LIKE`-family patterns starting with `%` or `_`", LeadingWildcardOptions, SqlVars,
     false, predicates::leadingWildcard, SqlFact::LeadingWildcard},
    {K::SqlPredicate, "row-lock", id(SqlPredicateKind::RowLock),
     "`FOR UPDATE`/`SHARE` without `LIMIT`, `SKIP LOCKED`/`NOWAIT` or a key",
     RowLockOptions, SqlVars, false, predicates::rowLock, SqlFact::RowLock},
    {K::SqlPredicate, "aggregate", id(SqlPredicateKind::Aggregate),
     "an ungrouped top-level aggregate over a table, not pinned by a key",
     AggregateOptions, SqlVars, false, predicates::aggregate, SqlFact::Aggregate},
    {K::SqlPredicate,
     "query",
     id(SqlPredicateKind::Query),
     "any executed statement but transaction and session control",
     QueryOptions,
     {},
     true,
     nullptr,
     std::nullopt},
    {K::SqlPredicate,
     "row-lock-any",
     id(SqlPredicateKind::RowLockAny),
     "any `FOR UPDATE`/`SHARE` without `SKIP LOCKED` or `NOWAIT`",
     {},
     {},
     true,
     predicates::rowLockAny,
     SqlFact::RowLock},
    {K::Context, "in-loop", id(ContextKind::InLoop),
     "runs once per iteration of a loop or a per-element algorithm", InLoopOptions,
     InLoopVars},
    {K::Context, "on-request-path", id(ContextKind::OnRequestPath),
     "runs in a request handler or a function it reaches", HandlerOptions,
     RequestPathVars},
    {K::Context, "in-fan-out-task", id(ContextKind::InFanOutTask),
     "runs in a task started per loop iteration, or in a per-item job handler",
     PerItemOptions, FanOutVars},
    {K::CallSet, "blocking", id(CallSetKind::Blocking),
     "a call declared under `blocking:` or annotated `stresslint::blocking`"},
};

const Primitive *byId(PrimitiveKind Kind, int Id) {
  for (const Primitive &P : Registry)
    if (P.Kind == Kind && P.Id == Id)
      return &P;
  return nullptr;
}

/// An enum's words, in the enum's order.
template <typename E, size_t N>
std::optional<E> parseWord(llvm::StringRef S, const char *const (&Words)[N]) {
  for (size_t I = 0; I < N; ++I)
    if (S == Words[I])
      return static_cast<E>(I);
  return std::nullopt;
}

const char *const SeverityWords[] = {"warning", "error", "note"};
const char *const StatusWords[] = {"stable", "experimental", "deprecated"};
const char *const ReportWords[] = {"entry", "target"};
const char *const TypeWords[] = {"bool", "integer", "text"};
const char *const KindWords[] = {"SQL predicate", "context", "call set"};
const char *const MatchKeys[] = {"sql", "context", "call"};

} // namespace

llvm::StringRef optionTypeName(OptionType Type) {
  return TypeWords[static_cast<int>(Type)];
}

llvm::ArrayRef<Primitive> primitives() { return Registry; }

llvm::StringRef primitiveKindName(PrimitiveKind Kind) {
  return KindWords[static_cast<int>(Kind)];
}

llvm::StringRef matchKey(PrimitiveKind Kind) {
  return MatchKeys[static_cast<int>(Kind)];
}

const Primitive *findPrimitive(PrimitiveKind Kind, llvm::StringRef Name) {
  for (const Primitive &P : Registry)
    if (P.Kind == Kind && Name == P.Name)
      return &P;
  return nullptr;
}

const Primitive *primitive(SqlPredicateKind Kind) {
  return byId(PrimitiveKind::SqlPredicate, id(Kind));
}
const Primitive *primitive(ContextKind Kind) {
  return byId(PrimitiveKind::Context, id(Kind));
}
const Primitive *primitive(CallSetKind Kind) {
  return byId(PrimitiveKind::CallSet, id(Kind));
}

std::string primitiveNames(PrimitiveKind Kind, std::optional<bool> NeedsContext) {
  std::string Out;
  for (const Primitive &P : Registry) {
    if (P.Kind != Kind || NeedsContext.value_or(P.NeedsContext) != P.NeedsContext)
      continue;
    if (!Out.empty())
      Out += ", ";
    Out += P.Name;
  }
  return Out;
}

llvm::StringRef factKindName(SqlFact::Kind Fact) {
  for (const Primitive &P : Registry)
    if (P.Fact == Fact)
      return P.Name;
  llvm_unreachable("a fact kind no SQL predicate reports");
}

std::optional<SqlFact::Kind> parseFactKind(llvm::StringRef Name) {
  const Primitive *P = findPrimitive(PrimitiveKind::SqlPredicate, Name);
  if (!P || !P->Fact || factKindName(*P->Fact) != Name)
    return std::nullopt;
  return P->Fact;
}

llvm::StringRef severityName(RuleSeverity S) {
  return SeverityWords[static_cast<int>(S)];
}
std::optional<RuleSeverity> parseSeverity(llvm::StringRef S) {
  return parseWord<RuleSeverity>(S, SeverityWords);
}
llvm::StringRef statusName(RuleStatus S) { return StatusWords[static_cast<int>(S)]; }
std::optional<RuleStatus> parseStatus(llvm::StringRef S) {
  return parseWord<RuleStatus>(S, StatusWords);
}
std::optional<ReportAt> parseReportAt(llvm::StringRef S) {
  return parseWord<ReportAt>(S, ReportWords);
}

void listPrimitives(llvm::raw_ostream &OS) {
  const std::pair<PrimitiveKind, const char *> Headings[] = {
      {PrimitiveKind::SqlPredicate, "SQL predicates (match.sql):"},
      {PrimitiveKind::Context, "Contexts (match.context):"},
      {PrimitiveKind::CallSet, "Call sets (match.call):"}};
  for (const auto &[Kind, Heading] : Headings) {
    OS << Heading << "\n";
    for (const Primitive &P : Registry) {
      if (P.Kind != Kind)
        continue;
      OS << "    " << P.Name << "\n        " << P.Summary
         << (P.NeedsContext ? " (with a context only)" : "") << "\n";
      for (const PrimitiveOption &O : P.Options) {
        OS << "        option " << O.Name << " (" << optionTypeName(O.Type);
        if (O.required())
          OS << ", required";
        else
          OS << ", default '" << O.Default << "'";
        OS << (O.WithoutContextOnly ? ", without a context" : "")
           << "): " << O.Description << "\n";
      }
      if (!P.Vars.empty()) {
        OS << "        variables";
        for (const char *V : P.Vars)
          OS << " {" << V << "}";
        OS << "\n";
      }
    }
  }
}

} // namespace stresslint
