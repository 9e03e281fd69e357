/*
 * vdso_sym.h: find a function in a vDSO by name and version, as glibc and musl do: through its program
 * headers to its dynamic section, then the dynamic symbol table, the version of each symbol (DT_VERSYM)
 * and the version definitions (DT_VERDEF). Used by the app (app/vdso.c) on the vDSO the kernel maps, and
 * by the host unit tests on build/vdso/vdso.so. Every table is checked to lie inside the image.
 */
#ifndef RINGBENCH_VDSO_SYM_H
#define RINGBENCH_VDSO_SYM_H
#include <stdint.h>

/* The address of name@version in the vDSO whose ELF header is at base (as mapped: its first PT_LOAD at
 * base), or 0 when it is not there or the image is malformed. */
uint64_t vdso_sym(const void *base, const char *name, const char *version);
#endif
