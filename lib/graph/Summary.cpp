//===--- Summary.cpp - What one translation unit tells the link step ------===//
#include "graph/Summary.h"
#include "rules/Registry.h"
#include "support/AtomicFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

namespace stresslint {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

TUSummaryConsumer::~TUSummaryConsumer() = default;

/// Configuration, not per-file state: the hook is installed once per
/// session, before any TU runs, and is the same for every TU; the
/// summaries themselves live in each TU's TUAnalysis.
static TUSummaryConsumer *Installed = nullptr;

void setTUSummaryConsumer(TUSummaryConsumer *Consumer) { Installed = Consumer; }

TUSummaryConsumer *tuSummaryConsumer() { return Installed; }

static const char *const EventKinds[] = {"call", "sink", "blocking", "dispatch"};

/// Source text is not always UTF-8 (a Latin-1 literal); JSON must be.
static std::string utf8(llvm::StringRef S) {
  return llvm::json::isUTF8(S) ? S.str() : llvm::json::fixUTF8(S);
}

static Value toJson(const SrcRange &R) { return Array{utf8(R.File), R.Begin, R.End}; }

static Value toJson(const SqlFact &F) {
  Array Pinned;
  for (const std::string &C : F.PinnedColumns)
    Pinned.push_back(utf8(C));
  // Bit 3 (the SELECT had a WHERE) is no longer written: nothing read it.
  unsigned Flags = F.InReturning | F.HasLimit << 1 | F.NoWaitOrSkip << 2 |
                   F.HasGroupBy << 4 | F.InSubquery << 5 | F.FromTable << 6 |
                   F.FromParse << 7 | F.OnlyTable << 8;
  return Object{{"k", factKindName(F.K)},   {"snippet", utf8(F.Snippet)},
                {"detail", utf8(F.Detail)}, {"table", utf8(F.Table)},
                {"flags", int64_t(Flags)},  {"pinned", std::move(Pinned)}};
}

std::string byNameCallee(llvm::StringRef Name, unsigned Arity, llvm::StringRef Scope) {
  if (Arity == ByNameCallee::AnyArity)
    return ("by-name:" + Name + "/*/" + Scope).str();
  return ("by-name:" + Name + "/" + llvm::Twine(Arity) + "/" + Scope).str();
}

std::optional<ByNameCallee> parseByNameCallee(llvm::StringRef Id) {
  if (!Id.consume_front("by-name:"))
    return std::nullopt;
  ByNameCallee C;
  llvm::StringRef Arity;
  std::tie(C.Name, Id) = Id.split('/');
  std::tie(Arity, C.Scope) = Id.split('/');
  if (Arity == "*")
    C.Arity = ByNameCallee::AnyArity;
  else if (C.Name.empty() || Arity.getAsInteger(10, C.Arity))
    return std::nullopt;
  return C;
}

std::string serializeSummary(const TUSummary &S) {
  Array Fns;
  for (const FunctionSummary &F : S.Functions) {
    Array Loops, Events, Overrides, Bases;
    for (const LoopInfo &L : F.Loops)
      Loops.push_back(Object{{"at", toJson(L.At)},
                             {"kind", utf8(L.Kind)},
                             {"trip", L.TripCount},
                             {"notPerItem", L.NotPerItem},
                             {"fixed", L.FixedList},
                             {"parent", L.Parent},
                             {"overParam", L.OverParam}});
    for (const Event &E : F.Events) {
      Object O{{"k", EventKinds[E.K]}, {"at", toJson(E.At)}, {"loop", E.InLoop}};
      if (!E.Callee.empty()) {
        O["callee"] = utf8(E.Callee);
        O["calleeName"] = utf8(E.CalleeName);
      }
      if (E.Virtual)
        O["virtual"] = true;
      if (E.InProcess)
        O["inProcess"] = true;
      if (E.Inferred)
        O["inferred"] = true;
      if (E.Batched)
        O["batched"] = true;
      if (E.Memoised)
        O["memoised"] = true;
      if (E.PerItemObject)
        O["perItemObject"] = true;
      if (E.RunsParam >= 0)
        O["runsParam"] = E.RunsParam;
      if (E.RunsGiven)
        O["runsGiven"] = true;
      if (!E.TextFrom.empty())
        O["textFrom"] = utf8(E.TextFrom);
      if (E.GivenArg >= 0)
        O["givenArg"] = E.GivenArg;
      if (!E.Passes.empty()) {
        llvm::json::Array Passes;
        for (auto [Arg, Param] : E.Passes)
          Passes.push_back(llvm::json::Array{Arg, Param});
        O["passes"] = std::move(Passes);
      }
      if (!E.SingleItemArgs.empty()) {
        llvm::json::Array Single;
        for (int Arg : E.SingleItemArgs)
          Single.push_back(Arg);
        O["singleItemArgs"] = std::move(Single);
      }
      for (auto [Key, Pairs] :
           {std::pair{"requires", &E.Requires}, std::pair{"flags", &E.Flags}})
        if (!Pairs->empty()) {
          llvm::json::Array A;
          for (auto [First, Second] : *Pairs)
            A.push_back(llvm::json::Array{First, Second});
          O[Key] = std::move(A);
        }
      if (!E.Statement.empty())
        O["statement"] = utf8(E.Statement);
      if (!E.Text.empty())
        O["text"] = utf8(E.Text);
      if (!E.Category.empty())
        O["category"] = utf8(E.Category);
      if (E.Origin.valid())
        O["origin"] = toJson(E.Origin);
      if (!E.Facts.empty()) {
        Array Facts;
        for (const LocatedFact &LF : E.Facts)
          Facts.push_back(Object{{"fact", toJson(LF.Fact)}, {"at", toJson(LF.Where)}});
        O["facts"] = std::move(Facts);
      }
      Events.push_back(std::move(O));
    }
    for (const std::string &Id : F.Overrides)
      Overrides.push_back(utf8(Id));
    for (const std::string &B : F.ClassBases)
      Bases.push_back(utf8(B));
    Object FO{{"id", utf8(F.Id)},
              {"name", utf8(F.Name)},
              {"args", Array{F.MinArgs, F.MaxArgs}},
              {"def", toJson(F.Def)},
              {"overrides", std::move(Overrides)},
              {"loops", std::move(Loops)},
              {"events", std::move(Events)},
              {"once", utf8(F.Once)}};
    if (!Bases.empty())
      FO["bases"] = std::move(Bases);
    if (F.Wraps)
      FO["wraps"] = true;
    if (!F.Returns.empty())
      FO["returns"] = F.Returns;
    Fns.push_back(std::move(FO));
  }
  Array Entries;
  for (const EntryPoint &E : S.Entries)
    Entries.push_back(Object{{"k", E.K == EntryPoint::Handler ? "handler" : "job"},
                             {"function", utf8(E.Function)},
                             {"name", utf8(E.Name)},
                             {"how", utf8(E.How)},
                             {"at", toJson(E.At)}});
  Array Stores;
  for (const auto &[Field, Function] : S.FieldStores)
    Stores.push_back(Array{utf8(Field), utf8(Function)});
  Object Root{{"version", 1},
              {"main", utf8(S.MainFile)},
              {"functions", std::move(Fns)},
              {"entries", std::move(Entries)},
              {"fieldStores", std::move(Stores)}};
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << Value(std::move(Root));
  return Out;
}

namespace {

/// Reads a summary, remembering the first thing that is not as written.
class Reader {
public:
  bool Ok = true;

