//===--- Summary.cpp - What one translation unit tells the link step -------===//
#include "graph/Summary.h"

namespace stresslint {

static thread_local std::string LastSummary;

std::string takeTUSummary() {
  std::string S;
  S.swap(LastSummary);
  return S;
}

} // namespace stresslint
