/* main.c: run every registered host unit test; one line per test, then "unit: N passed, N failed". */
#include <stdlib.h>
#include "unit.h"

#define MAX_TESTS 256

static struct {
	const char *name;
	void (*fn)(void);
} tests[MAX_TESTS];
static int ntests, current_failed;

void unit_register(const char *name, void (*fn)(void))
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "unit: more than %d tests; raise MAX_TESTS\n", MAX_TESTS);
		exit(2);
	}
	tests[ntests].name = name;
	tests[ntests++].fn = fn;
}

void unit_fail(const char *file, int line, const char *cond)
{
	printf("    %s:%d: CHECK(%s) failed\n", file, line, cond);
	current_failed = 1;
}

int main(void)
{
	int failed = 0;
	for (int i = 0; i < ntests; i++) {
		current_failed = 0;
		tests[i].fn();
		printf("%s unit/%s\n", current_failed ? "FAIL" : "ok  ", tests[i].name);
		failed += current_failed;
	}
	printf("unit: %d passed, %d failed\n", ntests - failed, failed);
	return failed != 0;
}
