//===- RecoveredLoops.cpp - range-for loops Clang drops, brought back -----===//
///
/// \file
/// What a parse without the project's headers lost, and the second parse
/// that brings it back: the range-for headers Clang built no loop for
/// (re-spelled as `if`), the unknown names and framework macros it met, and
/// the stubs header that declares them. Just past 500 lines: the finder and
/// the stubs writer share DroppedCode's lists and the name tests at its top.
///
//===----------------------------------------------------------------------===//

#include "cpp/RecoveredLoops.h"
#include "cpp/Names.h"
#include "rules/RuleSet.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/DiagnosticParse.h"
#include "clang/Basic/DiagnosticSema.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/IdentifierTable.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <functional>
#include <map>
#include <set>

using namespace clang;

namespace stresslint {

namespace {

/// Raw tokens of a buffer with their offsets.
class RawTokens {
public:
  RawTokens(llvm::StringRef Code, const LangOptions &LO)
      : Code(Code), Lex(SourceLocation(), LO, Code.begin(), Code.begin(), Code.end()) {}

  /// The next token; false at the end.
  bool next(Token &T, unsigned &Offset) {
    Lex.LexFromRawLexer(T);
    if (T.is(tok::eof))
      return false;
    Offset =
        static_cast<unsigned>(Lex.getBufferLocation() - Code.begin()) - T.getLength();
    return true;
  }

private:
  llvm::StringRef Code;
  Lexer Lex;
};

bool isWord(const Token &T, llvm::StringRef W) {
  return T.is(tok::raw_identifier) && T.getRawIdentifier() == W;
}

/// Adds to \p Out the names \p Code writes where a framework's keyword
/// macro goes: an access label (`public slots:`, `signals:`) or the word
/// before a call that starts a statement (`emit changed(id);`); to \p Calls
/// the names in capitals written before a `(` (`ENDPOINT(...)`).
void keywordUses(llvm::StringRef Code, const LangOptions &LO,
                 std::vector<std::string> &Out, std::vector<std::string> &Calls) {
  RawTokens Toks(Code, LO);
  Token Prev, T, Next, After;
  unsigned Off = 0;
  Prev.startToken();
  Prev.setKind(tok::semi);
  if (!Toks.next(T, Off) || !Toks.next(Next, Off))
    return;
  bool HaveAfter = Toks.next(After, Off);
  for (unsigned Guard = 0; HaveAfter && Guard < 4000000; ++Guard) {
    if (T.is(tok::raw_identifier)) {
      bool Access = isWord(Prev, "public") || isWord(Prev, "protected") ||
                    isWord(Prev, "private");
      bool StatementStart =
          Prev.isOneOf(tok::semi, tok::l_brace, tok::r_brace, tok::r_paren) ||
          isWord(Prev, "else");
      bool Label = (Access || StatementStart) && Next.is(tok::colon);
      bool BeforeCall =
          StatementStart && Next.is(tok::raw_identifier) && After.is(tok::l_paren);
      if (Label || BeforeCall)
        Out.push_back(T.getRawIdentifier().str());
      llvm::StringRef Name = T.getRawIdentifier();
      if (Next.is(tok::l_paren) && Name.front() >= 'A' && Name.front() <= 'Z' &&
          llvm::all_of(Name,
                       [](char C) {
                         return (C >= 'A' && C <= 'Z') || llvm::isDigit(C) || C == '_';
                       }) &&
          (Calls.empty() || Calls.back() != Name))
        Calls.push_back(Name.str());
    }
    Prev = T;
    T = Next;
    Next = After;
    HaveAfter = Toks.next(After, Off);
  }
}

/// The range-for loops Clang built, by file and the offset of their
/// `for`.
class BuiltLoops : public RecursiveASTVisitor<BuiltLoops> {
public:
  explicit BuiltLoops(const SourceManager &SM) : SM(SM) {}
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) {
    std::pair<FileID, unsigned> L =
        SM.getDecomposedLoc(SM.getExpansionLoc(S->getForLoc()));
    Offsets[L.first].insert(L.second);
    return true;
  }
  llvm::DenseMap<FileID, llvm::DenseSet<unsigned>> Offsets;

private:
  const SourceManager &SM;
};

} // namespace

