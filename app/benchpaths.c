/*
 * benchpaths.c: what the benchmark measures, and the arguments that choose it: the paths (each a body
 * called through the same pointer, with the door and the entry variant it needs), the entry variants the
 * kernel can switch in, and why a path cannot run here. bench.c measures the chosen paths[].
 */
#include "bench.h"
#include "caught.h"
#include "host.h"

static long body_call(void) { return 0; }

/* The clock calls three ways: through a door, through the vDSO, through the legacy vsyscall page */
static struct timespec bench_ts;
static struct linux_timeval bench_tv;
static uint32_t bench_cpu;
static long body_clock(void) { return syscall_clock_gettime(CLOCK_MONOTONIC, (long)&bench_ts); }
static long body_clock_int80(void) { return int80_clock_gettime(CLOCK_MONOTONIC, (long)&bench_ts); }
static long body_clock_sysenter(void) { return sysenter_clock_gettime(CLOCK_MONOTONIC, (long)&bench_ts); }
static long body_gtod(void) { return syscall_gettimeofday((long)&bench_tv, 0); }
static long body_time(void) { return syscall_time(0); }
static long body_getcpu(void) { return syscall_getcpu((long)&bench_cpu, 0, 0); }
static long body_vdso(void) { return vdso_clock_gettime(CLOCK_MONOTONIC, (long)&bench_ts); }
static long body_vdso_gtod(void) { return vdso_gettimeofday((long)&bench_tv, 0); }
static long body_vdso_time(void) { return vdso_time(0); }
static long body_vdso_getcpu(void) { return vdso_getcpu((long)&bench_cpu, 0); }
#define VSYSCALL(i) ((long (*)(long, long))(VSYSCALL_ADDR + (i) * 1024))
static long body_vsys_gtod(void) { return VSYSCALL(0)((long)&bench_tv, 0); }
static long body_vsys_time(void) { return VSYSCALL(1)(0, 0); }
static long body_vsys_getcpu(void) { return VSYSCALL(2)((long)&bench_cpu, 0); }
static long body_cpuid(void)
{
	uint32_t a = 0, b, c, d;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	return a;
}

#define NVARIANTS (RB_ENTRY_COUNT - 1 + 1)
static struct variant variants[NVARIANTS]; /* every id but plain, then FRED */

static const struct path base_paths[] = {
	{ "call", "empty_function", body_call, NO_DOOR, 0, 0 },
	{ "syscall", "getpid", syscall_getpid, DOOR_SYSCALL, 0, 0 },
	{ "int80", "getpid", int80_getpid, DOOR_INT80, 0, 0 },
	{ "sysenter", "getpid", sysenter_getpid, DOOR_SYSENTER, 0, 0 },
	{ "syscall_bare", "getpid", syscall_getpid, DOOR_SYSCALL, 1, 0 },
	{ "int80_bare", "getpid", int80_getpid, DOOR_INT80, 1, 0 },
	{ "sysenter_bare", "getpid", sysenter_getpid, DOOR_SYSENTER, 1, 0 },
	{ "syscall", "clock_gettime", body_clock, DOOR_SYSCALL, 0, 0 },
	{ "int80", "clock_gettime", body_clock_int80, DOOR_INT80, 0, 0 },
	{ "sysenter", "clock_gettime", body_clock_sysenter, DOOR_SYSENTER, 0, 0 },
	{ "vdso", "clock_gettime", body_vdso, NO_DOOR, 0, 0 },
	{ "syscall", "gettimeofday", body_gtod, DOOR_SYSCALL, 0, 0 },
	{ "vdso", "gettimeofday", body_vdso_gtod, NO_DOOR, 0, 0 },
	{ "vsyscall", "gettimeofday", body_vsys_gtod, NO_DOOR, 0, 0 },
	{ "syscall", "time", body_time, DOOR_SYSCALL, 0, 0 },
	{ "vdso", "time", body_vdso_time, NO_DOOR, 0, 0 },
	{ "vsyscall", "time", body_vsys_time, NO_DOOR, 0, 0 },
	{ "syscall", "getcpu", body_getcpu, DOOR_SYSCALL, 0, 0 },
	{ "vdso", "getcpu", body_vdso_getcpu, NO_DOOR, 0, 0 },
	{ "vsyscall", "getcpu", body_vsys_getcpu, NO_DOOR, 0, 0 },
	{ "cpuid", "leaf_0", body_cpuid, NO_DOOR, 0, 0 },
};
#define NBASE (sizeof(base_paths) / sizeof(base_paths[0]))
#define DOOR_PATHS 1 /* base_paths[1 .. 1 + NDOORS): getpid through each door, repeated per variant */
#define SYSCALL_BARE (DOOR_PATHS + NDOORS) /* base_paths[SYSCALL_BARE]: FRED's bare round trip too */
_Static_assert(NBASE + NVARIANTS * NDOORS + 1 <= MAX_PATHS, "paths[] and results[] hold every path");

