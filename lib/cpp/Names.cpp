//===--- Names.cpp - Qualified names as rules write them -------------------===//
#include "cpp/Names.h"
#include "rules/RuleSet.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace stresslint {

std::string nameViaObject(const CallExpr *Call, const FunctionDecl *FD) {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXRecordDecl *RD = MC ? MC->getRecordDecl() : nullptr;
  if (!RD || !FD)
    return "";
  return qualifiedName(RD) + "::" + FD->getNameAsString();
}

std::string qualifiedName(const NamedDecl *D) {
  llvm::SmallVector<std::string, 4> Parts;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isAnonymousNamespace() || NS->isInline())
        continue;
      Parts.push_back(NS->getNameAsString());
    } else if (const auto *RD = dyn_cast<RecordDecl>(DC)) {
      if (RD->getIdentifier())
        Parts.push_back(RD->getNameAsString());
    } else if (isa<FunctionDecl>(DC)) {
      break;
    }
  }
  std::string Out;
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    Out += *It + "::";
  return Out + D->getNameAsString();
}

bool anyPatternMatches(llvm::ArrayRef<NamePattern> Patterns, const FunctionDecl *FD) {
  if (Patterns.empty())
    return false;
  std::string Q = qualifiedName(FD);
  std::string Plain = FD->getNameAsString();
  return llvm::any_of(
      Patterns, [&](const NamePattern &P) { return P.matches(Q) || P.matches(Plain); });
}

bool methodHasRole(const RuleSet &Rules, MethodRole R, const NamedDecl *D) {
  return D && D->getIdentifier() &&
         Rules.hasMethodRole(R, qualifiedName(D), D->getName());
}

} // namespace stresslint
