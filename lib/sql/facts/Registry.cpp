//===--- Registry.cpp - Every fact's spec, by kind -------------------------===//
#include "sql/facts/Registry.h"

#include <iterator>

namespace stresslint {
namespace sqlfacts {

llvm::ArrayRef<const FactSpec *> factSpecs() {
  // In SqlFact::Kind order (SqlFactRegistryTest checks it): the walk runs
  // the extractors of one hook in this order, which is the order of the
  // facts it reports.
  static const FactSpec *const All[] = {
      &SelectStarFact, &OffsetFact, &LeadingWildcardFact, &RowLockFact, &AggregateFact};
  static_assert(std::size(All) == FactKindCount,
                "every SqlFact::Kind needs its FactSpec here");
  return All;
}

} // namespace sqlfacts
} // namespace stresslint
