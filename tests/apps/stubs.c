/*
 * stubs.c: a stranger's program that calls through ringbench's generated stubs (build/gen/usys.h and
 * usys_<door>.S, numbers from syscall_nr.h), built by the host's gcc with the command README.md gives.
 * It makes the same calls through every door the kernel serves and prints one JSON test line saying how
 * each door did.
 * tests/integration.py boots it with APP= on an Intel CPU model, where all three doors are served.
 */
#include "syscall_nr.h"
#include "usys.h"

#define DOOR_SYSENTER 4 /* rb_doors() bit */
/* rb_args(k+1, ..., k+6) = sum of i*(k+i) = 21k + 91. Each door gets its own k, so an argument register
 * left over from the call before (the int80 door keeps r10) cannot pass for the right one. */
#define ARGS(k) (k) + 1, (k) + 2, (k) + 3, (k) + 4, (k) + 5, (k) + 6
#define ARGS_SUM(k) (21 * (k) + 91)
#define BAD_FD 7
#define EBADF 9
#define ENOSYS 38

static long out(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	return syscall_write(1, (long)s, n);
}

/* What one door gave: its getpid, rb_args(ARGS(k)) and write to a bad fd, checked against the ABI. */
static int door_ok(const char *name, long k, long pid, long args, long bad_write)
{
	int ok = pid == 1 && args == ARGS_SUM(k) && bad_write == -EBADF;
	out(name);
	out(ok ? "=ok " : "=bad ");
	return ok;
}

void _start(void)
{
	int ok = 1;
	out("{\"type\":\"test\",\"name\":\"stubs_app\",\"detail\":\"");
	ok &= door_ok("syscall", 0, syscall_getpid(), syscall_rb_args(ARGS(0)), syscall_write(BAD_FD, (long)"s", 1));
	ok &= door_ok("int80", 10, int80_getpid(), int80_rb_args(ARGS(10)), int80_write(BAD_FD, (long)"i", 1));
	if (syscall_rb_doors() & DOOR_SYSENTER)
		ok &= door_ok("sysenter", 20, sysenter_getpid(), sysenter_rb_args(ARGS(20)),
			      sysenter_write(BAD_FD, (long)"e", 1));
	ok &= syscall_raw(SYS_getpid, 0, 0, 0, 0, 0, 0) == 1 && int80_raw(-1, 0, 0, 0, 0, 0, 0) == -ENOSYS;
	out(ok ? "\",\"ok\":true}\n" : "\",\"ok\":false}\n");
	syscall_exit(ok ? 0 : 1);
}
