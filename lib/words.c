/* words.c: a configuration value split into words (words.h says how). */
#include "words.h"

static int blank(char c) { return c == ' ' || c == '\t'; }

int words_split(const char *line, char *buf, size_t cap, char **words, int max, const char **why)
{
	size_t used = 0;
	int n = 0;
	for (const char *s = line; *s;) {
		if (blank(*s)) {
			s++;
			continue;
		}
		if (n == max)
			return *why = "too many words", -1;
		if (used >= cap)
			return *why = "longer than its buffer", -1;
		words[n++] = buf + used;
		char quote = 0;
		for (; *s && (quote || !blank(*s)); s++) {
			char c = *s;
			if (!quote && (c == '\'' || c == '"')) {
				quote = c;
				continue;
			}
			if (c == quote) {
				quote = 0;
				continue;
			}
			if (c == '\\' && quote != '\'' && s[1] && (!quote || s[1] == '"' || s[1] == '\\'))
				c = *++s;
			if (used + 1 >= cap)
				return *why = "longer than its buffer", -1;
			buf[used++] = c;
		}
		if (quote)
			return *why = "a quote is not closed", -1;
		buf[used++] = 0;
	}
	return n;
}
