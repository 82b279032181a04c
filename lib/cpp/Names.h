//===--- Names.h - Qualified names as rules write them ---------------------===//
#ifndef STRESSLINT_CPP_NAMES_H
#define STRESSLINT_CPP_NAMES_H

#include <string>

namespace clang {
class NamedDecl;
} // namespace clang

namespace stresslint {

/// `ns::Class::member` without template arguments, inline namespaces
/// (`std::__cxx11`) or anonymous scopes: the spelling API YAML uses.
std::string qualifiedName(const clang::NamedDecl *D);

} // namespace stresslint

#endif
