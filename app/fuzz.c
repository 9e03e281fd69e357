/*
 * fuzz.c: "app.elf fuzz [seed=N] [calls=N]": a seeded, reproducible syscall fuzzer. It fires random
 * numbers with hostile arguments (kernel, non-canonical and unaligned addresses, huge and wrapping
 * lengths, the null page, read-only pages) through every door the kernel serves, checks that each
 * return is a value or a negative errno the ABI knows, and ends with one "fuzz" line. The kernel must
 * stay up throughout, and take no fault in ring 0 (rb_kfaults before and after).
 * rb_entry and rb_audit are fuzzed too, so the run goes on through whatever entry variants they switch in.
 * Left out, so the run can finish: exit and exit_group, rt_sigreturn (its own mode: sigreturn), pause and
 * rt_sigsuspend (nothing could end their wait); rt_sigaction installs no handler (its new action is
 * read only from a hostile address), and kill, tkill and tgkill send only signal 0 or one whose default
 * action is to ignore it, whatever the fuzz made of its number; rb_bare only with a mask that leaves a served
 * door real, switched back at once; rb_events never to FRED's bare mode (every SYSCALL after it would
 * return at once; FRED itself is fuzzed through, where the CPU has it); a write to the console shows at most 63 blanks (a user-half pointer
 * becomes one into them; null, kernel and non-canonical ones stay), to keep the console readable, and
 * writev likewise. The memory calls may not take the fuzzer's own pages away: a user-half range of
 * munmap, mprotect, mremap, madvise or a fixed mmap that touches the app's image or stack is moved into
 * an arena of its own (the hostile addresses stay); a sleep asks for at most a millisecond; close, dup2,
 * dup3 and sendfile leave the console's descriptors 0-2 alone (they carry the fuzz line), and dup, dup2,
 * dup3 and fcntl do not copy them to other numbers (a write of megabytes of app memory to the console
 * would take seconds and fill the log). The scratch the kernel stores into is refilled from the seed
 * before each call and no store may run past it, so that one seed gives one run: a clock's value or
 * RDRAND's bytes would otherwise become a later call's path.
 * "fuzz mode=sigreturn [seed=N] [calls=N]" fires rt_sigreturn instead, through a random door, at random
 * frames: random registers, flags (but AC: the app's handlers are not written for alignment checks), RIP
 * (mostly garbage, or catch_recover), selectors, FPU images (none, good, a reserved MXCSR bit, a kernel
 * address, misaligned) and masks. Whatever each frame does, a fault in ring 3 is a signal that the app's
 * handlers (caught.c) take, or it lands in catch_recover; the kernel must take no fault in ring 0.
 */
#include "app.h"
#include "caught.h"
#include "probe.h"
#include "../lib/errno.h"
#include "../lib/memlayout.h"
#include "../lib/x86.h"

#define DEFAULT_CALLS 200000
#define WRITE_CAP 64
#define MAX_ERRNO 4095 /* as Linux: -4095..-1 are errors */
#define ARENA_SIZE (64 * 4096)
#define SLEEP_MAX_NS 1000000
#define IOV_FUZZ 4
#define FIRST_FREE_FD 3 /* after stdin, stdout and stderr */

static uint64_t state;
/* Writable scratch the kernel may store into: pointers go into its first POINTED bytes, and the rest is
 * room for what a call stores past them (a struct stat, uname's 390 bytes); a call that takes a length
 * for its store is held to the scratch's end. */
#define POINTED 256
static char buffer[4 * POINTED] __attribute__((aligned(8)));
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
		return (uint64_t)(rnd() % 2 ? buffer : blanks) + rnd() % POINTED;
	default:
		return rnd() % 64; /* small: fds, clock ids, lengths */
	}
}