std::vector<RangeForHeader> rangeForHeaders(llvm::StringRef Code,
                                            const LangOptions &LO) {
  std::vector<RangeForHeader> Out;
  RawTokens Toks(Code, LO);
  Token T;
  unsigned Off = 0;
  bool HaveToken = Toks.next(T, Off);
  // A member or qualified name (`list.foreach(...)`, `ns::foreach`) is no
  // loop.
  bool AfterAccess = false;
  while (HaveToken) {
    // A directive runs to the end of its (continued) line.
    if (T.is(tok::hash) && T.isAtStartOfLine()) {
      while ((HaveToken = Toks.next(T, Off)) && !T.isAtStartOfLine()) {
      }
      AfterAccess = false;
      continue;
    }
    static constexpr llvm::StringLiteral Macros[] = {"foreach", "Q_FOREACH",
                                                     "BOOST_FOREACH"};
    const llvm::StringLiteral *Macro =
        llvm::find_if(Macros, [&](llvm::StringRef M) { return isWord(T, M); });
    bool IsMacro = Macro != std::end(Macros) && !AfterAccess;
    if (!IsMacro && !isWord(T, "for")) {
      AfterAccess = T.isOneOf(tok::period, tok::arrow, tok::coloncolon);
      HaveToken = Toks.next(T, Off);
      continue;
    }
    AfterAccess = false;
    RangeForHeader H;
    H.For = Off;
    H.Length = T.getLength();
    if (IsMacro)
      H.Macro = *Macro;
    HaveToken = Toks.next(T, Off);
    if (!HaveToken || !T.is(tok::l_paren))
      continue;
    // The header up to its `)`: a `:` at its own depth that no `?` claims,
    // and no `;` (a classic loop, or a C++20 init-statement) before it.
    int Depth = 1;
    int Ternaries = 0;
    bool Semicolon = false;
    bool HaveColon = false;
    while (Depth > 0 && (HaveToken = Toks.next(T, Off))) {
      if (T.isOneOf(tok::l_paren, tok::l_square, tok::l_brace))
        ++Depth;
      else if (T.isOneOf(tok::r_paren, tok::r_square, tok::r_brace))
        --Depth;
      else if (Depth == 1 && T.is(tok::semi) && !HaveColon)
        Semicolon = true;
      else if (IsMacro) {
        // The macro's first top-level comma ends its declaration.
        if (Depth == 1 && T.is(tok::comma) && !HaveColon) {
          HaveColon = true;
          H.Colon = Off;
        }
      } else if (Depth == 1 && T.is(tok::question))
        ++Ternaries;
      else if (Depth == 1 && T.is(tok::colon) && Ternaries > 0)
        --Ternaries;
      else if (Depth == 1 && T.is(tok::colon) && !HaveColon && !Semicolon) {
        HaveColon = true;
        H.Colon = Off;
      }
    }
    if (HaveToken)
      HaveToken = Toks.next(T, Off);
    // A macro header is a loop when a statement follows it, not a `;`
    // (`foreach(a, b);` is a call).
    if (HaveColon && Depth == 0 && !(IsMacro && (!HaveToken || T.is(tok::semi))))
      Out.push_back(H);
  }
  return Out;
}

std::string respellLoops(llvm::StringRef Code, llvm::ArrayRef<RangeForHeader> Loops) {
  std::string Out = Code.str();
  for (const RangeForHeader &H : Loops) {
    llvm::StringRef Keyword = H.Macro.empty() ? "for" : H.Macro;
    char Separator = H.Macro.empty() ? ':' : ',';
    if (H.Length != Keyword.size() || H.Length < RecoveredLoopMarker.size() ||
        Code.substr(H.For, H.Length) != Keyword || H.Colon >= Out.size() ||
        Out[H.Colon] != Separator)
      continue;
    std::string Respelled = RecoveredLoopMarker.str();
    Respelled.resize(H.Length, ' ');
    Out.replace(H.For, H.Length, Respelled);
    Out[H.Colon] = ';';
  }
  return Out;
}

bool isRecoveredLoop(const IfStmt &S, const SourceManager &SM, const LangOptions &LO) {
  SourceLocation L = S.getIfLoc();
  return L.isMacroID() &&
         Lexer::getImmediateMacroName(L, SM, LO) == RecoveredLoopMarker;
}

