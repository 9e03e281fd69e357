/*
 * benchprint.c: the benchmark's output: one "bench" JSON record per path and mode (or the reason it could
 * not run), and the table a person reads: the plain paths with their ratios, then the entry variants as
 * a matrix of door x variant.
 */
#include "bench.h"
#include "host.h"
#include "../lib/x86.h"

static void print_fixed2(const char *label, uint64_t x100) /* x100 as a number with two decimals */
{
	printf("%s%lu.%02lu", label, x100 / 100, x100 % 100);
}

/* The start of a bench record: which path, and which entry variant if not the plain one. */
static void print_path(const struct path *p)
{
	printf("{\"type\":\"bench\",\"kernel\":\"%s\",\"path\":\"%s\",\"op\":\"%s\",",
	       on_ringbench() ? "ringbench" : "linux", p->name, p->op);
	if (p->variant)
		printf("\"variant\":\"%s\",", variant_name(p->variant->id));
}

static void print_head(const struct path *p, const char *mode, uint64_t iters)
{
	print_path(p);
	printf("\"mode\":\"%s\",\"supported\":true,\"iters\":%lu,\"unit\":\"cycles\",", mode, iters);
}

static void print_samples(const struct path *p, const struct result *r, uint64_t iters)
{
	print_head(p, "sample", iters);
	printf("\"min\":%lu,\"p50\":%lu,\"p50_best_round\":%lu,\"p90\":%lu,\"p99\":%lu,\"max\":%lu,", r->s.min,
	       r->s.p50, r->best_p50, r->s.p90, r->s.p99, r->s.max);
	print_fixed2("\"mean\":", r->s.mean_x100);
	printf(",\"overhead\":%lu,\"tsc_step\":%lu,\"hist\":[", overhead, tsc_step);
	const char *sep = "";
	for (unsigned b = 0; b < STATS_NBINS; b++)
		if (hist[b]) {
			printf("%s[%lu,%u]", sep, stats_bin_low(b), hist[b]);
			sep = ",";
		}
	printf("]}\n");
}

/* The CPU's counters per call over the batches, or why there are none. */
static void print_pmu(const struct result *r)
{
	static const char *const names[PMU_COUNTERS] = PMU_NAMES;
	if (!pmu.present) {
		printf(",\"counters\":{\"supported\":false,\"reason\":\"%s\"}", pmu.why);
		return;
	}
	printf(",\"counters\":{\"supported\":true");
	for (unsigned c = 0; c < PMU_COUNTERS; c++)
		if (pmu.present >> c & 1) {
			printf(",\"%s\":", names[c]);
			print_fixed2("", r->batch_calls ? r->counted[c] * 100 / r->batch_calls : 0);
		}
	printf("}");
}

static void print_batch(const struct path *p, const struct result *r, uint64_t nbatch)
{
	print_head(p, "batch", nbatch);
	print_fixed2("\"mean\":", r->batch_x100);
	printf(",\"overhead\":%lu", overhead);
	print_pmu(r);
	printf("}\n");
}

/* The path's bench records: one per mode that ran, or the reason it could not run. */
void print_record(const struct path *p, const struct result *r, uint64_t iters, uint64_t nbatch)
{
	if (!r->supported) {
		print_path(p);
		printf("\"supported\":false,\"reason\":\"%s\"}\n", unsupported(p));
		return;
	}
	if (iters)
		print_samples(p, r, iters);
	if (nbatch)
		print_batch(p, r, nbatch);
}

/* x100 = a / b * 100, rounded as the report rounds it, or 0 when b is 0 (printed as "-"). */
static uint64_t ratio_x100(uint64_t a, uint64_t b) { return b ? (a * 100 + b / 2) / b : 0; }

static void print_ratio(uint64_t x100)
{
	if (x100)
		printf("%5lu.%02lu", x100 / 100, x100 % 100);
	else
		printf("%8s", "-");
}

