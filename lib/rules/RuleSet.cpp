//===--- RuleSet.cpp - Rules and API knowledge loaded from YAML ------------===//
#include "rules/RuleSet.h"
#include "rules/Predicates.h"

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
#include <re2/re2.h>
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

llvm::Expected<NamePattern> NamePattern::compile(llvm::StringRef Pattern) {
  NamePattern P;
  P.Text = Pattern.str();
  std::string Re;
  if (Pattern.consume_front("re:")) {
    Re = Pattern.str();
  } else if (Pattern.contains('*')) {
    for (char C : Pattern)
      Re += C == '*' ? std::string(".*") : RE2::QuoteMeta(std::string(1, C));
  } else {
    return P;
  }
  RE2::Options Opts;
  Opts.set_log_errors(false);
  P.Regex = std::make_shared<RE2>("^(?:" + Re + ")$", Opts);
  if (!P.Regex->ok())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "invalid pattern '%s': %s", P.Text.c_str(),
                                   P.Regex->error().c_str());
  return P;
}

bool NamePattern::matches(llvm::StringRef Name) const {
  if (!Regex)
    return Name == Text;
  return RE2::FullMatch(re2::StringPiece(Name.data(), Name.size()), *Regex);
}

namespace {

/// Builds `file:line:col: error: message` errors from YAML marks.
struct YamlErrors {
  llvm::StringRef File;
  llvm::Error at(const YAML::Mark &M, const llvm::Twine &Msg) const {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(), "%s:%d:%d: error: %s",
        File.str().c_str(), M.line + 1, M.column + 1, Msg.str().c_str());
  }
};

