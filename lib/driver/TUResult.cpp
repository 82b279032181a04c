//===--- TUResult.cpp - What analysing one translation unit yields ---------===//
#include "driver/TUResult.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

using clang::tidy::ClangTidyError;
using clang::tooling::DiagnosticMessage;
namespace json = llvm::json;

namespace stresslint {

/// A string as JSON: a copy of itself when UTF-8 (a json::Value built from
/// a StringRef only refers to it), else its bytes in hex.
static json::Value str(llvm::StringRef S) {
  if (json::isUTF8(S))
    return S.str();
  return json::Object{{"hex", llvm::toHex(S, /*LowerCase=*/true)}};
}

static json::Value strings(const std::vector<std::string> &V) {
  json::Array A;
  for (const std::string &S : V)
    A.push_back(str(S));
  return A;
}

static json::Value message(const DiagnosticMessage &M) {
  json::Array Ranges;
  for (const auto &R : M.Ranges)
    Ranges.push_back(json::Object{
        {"file", str(R.FilePath)}, {"offset", R.FileOffset}, {"length", R.Length}});
  json::Array Fix;
  std::vector<std::string> Files;
  for (const auto &KV : M.Fix)
    Files.push_back(KV.getKey().str());
  llvm::sort(Files); // StringMap order is not deterministic
  for (const std::string &F : Files) {
    json::Array Reps;
    for (const auto &R : M.Fix.find(F)->second)
      Reps.push_back(json::Object{{"file", str(R.getFilePath())},
                                  {"offset", R.getOffset()},
                                  {"length", R.getLength()},
                                  {"text", str(R.getReplacementText())}});
    Fix.push_back(json::Object{{"file", str(F)}, {"replacements", std::move(Reps)}});
  }
  return json::Object{{"message", str(M.Message)},
                      {"file", str(M.FilePath)},
                      {"offset", M.FileOffset},
                      {"ranges", std::move(Ranges)},
                      {"fix", std::move(Fix)}};
}

std::string serializeTUResult(const TUResult &R) {
  json::Array Errors;
  for (const ClangTidyError &E : R.Errors) {
    json::Array Notes;
    for (const DiagnosticMessage &N : E.Notes)
      Notes.push_back(message(N));
    Errors.push_back(json::Object{{"check", str(E.DiagnosticName)},
                                  {"level", static_cast<int>(E.DiagLevel)},
                                  {"buildDirectory", str(E.BuildDirectory)},
                                  {"warningAsError", E.IsWarningAsError},
                                  {"aliases", strings(E.EnabledDiagnosticAliases)},
                                  {"message", message(E.Message)},
                                  {"notes", std::move(Notes)}});
  }
  json::Array Inputs;
  for (const TUResult::Input &In : R.Inputs)
    Inputs.push_back(json::Array{str(In.Path), In.Digest});
  json::Object Root{{"errors", std::move(Errors)},
                    {"inputs", std::move(Inputs)},
                    {"summary", str(R.Summary)},
                    {"warnings", strings(R.Warnings)},
                    {"problems", strings(R.Problems)},
                    {"hiddenCompileErrors", R.HiddenCompileErrors},
                    {"recoveredLoops", R.RecoveredLoops},
                    {"unknownTypes", R.UnknownTypes},
                    {"projectDecls", R.ProjectDecls},
                    {"libraryDecls", R.LibraryDecls}};
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << json::Value(std::move(Root));
  return Out;
}

namespace {
/// Reads the wire format; the first mismatch makes the whole result invalid.
class Reader {
public:
  bool Ok = true;

  std::string string(const json::Value *V) {
    if (V)
      if (auto S = V->getAsString())
        return S->str();
    if (const json::Object *O = V ? V->getAsObject() : nullptr)
      if (auto Hex = O->getString("hex")) {
        std::string Bytes;
        if (llvm::tryGetFromHex(*Hex, Bytes))
          return Bytes;
      }
    Ok = false;
    return "";
  }
  unsigned number(const json::Value *V) {
    if (V)
      if (auto N = V->getAsInteger())
        if (*N >= 0 && *N <= UINT32_MAX)
          return static_cast<unsigned>(*N);
    Ok = false;
    return 0;
  }
  const json::Array &array(const json::Value *V) {
    static const json::Array Empty;
    if (const json::Array *A = V ? V->getAsArray() : nullptr)
      return *A;
    Ok = false;
    return Empty;
  }
  const json::Object &object(const json::Value *V) {
    static const json::Object Empty;
    if (const json::Object *O = V ? V->getAsObject() : nullptr)
      return *O;
    Ok = false;
    return Empty;
  }
  std::vector<std::string> strings(const json::Value *V) {
    std::vector<std::string> Out;
    for (const json::Value &S : array(V))
      Out.push_back(string(&S));
    return Out;
  }

