/*
 * bench.h: what the benchmark's parts share: the paths and the arguments that choose them (benchpaths.c),
 * the measuring (bench.c), the JSON records and the tables (benchprint.c).
 */
#ifndef RINGBENCH_BENCH_H
#define RINGBENCH_BENCH_H
#include "app.h"
#include "probe.h"
#include "../lib/stats.h"

#define MAX_PATHS 96 /* every base path and each variant's door paths: benchpaths.c asserts they fit */
#define SAMPLE_POOL (1u << 21) /* samples kept, all paths together: iters x paths at most */
#define NO_DOOR (-1)

typedef long (*body_fn)(void);

/* An entry variant the kernel can switch the doors to (rb_entry; rb_audit for audit), measured with
 * getpid through each door. Every variant is switched in for its own rows and plain put back after. */
struct variant {
	unsigned id; /* RB_ENTRY_* */
	char why[DETAIL_MAX]; /* why it cannot run here ("" when it can), from rb_entry_why */
};

struct path {
	const char *name, *op;
	body_fn body;
	int door, bare; /* the door it goes through (NO_DOOR: none); bare: with that door's bare entry */
	const struct variant *variant; /* with this entry variant switched in; NULL: the plain stubs */
};

struct result {
	int supported;
	struct summary s;    /* per-call samples, timer overhead subtracted */
	uint64_t best_p50;   /* the lowest of its rounds' p50s (overhead subtracted): the quietest round's */
	uint64_t batch_cycles, batch_calls;
	uint64_t batch_x100; /* batched: mean cycles per call, times 100 */
};

extern struct path paths[MAX_PATHS];
extern unsigned npaths;
extern struct result results[MAX_PATHS];
extern uint32_t hist[STATS_NBINS]; /* the path just finished */
extern uint64_t overhead;
extern uint64_t tsc_step;

/* benchpaths.c */
int bench_choose(int argc, char **argv, uint64_t *iters, uint64_t *nbatch, uint64_t *warmup); /* 0, or 2 */
const char *unsupported(const struct path *p); /* why a path cannot run here, or NULL */

/* benchprint.c */
void print_record(const struct path *p, const struct result *r, uint64_t iters, uint64_t nbatch);
void print_table(void);
#endif
