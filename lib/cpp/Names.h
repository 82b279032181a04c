//===--- Names.h - Qualified names as rules write them ---------------------===//
#ifndef STRESSLINT_CPP_NAMES_H
#define STRESSLINT_CPP_NAMES_H

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace clang {
class FunctionDecl;
class NamedDecl;
} // namespace clang

namespace stresslint {

/// `ns::Class::member` without template arguments, inline namespaces
/// (`std::__cxx11`) or anonymous scopes: the spelling API YAML uses.
std::string qualifiedName(const clang::NamedDecl *D);

class NamePattern;
/// Does any of \p Patterns match \p FD by its qualified or its plain name?
bool anyPatternMatches(llvm::ArrayRef<NamePattern> Patterns,
                       const clang::FunctionDecl *FD);

} // namespace stresslint

#endif
