//===--- ApiFile.cpp - API knowledge read from rules/apis/*.yaml ----------===//
///
/// \file
/// An API file (`api:`) declares which calls run SQL, bind its values and
/// read its rows, which functions are handlers, tasks or blocking calls,
/// how text is built (`strings:`, `binders:`, `macros:`) and what methods
/// do by name (`text-views:`, `read-methods:`, `library-methods:`, the
/// once-guard lists such as `lookup-methods:`, and the rest of
/// MethodListKeys); this reads one into the RuleSet and answers the
/// queries on what was read. Just past 500 lines: one reader per section,
/// all of them through the same entry and error helpers.
///
//===----------------------------------------------------------------------===//
#include "rules/RuleSet.h"
#include "rules/YamlFields.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

namespace stresslint {

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

/// One entry of `handlers:`, `job-handlers:`, `dispatchers:`,
/// `per-element:` or `blocking:`.
llvm::Expected<Recognizer> parseRecognizer(const YAML::Node &Item, llvm::StringRef Api,
                                           llvm::StringRef Section,
                                           const YamlErrors &E) {
  if (auto Err = checkKeys(Item,
                           {"function", "call", "callable-arg", "override", "macro",
                            "param-type", "annotation", "task-method", "task-from-call",
                            "how", "polls", "returns"},
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
  for (auto [Key, Field] :
       {std::pair{"annotation", &R.Annotation}, std::pair{"task-method", &R.TaskMethod},
        std::pair{"how", &R.How}, std::pair{"returns", &R.Returns}}) {
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
  if (auto Err = readBools(
          Item, {{"task-from-call", &R.TaskFromCall}, {"polls", &R.Polls}}, E))
    return std::move(Err);
  if (Item["polls"] && Section != "blocking")
    return E.at(Item["polls"].Mark(), "'polls' applies to entries of 'blocking'");
  if (Item["returns"] && Section != "dispatchers")
    return E.at(Item["returns"].Mark(), "'returns' applies to entries of 'dispatchers' "
                                        "and 'sinks'");
  if (!R.Function && !R.Call && !R.Override && !R.Macro && !R.ParamType &&
      R.Annotation.empty())
    return E.at(Item.Mark(), "an entry of '" + Section +
                                 "' needs one of function, call, override, "
                                 "macro, param-type or annotation");
  bool CallOnly = Section == "dispatchers" || Section == "per-element" ||
                  Section == "request-loops";
  if (CallOnly && !R.Call && R.Annotation.empty())
    return E.at(Item.Mark(),
                "an entry of '" + Section + "' names the " +
                    (Section == "request-loops" ? "accepting" : "dispatching") +
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
  for (auto [W, K] :
       {std::pair{"text", StringCall::Text}, std::pair{"literal", StringCall::Literal},
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
    auto P = entryFunction(
        Item, {"function", "builds", "appends", "prepends", "replaces", "clears"}, E,
        "an entry of 'strings'");
    if (!P)
      return P.takeError();
    StringCall C{StringCall::Text, Api, std::move(*P)};
    bool Appends = false, Prepends = false, Replaces = false, Clears = false;
    if (auto Err = readBools(Item,
                             {{"appends", &Appends},
                              {"prepends", &Prepends},
                              {"replaces", &Replaces},
                              {"clears", &Clears}},
                             E))
      return Err;
    YAML::Node B = Item["builds"];
    if (int(B.IsDefined()) + int(Appends) + int(Prepends) + int(Replaces) +
            int(Clears) !=
        1)
      return E.at(Item.Mark(),
                  "an entry of 'strings' has one of 'builds', 'appends: "
                  "true', 'prepends: true', 'replaces: true' or 'clears: true'");
    if (Appends || Prepends || Replaces || Clears) {
      C.K = Appends    ? StringCall::Append
            : Prepends ? StringCall::Prepend
            : Replaces ? StringCall::Replace
                       : StringCall::Clear;
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
    auto P =
        entryFunction(Item, {"function", "callable-arg"}, E, "an entry of 'binders'");
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

/// `macros:` of an API file: `{name, definition, arguments, parameters}`.
llvm::Error parseMacros(const YAML::Node &L, const std::string &Api,
                        const YamlErrors &E, std::vector<MacroDefinition> &Out) {
  if (!L.IsSequence())
    return E.at(L.Mark(), "'macros' must be a list");
  for (const YAML::Node &Item : L) {
    if (auto Err = checkKeys(
            Item, {"name", "definition", "arguments", "parameters", "only-with"}, E,
            "an entry of 'macros'"))
      return Err;
    MacroDefinition M{Api, "", ""};
    for (auto [Key, Field] :
         {std::pair{"name", &M.Name}, std::pair{"definition", &M.Definition}}) {
      auto V = scalar(Item, Key, E, /*Required=*/true);
      if (!V)
        return V.takeError();
      *Field = std::move(*V);
    }
    llvm::StringRef N = M.Name;
    if (N.empty() || !(llvm::isAlpha(N.front()) || N.front() == '_') ||
        !llvm::all_of(N, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
      return E.at(Item["name"].Mark(), "'name' of a macro must be an identifier");
    if (M.Definition.find('\n') != std::string::npos)
      return E.at(Item["definition"].Mark(),
                  "'definition' of a macro must be one line");
    if (auto Err = readBools(Item, {{"arguments", &M.Arguments}}, E))
      return Err;
    if (const YAML::Node P = Item["parameters"]) {
      // `parameters: [METHOD, PATH, NAME, ...]`: named, the last may be `...`.
      if (!P.IsSequence() || P.size() == 0)
        return E.at(P.Mark(), "'parameters' of a macro must be a list of names");
      for (size_t I = 0; I < P.size(); ++I) {
        std::string Name = P[I].IsScalar() ? P[I].Scalar() : "";
        llvm::StringRef Np = Name;
        bool Ellipsis = Np == "..." && I + 1 == P.size();
        if (!Ellipsis &&
            (Np.empty() || !(llvm::isAlpha(Np.front()) || Np.front() == '_') ||
             !llvm::all_of(Np, [](char C) { return llvm::isAlnum(C) || C == '_'; })))
          return E.at(P[I].Mark(),
                      "a macro parameter must be an identifier, or '...' last");
        M.Parameters += (I ? ", " : "") + Name;
      }
      M.Arguments = true;
    }
    if (const YAML::Node W = Item["only-with"]) {
      if (!W.IsSequence() || W.size() == 0 ||
          llvm::any_of(W, [](const YAML::Node &N) { return !N.IsScalar(); }))
        return E.at(W.Mark(), "'only-with' of a macro must be a list of macro names");
      for (const YAML::Node &N : W)
        M.OnlyWith.push_back(N.Scalar());
    }
    Out.push_back(std::move(M));
  }
  return llvm::Error::success();
}

/// The keys of the method lists, by MethodRole.
constexpr const char *MethodListKeys[MethodRoleCount] = {
    "text-views",   "read-methods",   "element-reads", "library-methods",
    "pass-through", "lookup-methods", "end-methods",   "size-methods",
    "empty-checks", "store-methods",  "flag-reads",    "flag-types",
    "open-checks",  "open-methods",   "text-streams",  "signal-connects"};

/// A method list of an API file: a list of method names or patterns.
llvm::Error parseMethodList(const YAML::Node &L, llvm::StringRef Key,
                            const YamlErrors &E, std::vector<NamePattern> &Out) {
  if (!L.IsSequence())
    return E.at(L.Mark(), "'" + Key + "' must be a list of method names");
  for (const YAML::Node &Item : L) {
    if (!Item.IsScalar())
      return E.at(Item.Mark(), "an entry of '" + Key + "' must be a method name");
    auto P = NamePattern::compile(Item.as<std::string>());
    if (!P)
      return E.at(Item.Mark(), llvm::toString(P.takeError()));
    Out.push_back(std::move(*P));
  }
  return llvm::Error::success();
}

/// `inference:` keys; those given replace the values of earlier files.
llvm::Error parseInference(const YAML::Node &N, Inference &Out, const YamlErrors &E) {
  if (auto Err =
          checkKeys(N,
                    {"by-name", "routes", "param-types", "overrides", "request-type",
                     "response-type", "handler-name", "not-handler-name",
                     "override-name", "endpoint-call", "not-registration"},
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
  if (auto Err =
          checkKeys(R, {"columns", "rows", "no-columns", "callbacks"}, E, "'results'"))
    return Err;
  for (auto [Key, Kind] :
       {std::pair{"columns", ResultCall::Column}, std::pair{"rows", ResultCall::Row},
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
        auto P =
            Kind == ResultCall::Column
                ? entryFunction(Item, {"function", "result-arg", "key-arg"}, E,
                                "a column read")
            : Kind == ResultCall::Callback
                ? entryFunction(
                      Item, {"function", "result-arg", "callable-arg", "result-type"},
                      E, "a callback")
                : entryFunction(Item, {"function", "result-arg"}, E, "a result call");
        if (!P)
          return P.takeError();
        C.Function = std::move(*P);
        if (auto Err = readInts(Item,
                                {{"result-arg", &C.ResultArg},
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
            return E.at(Item["result-type"].Mark(),
                        llvm::toString(Pattern.takeError()));
          C.ResultType = std::move(*Pattern);
        }
      }
      Out.push_back(std::move(C));
    }
  }
  return llvm::Error::success();
}

} // namespace

llvm::Error ApiTables::add(const YAML::Node &Doc, llvm::StringRef File) {
  YamlErrors E{File};
  // The sections, then the method lists (MethodListKeys).
  llvm::SmallVector<const char *, 40> Keys = {
      "api",      "description", "dialect",       "sinks",       "not-sql",
      "batch",    "handlers",    "job-handlers",  "dispatchers", "per-element",
      "blocking", "binds",       "request-loops", "inference",   "results",
      "strings",  "binders",     "macros"};
  Keys.append(std::begin(MethodListKeys), std::end(MethodListKeys));
  if (auto Err = checkKeys(Doc, Keys, E, "an API file"))
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
                              "prepare-round-trips", "in-process", "statement-arg",
                              "params", "returns"},
                             E, "a sink");
      if (!P)
        return P.takeError();
      Sink K{Api, std::move(*P)};
      K.Dialect = Dialect;
      if (YAML::Node A = Item["sql-arg"]) {
        try {
          K.SqlArg = A.IsScalar() && A.as<std::string>() == "none" ? Sink::NoSqlArg
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
      if (YAML::Node R = Item["returns"]) {
        if (!R.IsScalar() || R.as<std::string>().empty())
          return E.at(R.Mark(), "'returns' must be a class name");
        K.Returns = R.as<std::string>();
      }
      Sinks.push_back(std::move(K));
    }
  }
  if (YAML::Node B = Doc["binds"]) {
    if (!B.IsSequence())
      return E.at(B.Mark(), "'binds' must be a list");
    for (const YAML::Node &Item : B) {
      auto P = entryFunction(
          Item, {"function", "statement-arg", "name-arg", "value-arg", "index-base"}, E,
          "a bind");
      if (!P)
        return P.takeError();
      Bind K{Api, std::move(*P)};
      YAML::Node Base = Item["index-base"];
      bool Auto = Base && Base.IsScalar() && Base.Scalar() == "auto";
      if (Auto)
        K.IndexBase = Bind::AutoIndexBase;
      if (auto Err = readInts(Item,
                              {{"statement-arg", &K.StatementArg},
                               {"name-arg", &K.NameArg},
                               {"value-arg", &K.ValueArg}},
                              E))
        return Err;
      if (!Auto)
        if (auto Err = readInts(Item, {{"index-base", &K.IndexBase}}, E))
          return Err;
      Binds.push_back(std::move(K));
    }
  }
  if (YAML::Node R = Doc["results"])
    if (auto Err = parseResults(R, Api, E, ResultCalls))
      return Err;
  for (auto [Key, Out] :
       {std::pair{"handlers", &Handlers}, std::pair{"job-handlers", &JobHandlers},
        std::pair{"dispatchers", &Dispatchers}, std::pair{"per-element", &PerElement},
        std::pair{"blocking", &Blocking}, std::pair{"request-loops", &RequestLoops}}) {
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
  for (unsigned R = 0; R < MethodRoleCount; ++R)
    if (YAML::Node L = Doc[MethodListKeys[R]])
      if (auto Err = parseMethodList(L, MethodListKeys[R], E, Methods[R]))
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
        std::tuple{NotSql ? NotSql["macros"] : YAML::Node(), "macros", &NotSqlMacros},
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

bool ApiTables::isStringCall(StringCall::Kind K, llvm::StringRef Qualified,
                             llvm::StringRef Plain) const {
  return llvm::any_of(StringCalls, [&](const StringCall &C) {
    return C.K == K && ((!Qualified.empty() && C.Function.matches(Qualified)) ||
                        C.Function.matches(Plain));
  });
}

bool ApiTables::buildsText(llvm::StringRef Plain) const {
  return llvm::any_of(StringCalls, [&](const StringCall &C) {
    return C.K != StringCall::Printf && C.K != StringCall::Append &&
           C.K != StringCall::Prepend && C.K != StringCall::Replace &&
           C.Function.matches(Plain);
  });
}

/// Does \p P name \p Plain, a name written without its scope? `std::bind`
/// is also `bind`; a pattern with wildcards must match the plain name itself.
static bool matchesUnscoped(const NamePattern &P, llvm::StringRef Plain) {
  llvm::StringRef Text = P.text();
  size_t Colons = Text.rfind("::");
  bool Exact = !Text.contains('*') && !Text.startswith("re:");
  return P.matches(Plain) ||
         (Exact && Colons != llvm::StringRef::npos && Text.substr(Colons + 2) == Plain);
}

const Binder *ApiTables::binder(llvm::StringRef Plain) const {
  for (const Binder &B : Binders)
    if (matchesUnscoped(B.Function, Plain))
      return &B;
  return nullptr;
}

bool ApiTables::hasMethodRole(MethodRole R, llvm::StringRef Qualified,
                              llvm::StringRef Plain) const {
  return llvm::any_of(Methods[static_cast<unsigned>(R)], [&](const NamePattern &P) {
    return (!Qualified.empty() && P.matches(Qualified)) || P.matches(Plain);
  });
}

bool ApiTables::hasMethodRoleNamed(MethodRole R, llvm::StringRef Name) const {
  return llvm::any_of(Methods[static_cast<unsigned>(R)],
                      [&](const NamePattern &P) { return matchesUnscoped(P, Name); });
}

const MacroDefinition *ApiTables::macro(llvm::StringRef Name) const {
  for (auto It = Macros.rbegin(); It != Macros.rend(); ++It)
    if (It->Name == Name)
      return &*It;
  return nullptr;
}

} // namespace stresslint
