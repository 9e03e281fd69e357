/*
 * trace.c: "app.elf trace door=D": one getpid through door D's stub (usys: <door>_getpid, the benchmark's),
 * just after the trace_begin marker, where make trace (scripts/trace.py) starts following it.
 */
#include "app.h"
#include "probe.h"

__attribute__((noinline)) void trace_begin(void) { __asm__ volatile(""); }

int run_trace(int argc, char **argv)
{
	int door = DOOR_SYSCALL;
	for (int i = 2; i < argc; i++)
		for (int d = 0; d < NDOORS; d++)
			if (!strncmp(argv[i], "door=", 5) && !strncmp(argv[i] + 5, doors[d].name, 16))
				door = d;
	if (!door_served(door)) {
		printf("trace: the %s door is not served here: %s\n", doors[door].name, door_unserved_why(door));
		return 3;
	}
	static long (*const getpid_stub[NDOORS])(void) = { [DOOR_SYSCALL] = syscall_getpid,
							   [DOOR_INT80] = int80_getpid,
							   [DOOR_SYSENTER] = sysenter_getpid };
	trace_begin();
	long r = getpid_stub[door]();
	printf("trace: getpid through %s returned %ld\n", doors[door].name, r);
	return 0;
}