static long number(void)
{
#define NR(nr, name, nargs, handler) nr,
	static const long table[] = { SYSCALL_LIST(NR) };
	long nr = rnd() % 2 ? table[rnd() % (sizeof(table) / sizeof(table[0]))] : (long)argument();
	return nr == SYS_exit || nr == SYS_exit_group || nr == SYS_rt_sigreturn || nr == SYS_pause ||
			nr == SYS_rt_sigsuspend ? SYS_getpid : nr;
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

#define ERRNO_NAME(e) { e, #e },
static const struct errno_name {
	int e;
	const char *name;
} known_errno[] = { ERRNO_LIST(ERRNO_NAME) };
#define NERRNO (sizeof(known_errno) / sizeof(known_errno[0]))

struct tally {
	uint64_t calls, values, by_errno[NERRNO], unexpected, per_door[NDOORS];
};

/* The calls whose every result is a value, never an errno: rb_args's sum may land anywhere, the errno range
 * too (a fuzzer that took -3603 from it for an unknown errno was wrong, not the kernel). */
static int only_values(long nr) { return nr == SYS_rb_args; }

static void count(struct tally *t, long nr, const long a[3], long r, int d)
{
	t->calls++;
	t->per_door[d]++;
	if (r >= 0 || r < -MAX_ERRNO || only_values(nr)) {
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

static uint64_t arena; /* pages the memory calls may do anything to */
static struct timespec short_sleep;
static struct linux_iovec safe_iov[IOV_FUZZ];

/* Does [addr, addr+len) reach the app's own pages: its image (app/app.lds.S) or its stack? */
static int own_pages(uint64_t addr, uint64_t len)
{
	extern char __app_start[], __app_end[];
	uint64_t end = addr + len < addr ? ~0ull : addr + len;
	return (addr < (uint64_t)__app_end && end > (uint64_t)__app_start) ||
	       (addr < USER_TIME_PAGE && end > USER_STACK_GUARD);
}

/* A user-half range of a memory call that reaches the app's pages is moved into the arena. */
static void confine(long *addr, long *len)
{
	if ((uint64_t)*addr < USER_MIN || (uint64_t)*addr >= USER_TOP || !own_pages((uint64_t)*addr, (uint64_t)*len))
		return;
	*addr = (long)(arena + (uint64_t)*addr % ARENA_SIZE);
	*len = (long)((uint64_t)*len % (arena + ARENA_SIZE - (uint64_t)*addr + 1));
}

/* A store of len bytes at p, held to the scratch's end when p is in it. */
static void hold(long p, long *len)
{
	uint64_t at = (uint64_t)p - (uint64_t)buffer;
	if (at < sizeof(buffer) && (uint64_t)*len > sizeof(buffer) - at)
		*len = (long)(sizeof(buffer) - at);
}

/* Is p an address the kernel can read from the app's half? */
static int user_pointer(long p) { return (uint64_t)p >= USER_MIN && (uint64_t)p < USER_TOP; }

/* Signals that do nothing: 0 (a check), and those whose default action is to ignore them. */
static long harmless_signal(long sig)
{
	static const long harmless[] = { 0, SIGCHLD, SIGCONT, SIGURG, SIGWINCH };
	return harmless[(uint64_t)sig % (sizeof(harmless) / sizeof(harmless[0]))];
}

/* Arguments the fuzzer cannot survive, made survivable (the file's comment says which). */
static void tame(long nr, long a[6])
{
	if (nr == SYS_rb_events && a[0] == RB_EVENTS_FRED_BARE)
		a[0] = RB_EVENTS_FRED;
	else if (nr == SYS_rt_sigaction && user_pointer(a[1]))
		a[1] = (long)KERNEL_VBASE;
	else if (nr == SYS_kill || nr == SYS_tkill)
		a[1] = harmless_signal(a[1]);
	else if (nr == SYS_tgkill)
		a[2] = harmless_signal(a[2]);
	if (nr == SYS_read || nr == SYS_pread64 || nr == SYS_readlink || nr == SYS_getdents64)
		hold(a[1], &a[2]);
	else if (nr == SYS_getrandom || nr == SYS_getcwd)
		hold(a[0], &a[1]);
	else if (nr == SYS_readlinkat)
		hold(a[2], &a[3]);
	if (nr == SYS_write && (a[0] == STDOUT_FILENO || a[0] == STDERR_FILENO)) {
		a[2] &= WRITE_CAP - 1;
		if ((uint64_t)a[1] >= USER_MIN && (uint64_t)a[1] < USER_TOP) /* show blanks, not app memory; the */
			a[1] = (long)(blanks + (uint64_t)a[1] % (sizeof(blanks) - WRITE_CAP)); /* hostile ones stay */
	} else if ((nr == SYS_close || nr == SYS_sendfile || nr == SYS_dup || nr == SYS_fcntl) &&
		   (uint64_t)a[0] < FIRST_FREE_FD) {
		a[0] += FIRST_FREE_FD;
	} else if (nr == SYS_dup2 || nr == SYS_dup3) {
		a[0] += (uint64_t)a[0] < FIRST_FREE_FD ? FIRST_FREE_FD : 0;
		a[1] += (uint64_t)a[1] < FIRST_FREE_FD ? FIRST_FREE_FD : 0;
	} else if (nr == SYS_writev && (uint64_t)a[1] >= USER_MIN && (uint64_t)a[1] < USER_TOP) {
		a[1] = (long)safe_iov;
		a[2] %= IOV_FUZZ + 1;
	} else if (nr == SYS_munmap || nr == SYS_mprotect || nr == SYS_madvise || nr == SYS_mremap ||
		   (nr == SYS_mmap && (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)))) {
		confine(&a[0], &a[1]);
		if (nr == SYS_mremap)
			confine(&a[4], &a[2]);
	} else if ((nr == SYS_nanosleep || nr == SYS_clock_nanosleep) && (uint64_t)a[nr == SYS_nanosleep ? 0 : 2] >= USER_MIN &&
		   (uint64_t)a[nr == SYS_nanosleep ? 0 : 2] < USER_TOP) {
		short_sleep = (struct timespec){ 0, (int64_t)(rnd() % SLEEP_MAX_NS) };
		a[nr == SYS_nanosleep ? 0 : 2] = (long)&short_sleep;
	}
}

static long one_call(struct tally *t)
{
	/* the scratch refilled from the seed (see the file's comment), and the stack's last word, which
	 * argument() offers as a hostile address that is writable */
	for (unsigned i = 0; i < sizeof(buffer) / sizeof(uint64_t); i++)
		((uint64_t *)buffer)[i] = rnd();
	*(volatile uint64_t *)(USER_STACK_TOP - 8) = rnd();
	long nr = number(), a[6];
	int d = door();
	for (int i = 0; i < 6; i++)
		a[i] = (long)argument();
	tame(nr, a);
	long r = nr == SYS_rb_bare ? bare_and_back(d, a[0]) : doors[d].raw(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	count(t, nr, a, r, d);
	return r;
}

/* The arena, and what the console calls may show: blanks. */
static int fuzz_setup(void)
{
	arena = (uint64_t)syscall_raw(SYS_mmap, 0, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < IOV_FUZZ; i++)
		safe_iov[i] = (struct linux_iovec){ (uint64_t)blanks, (uint64_t)i * 8 };
	if (arena >= USER_TOP) {
		printf("fuzz: no arena for the memory calls (mmap returned %ld)\n", (long)arena);
		return -1;
	}
	return 0;
}

/* ---- mode=sigreturn */

static struct linux_rt_sigframe frame_image;
static uint8_t frame_area[2 * 4096] __attribute__((aligned(16)));
static uint8_t fx_good[FXSAVE_SIZE] __attribute__((aligned(16)));
static uint8_t fx_bad[FXSAVE_SIZE] __attribute__((aligned(16)));
static uint64_t frame_sp;
static int frame_door;

static uint64_t pick(const uint64_t *choices, unsigned n) { return choices[rnd() % n]; }
#define PICK(...) pick((const uint64_t[]){ __VA_ARGS__ }, sizeof((const uint64_t[]){ __VA_ARGS__ }) / 8)

static void random_frame(void)
{
	extern char catch_recover[];
	struct linux_sigcontext *c = &frame_image.uc.mcontext;
	uint64_t *regs = &c->r8; /* r8 .. rsp: the 16 general registers */
	for (int i = 0; i < 16; i++)
		regs[i] = rnd();
	c->rip = PICK((uint64_t)catch_recover, (uint64_t)catch_recover, rnd(), 0, 1ull << 47, KERNEL_VBASE, USER_TOP - 1);
	c->rsp = PICK(rnd(), (uint64_t)(frame_area + sizeof(frame_area) / 2), USER_STACK_TOP - 8);
	c->eflags = rnd() & ~(uint64_t)RFLAGS_AC;
	c->cs = (uint16_t)PICK(SEL_UCODE, SEL_UCODE, SEL_UCODE, SEL_KCODE, rnd());
	c->ss = (uint16_t)PICK(SEL_UDATA, SEL_UDATA, SEL_UDATA_SYSEXIT, SEL_KDATA, rnd());
	uint32_t mxcsr = (uint32_t)rnd();
	memcpy(fx_bad, fx_good, sizeof(fx_bad));
	memcpy(fx_bad + FXSAVE_MXCSR, &mxcsr, sizeof(mxcsr));
	c->fpstate = PICK(0, (uint64_t)fx_good, (uint64_t)fx_bad, (uint64_t)fx_good + 8, KERNEL_VBASE, rnd());
	frame_image.uc.flags = rnd(), frame_image.uc.link = rnd();
	frame_image.uc.sigmask = rnd() & ~(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | SIGBIT(SIGFPE));
	frame_image.uc.stack = (struct linux_stack){ .sp = (uint64_t)alt_stack, .size = ALT_STACK_SIZE };
	/* the frame where rt_sigreturn expects it: 8 below RSP (a handler's ret popped pretcode) */
	frame_sp = (uint64_t)frame_area + 8 + (rnd() % 64) * 8;
	memcpy((void *)(frame_sp - 8), &frame_image, sizeof(frame_image));
	frame_door = door();
}

static void fire_frame(void) { sigreturn_at(frame_sp, frame_door); }

static int run_fuzz_sigreturn(uint64_t seed, uint64_t calls)
{
	uint64_t landed = 0, by_signal[LINUX_NSIG + 1] = { 0 };
	if (catch_install())
		return 2;
	__asm__ volatile("fxsave64 %0" : "=m"(fx_good));
	long faults_before = syscall_rb_kfaults();
	printf("fuzz: seed %lu, %lu random sigreturn frames through the served doors\n", seed, calls);
	for (uint64_t i = 0; i < calls; i++) {
		random_frame();
		caught = (struct caught){ 0 };
		if (catch_run(fire_frame) == 1)
			by_signal[caught.sig]++;
		else
			landed++;
	}
	long kernel_faults = syscall_rb_kfaults() - faults_before;
	printf("{\"type\":\"fuzz\",\"mode\":\"sigreturn\",\"seed\":%lu,\"calls\":%lu,\"landed\":%lu,\"signals\":{",
	       seed, calls, landed);
	for (int s = 1, first = 1; s <= LINUX_NSIG; s++)
		if (by_signal[s])
			printf("%s\"%d\":%lu", first ? "" : ",", s, by_signal[s]), first = 0;
	printf("},\"kernel_faults\":%ld}\n", kernel_faults);
	return kernel_faults ? 1 : 0;
}

int run_fuzz(int argc, char **argv)
{
	uint64_t seed = 1, calls = DEFAULT_CALLS;
	int sigreturn = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "mode=", 5) && (!strncmp(a + 5, "sigreturn", 10) || !strncmp(a + 5, "calls", 6)))
			sigreturn = a[5] == 's';
		else if (!strncmp(a, "seed=", 5) ? fmt_parse_u64(a + 5, &seed)
			 : strncmp(a, "calls=", 6) || fmt_parse_u64(a + 6, &calls)) {
			printf("fuzz: bad argument '%s' (expected mode=calls|sigreturn seed=N calls=N)\n", argv[i]);
			return 2;
		}
	}
	state = seed ? seed : 1;
	if (sigreturn)
		return run_fuzz_sigreturn(seed, calls);
	if (fuzz_setup())
		return 2;
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
