//===--- Names.cpp - Qualified names as rules write them -------------------===//
#include "cpp/Names.h"
#include "rules/RuleSet.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
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

bool isLibraryCode(const SourceManager &SM, SourceLocation L) {
  if (L.isInvalid())
    return false;
  L = SM.getExpansionLoc(L);
  if (SM.isInSystemHeader(L))
    return true;
  if (SM.isWrittenInMainFile(L))
    return false;
  llvm::StringRef Name = SM.getFilename(L);
  return Name.startswith("/usr/include/") || Name.startswith("/usr/local/include/");
}

bool methodHasRole(const RuleSet &Rules, MethodRole R, const NamedDecl *D) {
  return D && D->getIdentifier() &&
         Rules.hasMethodRole(R, qualifiedName(D), D->getName());
}

/// A type as written, reduced to the class it names: `const acme::Db &` ->
/// `acme::Db`, `std::shared_ptr<Repo>` -> `Repo`, `Rows<int>` -> `Rows`;
/// empty for `auto` and anything that is not a plain name.
std::string classOfTypeText(llvm::StringRef T) {
  for (unsigned Guard = 0; Guard < 4; ++Guard) {
    T = T.trim();
    for (bool Again = true; Again;) {
      Again = false;
      for (llvm::StringRef Q :
           {"const ", "volatile ", "struct ", "class ", "typename "})
        if (T.consume_front(Q)) {
          T = T.ltrim();
          Again = true;
        }
    }
    T = T.rtrim(" &*");
    if (T.consume_back(" const"))
      T = T.rtrim(" &*");
    size_t Lt = T.find('<');
    if (Lt == llvm::StringRef::npos)
      break;
    llvm::StringRef Head = T.take_front(Lt).trim();
    llvm::StringRef Tail = T.drop_front(Lt + 1);
    bool Pointer = false;
    for (llvm::StringRef P : {"shared_ptr", "unique_ptr", "weak_ptr", "QSharedPointer",
                              "QScopedPointer", "QPointer", "reference_wrapper"})
      Pointer |= Head.endswith(P);
    if (!Pointer) {
      T = Head;
      break;
    }
    // The pointee: the first template argument.
    int Depth = 0;
    size_t End = 0;
    for (; End < Tail.size(); ++End) {
      char C = Tail[End];
      if (C == '<')
        ++Depth;
      else if ((C == '>' || C == ',') && Depth == 0)
        break;
      else if (C == '>')
        --Depth;
    }
    T = Tail.take_front(End);
  }
  T.consume_front("::");
  if (T.empty() || T == "auto" ||
      T.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                          "0123456789_:") != llvm::StringRef::npos)
    return "";
  return T.str();
}

bool writesOneElementList(llvm::StringRef Text) {
  Text = Text.trim();
  while (Text.startswith("(") && Text.endswith(")"))
    Text = Text.drop_front().drop_back().trim();
  size_t Open = Text.find('{');
  if (Open == llvm::StringRef::npos)
    return false;
  llvm::StringRef Type = Text.take_front(Open).trim();
  llvm::StringRef Rest = Text.drop_front(Open);
  bool Parenthesised = Type.consume_back("(");
  if (Parenthesised && !Rest.consume_back(")"))
    return false;
  Rest = Rest.trim();
  if (!Rest.startswith("{") || !Rest.endswith("}"))
    return false;
  // The type as written: a name, maybe qualified and with template
  // arguments; nothing else before the braces.
  if (!llvm::all_of(Type, [](char C) {
        return isAsciiIdentifierContinue(C) || llvm::StringRef(":<>, *&").contains(C);
      }))
    return false;
  llvm::StringRef Inside = Rest.drop_front().drop_back().trim();
  if (Inside.empty())
    return false;
  int Depth = 0;
  for (char C : Inside) {
    if (llvm::StringRef("([{<").contains(C))
      ++Depth;
    else if (llvm::StringRef(")]}>").contains(C))
      --Depth;
    else if (C == ',' && Depth == 0)
      return false;
  }
  return true;
}

/// A class or namespace as the rules spell it (`acme::Db`) matches one as
/// written (`Db`, `acme::Db`) when one ends with the other at a `::`.
bool scopeMatches(llvm::StringRef Known, llvm::StringRef Written) {
  if (Known.empty() || Written.empty())
    return false;
  return Known == Written || Known.endswith(("::" + Written).str()) ||
         Written.endswith(("::" + Known).str());
}

std::string writtenClass(const DeclaratorDecl *D, const SourceManager &SM,
                         const LangOptions &LO) {
  SourceLocation B = D->getOuterLocStart(), Name = D->getLocation();
  if (D->getIdentifier() && B.isValid() && Name.isValid() && B.isFileID() &&
      Name.isFileID() && SM.isBeforeInTranslationUnit(B, Name))
    return classOfTypeText(
        Lexer::getSourceText(CharSourceRange::getCharRange(B, Name), SM, LO));
  if (const TypeSourceInfo *TSI = D->getTypeSourceInfo())
    return classOfTypeText(Lexer::getSourceText(
        CharSourceRange::getTokenRange(TSI->getTypeLoc().getSourceRange()), SM, LO));
  return "";
}

