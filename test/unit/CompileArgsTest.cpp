//===--- CompileArgsTest.cpp - Build options a whole file depends on -------===//
#include "driver/CompileArgs.h"
#include "driver/ProjectHeaders.h"
#include "driver/SourceRoot.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <gtest/gtest.h>

using namespace stresslint;

TEST(FeatureMacrosTest, AnOptionAroundTheWholeFileIsOn) {
  EXPECT_EQ(featureMacrosOf("#include \"setup.h\"\n"
                            "#if defined(WITH_SQL) && defined(ENABLE_ACCOUNTS)\n"
                            "#include \"storage.h\"\n"
                            "#ifdef WITH_SQL_MYSQL\n"
                            "int mysql;\n"
                            "#endif\n"
                            "int a = 1;\nint b = 2;\nint c = 3;\n"
                            "#endif\n"),
            (std::vector<std::string>{"WITH_SQL", "ENABLE_ACCOUNTS"}));
  // Inside a header guard too.
  EXPECT_EQ(featureMacrosOf("#ifndef STORAGE_H\n#define STORAGE_H\n"
                            "#ifdef USE_DB\nint a = 1;\n#endif\n#endif\n"),
            (std::vector<std::string>{"USE_DB"}));
}

TEST(FeatureMacrosTest, ChoicesPartsPlatformsAndOwnDefinitionsAreLeft) {
  // A choice between branches: the build without the option has one.
  EXPECT_TRUE(featureMacrosOf("#ifdef USE_SQLCIPHER\n#include <sqlcipher/sqlite3.h>\n"
                              "int a = 1;\n#else\nint b = 2;\n#endif\n")
                  .empty());
  // A part of the file.
  EXPECT_TRUE(
      featureMacrosOf("int a = 1; int b = 2;\n#ifdef WITH_LUA\nint c;\n#endif\n")
          .empty());
  // Not a build option's name; defined by the file itself; not code.
  EXPECT_TRUE(featureMacrosOf("#ifdef _WIN32\nint a;\n#endif\n").empty());
  EXPECT_TRUE(
      featureMacrosOf("#define USE_CACHE 1\n#if USE_CACHE\nint a;\n#endif\n").empty());
  EXPECT_TRUE(
      featureMacrosOf("// #ifdef WITH_COMMENT\nconst char *s = \"#ifdef WITH_X\";\n")
          .empty());
  EXPECT_TRUE(featureMacrosOf("").empty());
}

TEST(ProjectIncludesTest, DirectoriesAboveTheFileServeQuotedAndAngledIncludes) {
  llvm::SmallString<128> Root;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-includes", Root));
  ASSERT_FALSE(llvm::sys::fs::create_directories(Root + "/.git"));
  ASSERT_FALSE(llvm::sys::fs::create_directories(Root + "/src/collection/sql"));
  std::string File = (Root + "/src/collection/sql/Labels.cpp").str();
  clang::tooling::CommandLineArguments Args =
      getProjectIncludeAdjuster()({"clang++", "-std=c++17", File}, File);
  auto Has = [&](llvm::StringRef Flag, const std::string &Dir) {
    for (size_t I = 0; I + 1 < Args.size(); ++I)
      if (Args[I] == Flag && llvm::StringRef(Args[I + 1]).rtrim('/') == Dir)
        return true;
    return false;
  };
  std::string Src = (Root + "/src").str(),
              Collection = (Root + "/src/collection").str();
  // `#include "core/x.h"` first, `#include <core/x.h>` after the system's.
  EXPECT_TRUE(Has("-iquote", Collection));
  EXPECT_TRUE(Has("-iquote", Src));
  EXPECT_TRUE(Has("-iquote", Root.str().str())) << llvm::join(Args, " ");
  EXPECT_TRUE(Has("-idirafter", Collection));
  EXPECT_TRUE(Has("-idirafter", Src));
  // The file's own directory Clang searches for quoted includes already.
  EXPECT_FALSE(Has("-idirafter", (Root + "/src/collection/sql").str()));
  // Every -iquote before every -idirafter.
  auto FirstAfter = llvm::find(Args, "-idirafter");
  EXPECT_EQ(std::find(FirstAfter, Args.end(), "-iquote"), Args.end());
  llvm::sys::fs::remove_directories(Root);
}