llvm::Error checkKeys(const YAML::Node &N, std::initializer_list<const char *> Allowed,
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

/// One entry of `handlers:`, `job-handlers:`, `dispatchers:`,
/// `per-element:` or `blocking:`.
llvm::Expected<Recognizer> parseRecognizer(const YAML::Node &Item,
                                           llvm::StringRef Api,
                                           llvm::StringRef Section,
                                           const YamlErrors &E) {
  if (auto Err = checkKeys(Item,
                           {"function", "call", "callable-arg", "override",
                            "macro", "param-type", "annotation", "task-method",
                            "task-from-call", "how", "polls"},
                           E, ("an entry of '" + Section + "'").str()))
    return std::move(Err);
  Recognizer R;
  R.Api = Api.str();
  if (auto Err = readPatterns(Item,
                              {{"function", &R.Function},
                               {"call", &R.Call},
                               {"override", &R.Override},
                               {"macro", &R.Macro},
                               {"param-type", &R.ParamType}},
                              E))
    return std::move(Err);
  for (auto [Key, Field] : {std::pair{"annotation", &R.Annotation},
                            std::pair{"task-method", &R.TaskMethod},
                            std::pair{"how", &R.How}}) {
    auto V = scalar(Item, Key, E, false);
    if (!V)
      return V.takeError();
    *Field = std::move(*V);
  }
  if (YAML::Node A = Item["callable-arg"]) {
    try {
      R.CallableArg = A.as<int>();
    } catch (const YAML::Exception &) {
      return E.at(A.Mark(), "'callable-arg' must be an integer");
    }
  }
  if (auto Err = readBools(Item,
                           {{"task-from-call", &R.TaskFromCall},
                            {"polls", &R.Polls}},
                           E))
    return std::move(Err);
  if (Item["polls"] && Section != "blocking")
    return E.at(Item["polls"].Mark(),
                "'polls' applies to entries of 'blocking'");
  if (!R.Function && !R.Call && !R.Override && !R.Macro && !R.ParamType &&
      R.Annotation.empty())
    return E.at(Item.Mark(), "an entry of '" + Section +
                                 "' needs one of function, call, override, "
                                 "macro, param-type or annotation");
  bool CallOnly = Section == "dispatchers" || Section == "per-element" ||
                  Section == "request-loops";
  if (CallOnly && !R.Call && R.Annotation.empty())
    return E.at(Item.Mark(), "an entry of '" + Section + "' names the " +
                                 (Section == "request-loops" ? "accepting"
                                                             : "dispatching") +
                                 " 'call' (or an 'annotation')");
  if (Section == "blocking" && (R.Call || R.Override || R.Macro))
    return E.at(Item.Mark(), "an entry of 'blocking' names a 'function' "
                             "(the blocking callee) or an 'annotation'");
  if (R.How.empty())
    R.How = Api.str();
  return R;
}

/// The words of `builds:` in a `strings:` entry.
std::optional<StringCall::Kind> parseBuilds(llvm::StringRef Word) {
  for (auto [W, K] : {std::pair{"text", StringCall::Text},
                      std::pair{"literal", StringCall::Literal},
                      std::pair{"concat", StringCall::Concat},
                      std::pair{"number", StringCall::Number},
                      std::pair{"format", StringCall::Format},
                      std::pair{"printf", StringCall::Printf},
                      std::pair{"arg-template", StringCall::ArgTemplate}})
    if (Word == W)
      return K;
  return std::nullopt;
}

/// `strings:` of an API file: `{function, builds}` or `{function,
/// appends: true}`.
llvm::Error parseStrings(const YAML::Node &L, const std::string &Api,
                         const YamlErrors &E, std::vector<StringCall> &Out) {
  if (!L.IsSequence())
    return E.at(L.Mark(), "'strings' must be a list");
  for (const YAML::Node &Item : L) {
    auto P = entryFunction(Item, {"function", "builds", "appends"}, E,
                           "an entry of 'strings'");
    if (!P)
      return P.takeError();
    StringCall C{StringCall::Text, Api, std::move(*P)};
    bool Appends = false;
    if (auto Err = readBools(Item, {{"appends", &Appends}}, E))
      return Err;
    YAML::Node B = Item["builds"];
    if (B.IsDefined() == Appends)
      return E.at(Item.Mark(), "an entry of 'strings' has either 'builds' "
                               "or 'appends: true'");
    if (Appends) {
      C.K = StringCall::Append;
    } else {
      std::optional<StringCall::Kind> K =
          B.IsScalar() ? parseBuilds(B.as<std::string>()) : std::nullopt;
      if (!K)
        return E.at(B.Mark(), "'builds' must be text, literal, concat, "
                              "number, format, printf or arg-template");
      C.K = *K;
    }
    Out.push_back(std::move(C));
  }
  return llvm::Error::success();
}

/// `binders:` of an API file: `{function, callable-arg}`.
llvm::Error parseBinders(const YAML::Node &L, const std::string &Api,
                         const YamlErrors &E, std::vector<Binder> &Out) {
  if (!L.IsSequence())
    return E.at(L.Mark(), "'binders' must be a list");
  for (const YAML::Node &Item : L) {
    auto P = entryFunction(Item, {"function", "callable-arg"}, E,
                           "an entry of 'binders'");
    if (!P)
      return P.takeError();
    Binder B{Api, std::move(*P)};
    if (auto Err = readInts(Item, {{"callable-arg", &B.CallableArg}}, E))
      return Err;
    if (B.CallableArg < 0)
      return E.at(Item["callable-arg"].Mark(),
                  "'callable-arg' of a binder must be 0 or more");
    Out.push_back(std::move(B));
  }
  return llvm::Error::success();
}

/// `macros:` of an API file: `{name, definition}`.
llvm::Error parseMacros(const YAML::Node &L, const std::string &Api,
                        const YamlErrors &E,
                        std::vector<MacroDefinition> &Out) {
  if (!L.IsSequence())
    return E.at(L.Mark(), "'macros' must be a list");
  for (const YAML::Node &Item : L) {
    if (auto Err = checkKeys(Item, {"name", "definition"}, E,
                             "an entry of 'macros'"))
      return Err;
    MacroDefinition M{Api, "", ""};
    for (auto [Key, Field] : {std::pair{"name", &M.Name},
                              std::pair{"definition", &M.Definition}}) {
      auto V = scalar(Item, Key, E, /*Required=*/true);
      if (!V)
        return V.takeError();
      *Field = std::move(*V);
    }
    llvm::StringRef N = M.Name;
    if (N.empty() || !(llvm::isAlpha(N.front()) || N.front() == '_') ||
        !llvm::all_of(N, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
      return E.at(Item["name"].Mark(),
                  "'name' of a macro must be an identifier");
    if (M.Definition.find('\n') != std::string::npos)
      return E.at(Item["definition"].Mark(),
                  "'definition' of a macro must be one line");
    Out.push_back(std::move(M));
  }
  return llvm::Error::success();
}

/// `inference:` keys; those given replace the values of earlier files.
llvm::Error parseInference(const YAML::Node &N, Inference &Out,
                           const YamlErrors &E) {
  if (auto Err = checkKeys(N,
                           {"by-name", "routes", "param-types", "overrides",
                            "request-type", "response-type", "handler-name",
                            "not-handler-name", "override-name",
                            "endpoint-call", "not-registration"},
                           E, "'inference'"))
    return Err;
  if (auto Err = readBools(N,
                           {{"by-name", &Out.ByName},
                            {"routes", &Out.Routes},
                            {"param-types", &Out.ParamTypes},
                            {"overrides", &Out.Overrides}},
                           E))
    return Err;
  return readPatterns(N,
                      {{"request-type", &Out.RequestType},
                       {"response-type", &Out.ResponseType},
                       {"handler-name", &Out.HandlerName},
                       {"not-handler-name", &Out.NotHandlerName},
                       {"override-name", &Out.OverrideName},
                       {"endpoint-call", &Out.EndpointCall},
                       {"not-registration", &Out.NotRegistration}},
                      E);
}

/// `results:` of an API file: `columns`, `rows`, `no-columns` and
/// `callbacks`, each a list of `{function, result-arg, key-arg}`
/// (`no-columns` also takes bare function names; `callbacks` take
/// `callable-arg` and `result-type` instead of `key-arg`).
llvm::Error parseResults(const YAML::Node &R, const std::string &Api,
                         const YamlErrors &E, std::vector<ResultCall> &Out) {
  if (auto Err = checkKeys(R, {"columns", "rows", "no-columns", "callbacks"}, E,
                           "'results'"))
    return Err;
  for (auto [Key, Kind] : {std::pair{"columns", ResultCall::Column},
                           std::pair{"rows", ResultCall::Row},
                           std::pair{"no-columns", ResultCall::NoColumn},
                           std::pair{"callbacks", ResultCall::Callback}}) {
    YAML::Node L = R[Key];
    if (!L)
      continue;
    if (!L.IsSequence())
      return E.at(L.Mark(), llvm::Twine("'") + Key + "' must be a list");
    for (const YAML::Node &Item : L) {
      ResultCall C{Kind, Api, {}};
      if (Item.IsScalar() && Kind == ResultCall::NoColumn) {
        auto P = NamePattern::compile(Item.as<std::string>());
        if (!P)
          return E.at(Item.Mark(), llvm::toString(P.takeError()));
        C.Function = std::move(*P);
        C.ResultArg = ResultCall::AnyArg;
      } else {
        auto P = Kind == ResultCall::Column
                     ? entryFunction(Item, {"function", "result-arg", "key-arg"}, E,
                                     "a column read")
                 : Kind == ResultCall::Callback
                     ? entryFunction(Item,
                                     {"function", "result-arg", "callable-arg",
                                      "result-type"},
                                     E, "a callback")
                     : entryFunction(Item, {"function", "result-arg"}, E,
                                     "a result call");
        if (!P)
          return P.takeError();
        C.Function = std::move(*P);
        if (auto Err = readInts(Item, {{"result-arg", &C.ResultArg},
                                       {"key-arg", &C.KeyArg},
                                       {"callable-arg", &C.CallableArg}},
                                E))
          return Err;
        if (Kind == ResultCall::Callback) {
          auto T = scalar(Item, "result-type", E, /*Required=*/true);
          if (!T)
            return T.takeError();
          auto Pattern = NamePattern::compile(*T);
          if (!Pattern)
            return E.at(Item["result-type"].Mark(), llvm::toString(Pattern.takeError()));
          C.ResultType = std::move(*Pattern);
        }
      }
      Out.push_back(std::move(C));
    }
  }
  return llvm::Error::success();
}

/// The words of an enum field (`severity`, `status`, `report`), parsed by
/// \p Parse; \p Words lists them for the error.
template <typename Enum, typename ParseFn>
llvm::Error readWord(const YAML::Node &Doc, const char *Key, ParseFn Parse,
                     llvm::StringRef Words, const YamlErrors &E, Enum &Out) {
  YAML::Node N = Doc[Key];
  if (!N)
    return llvm::Error::success();
  std::optional<Enum> V =
      N.IsScalar() ? Parse(N.as<std::string>()) : std::nullopt;
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
  for (PrimitiveKind K : {PrimitiveKind::Context, PrimitiveKind::CallSet,
                          PrimitiveKind::SqlPredicate}) {
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
      return E.at(M[Key.data()].Mark(), "unknown " + primitiveKindName(K) +
                                            " '" + *V + "' (known: " + Known +
                                            ")");
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
                                     primitiveNames(PrimitiveKind::Context) +
                                     ")");
  R.SqlPredicate = Sql ? static_cast<SqlPredicateKind>(Sql->Id)
                       : SqlPredicateKind::None;
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
                    llvm::Twine("rule '") + R.Id + "' must declare option '" +
                        P->Name + "' (a number) under 'options': its 'match' reads it");
      continue;
    }
    It->Type = P->Type;
    bool Parses = P->Type == OptionType::Text ||
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
llvm::Error checkVariables(const YAML::Node &Doc, const char *Key,
                           llvm::StringRef Text, const YamlErrors &E,
                           const Rule &R) {
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
    return E.at(Doc[Key].Mark(), llvm::Twine("unknown variable '{") + Name +
                                     "}' in '" + Key + "' (this rule's 'match' gives " +
                                     (Known.empty() ? "none" : Known) + ")");
  }
  return llvm::Error::success();
}

/// Reads the rule \p Doc of file \p Name and validates it against the
/// registry of primitives.
llvm::Expected<Rule> parseRule(const YAML::Node &Doc, llvm::StringRef Name,
                               const YamlErrors &E) {
  if (auto Err = checkKeys(Doc, {"id", "summary", "severity", "status",
                                 "message", "note", "docs", "options",
                                 "match", "override", "metadata", "report",
                                 "write-message"},
                           E, "a rule"))
    return std::move(Err);
  Rule R;
  for (auto [Key, Field, Required] :
       {std::tuple{"id", &R.Id, true}, std::tuple{"summary", &R.Summary, true},
        std::tuple{"message", &R.Message, true},
        std::tuple{"note", &R.Note, false}, std::tuple{"docs", &R.Docs, false},
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
    return E.at(Doc["id"].Mark(),
                "rule id '" + R.Id + "' must be its file's name: rename '" +
                    llvm::sys::path::filename(Name) + "' to '" + R.Id +
                    llvm::sys::path::extension(Name) + "'");
  if (auto Err = readWord(Doc, "severity", parseSeverity,
                          "warning, error or note", E, R.Severity))
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
      if (auto Err = checkKeys(Item, {"name", "default", "description"}, E,
                               "an option"))
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
        return E.at(Item["name"].Mark(),
                    "option '" + Opt.Name + "' is declared twice");
      Defaults.push_back(Item["default"].Mark());
      R.Options.push_back(std::move(Opt));
    }
  }
  YAML::Node M = Doc["match"];
  if (!M)
    return E.at(Doc.Mark(), "missing required key 'match'");
  if (auto Err = readMatch(M, E, R))
    return std::move(Err);
  if (auto Err = readWord(Doc, "report", parseReportAt, "'entry' or 'target'",
                          E, R.Report))
    return std::move(Err);
  if (Doc["report"] && !R.hasContext())
    return E.at(Doc["report"].Mark(),
                "'report' applies to rules with a 'context'");
  if (auto Err = typeOptions(Doc, Defaults, E, R))
    return std::move(Err);
  for (auto [Key, Text] : {std::pair{"message", &R.Message},
                           std::pair{"note", &R.Note},
                           std::pair{"write-message", &R.WriteMessage}})
    if (auto Err = checkVariables(Doc, Key, *Text, E, R))
      return std::move(Err);
  return R;
}

} // namespace

