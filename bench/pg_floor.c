/*
 * pg_floor: the parse floor for linting .sql files.
 *
 * For each file named on the command line: read it, split it into
 * statements with pg_query_split_with_scanner, and call pg_query_parse on
 * each non-blank statement, freeing every result. No analysis: this is the
 * least work any linter built on the real PostgreSQL parser has to do, and
 * the time stresslint's .sql path is compared with (bench/run.sh).
 *
 * Prints "files F statements S parsed P" on stdout. Exit 0, or 2 on an
 * unreadable file.
 *
 * Build: gcc -O2 -o pg_floor bench/pg_floor.c -lpg_query
 */
#include <ctype.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path, long *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  char *buf = NULL;
  if (fseek(f, 0, SEEK_END) == 0) {
    *len = ftell(f);
    if (*len >= 0 && fseek(f, 0, SEEK_SET) == 0) {
      buf = malloc((size_t)*len + 1);
      if (buf && fread(buf, 1, (size_t)*len, f) != (size_t)*len) {
        free(buf);
        buf = NULL;
      }
      if (buf)
        buf[*len] = '\0';
    }
  }
  fclose(f);
  return buf;
}

static int blank(const char *s, int n) {
  for (int i = 0; i < n; ++i)
    if (!isspace((unsigned char)s[i]))
      return 0;
  return 1;
}

int main(int argc, char **argv) {
  long statements = 0, parsed = 0;
  for (int a = 1; a < argc; ++a) {
    long len = 0;
    char *text = read_file(argv[a], &len);
    if (!text) {
      fprintf(stderr, "pg_floor: cannot read %s\n", argv[a]);
      return 2;
    }
    PgQuerySplitResult split = pg_query_split_with_scanner(text);
    if (split.error) {
      /* The scanner cannot split (e.g. an unterminated quote): parse the
         whole text as one statement, as stresslint does. */
      pg_query_free_split_result(split);
      if (!blank(text, (int)len)) {
        PgQueryParseResult r = pg_query_parse(text);
        ++statements;
        if (!r.error)
          ++parsed;
        pg_query_free_parse_result(r);
      }
      free(text);
      continue;
    }
    for (int i = 0; i < split.n_stmts; ++i) {
      int loc = split.stmts[i]->stmt_location;
      int n = split.stmts[i]->stmt_len;
      if (loc < 0 || loc > len || n < 0 || loc + n > len)
        continue;
      if (blank(text + loc, n))
        continue;
      char saved = text[loc + n];
      text[loc + n] = '\0';
      PgQueryParseResult r = pg_query_parse(text + loc);
      text[loc + n] = saved;
      ++statements;
      if (!r.error)
        ++parsed;
      pg_query_free_parse_result(r);
    }
    pg_query_free_split_result(split);
    free(text);
  }
  printf("files %d statements %ld parsed %ld\n", argc - 1, statements, parsed);
  return 0;
}
