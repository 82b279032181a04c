//===--- CompileArgsTest.cpp - Build options a whole file depends on -------===//
#include "driver/CompileArgs.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
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
