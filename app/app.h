/* app.h: what the parts of the ringbench app share (main.c, selftest.c). */
#ifndef RINGBENCH_APP_H
#define RINGBENCH_APP_H
#include "libc.h"
#include "../lib/fmt.h"
#include "syscall_nr.h"

#define DETAIL_MAX 160

/* main.c */
void json_test(const char *name, int ok, const char *detail);
/* selftest.c */
int run_selftests(void);
#endif
