//===--- BuilderNames.cpp - Names, locations, declared entry points -------===//
#include "graph/Builder.h"

#include "clang/AST/Attr.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

namespace stresslint::graph {

/// Strips what stands between an argument as written and the callable or
/// string it carries: conversions, temporaries, `std::function` and
/// `QString` constructions from one argument, `&f`.
const Expr *stripWrappers(const Expr *E) {
  for (unsigned Guard = 0; E && Guard < 64; ++Guard) {
    const Expr *Next = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(Next))
      Next = M->getSubExpr();
    else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(Next))
      Next = B->getSubExpr();
    else if (const auto *C = dyn_cast<CXXFunctionalCastExpr>(Next))
      Next = C->getSubExpr();
    else if (const auto *C = dyn_cast<CXXConstructExpr>(Next);
             C && C->getNumArgs() >= 1 &&
             (C->getNumArgs() == 1 || isa<CXXDefaultArgExpr>(C->getArg(1))))
      Next = C->getArg(0);
    else if (const auto *U = dyn_cast<UnaryOperator>(Next);
             U && U->getOpcode() == UO_AddrOf)
      Next = U->getSubExpr();
    if (Next == E)
      return E;
    E = Next;
  }
  return E;
}

// --- Names and locations ---------------------------------------------------

std::string Builder::fileName(FileID FID) const {
  auto FE = SM.getFileEntryRefForID(FID);
  if (!FE)
    return "";
  llvm::StringRef Real = FE->getFileEntry().tryGetRealPathName();
  return Real.empty() ? FE->getName().str() : Real.str();
}

uint32_t Builder::offsetOf(SourceLocation L) const {
  return SM.getFileOffset(SM.getFileLoc(L));
}

SrcRange Builder::range(SourceLocation B, SourceLocation E) const {
  SrcRange R;
  if (B.isInvalid())
    return R;
  B = SM.getFileLoc(B);
  E = E.isValid() ? SM.getFileLoc(E) : B;
  auto [FID, Off] = SM.getDecomposedLoc(B);
  R.File = fileName(FID);
  R.Begin = R.End = Off;
  if (SM.getFileID(E) == FID) {
    unsigned Len = Lexer::MeasureTokenLength(E, SM, Ctx.getLangOpts());
    uint32_t EOff = SM.getFileOffset(E) + Len;
    if (EOff > Off)
      R.End = EOff;
  }
  return R;
}

std::string Builder::functionId(const FunctionDecl *FD) const {
  if (const FunctionDecl *P = FD->getTemplateInstantiationPattern())
    FD = P;
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && M->getParent()->isLambda()) {
    SrcRange R = range(M->getParent()->getLocation(), SourceLocation());
    return "lambda:" + R.File + ":" + std::to_string(R.Begin);
  }
  // A USR spells each parameter's type as that declaration writes it, and
  // `void f(bool)` in the header is `void f(const bool b) {...}` in the
  // source file: two ids for one function, and calls that reach nothing.
  // Every TU that sees the header names the function by its first
  // declaration, the header's.
  FD = FD->getFirstDecl();
  llvm::SmallString<128> USR;
  if (index::generateUSRForDecl(FD, USR))
    return "name:" + qualifiedName(FD);
  // Each program of a project has its `main` (tools, daemons, examples),
  // and nothing calls one: each is its own function.
  if (FD->isMain())
    return (USR + "@" + range(FD->getLocation(), SourceLocation()).File).str();
  return std::string(USR);
}

std::string Builder::fieldId(const FieldDecl *F) {
  llvm::SmallString<128> USR;
  if (index::generateUSRForDecl(F, USR))
    return "field:" + F->getQualifiedNameAsString();
  return ("field:" + USR).str();
}

std::string Builder::displayName(const FunctionDecl *FD) {
  if (const auto *M = dyn_cast<CXXMethodDecl>(FD); M && M->getParent()->isLambda())
    return "lambda";
  return qualifiedName(FD);
}