  std::string str(const Object *O, llvm::StringRef Key) {
    if (auto S = O ? O->getString(Key) : std::nullopt)
      return S->str();
    return "";
  }
  int64_t num(const Object *O, llvm::StringRef Key, int64_t Default) {
    if (auto N = O ? O->getInteger(Key) : std::nullopt)
      return *N;
    return Default;
  }
  /// `[[a, b], ...]` of small non-negative integers (Event::Passes).
  std::vector<std::pair<int, int>> pairs(const Object *O, llvm::StringRef Key) {
    std::vector<std::pair<int, int>> Out;
    const Array *A = O ? O->getArray(Key) : nullptr;
    if (!A)
      return Out;
    for (const Value &V : *A) {
      const Array *P = V.getAsArray();
      std::optional<int64_t> First, Second;
      if (P && P->size() == 2) {
        First = (*P)[0].getAsInteger();
        Second = (*P)[1].getAsInteger();
      }
      if (!First || !Second || *First < 0 || *Second < 0 || *First > 255 ||
          *Second > 255) {
        Ok = false;
        break;
      }
      Out.emplace_back(static_cast<int>(*First), static_cast<int>(*Second));
    }
    return Out;
  }
  SrcRange range(const Value *V) {
    SrcRange R;
    const Array *A = V ? V->getAsArray() : nullptr;
    if (!A || A->size() != 3) {
      Ok = false;
      return R;
    }
    R.File = (*A)[0].getAsString().value_or("").str();
    R.Begin = static_cast<uint32_t>((*A)[1].getAsInteger().value_or(0));
    R.End = static_cast<uint32_t>((*A)[2].getAsInteger().value_or(0));
    return R;
  }
  template <size_t N> int kind(llvm::StringRef S, const char *const (&Names)[N]) {
    for (size_t I = 0; I < N; ++I)
      if (S == Names[I])
        return static_cast<int>(I);
    Ok = false;
    return 0;
  }
  SqlFact fact(const Object *O) {
    std::optional<SqlFact::Kind> K = parseFactKind(str(O, "k"));
    Ok &= K.has_value();
    SqlFact F{K.value_or(SqlFact::SelectStar)};
    F.Snippet = str(O, "snippet");
    F.Detail = str(O, "detail");
    F.Table = str(O, "table");
    auto Flags = static_cast<unsigned>(num(O, "flags", 0));
    F.InReturning = Flags & 1;
    F.HasLimit = Flags & 2;
    F.NoWaitOrSkip = Flags & 4;
    F.HasGroupBy = Flags & 16;
    F.InSubquery = Flags & 32;
    F.FromTable = Flags & 64;
    F.FromParse = Flags & 128;
    F.OnlyTable = Flags & 256;
    if (const Array *P = O ? O->getArray("pinned") : nullptr)
      for (const Value &C : *P)
        F.PinnedColumns.push_back(C.getAsString().value_or("").str());
    return F;
  }
};

} // namespace

llvm::Expected<TUSummary> parseSummary(llvm::StringRef Json) {
  auto Parsed = llvm::json::parse(Json);
  if (!Parsed)
    return Parsed.takeError();
  const Object *Root = Parsed->getAsObject();
  Reader R;
  if (!Root || R.num(Root, "version", 0) != 1)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "not a stresslint summary (version 1)");
  TUSummary S;
  S.MainFile = R.str(Root, "main");
  if (const Array *Fns = Root->getArray("functions"))
    for (const Value &FV : *Fns) {
      const Object *FO = FV.getAsObject();
      FunctionSummary F;
      F.Id = R.str(FO, "id");
      F.Name = R.str(FO, "name");
      F.Def = R.range(FO ? FO->get("def") : nullptr);
      F.Once = R.str(FO, "once");
      F.Wraps = FO && FO->getBoolean("wraps").value_or(false);
      F.Returns = R.str(FO, "returns");
      if (const Array *A = FO ? FO->getArray("args") : nullptr; A && A->size() == 2) {
        F.MinArgs = static_cast<unsigned>((*A)[0].getAsInteger().value_or(0));
        F.MaxArgs = static_cast<int>((*A)[1].getAsInteger().value_or(-1));
      }
      if (const Array *A = FO ? FO->getArray("overrides") : nullptr)
        for (const Value &V : *A)
          F.Overrides.push_back(V.getAsString().value_or("").str());
      if (const Array *A = FO ? FO->getArray("bases") : nullptr)
        for (const Value &V : *A)
          F.ClassBases.push_back(V.getAsString().value_or("").str());
      if (const Array *A = FO ? FO->getArray("loops") : nullptr)
        for (const Value &V : *A) {
          const Object *LO = V.getAsObject();
          LoopInfo L;
          L.At = R.range(LO ? LO->get("at") : nullptr);
          L.Kind = R.str(LO, "kind");
          L.TripCount = static_cast<int>(R.num(LO, "trip", -1));
          L.NotPerItem = R.str(LO, "notPerItem");
          L.FixedList = LO && LO->getBoolean("fixed").value_or(false);
          L.Parent = static_cast<int>(R.num(LO, "parent", -1));
          L.OverParam = static_cast<int>(R.num(LO, "overParam", -1));
          if (L.Parent >= static_cast<int>(F.Loops.size()))
            R.Ok = false; // An enclosing loop comes first.
          F.Loops.push_back(std::move(L));
        }
      if (const Array *A = FO ? FO->getArray("events") : nullptr)
        for (const Value &V : *A) {
          const Object *EO = V.getAsObject();
          Event E;
          E.K = static_cast<Event::Kind>(R.kind(R.str(EO, "k"), EventKinds));
          E.At = R.range(EO ? EO->get("at") : nullptr);
          E.InLoop = static_cast<int>(R.num(EO, "loop", -1));
          if (E.InLoop >= static_cast<int>(F.Loops.size()))
            R.Ok = false;
          E.Callee = R.str(EO, "callee");
          E.CalleeName = R.str(EO, "calleeName");
          E.Virtual = EO && EO->getBoolean("virtual").value_or(false);
          E.InProcess = EO && EO->getBoolean("inProcess").value_or(false);
          E.Inferred = EO && EO->getBoolean("inferred").value_or(false);
          E.Batched = EO && EO->getBoolean("batched").value_or(false);
          E.Memoised = EO && EO->getBoolean("memoised").value_or(false);
          E.PerItemObject = EO && EO->getBoolean("perItemObject").value_or(false);
          E.RunsParam = static_cast<int>(R.num(EO, "runsParam", -1));
          E.RunsGiven = EO && EO->getBoolean("runsGiven").value_or(false);
          E.TextFrom = R.str(EO, "textFrom");
          E.GivenArg = static_cast<int>(R.num(EO, "givenArg", -1));
          E.Passes = R.pairs(EO, "passes");
          if (const Array *Single = EO ? EO->getArray("singleItemArgs") : nullptr)
            for (const Value &A : *Single)
              E.SingleItemArgs.push_back(
                  static_cast<int>(A.getAsInteger().value_or(-1)));
          E.Requires = R.pairs(EO, "requires");
          E.Flags = R.pairs(EO, "flags");
          E.Statement = R.str(EO, "statement");
          E.Text = R.str(EO, "text");
          E.Category = R.str(EO, "category");
          if (EO && EO->get("origin"))
            E.Origin = R.range(EO->get("origin"));
          if (const Array *Facts = EO ? EO->getArray("facts") : nullptr)
            for (const Value &FactV : *Facts) {
              const Object *LO = FactV.getAsObject();
              LocatedFact LF;
              LF.Fact = R.fact(LO ? LO->getObject("fact") : nullptr);
              LF.Where = R.range(LO ? LO->get("at") : nullptr);
              E.Facts.push_back(std::move(LF));
            }
          F.Events.push_back(std::move(E));
        }
      S.Functions.push_back(std::move(F));
    }
  if (const Array *Entries = Root->getArray("entries"))
    for (const Value &V : *Entries) {
      const Object *EO = V.getAsObject();
      EntryPoint E;
      E.K = R.str(EO, "k") == "job" ? EntryPoint::JobHandler : EntryPoint::Handler;
      E.Function = R.str(EO, "function");
      E.Name = R.str(EO, "name");
      E.How = R.str(EO, "how");
      E.At = R.range(EO ? EO->get("at") : nullptr);
      S.Entries.push_back(std::move(E));
    }
  if (const Array *Stores = Root->getArray("fieldStores"))
    for (const Value &V : *Stores) {
      const Array *Pair = V.getAsArray();
      if (!Pair || Pair->size() != 2 || !(*Pair)[0].getAsString() ||
          !(*Pair)[1].getAsString()) {
        R.Ok = false;
        continue;
      }
      S.FieldStores.emplace_back((*Pair)[0].getAsString()->str(),
                                 (*Pair)[1].getAsString()->str());
    }
  if (!R.Ok)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed stresslint summary");
  return S;
}

