//===--- RuleSet.cpp - Rules loaded from YAML, the active rule set --------===//
#include "rules/RuleSet.h"
#include "rules/Predicates.h"
#include "rules/YamlFields.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>
#include <mutex>
#include <yaml-cpp/yaml.h>

namespace stresslint {

const RuleOption *Rule::option(llvm::StringRef Name) const {
  for (const RuleOption &O : Options)
    if (O.Name == Name)
      return &O;
  return nullptr;
}

llvm::SmallVector<const Primitive *, 3> Rule::primitives() const {
  llvm::SmallVector<const Primitive *, 3> Out;
  for (const Primitive *P :
       {primitive(Context), primitive(SqlPredicate), primitive(CallSet)})
    if (P)
      Out.push_back(P);
  return Out;
}

std::vector<const PrimitiveOption *> Rule::primitiveOptions() const {
  std::vector<const PrimitiveOption *> Out;
  for (const Primitive *P : primitives())
    for (const PrimitiveOption &O : P->Options)
      if (!(O.WithoutContextOnly && hasContext()) &&
          llvm::none_of(Out, [&](const PrimitiveOption *X) {
            return llvm::StringRef(X->Name) == O.Name;
          }))
        Out.push_back(&O);
  return Out;
}

llvm::ArrayRef<const char *> Rule::variables() const {
  const Primitive *P = hasContext() ? primitive(Context) : primitive(SqlPredicate);
  return P ? P->Vars : llvm::ArrayRef<const char *>();
}

namespace {

/// The words of an enum field (`severity`, `status`, `report`), parsed by
/// \p Parse; \p Words lists them for the error.
template <typename Enum, typename ParseFn>
llvm::Error readWord(const YAML::Node &Doc, const char *Key, ParseFn Parse,
                     llvm::StringRef Words, const YamlErrors &E, Enum &Out) {
  YAML::Node N = Doc[Key];
  if (!N)
    return llvm::Error::success();
  std::optional<Enum> V = N.IsScalar() ? Parse(N.as<std::string>()) : std::nullopt;
  if (!V)
    return E.at(N.Mark(), llvm::Twine("'") + Key + "' must be " + Words);
  Out = *V;
  return llvm::Error::success();
}

/// Reads `match:` into \p R: each key names a primitive of the registry.
llvm::Error readMatch(const YAML::Node &M, const YamlErrors &E, Rule &R) {
  if (auto Err = checkKeys(M, {"sql", "context", "call"}, E, "'match'"))
    return Err;
  std::map<PrimitiveKind, const Primitive *> Named;
  for (PrimitiveKind K :
       {PrimitiveKind::Context, PrimitiveKind::CallSet, PrimitiveKind::SqlPredicate}) {
    llvm::StringRef Key = matchKey(K);
    auto V = scalar(M, Key.data(), E, false);
    if (!V)
      return V.takeError();
    if (V->empty())
      continue;
    const Primitive *P = findPrimitive(K, *V);
    if (!P) {
      std::string Known = primitiveNames(K, /*NeedsContext=*/false);
      if (K == PrimitiveKind::SqlPredicate)
        Known += "; with a context also " + primitiveNames(K, /*NeedsContext=*/true);
      return E.at(M[Key.data()].Mark(), "unknown " + primitiveKindName(K) + " '" + *V +
                                            "' (known: " + Known + ")");
    }
    Named[K] = P;
  }
  const Primitive *Sql = Named[PrimitiveKind::SqlPredicate];
  const Primitive *Call = Named[PrimitiveKind::CallSet];
  const Primitive *Context = Named[PrimitiveKind::Context];
  if (!Sql == !Call)
    return E.at(M.Mark(), "'match' needs exactly one of 'sql' or 'call'");
  if (Call && !Context)
    return E.at(M["call"].Mark(), "'call' needs a 'context'");
  if (Sql && Sql->NeedsContext && !Context)
    return E.at(M["sql"].Mark(), llvm::Twine("SQL predicate '") + Sql->Name +
                                     "' needs a 'context' (" +
                                     primitiveNames(PrimitiveKind::Context) + ")");
  R.SqlPredicate =
      Sql ? static_cast<SqlPredicateKind>(Sql->Id) : SqlPredicateKind::None;
  R.CallSet = Call ? static_cast<CallSetKind>(Call->Id) : CallSetKind::None;
  R.Context = Context ? static_cast<ContextKind>(Context->Id) : ContextKind::None;
  return llvm::Error::success();
}

/// Checks the options \p R's primitives read against its declarations
/// (\p Defaults: where each declared default is) and types them.
llvm::Error typeOptions(const YAML::Node &Doc, const std::vector<YAML::Mark> &Defaults,
                        const YamlErrors &E, Rule &R) {
  for (RuleOption &O : R.Options)
    O.Type = optionTypeOf(O.Default);
  for (const PrimitiveOption *P : R.primitiveOptions()) {
    auto It = llvm::find_if(R.Options,
                            [&](const RuleOption &O) { return O.Name == P->Name; });
    if (It == R.Options.end()) {
      // Numbers the engine reads that mean nothing when absent (a call
      // depth, a batch size) come from the rule's YAML, never the engine.
      if (P->required())
        return E.at(Doc["match"].Mark(),
                    llvm::Twine("rule '") + R.Id + "' must declare option '" + P->Name +
                        "' (a number) under 'options': its 'match' reads it");
      continue;
    }
    It->Type = P->Type;
    bool Parses =
        P->Type == OptionType::Text ||
        (P->Type == OptionType::Bool ? parseBoolOption(It->Default).has_value()
                                     : parseIntOption(It->Default).has_value());
    if (!Parses)
      return E.at(Defaults[It - R.Options.begin()],
                  llvm::Twine("option '") + P->Name + "' of rule '" + R.Id +
                      "' must default to " +
                      (P->Type == OptionType::Bool ? "a bool" : "an integer"));
  }
  return llvm::Error::success();
}

/// Checks that \p Text (the rule's \p Key) expands only variables the
/// rule's primitives give: `{name}`, a lower-case word with `-`; other
/// braces are text.
llvm::Error checkVariables(const YAML::Node &Doc, const char *Key, llvm::StringRef Text,
                           const YamlErrors &E, const Rule &R) {
  for (size_t Open = Text.find('{'); Open != llvm::StringRef::npos;
       Open = Text.find('{', Open + 1)) {
    size_t Close = Text.find('}', Open);
    if (Close == llvm::StringRef::npos)
      break;
    llvm::StringRef Name = Text.slice(Open + 1, Close);
    if (Name.empty() || Name.front() < 'a' || Name.front() > 'z' ||
        Name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") !=
            llvm::StringRef::npos)
      continue;
    if (llvm::is_contained(R.variables(), Name))
      continue;
    std::string Known;
    for (const char *V : R.variables())
      Known += (Known.empty() ? "{" : ", {") + std::string(V) + "}";
    return E.at(Doc[Key].Mark(), llvm::Twine("unknown variable '{") + Name + "}' in '" +
                                     Key + "' (this rule's 'match' gives " +
                                     (Known.empty() ? "none" : Known) + ")");
  }
  return llvm::Error::success();
}

/// Reads the rule \p Doc of file \p Name and validates it against the
/// registry of primitives.
llvm::Expected<Rule> parseRule(const YAML::Node &Doc, llvm::StringRef Name,
                               const YamlErrors &E) {
  if (auto Err = checkKeys(Doc,
                           {"id", "summary", "severity", "status", "message", "note",
                            "docs", "options", "match", "override", "metadata",
                            "report", "write-message"},
                           E, "a rule"))
    return std::move(Err);
  Rule R;
  for (auto [Key, Field, Required] :
       {std::tuple{"id", &R.Id, true}, std::tuple{"summary", &R.Summary, true},
        std::tuple{"message", &R.Message, true}, std::tuple{"note", &R.Note, false},
        std::tuple{"docs", &R.Docs, false},
        std::tuple{"write-message", &R.WriteMessage, false}}) {
    auto V = scalar(Doc, Key, E, Required);
    if (!V)
      return V.takeError();
    *Field = std::move(*V);
  }
  if (!llvm::StringRef(R.Id).startswith("stress-") ||
      R.Id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") !=
          std::string::npos)
    return E.at(Doc["id"].Mark(), "rule id '" + R.Id +
                                      "' must start with 'stress-' and use "
                                      "lower-case letters, digits and '-'");
  if (llvm::sys::path::stem(Name) != R.Id)
    return E.at(Doc["id"].Mark(), "rule id '" + R.Id +
                                      "' must be its file's name: rename '" +
                                      llvm::sys::path::filename(Name) + "' to '" +
                                      R.Id + llvm::sys::path::extension(Name) + "'");
  if (auto Err = readWord(Doc, "severity", parseSeverity, "warning, error or note", E,
                          R.Severity))
    return std::move(Err);
  if (auto Err = readWord(Doc, "status", parseStatus,
                          "stable, experimental or deprecated", E, R.Status))
    return std::move(Err);
  if (R.Message.find('\n') != std::string::npos)
    return E.at(Doc["message"].Mark(), "'message' must be one line");
  std::vector<YAML::Mark> Defaults;
  if (YAML::Node O = Doc["options"]) {
    if (!O.IsSequence())
      return E.at(O.Mark(), "'options' must be a list");
    for (const YAML::Node &Item : O) {
      if (auto Err =
              checkKeys(Item, {"name", "default", "description"}, E, "an option"))
        return std::move(Err);
      RuleOption Opt;
      for (auto [Key, Field, Required] :
           {std::tuple{"name", &Opt.Name, true},
            std::tuple{"default", &Opt.Default, true},
            std::tuple{"description", &Opt.Description, false}}) {
        auto V = scalar(Item, Key, E, Required);
        if (!V)
          return V.takeError();
        *Field = std::move(*V);
      }
      if (R.option(Opt.Name))
        return E.at(Item["name"].Mark(), "option '" + Opt.Name + "' is declared twice");
      Defaults.push_back(Item["default"].Mark());
      R.Options.push_back(std::move(Opt));
    }
  }
  YAML::Node M = Doc["match"];
  if (!M)
    return E.at(Doc.Mark(), "missing required key 'match'");
  if (auto Err = readMatch(M, E, R))
    return std::move(Err);
  if (auto Err =
          readWord(Doc, "report", parseReportAt, "'entry' or 'target'", E, R.Report))
    return std::move(Err);
  if (Doc["report"] && !R.hasContext())
    return E.at(Doc["report"].Mark(), "'report' applies to rules with a 'context'");
  if (auto Err = typeOptions(Doc, Defaults, E, R))
    return std::move(Err);
  for (auto [Key, Text] : {std::pair{"message", &R.Message}, std::pair{"note", &R.Note},
                           std::pair{"write-message", &R.WriteMessage}})
    if (auto Err = checkVariables(Doc, Key, *Text, E, R))
      return std::move(Err);
  return R;
}

} // namespace

/// The API files read so far, and those whose reading waits for the first
/// question about APIs.
struct RuleSet::LazyApis {
  std::once_flag Once;
  bool Read = false;
  /// Built-in files (tested at build time) and user files (checked when
  /// added), to read in this order.
  std::vector<std::pair<std::string, std::string>> Pending;
  ApiTables Tables;
};

RuleSet::RuleSet() : Apis(std::make_shared<LazyApis>()) {}

const ApiTables &RuleSet::apis() const {
  std::call_once(Apis->Once, [this] {
    for (const auto &[Name, Content] : Apis->Pending)
      if (llvm::Error Err = Apis->Tables.add(YAML::Load(Content), Name))
        // Built-ins are tested at build time and user files were checked
        // when added: this cannot happen.
        llvm::report_fatal_error(llvm::Twine("stresslint: ") +
                                 llvm::toString(std::move(Err)));
    Apis->Pending.clear();
    Apis->Read = true;
  });
  return Apis->Tables;
}

llvm::Error RuleSet::addFile(llvm::StringRef Name, llvm::StringRef Content,
                             bool BuiltIn) {
  // Chained: the digest covers every file so far, in order.
  std::string Chain = Digest + std::to_string(Name.size()) + ":" + Name.str() +
                      std::to_string(Content.size()) + ":" + Content.str();
  Digest = llvm::toHex(llvm::BLAKE3::hash<16>(llvm::arrayRefFromStringRef(Chain)),
                       /*LowerCase=*/true);
  if (BuiltIn && Name.startswith("rules/apis/") && !Apis->Read) {
    Apis->Pending.emplace_back(Name.str(), Content.str());
    return llvm::Error::success();
  }
  YamlErrors E{Name};
  YAML::Node Doc;
  try {
    Doc = YAML::Load(Content.str());
  } catch (const YAML::Exception &Ex) {
    return E.at(Ex.mark, Ex.msg);
  }
  try {
    if (!Doc.IsMap())
      return E.at(Doc.Mark(), "expected a rule (a mapping with 'id') or an "
                              "API file (a mapping with 'api')");
    if (Doc["api"]) {
      if (Apis->Read)
        return Apis->Tables.add(Doc, Name);
      // Checked now, read with the others on first use.
      ApiTables Check;
      if (llvm::Error Err = Check.add(Doc, Name))
        return Err;
      Apis->Pending.emplace_back(Name.str(), Content.str());
      return llvm::Error::success();
    }

    auto Parsed = parseRule(Doc, Name, E);
    if (!Parsed)
      return Parsed.takeError();
    Rule R = std::move(*Parsed);
    R.Source = Name.str();
    R.BuiltIn = BuiltIn;
    bool Override = Doc["override"] && Doc["override"].as<bool>();
    auto Existing = llvm::find_if(Rules, [&](const Rule &X) { return X.Id == R.Id; });
    if (Existing != Rules.end()) {
      if (!Override || !Existing->BuiltIn)
        return E.at(Doc["id"].Mark(),
                    "rule id '" + R.Id + "' is already defined in " + Existing->Source +
                        (Existing->BuiltIn
                             ? "; add 'override: true' to replace the built-in rule"
                             : ""));
      *Existing = std::move(R);
      return llvm::Error::success();
    }
    Rules.push_back(std::move(R));
    return llvm::Error::success();
  } catch (const YAML::Exception &Ex) {
    return E.at(Ex.mark, Ex.msg);
  }
}

llvm::Expected<RuleSet> RuleSet::load(const std::vector<std::string> &UserPaths) {
  RuleSet S;
  S.UserPaths = UserPaths;
  for (const EmbeddedFile &F : embeddedRuleFiles())
    if (auto Err = S.addFile(F.Path, F.Content, /*BuiltIn=*/true))
      return std::move(Err);
  for (const std::string &P : UserPaths) {
    std::vector<std::string> Files;
    if (llvm::sys::fs::is_directory(P)) {
      std::error_code EC;
      for (llvm::sys::fs::recursive_directory_iterator It(P, EC), End; It != End && !EC;
           It.increment(EC)) {
        llvm::StringRef Ext = llvm::sys::path::extension(It->path());
        if (Ext == ".yaml" || Ext == ".yml")
          Files.push_back(It->path());
      }
      if (EC)
        return llvm::createStringError(EC, "%s: error: %s", P.c_str(),
                                       EC.message().c_str());
      llvm::sort(Files);
    } else {
      Files.push_back(P);
    }
    for (const std::string &F : Files) {
      auto Buf = llvm::MemoryBuffer::getFile(F);
      if (!Buf)
        return llvm::createStringError(Buf.getError(),
                                       "%s: error: cannot read "
                                       "rule file: %s",
                                       F.c_str(), Buf.getError().message().c_str());
      if (auto Err = S.addFile(F, (*Buf)->getBuffer(), /*BuiltIn=*/false))
        return std::move(Err);
    }
  }
  return S;
}

bool RuleSet::hasContextRules() const {
  return llvm::any_of(Rules, [](const Rule &R) { return R.hasContext(); });
}

const Rule *RuleSet::rule(llvm::StringRef Id) const {
  for (const Rule &R : Rules)
    if (R.Id == Id)
      return &R;
  return nullptr;
}

static std::mutex ActiveMu;
static std::unique_ptr<RuleSet> Active;

const RuleSet &activeRuleSet() {
  std::lock_guard<std::mutex> Lock(ActiveMu);
  if (!Active) {
    std::vector<std::string> Paths;
    if (const char *Env = std::getenv("STRESSLINT_RULES")) {
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      llvm::StringRef(Env).split(Parts, ':', -1, /*KeepEmpty=*/false);
      Paths.assign(Parts.begin(), Parts.end());
    }
    auto Loaded = RuleSet::load(Paths);
    if (!Loaded && !Paths.empty()) {
      // A bad STRESSLINT_RULES file must not take the host (clang-tidy, an
      // editor) down: say so and lint with the embedded rules.
      llvm::errs() << "stresslint: STRESSLINT_RULES ignored: "
                   << llvm::toString(Loaded.takeError()) << "\n";
      Loaded = RuleSet::load({});
    }
    if (!Loaded) {
      // The embedded rules are tested at build time; this cannot happen in a
      // released binary, but fail loudly rather than lint with no rules.
      llvm::report_fatal_error(llvm::Twine("stresslint: embedded rules: ") +
                               llvm::toString(Loaded.takeError()));
    }
    Active = std::make_unique<RuleSet>(std::move(*Loaded));
  }
  return *Active;
}

void setActiveRuleSet(RuleSet Rules) {
  std::lock_guard<std::mutex> Lock(ActiveMu);
  Active = std::make_unique<RuleSet>(std::move(Rules));
}

llvm::StringRef embeddedDoc(llvm::StringRef Id) {
  for (const EmbeddedFile &F : embeddedDocFiles())
    if (llvm::sys::path::stem(F.Path) == Id)
      return F.Content;
  return "";
}

} // namespace stresslint
