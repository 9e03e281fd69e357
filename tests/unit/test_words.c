/* test_words.c: lib/words.c, the splitting of args and env into words. */
#include <string.h>
#include "unit.h"
#include "../../lib/words.h"

static int split(const char *line, char **w, const char **why)
{
	static char buf[256];
	return words_split(line, buf, sizeof(buf), w, 8, why);
}

TEST(words_split_on_blanks_and_keep_quotes_together)
{
	char *w[8];
	const char *why = 0;
	CHECK(split("  one\ttwo  ", w, &why) == 2 && !strcmp(w[0], "one") && !strcmp(w[1], "two"));
	CHECK(split("sh -c 'echo $((6*7))'", w, &why) == 3 && !strcmp(w[2], "echo $((6*7))"));
	CHECK(split("\"a b\"'c d'e", w, &why) == 1 && !strcmp(w[0], "a bc de"));
	CHECK(split("\"say \\\"hi\\\" \\\\ \\n\"", w, &why) == 1 && !strcmp(w[0], "say \"hi\" \\ \\n"));
	CHECK(split("a\\ b 'it\\'", w, &why) == 2 && !strcmp(w[0], "a b") && !strcmp(w[1], "it\\"));
	CHECK(split("'' x", w, &why) == 2 && !strcmp(w[0], "") && !strcmp(w[1], "x"));
	CHECK(split("", w, &why) == 0);
}

TEST(words_refuse_what_does_not_fit)
{
	char *w[8], small[4];
	const char *why = 0;
	CHECK(split("'open", w, &why) == -1 && strstr(why, "quote"));
	CHECK(split("\"open", w, &why) == -1 && strstr(why, "quote"));
	CHECK(split("x \"", w, &why) == -1 && strstr(why, "quote"));
	CHECK(split("1 2 3 4 5 6 7 8 9", w, &why) == -1 && strstr(why, "many"));
	CHECK(words_split("abcd", small, sizeof(small), w, 8, &why) == -1 && strstr(why, "longer"));
	CHECK(words_split("abc", small, sizeof(small), w, 8, &why) == 1 && !strcmp(w[0], "abc"));
}