static std::string storedName(llvm::StringRef Main) {
  return llvm::utohexstr(llvm::xxHash64(Main)) + ".json";
}

llvm::Error storeSummaries(llvm::StringRef Dir, llvm::ArrayRef<TUSummary> Summaries) {
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
    return llvm::createStringError(EC, "cannot create %s: %s", Dir.str().c_str(),
                                   EC.message().c_str());
  for (const TUSummary &S : Summaries) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, storedName(S.MainFile));
    std::string Text = serializeSummary(S);
    // A warm run stores what is already there: skip the synced rewrite.
    if (auto Old = llvm::MemoryBuffer::getFile(Path))
      if ((*Old)->getBuffer() == Text)
        continue;
    if (llvm::Error E = writeFileAtomically(Path, Text))
      return E;
  }
  return llvm::Error::success();
}

std::vector<TUSummary> loadStoredSummaries(llvm::StringRef Dir,
                                           llvm::StringRef ExcludeMain) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::StringRef(It->path()).endswith(".json"))
      Files.push_back(It->path());
  llvm::sort(Files);
  std::vector<TUSummary> Out;
  for (const std::string &F : Files) {
    auto Buf = llvm::MemoryBuffer::getFile(F);
    if (!Buf)
      continue;
    auto S = parseSummary((*Buf)->getBuffer());
    if (!S) {
      llvm::consumeError(S.takeError());
      continue;
    }
    if (S->MainFile != ExcludeMain)
      Out.push_back(std::move(*S));
  }
  return Out;
}

} // namespace stresslint