llvm::Error RuleSet::addApiFile(const YAML::Node &Doc, llvm::StringRef File) {
  YamlErrors E{File};
  if (auto Err = checkKeys(Doc,
                           {"api", "description", "dialect", "sinks", "not-sql",
                            "batch", "handlers", "job-handlers",
                            "dispatchers", "per-element", "blocking",
                            "binds", "request-loops", "inference",
                            "results", "strings", "binders", "macros"},
                           E, "an API file"))
    return Err;
  std::string Api = Doc["api"].as<std::string>();
  SqlDialect Dialect = SqlDialect::PostgreSQL;
  if (YAML::Node D = Doc["dialect"]) {
    std::optional<SqlDialect> Parsed =
        D.IsScalar() ? parseSqlDialect(D.as<std::string>()) : std::nullopt;
    if (!Parsed)
      return E.at(D.Mark(), "'dialect' must be one of postgresql, mysql, "
                            "sqlite, tsql");
    Dialect = *Parsed;
  }
  if (YAML::Node S = Doc["sinks"]) {
    if (!S.IsSequence())
      return E.at(S.Mark(), "'sinks' must be a list");
    for (const YAML::Node &Item : S) {
      auto P = entryFunction(Item,
                             {"function", "sql-arg", "stream", "prepares",
                              "prepare-round-trips", "in-process",
                              "statement-arg", "params"},
                             E, "a sink");
      if (!P)
        return P.takeError();
      Sink K{Api, std::move(*P)};
      K.Dialect = Dialect;
      if (YAML::Node A = Item["sql-arg"]) {
        try {
          K.SqlArg = A.IsScalar() && A.as<std::string>() == "none"
                         ? Sink::NoSqlArg
                         : A.as<int>();
        } catch (const YAML::Exception &) {
          return E.at(A.Mark(), "'sql-arg' must be an integer or 'none'");
        }
      }
      if (auto Err = readBools(Item,
                               {{"prepares", &K.Prepares},
                                {"prepare-round-trips", &K.PrepareRoundTrips},
                                {"in-process", &K.InProcess}},
                               E))
        return Err;
      if (YAML::Node St = Item["stream"]) {
        K.Stream = St.as<std::string>();
        if (K.Stream != "first" && K.Stream != "concat")
          return E.at(St.Mark(), "'stream' must be 'first' or 'concat'");
      }
      if (YAML::Node A = Item["statement-arg"]) {
        try {
          K.StatementArg = A.as<int>();
        } catch (const YAML::Exception &) {
          return E.at(A.Mark(), "'statement-arg' must be an integer");
        }
      }
      if (YAML::Node P = Item["params"]) {
        if (!P.IsScalar() || P.as<std::string>() != "following")
          return E.at(P.Mark(), "'params' must be 'following'");
        K.ParamsFollow = true;
      }
      Sinks.push_back(std::move(K));
    }
  }
  if (YAML::Node B = Doc["binds"]) {
    if (!B.IsSequence())
      return E.at(B.Mark(), "'binds' must be a list");
    for (const YAML::Node &Item : B) {
      auto P = entryFunction(Item,
                             {"function", "statement-arg", "name-arg",
                              "value-arg", "index-base"},
                             E, "a bind");
      if (!P)
        return P.takeError();
      Bind K{Api, std::move(*P)};
      if (auto Err = readInts(Item,
                              {{"statement-arg", &K.StatementArg},
                               {"name-arg", &K.NameArg},
                               {"value-arg", &K.ValueArg},
                               {"index-base", &K.IndexBase}},
                              E))
        return Err;
      Binds.push_back(std::move(K));
    }
  }
  if (YAML::Node R = Doc["results"])
    if (auto Err = parseResults(R, Api, E, ResultCalls))
      return Err;
  for (auto [Key, Out] : {std::pair{"handlers", &Handlers},
                          std::pair{"job-handlers", &JobHandlers},
                          std::pair{"dispatchers", &Dispatchers},
                          std::pair{"per-element", &PerElement},
                          std::pair{"blocking", &Blocking},
                          std::pair{"request-loops", &RequestLoops}}) {
    YAML::Node L = Doc[Key];
    if (!L)
      continue;
    if (!L.IsSequence())
      return E.at(L.Mark(), llvm::Twine("'") + Key + "' must be a list");
    for (const YAML::Node &Item : L) {
      auto R = parseRecognizer(Item, Api, Key, E);
      if (!R)
        return R.takeError();
      Out->push_back(std::move(*R));
    }
  }
  if (YAML::Node L = Doc["strings"])
    if (auto Err = parseStrings(L, Api, E, StringCalls))
      return Err;
  if (YAML::Node L = Doc["binders"])
    if (auto Err = parseBinders(L, Api, E, Binders))
      return Err;
  if (YAML::Node L = Doc["macros"])
    if (auto Err = parseMacros(L, Api, E, Macros))
      return Err;
  if (YAML::Node I = Doc["inference"])
    if (auto Err = parseInference(I, Infer, E))
      return Err;
  YAML::Node NotSql = Doc["not-sql"];
  if (NotSql)
    if (auto Err = checkKeys(NotSql, {"functions", "macros"}, E, "'not-sql'"))
      return Err;
  for (auto [L, Key, Out] :
       {std::tuple{NotSql ? NotSql["functions"] : YAML::Node(), "functions",
                   &NotSqlFunctions},
        std::tuple{NotSql ? NotSql["macros"] : YAML::Node(), "macros",
                   &NotSqlMacros},
        std::tuple{Doc["batch"], "batch", &BatchFunctions}}) {
    if (!L || L.IsNull())
      continue;
    if (!L.IsSequence())
      return E.at(L.Mark(), llvm::Twine("'") + Key + "' must be a list");
    for (const YAML::Node &Item : L) {
      auto P = NamePattern::compile(Item.as<std::string>());
      if (!P)
        return E.at(Item.Mark(), llvm::toString(P.takeError()));
      Out->push_back(std::move(*P));
    }
  }
  return llvm::Error::success();
}

