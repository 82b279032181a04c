//===--- Prefilter.cpp - Which parse trees can hold a fact -----------------===//
#include "sql/facts/Prefilter.h"
#include "sql/RapidJson.h"
#include "sql/facts/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"
#include <array>
#include <mutex>
#include <optional>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace stresslint {
namespace sqlfacts {

namespace {

/// What one pass over a parse tree's JSON text finds (see quickVerdict).
struct JsonScan {
  bool MayHoldFact = false; ///< A fact's needle is there.
  unsigned StmtKeys = 0;    ///< `"stmt":` keys: the statements in the tree.
  bool HasFromClause = false;
  bool HasLarg = false; ///< A set operation's left branch.
};

/// The one \p Index made from the set of kinds \p Wanted, made on first use
/// (from any thread).
template <typename Index> const Index &builtOnce(FactKinds Wanted) {
  static std::array<std::once_flag, AllFactKinds + 1> Once;
  static std::array<std::optional<Index>, AllFactKinds + 1> Built;
  Wanted &= AllFactKinds;
  std::call_once(Once[Wanted], [&] { Built[Wanted].emplace(Wanted); });
  return *Built[Wanted];
}

/// Every string scanJson looks for after a quote, by the byte that follows
/// the quote: the facts' needles and the keys quickVerdict counts.
class NeedleIndex {
public:
  enum What : uint8_t { Fact, FactNeedsFrom, Stmt, FromClause, Larg };
  struct Entry {
    llvm::StringRef Text;
    What W;
    /// The first four bytes of Text (fewer in a shorter needle, the mask
    /// keeping those), as a little-endian word: one comparison rules out
    /// the keys that share a lead (`"location"` against `"lockingClause"`).
    uint32_t Head = 0, HeadMask = 0;
  };
  /// At most this many distinct bytes after a quote (an SSE2 compare each).
  static constexpr size_t MaxLeads = 12;

  /// The index of the needles of the facts of kinds \p Wanted, built once.
  static const NeedleIndex &get(FactKinds Wanted) {
    return builtOnce<NeedleIndex>(Wanted);
  }

  /// The distinct bytes the needles start with.
  llvm::StringRef leads() const { return Leads; }
  llvm::ArrayRef<Entry> startingWith(char C) const {
    return ByLead[static_cast<uint8_t>(C)];
  }

  explicit NeedleIndex(FactKinds Wanted) {
    add("stmt\":", Stmt);
    add("fromClause\"", FromClause);
    add("larg\"", Larg);
    // A fact's needles go before the keys with the same lead: a needle
    // found ends the scan.
    for (const FactSpec *S : factSpecs()) {
      if (!(Wanted & factKind(S->Kind)))
        continue;
      for (const Needle &N : S->Needles) {
        auto &List = ByLead[static_cast<uint8_t>(N.Text[0])];
        List.insert(List.begin(),
                    entry(N.Text, N.NeedsFromClause ? FactNeedsFrom : Fact));
        addLead(N.Text[0]);
      }
    }
  }

private:
  static Entry entry(llvm::StringRef Text, What W) {
    Entry E{Text, W};
    for (size_t I = 0; I < std::min<size_t>(Text.size(), 4); ++I) {
      E.Head |= uint32_t(static_cast<uint8_t>(Text[I])) << (8 * I);
      E.HeadMask |= uint32_t(0xFF) << (8 * I);
    }
    return E;
  }
  void add(llvm::StringRef Text, What W) {
    ByLead[static_cast<uint8_t>(Text[0])].push_back(entry(Text, W));
    addLead(Text[0]);
  }
  void addLead(char C) {
    if (Leads.find(C) != std::string::npos)
      return;
    if (Leads.size() == MaxLeads)
      llvm::report_fatal_error("sql/facts: too many needle leads");
    Leads += C;
  }