llvm::SmallVector<std::string, 2> Builder::calleeNames(const FunctionDecl *FD,
                                                       const CXXRecordDecl *Object) {
  llvm::SmallVector<std::string, 2> Names{qualifiedName(FD)};
  if (Object && FD->getIdentifier())
    Names.push_back(qualifiedName(Object) + "::" + FD->getName().str());
  return Names;
}

bool Builder::matchesAny(const std::optional<NamePattern> &P,
                         llvm::ArrayRef<std::string> Names) {
  return P && llvm::any_of(Names, [&](const std::string &N) { return P->matches(N); });
}

bool Builder::hasAnnotation(const FunctionDecl *FD, llvm::StringRef A) {
  if (A.empty() || !FD)
    return false;
  for (const FunctionDecl *R : FD->redecls())
    for (const auto *Attr : R->specific_attrs<AnnotateAttr>())
      if (Attr->getAnnotation() == A)
        return true;
  return false;
}

bool Builder::definedByMacro(const FunctionDecl *FD, const NamePattern &P) const {
  for (SourceLocation Loc : {FD->getBeginLoc(), FD->getLocation()})
    for (unsigned Guard = 0; Loc.isMacroID() && Guard < 32; ++Guard) {
      if (P.matches(Lexer::getImmediateMacroName(Loc, SM, Ctx.getLangOpts())))
        return true;
      Loc = SM.getImmediateMacroCallerLoc(Loc);
    }
  return false;
}

bool Builder::overridesMatching(const CXXMethodDecl *M, const NamePattern &P,
                                unsigned Depth) {
  if (!M || Depth > 16)
    return false;
  for (const CXXMethodDecl *O : M->overridden_methods())
    if (P.matches(qualifiedName(O)) || overridesMatching(O, P, Depth + 1))
      return true;
  return false;
}

bool Builder::hasParamOfType(const FunctionDecl *FD, const NamePattern &P) {
  for (const ParmVarDecl *Param : FD->parameters()) {
    QualType T = Param->getType().getNonReferenceType();
    // An alias template as written (Beast's http::request<Body> is
    // http::message<true, Body>), also when its arguments are dependent.
    if (const auto *TST = T->getAs<TemplateSpecializationType>())
      if (const TemplateDecl *TD = TST->getTemplateName().getAsTemplateDecl();
          TD && P.matches(qualifiedName(TD)))
        return true;
    if (const auto *RD = T->getAsCXXRecordDecl())
      if (P.matches(qualifiedName(RD)))
        return true;
  }
  return false;
}

bool Builder::recognises(const Recognizer &R, const FunctionDecl *FD) const {
  if (R.Call)
    return false;
  if (hasAnnotation(FD, R.Annotation))
    return true;
  if (R.Override && overridesMatching(dyn_cast<CXXMethodDecl>(FD), *R.Override))
    return true;
  if (R.Macro && definedByMacro(FD, *R.Macro))
    return true;
  if (R.ParamType)
    return hasParamOfType(FD, *R.ParamType) &&
           (!R.Function || R.Function->matches(qualifiedName(FD)));
  return R.Function && R.Function->matches(qualifiedName(FD));
}

void Builder::recogniseEntry(const FunctionDecl *FD, const std::string &Id) {
  bool Handler = false;
  for (auto [List, Kind] : {std::pair{&Rules.handlers(), EntryPoint::Handler},
                            std::pair{&Rules.jobHandlers(), EntryPoint::JobHandler}})
    for (const Recognizer &R : *List)
      if (recognises(R, FD)) {
        Out.Entries.push_back({Kind, Id, displayName(FD), R.How,
                               range(FD->getLocation(), FD->getLocation())});
        Handler |= Kind == EntryPoint::Handler;
        break;
      }
  if (Handler)
    return;
  std::string How = inferredHandler(FD);
  if (!How.empty())
    Out.Entries.push_back({EntryPoint::Handler, Id, displayName(FD), How,
                           range(FD->getLocation(), FD->getLocation())});
}

} // namespace stresslint::graph
