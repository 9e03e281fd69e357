/* app.h: what the parts of the ringbench app share (main.c, selftest.c). */
#ifndef RINGBENCH_APP_H
#define RINGBENCH_APP_H
#include "libc.h"
#include "../lib/fmt.h"
#include "../lib/memlayout.h"
#include "syscall_list.h"
#include "syscall_nr.h"

#define DETAIL_MAX 160

/* selftest.c */
void json_test(const char *name, int ok, const char *detail); /* ok < 0: skipped */

/* doors.c */
struct door {
	const char *name;
	long bit; /* RB_DOOR_* */
	long (*raw)(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
	long (*exit_group)(long status);
};
extern const struct door doors[];
int door_served(int door);
const char *door_unserved_why(int door);
int doors_detected(char *detail);
int same_result_every_door(char *detail);
int counters_match_calls(char *detail);
int registers_syscall(char *detail);
int registers_int80(char *detail);
int registers_sysenter(char *detail);
int tls_bases_survive_every_door(char *detail);
int registers_through(int door, char *detail); /* DOOR_*; -1: skipped, the door is not served */

/* audit.c */
int run_audit(void);
void print_counters(void);
int audit_records_calls(char *detail);
int audit_ring_full_drops(char *detail);
int audit_bad_buffer_keeps_records(char *detail);
int registers_audited(char *detail);
/* bench.c */
int run_bench(int argc, char **argv);

/* vdso.c */
extern const struct rb_time_page *time_page;
extern const void *vdso_base;
long vdso_clock_gettime(long clock, long uts);
long vdso_gettimeofday(long utv, long utz);
long vdso_time(long ut);
long vdso_getcpu(long ucpu, long unode);
int vdso_exports_linux_set(char *detail);
int time_page_present(char *detail);
int vdso_agrees_with_syscall(char *detail);
int vdso_monotonic(char *detail);

/* fuzz.c */
int run_fuzz(int argc, char **argv);

/* trace.c */
int run_trace(int argc, char **argv);

/* selftest.c */
int run_selftests(void);
#endif
