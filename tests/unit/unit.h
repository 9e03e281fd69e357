/*
 * unit.h: the host unit-test harness. TEST(name) registers a test; CHECK(cond) fails it with the file,
 * line and condition. tests/unit/main.c runs them all and prints "N passed, N failed".
 */
#ifndef RINGBENCH_UNIT_H
#define RINGBENCH_UNIT_H
#include <stdio.h>

void unit_register(const char *name, void (*fn)(void));
void unit_fail(const char *file, int line, const char *cond);

#define TEST(name)                                                                            \
	static void name(void);                                                               \
	__attribute__((constructor)) static void register_##name(void) { unit_register(#name, name); } \
	static void name(void)

#define CHECK(cond)                                          \
	do {                                                 \
		if (!(cond)) {                               \
			unit_fail(__FILE__, __LINE__, #cond); \
			return;                              \
		}                                            \
	} while (0)
#endif