bool isStubClass(QualType T, const SourceManager &SM) {
  const auto *RD = T.getNonReferenceType()->getAsRecordDecl();
  return RD &&
         SM.getFilename(SM.getSpellingLoc(RD->getLocation())) == UnknownTypeStubsPath;
}

unsigned DroppedCode::loops() const {
  unsigned N = 0;
  for (const DroppedLoops &F : Files)
    N += static_cast<unsigned>(F.Loops.size());
  return N;
}

namespace {

bool isIdentifier(llvm::StringRef N) {
  return !N.empty() && (llvm::isAlpha(N.front()) || N.front() == '_') &&
         llvm::all_of(N, [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

} // namespace

std::string DroppedCode::stubs(const RuleSet &Rules) const {
  // Only names a stub can declare: no keyword of any dialect.
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.CPlusPlus14 = LO.CPlusPlus17 = LO.CPlusPlus20 =
      true;
  IdentifierTable Keywords(LO);
  // A text class stays unknown: the SQL a declaration of one holds is read
  // from the tokens of the declaration Clang drops (graph/GraphBuilder.cpp).
  auto Nameable = [&](llvm::StringRef N) {
    return isIdentifier(N) && !Keywords.get(N).isKeyword(LO) && !Rules.buildsText(N);
  };
  auto IsBase = [&](llvm::StringRef N) {
    return std::binary_search(Bases.begin(), Bases.end(), N);
  };
  auto Declarable = [&](llvm::StringRef N) { return Nameable(N) && !IsBase(N); };
  std::string Text, CText;
  llvm::raw_string_ostream Out(Text), C(CText);
  Out << "// stresslint: the types a parse without the project's headers "
         "could not name\n#pragma clang system_header\n#ifdef __cplusplus\n";
  std::set<std::string> Defined;
  auto Define = [&](const MacroDefinition &M) {
    Out << "#define " << M.Name
        << (M.Arguments ? "(" + (M.Parameters.empty() ? "..." : M.Parameters) + ")"
                        : "")
        << " " << M.Definition << "\n";
    Defined.insert(M.Name);
  };
  auto IsMacro = [&](llvm::StringRef N) {
    return std::binary_search(ClassMacros.begin(), ClassMacros.end(), N) ||
           std::binary_search(DeclarationMacros.begin(), DeclarationMacros.end(), N);
  };
  for (const std::string &N : Types) {
    // `DLLEXPORT void f();` reported it as a type, `class DLLEXPORT X {` as
    // the macro it is.
    if (IsMacro(N))
      continue;
    // Macros a framework's header defines to annotate a class or open a
    // statement (`macros:` in API YAML): without the header Clang reads
    // each as an unknown type and loses the member or the statement after.
    if (const MacroDefinition *M = Rules.macro(N))
      Define(*M);
    else if (Declarable(N) &&
             !std::binary_search(Templates.begin(), Templates.end(), N)) {
      Out << "struct " << N << " {};\n";
      C << "typedef struct " << N << " {} " << N << ";\n";
    } else if (Nameable(N) && IsBase(N)) {
      // A base class of the project's (`class Query : public QSqlQuery`)
      // that is also a variable's type (`QSqlQuery q(db)`): declared with a
      // base of its own Clang cannot name, it keeps what an unknown base
      // gives a derived class (members looked up by name; BuilderDropped's
      // base calls) and is a type the variables can have.
      Out << "struct " << N << " : " << UnknownBaseName << " {};\n";
    }
  }
  for (const std::string &N : DeclarationMacros)
    if (isIdentifier(N) && !Keywords.get(N).isKeyword(LO) && !Defined.count(N)) {
      if (const MacroDefinition *M = Rules.macro(N))
        Define(*M);
      else
        Out << "#define " << N << "(...)\n";
    }
  for (const std::string &N : ClassMacros)
    if (isIdentifier(N) && !Keywords.get(N).isKeyword(LO) && !Defined.count(N)) {
      const MacroDefinition *M = Rules.macro(N);
      Define(M ? *M : MacroDefinition{"", N, ""});
    }
  // The framework's macros written like macros (`Q_OBJECT`, `Q_ENUM`), used
  // or not in what the first parse reached: a header it lost (a class
  // behind an unknown export macro) may use them once that is declared.
  // Lower-case ones (`emit`, `slots`) only where written as the keyword
  // they stand for (an access label, the word before a call that starts a
  // statement): a project may have names of its own like them.
  auto Written = [&](llvm::StringRef N) {
    return std::binary_search(MacroCalls.begin(), MacroCalls.end(), N);
  };
  for (const MacroDefinition &M : Rules.macros())
    if (!Defined.count(M.Name) &&
        (M.OnlyWith.empty() || llvm::any_of(M.OnlyWith, Written)) &&
        (llvm::none_of(M.Name, [](char C) { return C >= 'a' && C <= 'z'; }) ||
         std::binary_search(KeywordUses.begin(), KeywordUses.end(), M.Name))) {
      Out << "#ifndef " << M.Name << "\n";
      Define(M);
      Out << "#endif\n";
    }
  for (const std::string &S : LiteralSuffixes)
    if (isIdentifier(S))
      for (llvm::StringRef Char : {"char", "wchar_t", "char16_t", "char32_t"})
        Out << "const " << Char << " *operator\"\"" << S << "(const " << Char
            << " *, decltype(sizeof 0));\n";
  for (const std::string &N : Templates)
    if (Declarable(N))
      Out << "template <class...> struct " << N << " {};\n";
  // `acme::Db`, `acme::Row`, `pqxx::result::const_iterator`: classes
  // nested in classes, one tree per first part.
  struct Node {
    std::map<std::string, Node> Members;
    bool Template = false;
  };
  std::map<std::string, Node> Roots;
  for (llvm::StringRef Q : Qualified) {
    bool Template = Q.consume_back("<");
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    Q.split(Parts, "::");
    if (!llvm::all_of(Parts, Declarable) ||
        std::binary_search(Types.begin(), Types.end(), Parts.front()) ||
        std::binary_search(Templates.begin(), Templates.end(), Parts.front()))
      continue;
    std::map<std::string, Node> *Level = &Roots;
    Node *Last = nullptr;
    for (llvm::StringRef P : Parts) {
      Last = &(*Level)[P.str()];
      Level = &Last->Members;
    }
    Last->Template |= Template;
  }
  std::function<void(const std::string &, const Node &)> Emit =
      [&](const std::string &Name, const Node &N) {
        if (N.Template)
          Out << "template <class...> ";
        Out << "struct " << Name << " {";
        for (const auto &[Member, Child] : N.Members)
          Emit(Member, Child);
        Out << "};";
      };
  for (const auto &[Name, N] : Roots) {
    // `namespace json = boost::json;` failed for want of the namespace,
    // which is declared below: the alias then works.
    if (llvm::any_of(MissingNamespaces, [&, &Name = Name](llvm::StringRef M) {
          return M.rsplit("::").second == Name;
        }))
      continue;
    Emit(Name, N);
    Out << "\n";
  }
  // `namespace boost { namespace json { struct value {}; } }`.
  auto OpenNamespaces = [&](llvm::StringRef Path) {
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    Path.split(Parts, "::");
    for (llvm::StringRef P : Parts)
      Out << "namespace " << P << " { ";
    return Parts.size();
  };
  for (const std::string &N : MissingNamespaces) {
    if (!llvm::all_of(llvm::split(N, "::"), Nameable))
      continue;
    size_t Depth = OpenNamespaces(N);
    Out << std::string(Depth, '}') << "\n";
  }
  for (llvm::StringRef N : MissingMembers) {
    bool Template = N.consume_back("<");
    auto [Scope, Member] = N.rsplit("::");
    if (Scope.empty() || !Nameable(Member) ||
        !llvm::all_of(llvm::split(Scope, "::"), Nameable))
      continue;
    size_t Depth = OpenNamespaces(Scope);
    Out << (Template ? "template <class...> " : "") << "struct " << Member << " {}; "
        << std::string(Depth, '}') << "\n";
  }
  Out << "#else\n" << C.str() << "#endif\n";
  return Text;
}

void UnknownTypeRecorder::HandleDiagnostic(DiagnosticsEngine::Level Level,
                                           const Diagnostic &Info) {
  DiagnosticConsumer::HandleDiagnostic(Level, Info);
  unsigned ID = Info.getID();
  bool Type = ID == diag::err_unknown_typename;
  bool Template = ID == diag::err_no_template;
  if (ID == diag::err_undeclared_var_use && Info.hasSourceManager())
    noteQualified(Info.getSourceManager(), Info.getLocation());
  if (ID == diag::err_expected_class_name && Info.hasSourceManager() && LO) {
    const SourceManager &SM = Info.getSourceManager();
    SourceLocation L = SM.getFileLoc(Info.getLocation());
    Token T;
    if (!Lexer::getRawToken(L, T, SM, *LO) && T.is(tok::raw_identifier))
      Out.Bases.push_back(T.getRawIdentifier().str());
  }
  if (ID == diag::err_typecheck_decl_incomplete_type && Info.hasSourceManager() && LO)
    noteClassMacro(Info);
  if ((ID == diag::err_typecheck_decl_incomplete_type ||
       ID == diag::err_incomplete_member_access ||
       ID == diag::err_incomplete_nested_name_spec ||
       ID == diag::err_call_incomplete_return ||
       ID == diag::err_field_incomplete_or_sizeless) &&
      Info.hasSourceManager())
    noteIncomplete(Info);
  if ((ID == diag::err_no_member || ID == diag::err_typename_nested_not_found) &&
      Info.hasSourceManager() && LO)
    noteMissingMember(Info, ID == diag::err_typename_nested_not_found);
  if (ID == diag::err_ovl_no_viable_literal_operator && Info.getNumArgs() > 0 &&
      Info.getArgKind(0) == DiagnosticsEngine::ak_declarationname) {
    // no matching literal operator for call to 'operator""_s' ...
    DeclarationName N = DeclarationName::getFromOpaqueInteger(Info.getRawArg(0));
    if (N.getNameKind() == DeclarationName::CXXLiteralOperatorName)
      if (const IdentifierInfo *Suffix = N.getCXXLiteralIdentifier())
        Out.LiteralSuffixes.push_back(Suffix->getName().str());
  }
  if ((Type || Template) && Info.hasSourceManager() && Info.getLocation().isValid() &&
      !Info.getSourceManager().isInSystemHeader(
          Info.getSourceManager().getExpansionLoc(Info.getLocation()))) {
    // The message names it: unknown type name 'SongList'.
    llvm::SmallString<128> Text;
    Info.FormatDiagnostic(Text);
    llvm::StringRef T = Text;
    size_t Open = T.find('\''), Close = T.rfind('\'');
    if (Open != llvm::StringRef::npos && Close > Open) {
      std::string Name = T.slice(Open + 1, Close).str();
      if (Type && isDeclarationMacro(Info.getSourceManager(), Info.getLocation()))
        Out.DeclarationMacros.push_back(std::move(Name));
      else
        (Type ? Out.Types : Out.Templates).push_back(std::move(Name));
    }
  }
  Next.HandleDiagnostic(Level, Info);
}

bool UnknownTypeRecorder::isDeclarationMacro(const SourceManager &SM,
                                             SourceLocation L) const {
  // `Q_DECLARE_METATYPE( Meta::DataPtr )` at namespace scope, `Q_ENUM( Kind )`
  // in a class: a name in capitals, its parenthesised arguments, then the
  // next line or a `;`. No type is written so; read as one, it swallows
  // the declaration after it.
  if (!LO || !L.isFileID())
    return false;
  std::pair<FileID, unsigned> Loc = SM.getDecomposedLoc(L);
  llvm::StringRef Buf = SM.getBufferData(Loc.first);
  Lexer Lex(SM.getLocForStartOfFile(Loc.first), *LO, Buf.begin(),
            Buf.begin() + Loc.second, Buf.end());
  Token T;
  Lex.LexFromRawLexer(T);
  if (!T.is(tok::raw_identifier))
    return false;
  llvm::StringRef Name = T.getRawIdentifier();
  if (Name.size() < 3 ||
      !llvm::any_of(Name, [](char C) { return C >= 'A' && C <= 'Z'; }) ||
      llvm::any_of(Name, [](char C) { return C >= 'a' && C <= 'z'; }))
    return false;
  Lex.LexFromRawLexer(T);
  if (!T.is(tok::l_paren))
    return false;
  for (unsigned Depth = 1, Guard = 0; Depth > 0; ++Guard) {
    if (Guard > 256 || Lex.LexFromRawLexer(T) || T.is(tok::eof))
      return false;
    if (T.is(tok::l_paren))
      ++Depth;
    else if (T.is(tok::r_paren))
      --Depth;
  }
  Lex.LexFromRawLexer(T);
  return T.is(tok::eof) || T.is(tok::semi) || T.isAtStartOfLine();
}

void UnknownTypeRecorder::noteIncomplete(const Diagnostic &Info) {
  const SourceManager &SM = Info.getSourceManager();
  if (Info.getLocation().isInvalid() ||
      SM.isInSystemHeader(SM.getExpansionLoc(Info.getLocation())))
    return;
  for (unsigned I = 0; I < Info.getNumArgs(); ++I) {
    if (Info.getArgKind(I) != DiagnosticsEngine::ak_qualtype)
      continue;
    QualType T = QualType::getFromOpaquePtr(
        llvm::bit_cast<void *>(static_cast<uintptr_t>(Info.getRawArg(I))));
    const auto *RD = T.isNull() ? nullptr : T->getAsCXXRecordDecl();
    // Declared, never defined, in the global namespace: a library's class
    // its header would define (a class nested in a namespace or a class
    // is left to the names the code writes).
    if (RD && !RD->hasDefinition() && RD->getIdentifier() &&
        RD->getDeclContext()->getRedeclContext()->isTranslationUnit() &&
        !isa<ClassTemplateSpecializationDecl>(RD))
      Out.Types.push_back(RD->getName().str());
  }
}

void UnknownTypeRecorder::noteClassMacro(const Diagnostic &Info) {
  // variable has incomplete type 'class FOO_EXPORT', at the class's name.
  const SourceManager &SM = Info.getSourceManager();
  SourceLocation L = Info.getLocation();
  if (!L.isFileID() || SM.isInSystemHeader(L))
    return;
  // Only where no variable can be: the name is followed by a base clause,
  // a body or `final` (`class X Store;` declares a variable).
  Token Name;
  if (Lexer::getRawToken(L, Name, SM, *LO) || !Name.is(tok::raw_identifier))
    return;
  std::optional<Token> After = Lexer::findNextToken(L, SM, *LO);
  if (!After ||
      !(After->isOneOf(tok::colon, tok::l_brace) ||
        (After->is(tok::raw_identifier) && After->getRawIdentifier() == "final")))
    return;
  llvm::SmallString<128> Text;
  Info.FormatDiagnostic(Text);
  llvm::StringRef T = Text;
  size_t Open = T.find('\''), Close = T.rfind('\'');
  if (Open == llvm::StringRef::npos || Close <= Open)
    return;
  llvm::StringRef Type = T.slice(Open + 1, Close);
  if ((Type.consume_front("class ") || Type.consume_front("struct ")) &&
      isIdentifier(Type))
    Out.ClassMacros.push_back(Type.str());
}

/// After a `<` read from \p Lex: whether a `>` closes it at its own level,
/// within one expression, and `(`, `{` or `::` follows.
static bool closesTemplateArguments(Lexer &Lex) {
  int Angles = 1, Parens = 0;
  Token T;
  for (unsigned Guard = 0; Guard < 64; ++Guard) {
    Lex.LexFromRawLexer(T);
    if (T.isOneOf(tok::eof, tok::semi, tok::l_brace, tok::r_brace, tok::ampamp,
                  tok::pipepipe, tok::question))
      return false;
    if (T.is(tok::l_paren))
      ++Parens;
    else if (T.is(tok::r_paren) && --Parens < 0)
      return false;
    if (Parens != 0)
      continue;
    if (T.is(tok::less))
      ++Angles;
    else if (T.is(tok::greater))
      Angles -= 1;
    else if (T.is(tok::greatergreater))
      Angles -= 2;
    if (Angles < 0)
      return false;
    if (Angles == 0) {
      Lex.LexFromRawLexer(T);
      return T.isOneOf(tok::l_paren, tok::l_brace, tok::coloncolon);
    }
  }
  return false;
}

void UnknownTypeRecorder::noteQualified(const SourceManager &SM, SourceLocation L) {
  if (!L.isFileID() || SM.isInSystemHeader(L) || !LO)
    return;
  // `acme :: Db` then what follows a type: a name, `&`, `*`, `>`, `,`, `)`
  // or `<` (a template). Not `(`: `acme::connect(...)` is a call.
  std::pair<FileID, unsigned> Loc = SM.getDecomposedLoc(L);
  llvm::StringRef Buf = SM.getBufferData(Loc.first);
  Lexer Lex(SM.getLocForStartOfFile(Loc.first), *LO, Buf.begin(),
            Buf.begin() + Loc.second, Buf.end());
  std::string Name;
  Token T;
  Lex.LexFromRawLexer(T);
  if (!T.is(tok::raw_identifier))
    return;
  Name = T.getRawIdentifier().str();
  unsigned Parts = 1;
  for (;;) {
    Lex.LexFromRawLexer(T);
    if (!T.is(tok::coloncolon))
      break;
    Lex.LexFromRawLexer(T);
    if (!T.is(tok::raw_identifier))
      return;
    Name += "::" + T.getRawIdentifier().str();
    ++Parts;
  }
  if (Parts < 2) {
    // `QPair<QID, QString>(id, name)` in an expression: an unknown name
    // read as a variable, then `<`. A template when its argument list
    // closes and a construction or a scope follows; `a < b` does not.
    if (T.is(tok::less) && closesTemplateArguments(Lex))
      Out.Templates.push_back(std::move(Name));
    return;
  }
  if (T.is(tok::less))
    Name += "<";
  else if (!T.isOneOf(tok::raw_identifier, tok::amp, tok::ampamp, tok::star,
                      tok::greater, tok::comma, tok::r_paren))
    return;
  Out.Qualified.push_back(std::move(Name));
}

void UnknownTypeRecorder::noteMissingMember(const Diagnostic &Info, bool Type) {
  // no member named 'json' in namespace 'boost'; no type named
  // 'message_generator' in namespace 'boost::beast::http'.
  const SourceManager &SM = Info.getSourceManager();
  SourceLocation L = Info.getLocation();
  if (!L.isFileID() || SM.isInSystemHeader(L))
    return;
  llvm::SmallString<128> Text;
  Info.FormatDiagnostic(Text);
  llvm::StringRef T = Text;
  size_t In = T.find("' in namespace '");
  size_t Open = T.find('\'');
  if (In == llvm::StringRef::npos || Open >= In || !T.endswith("'"))
    return;
  llvm::StringRef Member = T.slice(Open + 1, In);
  llvm::StringRef Namespace = T.slice(In + 16, T.size() - 1);
  // The standard library's own names are its headers' business (a
  // `std::format` missing from an older libstdc++ is no class).
  if (!isIdentifier(Member) || Namespace.empty() || Namespace == "std" ||
      Namespace.startswith("std::") || Namespace.contains('('))
    return;
  // Only a library's namespace, every part of it declared in its headers:
  // a project's own class missing from its namespace was lost to an
  // earlier error, and an empty stand-in would clash with it.
  if (Info.getNumArgs() < 2 || Info.getArgKind(1) != DiagnosticsEngine::ak_declcontext)
    return;
  // The engine keeps a DeclContext argument as its address in an integer.
  const auto *DC =
      llvm::bit_cast<const DeclContext *>(static_cast<uintptr_t>(Info.getRawArg(1)));
  const auto *NS = dyn_cast_or_null<NamespaceDecl>(DC);
  if (!NS || llvm::any_of(NS->redecls(), [&](const NamespaceDecl *R) {
        return !SM.isInSystemHeader(R->getLocation());
      }))
    return;
  std::string Qualified = (Namespace + "::" + Member).str();
  std::pair<FileID, unsigned> Loc = SM.getDecomposedLoc(L);
  llvm::StringRef Buf = SM.getBufferData(Loc.first);
  Lexer At(SM.getLocForStartOfFile(Loc.first), *LO, Buf.begin(),
           Buf.begin() + Loc.second, Buf.end());
  Token Name, After;
  At.LexFromRawLexer(Name);
  At.LexFromRawLexer(After);
  if (Type) {
    // A type the namespace lacks: a class (a template when `<` follows).
    Out.MissingMembers.push_back(Qualified + (After.is(tok::less) ? "<" : ""));
    return;
  }
  // A member written as a qualifier is a namespace the library lacks; a
  // function or variable it lacks is no declaration to make.
  if (!After.is(tok::coloncolon))
    return;
  Out.MissingNamespaces.push_back(Qualified);
  // The names written after it, also through an alias of its name, in
  // this file and in the main file (where `namespace json = boost::json;`
  // failed without this error).
  for (FileID F : {Loc.first, SM.getMainFileID()}) {
    if (!Scanned.insert({F.getHashValue(), Qualified}).second)
      continue;
    llvm::StringRef Buf = SM.getBufferData(F);
    Lexer All(SM.getLocForStartOfFile(F), *LO, Buf.begin(), Buf.begin(), Buf.end());
    Token Prev, Colons, Next, Later;
    for (All.LexFromRawLexer(Prev); !Prev.is(tok::eof);) {
      if (!Prev.is(tok::raw_identifier) || Prev.getRawIdentifier() != Member) {
        All.LexFromRawLexer(Prev);
        continue;
      }
      All.LexFromRawLexer(Colons);
      if (!Colons.is(tok::coloncolon)) {
        Prev = Colons;
        continue;
      }
      All.LexFromRawLexer(Next);
      All.LexFromRawLexer(Later);
      if (Next.is(tok::raw_identifier) && !Later.is(tok::coloncolon) &&
          !Later.is(tok::l_paren))
        Out.MissingMembers.push_back(Qualified + "::" + Next.getRawIdentifier().str() +
                                     (Later.is(tok::less) ? "<" : ""));
      Prev = Later;
    }
  }
}

void UnknownTypeRecorder::EndSourceFile() {
  for (std::vector<std::string> *Names :
       {&Out.Types, &Out.Templates, &Out.Qualified, &Out.Bases, &Out.ClassMacros,
        &Out.DeclarationMacros, &Out.LiteralSuffixes, &Out.KeywordUses, &Out.MacroCalls,
        &Out.MissingNamespaces, &Out.MissingMembers}) {
    llvm::sort(*Names);
    Names->erase(std::unique(Names->begin(), Names->end()), Names->end());
  }
  Next.EndSourceFile();
}

void DroppedLoopFinder::HandleTranslationUnit(ASTContext &Ctx) {
  // A clean parse drops nothing; C has no range-for (and no if with an
  // init-statement to re-spell one as).
  if (!CI.getDiagnostics().hasErrorOccurred() || !Ctx.getLangOpts().CPlusPlus)
    return;
  const SourceManager &SM = Ctx.getSourceManager();
  // The files that declare something at the top level, but a library's
  // (cpp/Names.h), the main file first.
  std::vector<FileID> Files{SM.getMainFileID()};
  llvm::DenseSet<FileID> Seen{SM.getMainFileID()};
  BuiltLoops Built(SM);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    SourceLocation L = SM.getExpansionLoc(D->getLocation());
    if (L.isInvalid() || isLibraryCode(SM, L))
      continue;
    FileID F = SM.getFileID(L);
    if (Seen.insert(F).second && SM.getFileEntryRefForID(F))
      Files.push_back(F);
    Built.TraverseDecl(D);
  }
  Preprocessor &PP = CI.getPreprocessor();
  for (FileID F : Files) {
    std::optional<llvm::StringRef> Code = SM.getBufferDataOrNone(F);
    if (!Code)
      continue;
    keywordUses(*Code, Ctx.getLangOpts(), Out.KeywordUses, Out.MacroCalls);
    DroppedLoops Dropped;
    for (const RangeForHeader &H : rangeForHeaders(*Code, Ctx.getLangOpts()))
      if (H.Macro.empty() ? !Built.Offsets.lookup(F).count(H.For)
                          : !PP.isMacroDefined(H.Macro))
        Dropped.Loops.push_back(H);
    if (Dropped.Loops.empty())
      continue;
    if (F != SM.getMainFileID()) {
      llvm::SmallString<256> Path(SM.getFileEntryRefForID(F)->getName());
      SM.getFileManager().makeAbsolutePath(Path);
      llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
      Dropped.Path = std::string(Path);
    }
    Dropped.Code = Code->str();
    Out.Files.push_back(std::move(Dropped));
  }
}

} // namespace stresslint
