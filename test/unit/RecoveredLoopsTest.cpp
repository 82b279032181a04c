//===--- RecoveredLoopsTest.cpp - range-for headers, lexed and re-spelled --===//
#include "cpp/RecoveredLoops.h"
#include "rules/RuleSet.h"

#include "clang/Basic/LangOptions.h"
#include <gtest/gtest.h>

using namespace stresslint;

namespace {

clang::LangOptions cxx() {
  clang::LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = LO.CPlusPlus14 = LO.CPlusPlus17 = true;
  return LO;
}

/// The re-spelled text of every header found in \p Code.
std::string respelled(llvm::StringRef Code) {
  return respellLoops(Code, rangeForHeaders(Code, cxx()));
}

TEST(RecoveredLoops, RangeForBecomesAnIfOfTheSameLength) {
  llvm::StringRef Code = "void f() { for (auto &r : db.rows()) run(r); }";
  std::string Out = respelled(Code);
  EXPECT_EQ(Out, "void f() { _Sf (auto &r ; db.rows()) run(r); }");
  EXPECT_EQ(Out.size(), Code.size());
}

TEST(RecoveredLoops, TheRangeColonIsNotATernarysNorAQualifiersColon) {
  EXPECT_EQ(respelled("for (auto x : a ? b : c) {}"), "_Sf (auto x ; a ? b : c) {}");
  EXPECT_EQ(respelled("for (std::string s : ns::names()) {}"),
            "_Sf (std::string s ; ns::names()) {}");
  EXPECT_EQ(respelled("for (auto x : f([](int a) { return a ? 1 : 2; })) {}"),
            "_Sf (auto x ; f([](int a) { return a ? 1 : 2; })) {}");
}

TEST(RecoveredLoops, ClassicLoopsAndInitStatementsAreLeftAlone) {
  for (llvm::StringRef Code : {"for (int i = 0; i < n; ++i) {}", "for (;;) {}",
                               "for (int i = c ? 1 : 2; i < n; ++i) {}",
                               "for (auto v = get(); auto x : v) {}"})
    EXPECT_EQ(respelled(Code), Code.str()) << Code.str();
}

TEST(RecoveredLoops, TextThatIsNoCodeIsLeftAlone) {
  for (llvm::StringRef Code :
       {"const char *s = \"for (auto x : xs)\";", "// for (auto x : xs)\n",
        "/* for (auto x : xs) */", "#define EACH(x, xs) for (auto x : xs)\n",
        "#define EACH(x, xs) \\\n  for (auto x : xs)\n"})
    EXPECT_EQ(respelled(Code), Code.str()) << Code.str();
}

TEST(RecoveredLoops, ForeachMacrosAreLoopsCallsAndMembersAreNot) {
  EXPECT_EQ(respelled("foreach (const QString &s, list) use(s);"),
            "_Sf     (const QString &s; list) use(s);");
  EXPECT_EQ(respelled("Q_FOREACH (QString s, list) {}"),
            "_Sf       (QString s; list) {}");
  EXPECT_EQ(respelled("BOOST_FOREACH(int i, v) {}"), "_Sf          (int i; v) {}");
  for (llvm::StringRef Code : {"list.foreach(a, b) {}", "p->foreach(a, b) {}",
                               "ns::foreach(a, b) {}", "foreach(a, b);"})
    EXPECT_EQ(respelled(Code), Code.str()) << Code.str();
}

TEST(RecoveredLoops, UnterminatedHeadersAreNotReSpelled) {
  for (llvm::StringRef Code :
       {"for (auto x : xs", "for (auto x", "foreach (a, b", "for"})
    EXPECT_EQ(respelled(Code), Code.str()) << Code.str();
}

} // namespace