llvm::Error RuleSet::addFile(llvm::StringRef Name, llvm::StringRef Content,
                             bool BuiltIn) {
  // Chained: the digest covers every file so far, in order.
  std::string Chain = Digest + std::to_string(Name.size()) + ":" + Name.str() +
                      std::to_string(Content.size()) + ":" + Content.str();
  Digest = llvm::toHex(llvm::BLAKE3::hash<16>(llvm::arrayRefFromStringRef(Chain)),
                       /*LowerCase=*/true);
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
    if (Doc["api"])
      return addApiFile(Doc, Name);

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
                    "rule id '" + R.Id + "' is already defined in " +
                        Existing->Source +
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
      for (llvm::sys::fs::recursive_directory_iterator It(P, EC), End;
           It != End && !EC; It.increment(EC)) {
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
        return llvm::createStringError(Buf.getError(), "%s: error: cannot read "
                                                       "rule file: %s",
                                       F.c_str(),
                                       Buf.getError().message().c_str());
      if (auto Err = S.addFile(F, (*Buf)->getBuffer(), /*BuiltIn=*/false))
        return std::move(Err);
    }
  }
  return S;
}

bool RuleSet::hasContextRules() const {
  return llvm::any_of(Rules, [](const Rule &R) { return R.hasContext(); });
}