struct path paths[MAX_PATHS]; /* the chosen base paths, then each chosen variant's door paths */
unsigned npaths;

/* Linux serves int 0x80 from 64-bit code with its 32-bit table: getpid is 20 there, and int 0x80 clobbers
 * r8-r11 (caller-saved: this is called as a C function). */
long int80_ia32_getpid(void);
__asm__(".text\n.type int80_ia32_getpid, @function\nint80_ia32_getpid:\n\tmovl $20, %eax\n\tint $0x80\n\tret\n"
	".size int80_ia32_getpid, . - int80_ia32_getpid\n");

/* Why a path cannot run on a kernel that is not ringbench's (Linux), or 0 when it can. */
static const char *not_on_linux(const struct path *p)
{
	if (p->bare)
		return "needs ringbench's kernel: Linux has no bare doors";
	if (p->variant)
		return "needs ringbench's kernel: Linux has no entry variants to switch in";
	if (p->door == DOOR_INT80 && p->body != int80_ia32_getpid)
		return "Linux's int 0x80 from 64-bit code is its 32-bit ABI: only getpid (number 20) is measured there";
	return 0;
}

/* Why a path cannot run here, or 0 when it can. */
const char *unsupported(const struct path *p)
{
	const char *why = on_ringbench() ? 0 : not_on_linux(p);
	if (why)
		return why;
	if (p->door != NO_DOOR && !door_served(p->door))
		return door_unserved_why(p->door);
	bool vdso_clock = p->body == body_vdso || p->body == body_vdso_gtod || p->body == body_vdso_time;
	bool vdso = vdso_clock || p->body == body_vdso_getcpu;
	if (vdso && !vdso_base)
		return "the kernel maps no vDSO (no AT_SYSINFO_EHDR)";
	if (vdso_clock && on_ringbench() && !(time_page && time_page->usable))
		return "the vDSO's clock is not usable (it falls back to the syscall): no invariant TSC "
		       "(vdso = on in the configuration vouches for one)";
	bool vsyscall = p->body == body_vsys_gtod || p->body == body_vsys_time || p->body == body_vsys_getcpu;
	if (vsyscall && !vsyscall_served())
		return "the legacy vsyscall page is not served here (vsyscall = none)";
	if (p->variant && p->variant->why[0])
		return p->variant->why;
	return 0;
}

const char *variant_name(unsigned id) { return id == VARIANT_FRED ? "fred" : rb_entry_name(id); }

/* Every variant but plain, and why it cannot run here (the kernel's word: rb_entry_why, rb_events_why). */
static void list_variants(void)
{
	for (unsigned i = 0; i < NVARIANTS; i++) {
		struct variant *v = &variants[i];
		v->id = i + 1;
		long r = !on_ringbench() ? 0 /* not_on_linux says why */
			 : v->id == VARIANT_FRED ? syscall_rb_events_why((long)v->why, sizeof(v->why))
						 : syscall_rb_entry_why(v->id, (long)v->why, sizeof(v->why));
		if (r < 0)
			fmt_snprintf(v->why, sizeof(v->why), "the kernel gave no reason");
	}
}

/* The next word of a comma-separated list: sets *word and returns its length, moving *list past it. */
static unsigned next_word(const char **list, const char **word)
{
	unsigned n = 0;
	*word = *list;
	while ((*list)[n] && (*list)[n] != ',')
		n++;
	*list += n + ((*list)[n] == ',');
	return n;
}

/* Set bit i of *mask for each name[i] in the comma-separated list; an unknown word is an error. */
static int parse_names(const char *what, const char *list, const char *const *names, unsigned n, unsigned *mask)
{
	const char *w;
	*mask = 0;
	while (*list) {
		unsigned len = next_word(&list, &w), found = 0;
		for (unsigned i = 0; i < n; i++)
			if (strlen(names[i]) == len && !strncmp(names[i], w, len))
				*mask |= 1u << i, found = 1;
		if (!found) {
			printf("bench: unknown %s '", what);
			for (unsigned k = 0; k < len; k++)
				printf("%c", w[k]); /* the word alone, not the rest of the list */
			printf("'; %ss:", what);
			for (unsigned i = 0; i < n; i++)
				if (!i || strncmp(names[i], names[i - 1], 16))
					printf(" %s", names[i]);
			printf("\n");
			return -1;
		}
	}
	return 0;
}