TEST(ProjectHeadersTest, IncludeDirectivesAreReadAsWritten) {
  std::vector<IncludeDirective> Found =
      includeDirectivesOf("#include \"a/b.h\"\n"
                          "  #  include <QSqlQuery> // Qt\n"
                          "#ifdef _WIN32\n#include_next <win.h>\n#endif\n"
                          "// #include \"commented.h\"\n"
                          "/* #include \"block.h\" */\n"
                          "const char *s = \"#include <string.h>\";\n"
                          "#define INC \"macro.h\"\n#include INC\n"
                          "#include \"unterminated.h\n");
  ASSERT_EQ(Found.size(), 3u);
  EXPECT_EQ(Found[0].Name, "a/b.h");
  EXPECT_TRUE(Found[0].Quoted);
  EXPECT_EQ(Found[1].Name, "QSqlQuery");
  EXPECT_FALSE(Found[1].Quoted);
  EXPECT_EQ(Found[2].Name, "win.h");
}

TEST(ProjectHeadersTest, ExportMacrosBetweenClassKeyAndNameAreMacros) {
  FileDirectives Found =
      scanDirectives("class STORE_EXPORT Store : public QObject {};\n"
                     "struct Q_DECL_EXPORT Row final {};\n"
                     "class API2_EXPORT Cache final : Base {};\n"
                     "class STORE_EXPORT Other {};\n"
                     // Types, not macros: a variable, a range-for, a
                     // template parameter, a keyword.
                     "class Store DEFAULT_STORE;\n"
                     "void f() { for (struct Row r : rows) {} }\n"
                     "template <class T> class Box {};\n"
                     "class alignas(8) Aligned {};\n"
                     "// class COMMENTED_EXPORT X {};\n"
                     "const char *s = \"class STRING_EXPORT Y {\";\n");
  EXPECT_EQ(Found.ClassMacros,
            (std::vector<std::string>{"STORE_EXPORT", "Q_DECL_EXPORT", "API2_EXPORT"}));
}

TEST(ProjectHeadersTest, AMissingNameTakesTheDirectoryOfItsNearestFile) {
  llvm::SmallString<128> Tmp;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("stresslint-headers", Tmp));
  std::string Root = canonicalPath(Tmp);
  auto Write = [&](llvm::StringRef Rel, llvm::StringRef Text) {
    std::string P = Root + "/" + Rel.str();
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream(P, EC) << Text;
    return P;
  };
  Write("src/common/network.h", "#include \"util/strings.h\"\n#include <vendor.h>\n"
                                "class NET_EXPORT Socket {};\n");
  Write("src/common/util/strings.h", "");
  Write("third_party/vendor/vendor.h", "");
  // Two config.h: the one beside the includer's own tree wins.
  Write("src/core/sub/config.h", "");
  Write("plugins/x/config.h", "");
  // Two equally near: no guess.
  Write("lib/a/db.h", "");
  Write("lib/b/db.h", "");
  // A web front end's packages are not searched.
  Write("web/node_modules/pkg/only.h", "");
  std::string Main = Write("src/core/session.cpp", "#include \"network.h\"\n"
                                                   "#include \"config.h\"\n"
                                                   "#include \"db.h\"\n"
                                                   "#include \"only.h\"\n"
                                                   "#include <string>\n");
  ProjectHeaders Headers(Root);
  IncludeDirectories Dirs = Headers.directoriesFor(Main, {Root});
  EXPECT_EQ(Dirs.Quoted,
            (std::vector<std::string>{Root + "/src/common", Root + "/src/core/sub"}));
  // Found through network.h; angled, so after the system's directories.
  EXPECT_EQ(Dirs.Angled, (std::vector<std::string>{Root + "/third_party/vendor"}));
  // The export macros of every project file the includes reach.
  EXPECT_EQ(Dirs.ClassMacros, (std::vector<std::string>{"NET_EXPORT"}));
  llvm::sys::fs::remove_directories(Root);
}
