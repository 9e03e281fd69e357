/*
 * oneway.c: the one-way costs of a call, after the round trips ("bench ... oneway=N"; README, "Inside
 * one call"). For getpid through each door, plain and with each chosen defence, it switches in the
 * variant's stamped twin (EV_STAMP: the kernel reads the TSC at the door's first instruction and at the
 * last before its return instruction, entry/stamp.h) and times the call as the round trips are timed, so
 * that each sample has four readings: t0 before the stub, in and out in the kernel (rb_stamps), t3 after
 * it. Then
 *     user->kernel = in - t0,    kernel = out - in,    kernel->user = t3 - out,
 * each less the same span of the door's baseline, sel4bench's way: a copy of the door's stub with a NOP
 * of the same length in place of its door instruction and, right after it, the same two readings the
 * kernel makes, in ring 3 on the app's own area (<door>_nopdoor_stamped). What is left is the door
 * instruction's way in, the kernel's work between its readings, and the return instruction's way out,
 * with every reading's own cost measured and taken off. The same variant unstamped, in the same rounds,
 * gives the round trip (less <door>_nopdoor's pair) and what the stamps add to it (perturbation). Medians
 * throughout; a sample whose readings are out of order is dropped and counted.
 */
#include "bench.h"
#include "../entry/trapframe.h"

#define ONEWAY_ROUNDS 10 /* plain and stamped take turns, so a slow stretch hits both */

uint64_t oneway_iters = DEFAULT_ONEWAY;

static body_fn const getpid_of[NDOORS] = { syscall_getpid, int80_getpid, sysenter_getpid };
static body_fn const nopdoor_of[NDOORS] = { syscall_nopdoor, int80_nopdoor, sysenter_nopdoor };
static body_fn const nopdoor_stamped_of[NDOORS] = { syscall_nopdoor_stamped, int80_nopdoor_stamped,
						    sysenter_nopdoor_stamped };
struct percpu rb_user_stamps; /* what the stamped baselines' readings write (entry/stamp.h) */

enum { TO_KERNEL, KERNEL, TO_USER, STAMPED, PLAIN, NSERIES };
static uint64_t series[NSERIES][MAX_ONEWAY];

struct oneway {
	uint64_t n, rejected;
	uint64_t p50[NSERIES]; /* medians, nothing taken off */
};

static uint64_t median(uint64_t *v, uint64_t n)
{
	stats_sort(v, n);
	return stats_percentile(v, n, 50);
}

/* Four readings in order: the sample's three spans and its whole, appended to the series; else dropped. */
static void add_sample(struct oneway *o, uint64_t t0, uint64_t in, uint64_t out, uint64_t t3)
{
	if (!(t0 <= in && in <= out && out <= t3)) {
		o->rejected++;
		return;
	}
	series[TO_KERNEL][o->n] = in - t0;
	series[KERNEL][o->n] = out - in;
	series[TO_USER][o->n] = t3 - out;
	series[STAMPED][o->n++] = t3 - t0;
}

static void medians(struct oneway *o, uint64_t plain_n)
{
	o->p50[PLAIN] = median(series[PLAIN], plain_n);
	for (int s = TO_KERNEL; s <= STAMPED && o->n; s++)
		o->p50[s] = median(series[s], o->n);
}

/* The door's baselines: its stub with a NOP for the door, with the readings (the spans) and without. */
static void baseline(int door, struct oneway *b)
{
	*b = (struct oneway){ 0 };
	for (uint64_t i = 0; i < oneway_iters; i++) {
		uint64_t t0 = stamp_begin();
		timed_call(nopdoor_stamped_of[door]);
		uint64_t t3 = stamp_end();
		add_sample(b, t0, rb_user_stamps.last_in, rb_user_stamps.last_out, t3);
		t0 = stamp_begin();
		timed_call(nopdoor_of[door]);
		series[PLAIN][i] = stamp_end() - t0;
	}
	medians(b, oneway_iters);
}

/* One round's stamped samples of getpid through the door. */
static void stamped_samples(int door, uint64_t n, struct oneway *o)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t st[2];
		uint64_t t0 = stamp_begin();
		timed_call(getpid_of[door]);
		uint64_t t3 = stamp_end();
		syscall_rb_stamps((long)st);
		add_sample(o, t0, st[0], st[1], t3);
	}
}

