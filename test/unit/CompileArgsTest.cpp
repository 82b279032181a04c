//===--- CompileArgsTest.cpp - Build options a whole file depends on -------===//
#include "driver/CompileArgs.h"

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