static const char *accelerator(void)
{
	uint32_t r[4];
	cpuid(CPUID_FEATURES, 0, r);
	if (!(r[2] & CPUID1_ECX_HYPERVISOR))
		return "bare metal";
	cpuid(CPUID_HV_BASE, 0, r);
	const char *sig = (const char *)(r + 1); /* EBX ECX EDX */
	if (!memcmp(sig, CPUID_HV_TCG, 12))
		return "QEMU TCG: emulation costs, not hardware costs";
	if (!memcmp(sig, CPUID_HV_KVM, sizeof(CPUID_HV_KVM) - 1))
		return "KVM guest";
	return "a hypervisor";
}

/* The measured plain path with this name and op, or -1. */
static int index_of(const char *name, const char *op)
{
	for (unsigned i = 0; i < npaths; i++)
		if (!paths[i].variant && !strncmp(paths[i].name, name, 16) && !strncmp(paths[i].op, op, 16))
			return results[i].supported ? (int)i : -1;
	return -1;
}

/* Best-round p50 of path i over that of path j, times 100; 0 (printed "-") when either is missing. */
static uint64_t p50_ratio(unsigned i, int j)
{
	return j >= 0 && (unsigned)j != i ? ratio_x100(results[i].best_p50, results[j].best_p50) : 0;
}

/* One plain path's row of the table. */
static void print_row(unsigned i, int call, uint64_t hz)
{
	const struct path *p = &paths[i];
	const struct result *r = &results[i];
	const char *label = p->name;
	if (!r->supported) {
		printf("%-14s %-15s unsupported: %s\n", label, p->op, unsupported(p));
		return;
	}
	int bare = -1;
	if (p->door != NO_DOOR && !p->bare && !strncmp(p->op, "getpid", 7)) {
		char name[24];
		fmt_snprintf(name, sizeof(name), "%s_bare", doors[p->door].name);
		bare = index_of(name, "getpid");
	}
	uint64_t ns_x10 = hz ? r->s.p50 * 10000000000ull / hz : 0;
	if (r->s.n)
		printf("%-14s %-15s %8lu %8lu %8lu %7lu.%lu ", label, p->op, r->s.p50, r->best_p50, r->s.p99, ns_x10 / 10,
		       ns_x10 % 10);
	else
		printf("%-14s %-15s %8s %8s %8s %9s ", label, p->op, "-", "-", "-", "-");
	print_ratio(p50_ratio(i, call));
	printf("  ");
	print_ratio(p50_ratio(i, bare));
	print_fixed2("  ", r->batch_x100);
	printf("\n");
}

/* The variant rows as a matrix, one line per variant: the best-round p50 per door and its ratio to the plain
 * door. */
static void print_variants(void)
{
	const struct variant *last = 0;
	printf("\n%-12s", "variant");
	for (int d = 0; d < NDOORS; d++)
		printf(" %9s %8s", doors[d].name, "x plain");
	for (unsigned i = 0; i < npaths; i++) {
		const struct path *p = &paths[i];
		if (!p->variant || p->variant == last)
			continue;
		last = p->variant;
		printf("\n%-12s", variant_name(p->variant->id));
		if (p->variant->why[0]) {
			printf(" unsupported: %s", p->variant->why);
			continue;
		}
		for (unsigned j = i; j < npaths && paths[j].variant == last && !paths[j].bare; j++) {
			if (!results[j].supported) {
				printf(" %9s %8s", "-", "-");
				continue;
			}
			printf(" %9lu ", results[j].best_p50);
			print_ratio(p50_ratio(j, index_of(paths[j].name, "getpid")));
		}
	}
	printf("\n");
}

void print_table(void)
{
	uint64_t hz = on_ringbench() ? (uint64_t)syscall_rb_tsc_hz() : host_tsc_hz();
	/* On a page of its own on the screen (the form feed), the title one line, short enough not to wrap;
	 * README says the rest: every ratio compares the "best" column, each path's quietest round. */
	printf("\n\fringbench latency, TSC cycles at %lu Hz, tick %lu (%s), less overhead %lu\n", hz, tsc_step,
	       accelerator(), overhead);
	printf("%-14s %-15s %8s %8s %8s %9s %8s %9s %8s\n", "path", "op", "p50", "best", "p99", "p50 ns", "x call",
	       "real/bare", "batch");
	for (unsigned i = 0; i < npaths; i++)
		if (!paths[i].variant)
			print_row(i, index_of("call", "empty_function"), hz);
	print_variants();
}