/* The door with the variant id switched in, stamped and not, in turns. */
static void measure(int door, unsigned id, struct oneway *o)
{
	*o = (struct oneway){ 0 };
	for (uint64_t r = 0; r < ONEWAY_ROUNDS; r++) {
		uint64_t from = oneway_iters * r / ONEWAY_ROUNDS, n = oneway_iters * (r + 1) / ONEWAY_ROUNDS - from;
		syscall_rb_entry(id);
		sample(getpid_of[door], series[PLAIN] + from, n);
		syscall_rb_entry(id | RB_ENTRY_STAMPED);
		stamped_samples(door, n, o);
	}
	syscall_rb_entry(RB_ENTRY_PLAIN);
	medians(o, oneway_iters);
}

static void print_head(int door, unsigned id)
{
	printf("{\"type\":\"oneway\",\"path\":\"%s\",\"op\":\"getpid\",\"variant\":\"%s\",", doors[door].name,
	       variant_name(id));
}

static int64_t diff(uint64_t a, uint64_t b) { return (int64_t)(a - b); }

/* The record: the figures with the baseline's spans taken off (signed: a figure near zero may come out
 * below it), then the baseline's medians and the raw ones, so that a reader can redo the arithmetic. */
static void print_oneway(int door, unsigned id, const struct oneway *o, const struct oneway *b)
{
	int64_t in = diff(o->p50[TO_KERNEL], b->p50[TO_KERNEL]), k = diff(o->p50[KERNEL], b->p50[KERNEL]);
	int64_t out = diff(o->p50[TO_USER], b->p50[TO_USER]), rt = diff(o->p50[PLAIN], b->p50[PLAIN]);
	print_head(door, id);
	printf("\"supported\":true,\"samples\":%lu,\"rejected\":%lu,\"unit\":\"cycles\",\"to_kernel\":%ld,"
	       "\"kernel\":%ld,\"to_user\":%ld,\"round_trip\":%ld,\"round_trip_stamped\":%ld,\"perturbation\":%ld,",
	       o->n, o->rejected, in, k, out, rt, diff(o->p50[STAMPED], b->p50[STAMPED]),
	       diff(o->p50[STAMPED], o->p50[PLAIN]));
	for (int w = 0; w < 2; w++) {
		const struct oneway *x = w ? o : b;
		printf("\"%s\":{\"to_kernel\":%lu,\"kernel\":%lu,\"to_user\":%lu,\"round_trip\":%lu,"
		       "\"round_trip_stamped\":%lu}%s", w ? "raw" : "baseline", x->p50[TO_KERNEL], x->p50[KERNEL],
		       x->p50[TO_USER], x->p50[PLAIN], x->p50[STAMPED], w ? "}\n" : ",");
	}
	printf("oneway: %-8s %-20s user->kernel %5ld  kernel %5ld  kernel->user %5ld  (round trip %ld)\n",
	       doors[door].name, variant_name(id), in, k, out, rt);
}

static void print_unsupported(int door, unsigned id, const char *why)
{
	print_head(door, id);
	printf("\"supported\":false,\"reason\":\"%s\"}\n", why);
}

/* The variants to split: plain and every chosen one the doors can switch to (audit has its own call and
 * no defence to split), in the order of the bench's paths. */
static unsigned chosen_variants(const struct variant **out)
{
	static const struct variant plain = { RB_ENTRY_PLAIN, "" };
	unsigned n = 0;
	out[n++] = &plain;
	for (unsigned i = 0; i < npaths; i++) {
		const struct variant *v = paths[i].variant;
		if (!v || v->id == RB_ENTRY_AUDIT || out[n - 1] == v)
			continue;
		out[n++] = v;
	}
	return n;
}

void run_oneway(void)
{
	const struct variant *vs[RB_ENTRY_COUNT];
	unsigned nv = chosen_variants(vs);
	if (!oneway_iters)
		return;
	printf("oneway: getpid through each door, %u variant%s, %lu samples each\n", nv, nv == 1 ? "" : "s",
	       oneway_iters);
	for (int d = 0; d < NDOORS; d++) {
		struct oneway b, o;
		if (door_served(d))
			baseline(d, &b);
		for (unsigned i = 0; i < nv; i++) {
			if (!door_served(d) || vs[i]->why[0] || vs[i]->id == VARIANT_FRED) {
				print_unsupported(d, vs[i]->id, !door_served(d) ? door_unserved_why(d) : vs[i]->why[0]
						  ? vs[i]->why : "the stamps are in the legacy doors' stubs; FRED's entry is one "
								 "for every door");
				continue;
			}
			measure(d, vs[i]->id, &o);
			if (!o.n || !b.n)
				print_unsupported(d, vs[i]->id, "every stamped sample's readings were out of order");
			else
				print_oneway(d, vs[i]->id, &o, &b);
		}
	}
}