std::optional<UnresolvedMember>
unresolvedMember(const Expr *Callee, const SourceManager &SM, const LangOptions &LO) {
  if (!Callee)
    return std::nullopt;
  const Expr *E = Callee->IgnoreParenImpCasts();
  UnresolvedMember U;
  if (const auto *M = dyn_cast<CXXDependentScopeMemberExpr>(E)) {
    if (!M->getMember().isIdentifier())
      return std::nullopt;
    U.Name = M->getMember().getAsString();
    U.NameLoc = M->getMemberLoc();
    U.Object = M->isImplicitAccess() ? nullptr : M->getBase();
  } else if (const auto *M = dyn_cast<UnresolvedMemberExpr>(E)) {
    if (!M->getMemberName().isIdentifier())
      return std::nullopt;
    U.Name = M->getMemberName().getAsString();
    U.NameLoc = M->getMemberLoc();
    U.Object = M->isImplicitAccess() ? nullptr : M->getBase();
  } else if (const auto *R = dyn_cast<RecoveryExpr>(E);
             R && R->subExpressions().size() == 1 && R->getEndLoc().isFileID()) {
    // `q.prepare` where q's class has no such member (it is inherited from
    // a base whose header is missing): Clang keeps the object only.
    auto [File, Off] = SM.getDecomposedLoc(R->getEndLoc());
    llvm::StringRef Before = SM.getBufferData(File).take_front(Off).rtrim(" \t\r\n");
    Token Name;
    if (!(Before.endswith(".") || Before.endswith("->")) ||
        Lexer::getRawToken(R->getEndLoc(), Name, SM, LO) ||
        !Name.is(tok::raw_identifier))
      return std::nullopt;
    U.Name = Name.getRawIdentifier().str();
    U.NameLoc = R->getEndLoc();
    U.Object = R->subExpressions().front();
  } else {
    return std::nullopt;
  }
  return U;
}

std::optional<llvm::SmallVector<Token, 16>>
writtenInitializer(const VarDecl *VD, const SourceManager &SM, const LangOptions &LO) {
  SourceLocation L = VD->getLocation();
  // `static_qstring(name, "text")`: a variable a macro declares, its name
  // an argument; its value is the argument after the name.
  bool MacroArgument = L.isMacroID() && SM.isMacroArgExpansion(L);
  if (MacroArgument)
    L = SM.getSpellingLoc(L);
  if (L.isInvalid() || !L.isFileID())
    return std::nullopt;
  auto [File, Offset] = SM.getDecomposedLoc(L);
  bool Invalid = false;
  llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
  if (Invalid || Offset >= Buf.size())
    return std::nullopt;
  Lexer Lex(SM.getLocForStartOfFile(File), LO, Buf.begin(), Buf.begin() + Offset,
            Buf.end());
  Token T;
  Lex.LexFromRawLexer(T); // The name.
  Lex.LexFromRawLexer(T);
  llvm::SmallVector<Token, 16> Toks;
  if (MacroArgument ? !T.is(tok::comma) : T.isOneOf(tok::semi, tok::comma))
    return MacroArgument ? std::nullopt : std::optional(Toks);
  if (!MacroArgument && !T.isOneOf(tok::equal, tok::l_paren, tok::l_brace))
    return std::nullopt;
  // `= value` ends at its `;` or `,`, `(value)` and `{value}` at their
  // closing bracket, a macro's argument at its `,` or the macro's `)`.
  const bool Assigned = MacroArgument || T.is(tok::equal);
  int Depth = Assigned ? 0 : 1;
  for (;;) {
    Lex.LexFromRawLexer(T);
    if (T.is(tok::eof) || Toks.size() >= 256)
      return std::nullopt;
    if (T.isOneOf(tok::l_paren, tok::l_brace, tok::l_square))
      ++Depth;
    else if (T.isOneOf(tok::r_paren, tok::r_brace, tok::r_square) && --Depth < 0)
      return MacroArgument ? std::optional(Toks) : std::nullopt;
    if (Depth == 0 && (Assigned ? T.isOneOf(tok::semi, tok::comma)
                                : T.isOneOf(tok::r_paren, tok::r_brace)))
      return Toks;
    Toks.push_back(T);
  }
}

const FieldDecl *writtenMember(llvm::ArrayRef<Token> Toks, const FunctionDecl *F) {
  if (Toks.size() == 3 && Toks[0].is(tok::raw_identifier) &&
      Toks[0].getRawIdentifier() == "this" && Toks[1].is(tok::arrow))
    Toks = Toks.drop_front(2);
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(F);
  if (Toks.size() != 1 || !Toks[0].is(tok::raw_identifier) || !M || M->isStatic())
    return nullptr;
  llvm::StringRef Name = Toks[0].getRawIdentifier();
  const FieldDecl *Found = nullptr;
  auto Search = [&](const CXXRecordDecl *RD) {
    for (const FieldDecl *FD : RD->fields())
      if (FD->getIdentifier() && FD->getName() == Name)
        Found = FD;
    return !Found; // keep going through the bases until found
  };
  const CXXRecordDecl *RD = M->getParent();
  if (Search(RD) && RD->hasDefinition())
    RD->forallBases(Search);
  return Found;
}

const VarDecl *localNamedBefore(const FunctionDecl *F, llvm::StringRef Name,
                                SourceLocation At, const SourceManager &SM) {
  if (!F)
    return nullptr;
  const VarDecl *Best = nullptr;
  auto Consider = [&](const VarDecl *V) {
    if (V->getIdentifier() && V->getName() == Name &&
        SM.isBeforeInTranslationUnit(V->getLocation(), At) &&
        (!Best || SM.isBeforeInTranslationUnit(Best->getLocation(), V->getLocation())))
      Best = V;
  };
  for (const ParmVarDecl *P : F->parameters())
    Consider(P);
  llvm::SmallVector<const Stmt *, 32> Work{F->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          Consider(V);
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return Best;
}

} // namespace stresslint