  DiagnosticMessage message(const json::Value *V) {
    const json::Object &O = object(V);
    DiagnosticMessage M(string(O.get("message")));
    M.FilePath = string(O.get("file"));
    M.FileOffset = number(O.get("offset"));
    for (const json::Value &RV : array(O.get("ranges"))) {
      const json::Object &R = object(&RV);
      clang::tooling::FileByteRange B;
      B.FilePath = string(R.get("file"));
      B.FileOffset = number(R.get("offset"));
      B.Length = number(R.get("length"));
      M.Ranges.push_back(std::move(B));
    }
    for (const json::Value &FV : array(O.get("fix"))) {
      const json::Object &F = object(&FV);
      clang::tooling::Replacements &Reps = M.Fix[string(F.get("file"))];
      for (const json::Value &RV : array(F.get("replacements"))) {
        const json::Object &R = object(&RV);
        clang::tooling::Replacement Rep(string(R.get("file")), number(R.get("offset")),
                                        number(R.get("length")), string(R.get("text")));
        if (llvm::Error E = Reps.add(Rep)) {
          llvm::consumeError(std::move(E));
          Ok = false;
        }
      }
    }
    return M;
  }
};
} // namespace

llvm::Expected<TUResult> deserializeTUResult(llvm::StringRef Wire) {
  auto Parsed = json::parse(Wire);
  if (!Parsed)
    return Parsed.takeError();
  Reader Rd;
  const json::Object &Root = Rd.object(&*Parsed);
  TUResult R;
  for (const json::Value &EV : Rd.array(Root.get("errors"))) {
    const json::Object &E = Rd.object(&EV);
    unsigned Level = Rd.number(E.get("level"));
    std::optional<bool> WAE = E.getBoolean("warningAsError");
    ClangTidyError Err(Rd.string(E.get("check")),
                       static_cast<ClangTidyError::Level>(Level),
                       Rd.string(E.get("buildDirectory")), WAE.value_or(false));
    Rd.Ok &= WAE.has_value();
    Err.EnabledDiagnosticAliases = Rd.strings(E.get("aliases"));
    Err.Message = Rd.message(E.get("message"));
    for (const json::Value &N : Rd.array(E.get("notes")))
      Err.Notes.push_back(Rd.message(&N));
    R.Errors.push_back(std::move(Err));
  }
  R.Summary = Rd.string(Root.get("summary"));
  R.Warnings = Rd.strings(Root.get("warnings"));
  R.Problems = Rd.strings(Root.get("problems"));
  std::optional<bool> Hidden = Root.getBoolean("hiddenCompileErrors");
  Rd.Ok &= Hidden.has_value();
  R.HiddenCompileErrors = Hidden.value_or(false);
  R.RecoveredLoops =
      static_cast<unsigned>(Root.getInteger("recoveredLoops").value_or(0));
  R.UnknownTypes = static_cast<unsigned>(Root.getInteger("unknownTypes").value_or(0));
  R.ProjectDecls = static_cast<unsigned>(Root.getInteger("projectDecls").value_or(0));
  R.LibraryDecls = static_cast<unsigned>(Root.getInteger("libraryDecls").value_or(0));
  for (const json::Value &IV : Rd.array(Root.get("inputs"))) {
    const json::Array &Pair = Rd.array(&IV);
    if (Pair.size() != 2) {
      Rd.Ok = false;
      break;
    }
    R.Inputs.push_back({Rd.string(&Pair[0]), Rd.string(&Pair[1])});
  }
  if (!Rd.Ok)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "malformed worker result");
  return std::move(R);
}

} // namespace stresslint