  std::string Leads;
  std::array<llvm::SmallVector<Entry, 4>, 256> ByLead;
};

/// Whether \p S starts with the needle of \p E, whose first byte is known
/// to match. scanJson tries needles at each of hundreds of thousands of
/// quotes, and most differ from the text in their first four bytes: a word
/// comparison settles those, and a byte loop (no memcmp call) the rest.
bool startsWithNeedle(llvm::StringRef S, const NeedleIndex::Entry &E) {
  llvm::StringRef Needle = E.Text;
  if (S.size() < Needle.size())
    return false;
  if (S.size() >= 4 &&
      (llvm::support::endian::read32le(S.data()) & E.HeadMask) != E.Head)
    return false;
  for (size_t I = 1; I < Needle.size(); ++I)
    if (S[I] != Needle[I])
      return false;
  return true;
}

/// Calls \p Visit with the offset of every `"` in \p S that is followed by
/// one of \p Leads, in order, until it returns false. The quotes of a
/// parse tree's JSON text are a few bytes apart, so a memchr call per quote
/// costs more than the search itself; SSE2 (every x86-64 has it) compares
/// 16 bytes at a time instead, and the byte after each quote in the same
/// step, so that most keys (`"location"` aside) are never visited. This
/// pass reads every tree libpg_query returns.
template <typename Fn>
void forEachQuote(llvm::StringRef S, llvm::StringRef Leads, Fn Visit) {
  size_t I = 0;
#if defined(__SSE2__)
  const __m128i Quote = _mm_set1_epi8('"');
  __m128i LeadVecs[NeedleIndex::MaxLeads];
  for (size_t K = 0; K < Leads.size(); ++K)
    LeadVecs[K] = _mm_set1_epi8(Leads[K]);
  for (; I + 17 <= S.size(); I += 16) {
    __m128i Chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(S.data() + I));
    auto Mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(Chunk, Quote)));
    if (!Mask)
      continue;
    __m128i Next = _mm_loadu_si128(reinterpret_cast<const __m128i *>(S.data() + I + 1));
    __m128i Lead = _mm_setzero_si128();
    for (size_t K = 0; K < Leads.size(); ++K)
      Lead = _mm_or_si128(Lead, _mm_cmpeq_epi8(Next, LeadVecs[K]));
    Mask &= static_cast<unsigned>(_mm_movemask_epi8(Lead));
    for (; Mask; Mask &= Mask - 1)
      if (!Visit(I + llvm::countTrailingZeros(Mask)))
        return;
  }
#endif
  for (; I + 1 < S.size(); ++I)
    if (S[I] == '"' && Leads.contains(S[I + 1]) && !Visit(I))
      return;
}

/// Looks at every quote (keys, and string values such as operator and
/// function names, start with one) once, instead of searching the text once
/// per needle: on a corpus of migrations those searches cost as much as the
/// DOM they avoid. Stops once a fact's needle is found.
JsonScan scanJson(llvm::StringRef Json, const NeedleIndex &Index) {
  JsonScan R;
  bool NeedsFrom = false; ///< A needle that counts with a fromClause.
  forEachQuote(Json, Index.leads(), [&](size_t I) {
    llvm::StringRef Rest = Json.drop_front(I + 1);
    if (Rest.empty())
      return false;
    for (const NeedleIndex::Entry &E : Index.startingWith(Rest[0])) {
      if (!startsWithNeedle(Rest, E))
        continue;
      switch (E.W) {
      case NeedleIndex::Fact:
        R.MayHoldFact = true;
        return false;
      case NeedleIndex::FactNeedsFrom:
        NeedsFrom = true;
        break;
      case NeedleIndex::Stmt:
        ++R.StmtKeys;
        break;
      case NeedleIndex::FromClause:
        R.HasFromClause = true;
        break;
      case NeedleIndex::Larg:
        R.HasLarg = true;
        break;
      }
      if (NeedsFrom && R.HasFromClause) {
        R.MayHoldFact = true;
        return false;
      }
      break;
    }
    return true;
  });
  return R;
}

/// Reads the JSON text of a tree holding one SelectStmt up to the first of
/// the SELECT's own fields that makes it read table data (`fromClause`, or
/// `larg` for a set operation), the question StatementAnalyzer::run answers
/// from the DOM. A SAX pass, stopped at the answer, costs a fraction of the
/// DOM; a SELECT nested in the target list is deeper and does not count.
class TopSelectReadsData
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TopSelectReadsData> {
public:
  static bool check(const SqlJson &Json) {
    TopSelectReadsData Handler;
    rapidjson::Reader Reader;
    rapidjson::StringStream In(Json.text().data()); // NUL-terminated
    Reader.Parse<rapidjson::kParseIterativeFlag>(In, Handler);
    return Handler.Found;
  }

  bool StartObject() { return ++Depth, true; }
  bool EndObject(rapidjson::SizeType) { return --Depth, true; }
  bool StartArray() { return ++Depth, true; }
  bool EndArray(rapidjson::SizeType) { return --Depth, true; }
  bool Key(const char *S, rapidjson::SizeType N, bool) {
    if (Depth != BodyDepth)
      return true;
    llvm::StringRef K(S, N);
    Found = K == "fromClause" || K == "larg";
    return !Found; // Stops the parse.
  }

private:
  /// {"stmts": [{"stmt": {"SelectStmt": {<body>}}}]}
  static constexpr int BodyDepth = 5;
  int Depth = 0;
  bool Found = false;
};

