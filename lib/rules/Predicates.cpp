//===--- Predicates.cpp - SQL predicates: facts filtered by rule options ---===//
#include "rules/Predicates.h"
#include "rules/RuleSet.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace stresslint {

llvm::StringRef BoundRule::option(llvm::StringRef Name) const {
  auto It = Options.find(Name);
  if (It != Options.end())
    return It->second;
  if (const RuleOption *O = R->option(Name))
    return O->Default;
  return "";
}

bool BoundRule::boolOption(llvm::StringRef Name) const {
  std::string V = option(Name).trim().lower();
  return V == "true" || V == "1" || V == "yes" || V == "on";
}

static bool pinsAny(const SqlFact &F, llvm::StringRef KeyColumns) {
  llvm::SmallVector<llvm::StringRef, 4> Keys;
  KeyColumns.split(Keys, ',', -1, false);
  return llvm::any_of(Keys, [&](llvm::StringRef K) {
    return llvm::is_contained(F.PinnedColumns, K.trim().lower());
  });
}

bool predicateMatches(const BoundRule &B, const SqlFact &F) {
  llvm::StringRef P = B.R->SqlPredicate;
  if (P == "select-star")
    return F.K == SqlFact::SelectStar &&
           (!F.InReturning || B.boolOption("IncludeReturning"));
  if (P == "offset")
    return F.K == SqlFact::Offset;
  if (P == "leading-wildcard")
    return F.K == SqlFact::LeadingWildcard;
  if (P == "row-lock")
    return F.K == SqlFact::RowLock && !F.HasLimit && !F.NoWaitOrSkip &&
           !pinsAny(F, B.option("KeyColumns"));
  if (P == "aggregate") {
    if (F.K != SqlFact::Aggregate || !F.FromTable || F.InSubquery ||
        F.HasGroupBy)
      return false;
    llvm::SmallVector<llvm::StringRef, 8> Fns;
    B.option("Functions").split(Fns, ',', -1, false);
    if (!llvm::any_of(Fns, [&](llvm::StringRef Fn) {
          return Fn.trim().equals_insensitive(F.Detail);
        }))
      return false;
    return !pinsAny(F, B.option("KeyColumns"));
  }
  return false;
}

std::string expandTemplate(llvm::StringRef Template, const SqlFact &F) {
  std::string Snippet = F.Snippet;
  // A snippet spanning lines reads badly in a one-line message.
  for (char &C : Snippet)
    if (C == '\n' || C == '\r' || C == '\t')
      C = ' ';
  if (Snippet.size() > 60)
    Snippet = Snippet.substr(0, 57) + "...";
  std::string Out;
  for (size_t I = 0; I < Template.size();) {
    if (Template.substr(I).startswith("{snippet}")) {
      Out += Snippet;
      I += 9;
    } else if (Template.substr(I).startswith("{detail}")) {
      Out += F.Detail;
      I += 8;
    } else {
      Out += Template[I++];
    }
  }
  return Out;
}

} // namespace stresslint
