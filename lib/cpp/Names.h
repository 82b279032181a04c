//===--- Names.h - Qualified names as rules write them ---------------------===//
#ifndef STRESSLINT_CPP_NAMES_H
#define STRESSLINT_CPP_NAMES_H

#include "clang/Basic/SourceLocation.h"
#include "clang/Lex/Token.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace clang {
class CallExpr;
class DeclaratorDecl;
class Expr;
class FieldDecl;
class FunctionDecl;
class LangOptions;
class NamedDecl;
class SourceManager;
class VarDecl;
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

/// A type as written, reduced to the class it names: `const acme::Db &` ->
/// `acme::Db`, `std::shared_ptr<Repo>` -> `Repo`, `Rows<int>` -> `Rows`;
/// empty for `auto` and anything that is not a plain name.
std::string classOfTypeText(llvm::StringRef T);

/// The class \p D's type names as written in the source, even where Clang
/// could not resolve it (a missing header: `QSqlQuery q(db)`), by
/// classOfTypeText; empty when it names none.
std::string writtenClass(const clang::DeclaratorDecl *D, const clang::SourceManager &SM,
                         const clang::LangOptions &LO);

/// The raw tokens of \p VD's initializer as written, whatever Clang kept of
/// it (a missing header makes it drop the initializer of a variable of an
/// unknown type): after `=` up to the `;` or `,` at its depth, after `(` or
/// `{` up to the bracket that closes it. Empty for `T name;`; nullopt when
/// the tokens cannot be read (a macro, no end in sight).
std::optional<llvm::SmallVector<clang::Token, 16>>
writtenInitializer(const clang::VarDecl *VD, const clang::SourceManager &SM,
                   const clang::LangOptions &LO);

/// The data member of \p F's class (or of a base) that the tokens \p Toks
/// name, `m_term` or `this->m_term`; null in a function that is no method.
const clang::FieldDecl *writtenMember(llvm::ArrayRef<clang::Token> Toks,
                                      const clang::FunctionDecl *F);

/// The latest variable named \p Name declared in \p F (a parameter or a
/// local, valid or not, not a nested lambda's) before \p At.
const clang::VarDecl *localNamedBefore(const clang::FunctionDecl *F,
                                       llvm::StringRef Name, clang::SourceLocation At,
                                       const clang::SourceManager &SM);

/// A member call Clang could not resolve, as written: `obj.name(...)`.
struct UnresolvedMember {
  std::string Name;
  clang::SourceLocation NameLoc;
  /// `obj`; null for an implicit `this->`.
  const clang::Expr *Object = nullptr;
};

/// The member \p Callee names when Clang could not resolve it: a member of
/// a dependent or unknown type (CXXDependentScopeMemberExpr), an overload
/// set (UnresolvedMemberExpr), or a name the object's class lacks (a
/// RecoveryExpr that keeps only the object; the name is read from the
/// token after its `.` or `->`).
std::optional<UnresolvedMember> unresolvedMember(const clang::Expr *Callee,
                                                 const clang::SourceManager &SM,
                                                 const clang::LangOptions &LO);

/// Is \p L (through its macro expansion) in a library's code: a system
/// header, or a header installed under /usr/include or /usr/local/include
/// that the compile command names with -I (Qt, as qmake names it)? Never
/// the code being linted: its inline methods are no project wrappers.
bool isLibraryCode(const clang::SourceManager &SM, clang::SourceLocation L);

/// Is \p Text a list of one element as written: `{id}`, `QList<qint64>({id})`,
/// `std::vector<long>{id}`, `(QList<Status>{status})`?
bool writesOneElementList(llvm::StringRef Text);

/// A class or namespace as the rules spell it (`acme::Db`) matches one as
/// written (`Db`, `acme::Db`) when one ends with the other at a `::`.
bool scopeMatches(llvm::StringRef Known, llvm::StringRef Written);

} // namespace stresslint

#endif