/* paths=a,b,c: the named base paths (by name, which covers both ops of "syscall"). */
static int parse_paths(const char *list, unsigned *mask)
{
	const char *names[NBASE];
	for (unsigned i = 0; i < NBASE; i++)
		names[i] = base_paths[i].name;
	return parse_names("path", list, names, NBASE, mask);
}

/* variants=a,b: the entry variants whose door paths run too (variants= alone: none). */
static int parse_variants(const char *list, unsigned *mask)
{
	const char *names[NVARIANTS];
	for (unsigned i = 0; i < NVARIANTS; i++)
		names[i] = variant_name(variants[i].id);
	return parse_names("variant", list, names, NVARIANTS, mask);
}

#define MODE_SAMPLE 1
#define MODE_BATCH 2

/* modes=sample,batch: which modes run (a mode left out gets no iterations). */
static int parse_modes(const char *list, unsigned *modes)
{
	static const char *const names[] = { "sample", "batch" };
	return parse_names("mode", list, names, 2, modes) || !*modes ? -1 : 0;
}

/* paths[]: the chosen base paths, then getpid through each chosen door once per chosen variant (and for
 * FRED its bare round trip, where the bare syscall door is chosen). */
static void choose_paths(unsigned path_mask, unsigned variant_mask)
{
	npaths = 0;
	for (unsigned i = 0; i < NBASE; i++)
		if (path_mask & (1u << i)) {
			paths[npaths] = base_paths[i];
			if (!on_ringbench() && paths[npaths].body == int80_getpid) /* Linux's 32-bit table */
				paths[npaths].body = int80_ia32_getpid;
			npaths++;
		}
	for (unsigned v = 0; v < NVARIANTS; v++)
		for (unsigned d = DOOR_PATHS; (variant_mask & (1u << v)) && d < DOOR_PATHS + NDOORS; d++)
			if (path_mask & (1u << d)) {
				paths[npaths] = base_paths[d];
				paths[npaths++].variant = &variants[v];
			}
	const struct variant *fred = &variants[VARIANT_FRED - 1];
	if ((variant_mask & (1u << (VARIANT_FRED - 1))) && (path_mask & (1u << SYSCALL_BARE))) {
		paths[npaths] = base_paths[SYSCALL_BARE];
		paths[npaths++].variant = fred;
	}
}

/* The arguments after "bench" (the defaults in *iters, *nbatch, *warmup): sets paths[] and the counts;
 * 0, or 2 (the app's exit status) after saying what is wrong. */
int bench_choose(int argc, char **argv, uint64_t *iters, uint64_t *nbatch, uint64_t *warmup)
{
	list_variants();
	unsigned path_mask = (1u << NBASE) - 1, variant_mask = (1u << NVARIANTS) - 1, modes = MODE_SAMPLE | MODE_BATCH;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "iters=", 6) ? fmt_parse_u64(a + 6, iters)
		    : !strncmp(a, "batch=", 6) ? fmt_parse_u64(a + 6, nbatch)
		    : !strncmp(a, "warmup=", 7) ? fmt_parse_u64(a + 7, warmup)
		    : !strncmp(a, "oneway=", 7) ? fmt_parse_u64(a + 7, &oneway_iters) || oneway_iters > MAX_ONEWAY
		    : !strncmp(a, "modes=", 6) ? parse_modes(a + 6, &modes)
		    : !strncmp(a, "variants=", 9) ? parse_variants(a + 9, &variant_mask)
		    : strncmp(a, "paths=", 6) || parse_paths(a + 6, &path_mask)) {
			printf("bench: bad argument '%s' (expected iters=N batch=N warmup=N oneway=N (at most %u) "
			       "paths=a,b variants=a,b modes=sample,batch)\n", a, MAX_ONEWAY);
			return 2;
		}
	}
	*iters = modes & MODE_SAMPLE ? *iters : 0;
	*nbatch = modes & MODE_BATCH ? *nbatch : 0;
	choose_paths(path_mask, variant_mask);
	if (!npaths || *iters > SAMPLE_POOL / npaths || (!*iters && !*nbatch)) {
		printf("bench: iters x paths must be at most %u (here %lu x %u), and something must run\n", SAMPLE_POOL,
		       *iters, npaths);
		return 2;
	}
	return 0;
}