bool RuleSet::isStringCall(StringCall::Kind K, llvm::StringRef Qualified,
                           llvm::StringRef Plain) const {
  return llvm::any_of(StringCalls, [&](const StringCall &C) {
    return C.K == K && ((!Qualified.empty() && C.Function.matches(Qualified)) ||
                        C.Function.matches(Plain));
  });
}

bool RuleSet::buildsText(llvm::StringRef Plain) const {
  return llvm::any_of(StringCalls, [&](const StringCall &C) {
    return C.K != StringCall::Printf && C.K != StringCall::Append &&
           C.Function.matches(Plain);
  });
}

const Binder *RuleSet::binder(llvm::StringRef Plain) const {
  for (const Binder &B : Binders) {
    llvm::StringRef Text = B.Function.text();
    // `std::bind` is also `bind` as written without its scope; a pattern
    // with wildcards must match the plain name itself.
    size_t Colons = Text.rfind("::");
    bool Exact = !Text.contains('*') && !Text.startswith("re:");
    if (B.Function.matches(Plain) ||
        (Exact && Colons != llvm::StringRef::npos &&
         Text.substr(Colons + 2) == Plain))
      return &B;
  }
  return nullptr;
}

const MacroDefinition *RuleSet::macro(llvm::StringRef Name) const {
  for (auto It = Macros.rbegin(); It != Macros.rend(); ++It)
    if (It->Name == Name)
      return &*It;
  return nullptr;
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
