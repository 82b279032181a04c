//===--- Names.h - Qualified names as rules write them ---------------------===//
#ifndef STRESSLINT_CPP_NAMES_H
#define STRESSLINT_CPP_NAMES_H

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace clang {
class CallExpr;
class FunctionDecl;
class NamedDecl;
} // namespace clang

namespace stresslint {

/// `ns::Class::member` without template arguments, inline namespaces
/// (`std::__cxx11`) or anonymous scopes: the spelling API YAML uses.
std::string qualifiedName(const clang::NamedDecl *D);

/// \p FD named through the class of the object \p Call is made on
/// (`Derived::exec` for `Base::exec` called on a `Derived`), so API YAML
/// written for a class matches methods it inherits; empty when \p Call is
/// not a member call.
std::string nameViaObject(const clang::CallExpr *Call, const clang::FunctionDecl *FD);

class NamePattern;
/// Does any of \p Patterns match \p FD by its qualified or its plain name?
bool anyPatternMatches(llvm::ArrayRef<NamePattern> Patterns,
                       const clang::FunctionDecl *FD);

class RuleSet;
enum class MethodRole;
/// Does \p Rules list the method \p D, by its qualified or its plain name,
/// with role \p R (API YAML `text-views:`, `read-methods:`, ...)? False
/// for a null \p D or one not named by an identifier (an operator).
bool methodHasRole(const RuleSet &Rules, MethodRole R, const clang::NamedDecl *D);

} // namespace stresslint

#endif