/// The words of the wanted facts' needles (Needle::Words), by the byte they
/// start with in either case; or none to look for when a wanted needle has
/// no words.
class WordIndex {
public:
  static const WordIndex &get(FactKinds Wanted) { return builtOnce<WordIndex>(Wanted); }

  explicit WordIndex(FactKinds Wanted) {
    for (const FactSpec *S : factSpecs()) {
      if (!(Wanted & factKind(S->Kind)))
        continue;
      for (const Needle &N : S->Needles) {
        if (N.Words.empty())
          Unknown = true;
        for (llvm::StringRef W : N.Words) {
          if (W.empty() || W.lower() != W)
            llvm::report_fatal_error("sql/facts: a needle's words are lower case");
          uint8_t &S = Slot[static_cast<uint8_t>(llvm::toLower(W[0]))];
          if (!S) {
            S = static_cast<uint8_t>(ByLead.size());
            ByLead.emplace_back();
          }
          Slot[static_cast<uint8_t>(llvm::toUpper(W[0]))] = S;
          if (!llvm::is_contained(ByLead[S], W))
            ByLead[S].push_back(W);
        }
      }
    }
  }

  /// A byte-table pass over the text: it runs on every statement of a
  /// `.sql` file, and SQL text is full of the words' first letters.
  bool anyIn(llvm::StringRef Sql) const {
    if (Unknown)
      return true;
    const char *Begin = Sql.data(), *End = Begin + Sql.size();
    for (const char *P = Begin; P != End; ++P) {
      uint8_t S = Slot[static_cast<uint8_t>(*P)];
      if (!S)
        continue;
      for (llvm::StringRef W : ByLead[S]) {
        if (static_cast<size_t>(End - P) < W.size())
          continue;
        // Past the first byte the words hold lower-case letters and `~`:
        // setting bit 5 lower-cases a letter, and matches no other byte
        // but `^` for `~` (a word too many is only a tree searched).
        size_t I = 1;
        while (I < W.size() && (P[I] | 0x20) == W[I])
          ++I;
        if (I == W.size())
          return true;
      }
    }
    return false;
  }

private:
  bool Unknown = false;
  /// The index in ByLead of the words a byte starts, 0 for none.
  std::array<uint8_t, 256> Slot{};
  /// The words (lower case) by their first letter; [0] is unused.
  std::vector<llvm::SmallVector<llvm::StringRef, 2>> ByLead{1};
};

} // namespace

bool textMayHoldFact(llvm::StringRef Sql, FactKinds Wanted) {
  return WordIndex::get(Wanted).anyIn(Sql);
}

bool mayHoldFact(llvm::StringRef Json) {
  return scanJson(Json, NeedleIndex::get(AllFactKinds)).MayHoldFact;
}

/// Most DDL and plain DML in migrations is skipped this way, which saves
/// building its DOM and walking it.
TreeVerdict quickVerdict(const SqlJson &Json, llvm::StringRef Sql, FactKinds Wanted,
                         bool CountData) {
  llvm::StringRef Text = Json.text();
  if (!CountData) {
    // The statement's text is a tenth of its tree's JSON text.
    if (!textMayHoldFact(Sql, Wanted))
      return TreeVerdict::NoFacts;
    return scanJson(Text, NeedleIndex::get(Wanted)).MayHoldFact ? TreeVerdict::Analyse
                                                                : TreeVerdict::NoFacts;
  }
  JsonScan Scan = scanJson(Text, NeedleIndex::get(Wanted));
  if (Scan.MayHoldFact)
    return TreeVerdict::Analyse;
  // One statement, of a kind read off its wrapper `{"stmt":{"<Kind>":`.
  llvm::StringRef Wrapper = "{\"stmt\":{\"";
  size_t At = Text.find(Wrapper);
  if (At == llvm::StringRef::npos || Scan.StmtKeys != 1)
    return TreeVerdict::Analyse;
  llvm::StringRef Kind = Text.drop_front(At + Wrapper.size());
  Kind = Kind.take_until([](char C) { return C == '"'; });
  if (Kind == "InsertStmt" || Kind == "UpdateStmt" || Kind == "DeleteStmt" ||
      Kind == "MergeStmt")
    return TreeVerdict::NoFactsData;
  if (Kind == "SelectStmt")
    // Data when the top-level SELECT has FROM or is a set operation, which
    // only the SELECT's own fields tell, when the text has either at all.
    return (Scan.HasFromClause || Scan.HasLarg) && TopSelectReadsData::check(Json)
               ? TreeVerdict::NoFactsData
               : TreeVerdict::NoFacts;
  return TreeVerdict::NoFacts;
}

} // namespace sqlfacts
} // namespace stresslint
