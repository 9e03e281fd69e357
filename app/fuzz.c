/*
 * fuzz.c: "app.elf fuzz [seed=N] [calls=N]": a seeded, reproducible syscall fuzzer. It fires random
 * numbers with hostile arguments (kernel, non-canonical and unaligned addresses, huge and wrapping
 * lengths, the null page, read-only pages) through every door the kernel serves, checks that each
 * return is a value or a negative errno the ABI knows, and ends with one "fuzz" line. The kernel must
 * stay up throughout, and take no fault in ring 0 (rb_kfaults before and after).
 * rb_entry and rb_audit are fuzzed too, so the run goes on through whatever entry variants they switch in.
 * Left out, so the run can finish: exit and exit_group; rb_bare only with a mask that leaves a served
 * door real, switched back at once; a write to the console shows at most 63 blanks (a user-half pointer
 * becomes one into them; null, kernel and non-canonical ones stay), to keep the console readable.
 */
#include "app.h"
#include "probe.h"
#include "../lib/errno.h"
#include "../lib/memlayout.h"

#define DEFAULT_CALLS 200000
#define WRITE_CAP 64
#define MAX_ERRNO 4095 /* as Linux: -4095..-1 are errors */

static uint64_t state;
static char buffer[256];              /* writable scratch: the kernel may store into it */
static const char blanks[256] = { [0 ... 255] = ' ' }; /* read-only: what console writes show */

/* xorshift64*: small, fast, and the same sequence for the same seed on any machine. */
static uint64_t rnd(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dull;
}

static uint64_t argument(void)
{
	static const uint64_t hostile[] = {
		0, 1, (uint64_t)-1, 1ull << 63, 1ull << 47, (1ull << 47) - 1, KERNEL_VBASE, PHYSMAP_BASE, USER_TOP - 1,
		USER_MIN - 1, 0x1000, 1ull << 40, (uint64_t)-4096, USER_STACK_GUARD, USER_STACK_TOP - 8, 0x400000,
	};
	switch (rnd() % 4) {
	case 0:
		return hostile[rnd() % (sizeof(hostile) / sizeof(hostile[0]))];
	case 1:
		return rnd();
	case 2: /* valid, often unaligned; writable or read-only */
		return (uint64_t)(rnd() % 2 ? buffer : blanks) + rnd() % sizeof(buffer);
	default:
		return rnd() % 64; /* small: fds, clock ids, lengths */
	}
}

static long number(void)
{
#define NR(nr, name, nargs, handler) nr,
	static const long table[] = { SYSCALL_LIST(NR) };
	long nr = rnd() % 2 ? table[rnd() % (sizeof(table) / sizeof(table[0]))] : (long)argument();
	return nr == SYS_exit || nr == SYS_exit_group ? SYS_getpid : nr;
}

/* A random door of those the kernel serves. */
static int door(void)
{
	for (;;) {
		int d = (int)(rnd() % NDOORS);
		if (door_served(d))
			return d;
	}
}

static const struct errno_name {
	int e;
	const char *name;
} known_errno[] = { { EBADF, "EBADF" },   { EFAULT, "EFAULT" }, { EINVAL, "EINVAL" },        { ENOSYS, "ENOSYS" },
		    { EBUSY, "EBUSY" },   { ERANGE, "ERANGE" }, { EOPNOTSUPP, "EOPNOTSUPP" } };
#define NERRNO (sizeof(known_errno) / sizeof(known_errno[0]))

struct tally {
	uint64_t calls, values, by_errno[NERRNO], unexpected, per_door[NDOORS];
};

static void count(struct tally *t, long nr, const long a[3], long r, int d)
{
	t->calls++;
	t->per_door[d]++;
	if (r >= 0 || r < -MAX_ERRNO) {
		t->values++;
		return;
	}
	for (unsigned i = 0; i < NERRNO; i++)
		if (-r == known_errno[i].e) {
			t->by_errno[i]++;
			return;
		}
	if (t->unexpected++ < 5)
		printf("fuzz: call %ld(%lx, %lx, %lx) through %s returned %ld: not an errno of the ABI\n", nr, a[0], a[1],
		       a[2], doors[d].name, r);
}

/* rb_bare only when a served door stays real to switch back through, and back at once. */
static long bare_and_back(int d, long mask)
{
	int back = -1;
	for (int i = 0; i < NDOORS; i++)
		if (door_served(i) && i != d && !(mask & doors[i].bit) && back < 0)
			back = i;
	if (back < 0 || (mask & doors[d].bit))
		return doors[d].raw(SYS_getpid, 0, 0, 0, 0, 0, 0);
	long r = doors[d].raw(SYS_rb_bare, mask, 0, 0, 0, 0, 0);
	doors[back].raw(SYS_rb_bare, 0, 0, 0, 0, 0, 0);
	return r;
}

static long one_call(struct tally *t)
{
	long nr = number(), a[6];
	int d = door();
	for (int i = 0; i < 6; i++)
		a[i] = (long)argument();
	if (nr == SYS_write && (a[0] == STDOUT_FILENO || a[0] == STDERR_FILENO)) {
		a[2] &= WRITE_CAP - 1;
		if ((uint64_t)a[1] >= USER_MIN && (uint64_t)a[1] < USER_TOP) /* show blanks, not app memory; the */
			a[1] = (long)(blanks + (uint64_t)a[1] % (sizeof(blanks) - WRITE_CAP)); /* hostile ones stay */
	}
	long r = nr == SYS_rb_bare ? bare_and_back(d, a[0]) : doors[d].raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	count(t, nr, a, r, d);
	return r;
}

int run_fuzz(int argc, char **argv)
{
	uint64_t seed = 1, calls = DEFAULT_CALLS;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "seed=", 5) ? fmt_parse_u64(a + 5, &seed)
		    : strncmp(a, "calls=", 6) || fmt_parse_u64(a + 6, &calls)) {
			printf("fuzz: bad argument '%s' (expected seed=N calls=N)\n", argv[i]);
			return 2;
		}
	}
	state = seed ? seed : 1;
	struct tally t = { 0 };
	long faults_before = syscall_rb_kfaults();
	printf("fuzz: seed %lu, %lu calls through the served doors\n", seed, calls);
	for (uint64_t i = 0; i < calls; i++)
		one_call(&t);
	long kernel_faults = syscall_rb_kfaults() - faults_before;
	printf("\n{\"type\":\"fuzz\",\"seed\":%lu,\"calls\":%lu,\"doors\":{\"syscall\":%lu,\"int80\":%lu,\"sysenter\":%lu},"
	       "\"values\":%lu,\"errors\":{", seed, t.calls, t.per_door[DOOR_SYSCALL], t.per_door[DOOR_INT80],
	       t.per_door[DOOR_SYSENTER], t.values);
	for (unsigned i = 0; i < NERRNO; i++)
		printf("%s\"%s\":%lu", i ? "," : "", known_errno[i].name, t.by_errno[i]);
	printf("},\"unexpected\":%lu,\"kernel_faults\":%ld}\n", t.unexpected, kernel_faults);
	return t.unexpected || kernel_faults ? 1 : 0;
}