TEST(UnknownTypeStubs, DeclareTypesTemplatesAndQualifiedNamesAsClasses) {
  DroppedCode D;
  D.Types = {"Item", "Q_EMIT", "Q_SIGNALS", "QString", "SongList", "int"};
  D.Templates = {"QList"};
  D.Qualified = {"acme::Db", "acme::Row<", "pqxx::result::const_iterator"};
  D.Bases = {"SongList"};
  std::string S = D.stubs(activeRuleSet());
  EXPECT_NE(S.find("#pragma clang system_header"), std::string::npos);
  EXPECT_NE(S.find("struct Item {};"), std::string::npos);
  EXPECT_NE(S.find("template <class...> struct QList {};"), std::string::npos);
  EXPECT_NE(S.find("struct acme {struct Db {};template <class...> struct Row {};};"),
            std::string::npos);
  EXPECT_NE(S.find("struct pqxx {struct result {struct const_iterator {};};};"),
            std::string::npos);
  EXPECT_NE(S.find("#define Q_EMIT \n"), std::string::npos);
  EXPECT_NE(S.find("#define Q_SIGNALS public\n"), std::string::npos);
  EXPECT_NE(S.find("typedef struct Item {} Item;"), std::string::npos) << "C";
  // A base class also used as a type gets a base nothing declares: its
  // derived classes still look members up by name.
  EXPECT_NE(S.find("struct SongList : __stresslint_unknown_base {};"),
            std::string::npos);
  EXPECT_EQ(S.find("struct SongList {};"), std::string::npos);
  // A text class and a keyword stay as they are.
  EXPECT_EQ(S.find("QString"), std::string::npos);
  EXPECT_EQ(S.find("struct int"), std::string::npos);
}

TEST(UnknownTypeStubs, ExportAndDeclarationMacrosExpandToNothing) {
  DroppedCode D;
  // `DLLEXPORT void f();` reported the export macro as a type too.
  D.Types = {"LIBRARY_EXPORT", "Track"};
  D.ClassMacros = {"LIBRARY_EXPORT", "Q_DECL_IMPORT"};
  D.DeclarationMacros = {"LIBRARY_DECLARE_TYPE", "Q_SIGNALS"};
  std::string S = D.stubs(activeRuleSet());
  EXPECT_NE(S.find("#define LIBRARY_EXPORT \n"), std::string::npos);
  EXPECT_NE(S.find("#define Q_DECL_IMPORT \n"), std::string::npos);
  EXPECT_NE(S.find("#define LIBRARY_DECLARE_TYPE(...)\n"), std::string::npos);
  // Qt's, from qt-core.yaml, met or not: written without a `;` after them.
  EXPECT_NE(S.find("#define Q_DECLARE_METATYPE(...) \n"), std::string::npos);
  EXPECT_NE(S.find("#define Q_DECLARE_LOGGING_CATEGORY(...) \n"), std::string::npos);
  // One the API files define keeps their definition.
  EXPECT_NE(S.find("#define Q_SIGNALS public\n"), std::string::npos);
  EXPECT_EQ(S.find("struct LIBRARY_EXPORT"), std::string::npos);
  EXPECT_NE(S.find("struct Track {};"), std::string::npos);
}

TEST(UnknownTypeStubs, FrameworkMacrosInCapitalsAreDefinedUnmet) {
  // The first parse lost a class behind an export macro, with the Q_OBJECT
  // and Q_ENUM(Type) in it: it never reported them.
  DroppedCode D;
  D.ClassMacros = {"CORE_EXPORT"};
  std::string S = D.stubs(activeRuleSet());
  EXPECT_NE(S.find("#ifndef Q_OBJECT\n#define Q_OBJECT \n#endif\n"), std::string::npos);
  EXPECT_NE(S.find("#define Q_ENUM(...) \n"), std::string::npos);
  EXPECT_NE(S.find("#define Q_PROPERTY(...) \n"), std::string::npos);
  // A lower-case one only where the first parse met it: a project may
  // have a function named `emit`.
  EXPECT_EQ(S.find("#define emit"), std::string::npos);
  EXPECT_EQ(S.find("#define slots"), std::string::npos);
  D.Types = {"slots"};
  S = D.stubs(activeRuleSet());
  EXPECT_NE(S.find("#define slots \n"), std::string::npos);
  // Once only, met or not.
  D.Types = {"Q_OBJECT"};
  S = D.stubs(activeRuleSet());
  size_t First = S.find("#define Q_OBJECT");
  ASSERT_NE(First, std::string::npos);
  EXPECT_EQ(S.find("#define Q_OBJECT", First + 1), std::string::npos);
}

TEST(UnknownTypeStubs, NothingDroppedNothingToParseAgain) {
  DroppedCode D;
  EXPECT_TRUE(D.empty());
  D.Qualified = {"acme::Db"};
  EXPECT_FALSE(D.empty());
  DroppedCode M;
  M.ClassMacros = {"FOO_EXPORT"};
  EXPECT_FALSE(M.empty());
}
