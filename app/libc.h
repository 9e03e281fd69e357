/*
 * libc.h: the app's tiny C library: the generated syscall stubs (usys.h), printf through write(), and
 * exit. Everything a ring-3 program needs, over the documented ABI only.
 */
#ifndef RINGBENCH_APP_LIBC_H
#define RINGBENCH_APP_LIBC_H
#include <stdint.h>
#include "../lib/abi.h"
#include "../lib/string.h"
#include "usys.h"

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void flush(void);
__attribute__((noreturn)) void exit(int status);
extern long (*exit_door)(long status); /* the door exit() leaves through (default: syscall) */
int main(int argc, char **argv);
#endif
