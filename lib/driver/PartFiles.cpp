//===--- PartFiles.cpp - Shards' results, written and merged --------------===//
///
/// \file
/// `--shard K/N --part FILE` writes a shard's findings and call-graph
/// summaries (LintSession::writePart); `stresslint merge` reads every part
/// back, checks they are the N shards of one run with this version and
/// these rules, and takes them in as analysed TUs (LintSession::loadParts).
///
//===----------------------------------------------------------------------===//
#include "driver/Driver.h"
#include "driver/SessionImpl.h"
#include "rules/RuleSet.h"
#include "support/AtomicFile.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

namespace stresslint {

/// Identifies a part file and the layout of its content.
static constexpr llvm::StringLiteral PartFormat = "stresslint-part";
static constexpr int PartVersion = 1;

void LintSession::writePart() {
  TUResult All;
  All.Errors = Errors;
  All.Warnings = Warnings;
  All.Problems = InputProblems;
  llvm::json::Array Sums;
  for (const std::string &S : Summaries)
    Sums.push_back(S);
  llvm::json::Object Part{
      {"format", PartFormat},
      {"version", PartVersion},
      {"tool", STRESSLINT_VERSION},
      {"rules", activeRuleSet().digest()},
      {"shard", llvm::json::Array{Opts.ShardCount ? Opts.ShardIndex : 1,
                                  Opts.ShardCount ? Opts.ShardCount : 1}},
      {"cpp", llvm::json::Array(CppFiles)},
      {"sql", llvm::json::Array(SqlFiles)},
      {"hiddenCompileErrorTUs", TUsWithHiddenErrors},
      {"result", serializeTUResult(All)},
      {"summaries", std::move(Sums)}};
  if (llvm::Error E = writeFileAtomically(Opts.PartFile, [&](llvm::raw_ostream &OS) {
        OS << llvm::json::Value(std::move(Part)) << "\n";
      })) {
    PartWriteFailed = true;
    InputProblems.push_back("cannot write the part file: " +
                            llvm::toString(std::move(E)));
  }
}

llvm::Error LintSession::loadParts() {
  auto Fail = [](const std::string &Path, const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "error: %s: %s",
                                   Path.c_str(), Why.str().c_str());
  };
  unsigned Count = 0;
  std::vector<std::string> Seen; // shard K of Count -> the file that had it
  for (const std::string &Path : Opts.MergeParts) {
    auto Buf = llvm::MemoryBuffer::getFile(Path);
    if (!Buf)
      return Fail(Path, "cannot read: " + Buf.getError().message());
    auto Parsed = llvm::json::parse((*Buf)->getBuffer());
    if (!Parsed)
      return Fail(Path, "not a part file (" + llvm::toString(Parsed.takeError()) + ")");
    const llvm::json::Object *O = Parsed->getAsObject();
    if (!O || O->getString("format") != PartFormat)
      return Fail(Path, "not a stresslint part file (write one with --part)");
    if (O->getInteger("version") != PartVersion ||
        O->getString("tool") != STRESSLINT_VERSION)
      return Fail(Path, "written by another stresslint version; merge with the "
                        "version that wrote the parts");
    if (O->getString("rules") != activeRuleSet().digest())
      return Fail(Path, "written with other rules; pass merge the same --rules "
                        "as the shards");
    const llvm::json::Array *Shard = O->getArray("shard");
    std::optional<int64_t> K =
        Shard && Shard->size() == 2 ? (*Shard)[0].getAsInteger() : std::nullopt;
    std::optional<int64_t> N =
        Shard && Shard->size() == 2 ? (*Shard)[1].getAsInteger() : std::nullopt;
    if (!K || !N || *N < 1 || *K < 1 || *K > *N)
      return Fail(Path, "malformed shard number");
    if (Count && *N != Count)
      return Fail(Path, "is a part of " + llvm::Twine(*N) + " shards, the others of " +
                            llvm::Twine(Count));
    Count = *N;
    Seen.resize(Count);
    if (!Seen[*K - 1].empty())
      return Fail(Path, "shard " + llvm::Twine(*K) + "/" + llvm::Twine(*N) +
                            " is also in " + Seen[*K - 1]);
    Seen[*K - 1] = Path;

    auto Strings = [&](llvm::StringRef Key, std::vector<std::string> &Out) {
      const llvm::json::Array *A = O->getArray(Key);
      if (!A)
        return false;
      for (const llvm::json::Value &V : *A) {
        auto S = V.getAsString();
        if (!S)
          return false;
        Out.push_back(S->str());
      }
      return true;
    };
    std::vector<std::string> Sums;
    std::optional<llvm::StringRef> Wire = O->getString("result");
    std::optional<int64_t> Hidden = O->getInteger("hiddenCompileErrorTUs");
    if (!Wire || !Hidden || !Strings("cpp", CppFiles) || !Strings("sql", SqlFiles) ||
        !Strings("summaries", Sums))
      return Fail(Path, "malformed part file");
    auto R = deserializeTUResult(*Wire);
    if (!R)
      return Fail(Path, "malformed part file (" + llvm::toString(R.takeError()) + ")");
    for (std::string &S : Sums)
      Summaries.push_back(std::move(S));
    TUsWithHiddenErrors += *Hidden;
    R->Summary.clear();
    addResult(std::move(*R));
    Summaries.pop_back(); // addResult's empty summary: the part's are above
  }
  for (unsigned K = 0; K < Count; ++K)
    if (Seen[K].empty())
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "error: shard %u/%u is missing from the merge",
                                     K + 1, Count);
  llvm::sort(CppFiles);
  llvm::sort(SqlFiles);
  return llvm::Error::success();
}

} // namespace stresslint
