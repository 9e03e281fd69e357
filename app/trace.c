/*
 * trace.c: "app.elf trace door=D [call=NAME]": one call through door D, just after the trace_begin marker,
 * where make trace (scripts/trace.py) starts following it: getpid through the door's own stub (usys:
 * <door>_getpid, the benchmark's), any other call of the table through its raw stub (<door>_raw) with every
 * argument 0 (so a call that takes a pointer takes the path of its -EFAULT).
 */
#include "app.h"
#include "probe.h"

__attribute__((noinline)) void trace_begin(void) { __asm__ volatile(""); }

#define NAMED(nr, name, nargs, handler) { nr, #name },
static const struct { long nr; const char *name; } calls[] = { SYSCALL_LIST(NAMED) };

int run_trace(int argc, char **argv)
{
	int door = DOOR_SYSCALL;
	long nr = SYS_getpid;
	for (int i = 2; i < argc; i++) {
		for (int d = 0; d < NDOORS; d++)
			if (!strncmp(argv[i], "door=", 5) && !strncmp(argv[i] + 5, doors[d].name, 16))
				door = d;
		for (unsigned c = 0; c < sizeof(calls) / sizeof(calls[0]); c++)
			if (!strncmp(argv[i], "call=", 5) && !strncmp(argv[i] + 5, calls[c].name, 64))
				nr = calls[c].nr;
	}
	if (nr == SYS_exit || nr == SYS_exit_group) {
		printf("trace: exit does not return: nothing to trace back to ring 3\n");
		return 2;
	}
	if (!door_served(door)) {
		printf("trace: the %s door is not served here: %s\n", doors[door].name, door_unserved_why(door));
		return 3;
	}
	static long (*const getpid_stub[NDOORS])(void) = { [DOOR_SYSCALL] = syscall_getpid,
							   [DOOR_INT80] = int80_getpid,
							   [DOOR_SYSENTER] = sysenter_getpid };
	trace_begin();
	long r = nr == SYS_getpid ? getpid_stub[door]() : doors[door].raw(nr, 0, 0, 0, 0, 0, 0);
	printf("trace: call %ld through %s returned %ld\n", nr, doors[door].name, r);
	return 0;
}
