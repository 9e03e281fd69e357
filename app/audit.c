/*
 * audit.c: the kernel's syscall audit log and call counters as the app sees them: "app.elf audit" prints
 * both as tables and JSON lines, and the self-tests hold the log to its contract (records in order with
 * door, number, arguments and result; a full ring counts what it dropped; a bad buffer loses nothing).
 */
#include "app.h"
#include "probe.h"
#include "../lib/errno.h"


static struct rb_audit_record log[RB_AUDIT_RING];

static const char *call_name(uint64_t nr)
{
	switch (nr) {
#define NAME(nr, name, nargs, handler) \
	case nr:                       \
		return #name;
		SYSCALL_LIST(NAME)
	default:
		return "(none)";
	}
}

static const char *door_name(uint32_t bit)
{
	for (int d = 0; d < NDOORS; d++)
		if (doors[d].bit == bit)
			return doors[d].name;
	return "?";
}

/* Take everything from the ring; returns the records copied (or a negative errno) and sets *dropped. */
static long drain(uint64_t *dropped) { return syscall_rb_audit_read((long)log, RB_AUDIT_RING, (long)dropped); }

static void print_log(long n, uint64_t dropped)
{
	printf("%6s %16s %-8s %5s %-14s %14s %14s %14s %6s\n", "seq", "tsc", "door", "nr", "call", "arg0 (hex)",
	       "arg1 (hex)", "arg2 (hex)", "ret");
	for (long i = 0; i < n; i++) {
		const struct rb_audit_record *r = &log[i];
		printf("%6lu %16lu %-8s %5lu %-14s %14lx %14lx %14lx %6ld\n", r->seq, r->tsc, door_name(r->door), r->nr,
		       call_name(r->nr), r->args[0], r->args[1], r->args[2], r->ret);
	}
	for (long i = 0; i < n; i++) {
		const struct rb_audit_record *r = &log[i];
		printf("{\"type\":\"audit\",\"seq\":%lu,\"tsc\":%lu,\"door\":\"%s\",\"nr\":%lu,\"call\":\"%s\","
		       "\"args\":[%lu,%lu,%lu],\"ret\":%ld}\n", r->seq, r->tsc, door_name(r->door), r->nr,
		       call_name(r->nr), r->args[0], r->args[1], r->args[2], r->ret);
	}
	printf("audit: %ld records, %lu dropped\n", n, dropped);
}

static uint64_t counts[NR_SYSCALLS + 1];

/* The kernel's per-call counters: every slot called at least once, and the out-of-range numbers. */
void print_counters(void)
{
	syscall_rb_counters((long)counts, NR_SYSCALLS + 1);
	printf("%-14s %5s %12s\n", "call", "nr", "calls");
	for (unsigned nr = 0; nr <= NR_SYSCALLS; nr++)
		if (counts[nr])
			printf("%-14s %5u %12lu\n", nr == NR_SYSCALLS ? "(out of range)" : call_name(nr), nr, counts[nr]);
	printf("{\"type\":\"counters\",\"calls\":{");
	const char *sep = "";
	for (unsigned nr = 0; nr < NR_SYSCALLS; nr++)
		if (counts[nr])
			printf("%s\"%u\":%lu", sep, nr, counts[nr]), sep = ",";
	printf("},\"out_of_range\":%lu}\n", counts[NR_SYSCALLS]);
}

/* A few calls through every served door, as the log records them. */
static void sample_calls(void)
{
	struct timespec ts;
	for (int d = 0; d < NDOORS; d++)
		if (door_served(d)) {
			doors[d].raw(SYS_getpid, 0, 0, 0, 0, 0, 0);
			doors[d].raw(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0, 0);
			doors[d].raw(SYS_write, 7, 0, 0, 0, 0, 0);
			doors[d].raw(RB_NR_UNUSED, 1, 2, 3, 0, 0, 0);
		}
}

/* "app.elf audit": audit a few calls through every door, then print the log and the counters. */
int run_audit(void)
{
	uint64_t dropped;
	door_served(DOOR_SYSCALL); /* asks the kernel once: not a call to log */
	flush();                   /* nothing of printf's between on and off: its write would be logged too */
	drain(&dropped);
	long was = syscall_rb_audit(RB_AUDIT_ON);
	sample_calls();
	syscall_rb_audit(RB_AUDIT_OFF);
	long n = drain(&dropped);
	if (was < 0 || n < 0) {
		printf("audit: the kernel refused: rb_audit %ld, rb_audit_read %ld\n", was, n);
		return 1;
	}
	print_log(n, dropped);
	print_counters();
	return 0;
}

/* Empty the ring and turn auditing on; -1 (the test is skipped) when a defence variant is in, whose
 * stubs have no audit hook (rb_audit is -EBUSY then). */
static int audit_begin(long mode, char *detail)
{
	uint64_t dropped;
	syscall_rb_audit(RB_AUDIT_OFF); /* it may be on from the start (entry = audit) */
	drain(&dropped);
	if (syscall_rb_audit(mode) != -EBUSY)
		return 0;
	fmt_snprintf(detail, DETAIL_MAX, "skipped: a defence entry variant is in, and auditing needs the plain stubs");
	return -1;
}

/* One expected record. */
struct want {
	uint32_t door;
	uint64_t nr, a0;
	long ret;
};

static int check_log(long n, const struct want *w, long nw, char *detail)
{
	if (n != nw) {
		fmt_snprintf(detail, DETAIL_MAX, "%ld records, expected %ld", n, nw);
		return 0;
	}
	for (long i = 0; i < n; i++) {
		const struct rb_audit_record *r = &log[i];
		if (r->door != w[i].door || r->nr != w[i].nr || r->args[0] != w[i].a0 || r->ret != w[i].ret ||
		    r->seq != log[0].seq + (uint64_t)i || (i && r->tsc < log[i - 1].tsc)) {
			fmt_snprintf(detail, DETAIL_MAX, "record %ld: seq %lu door %u nr %lu arg0 %lu ret %ld", i, r->seq,
				     r->door, r->nr, r->args[0], r->ret);
			return 0;
		}
	}
	return 1;
}

/* Calls through each door are recorded in order with the right door, number, argument and result; the
 * call that turns auditing off is the last record, the one that turned it on is not in the log. */
int audit_records_calls(char *detail)
{
	struct want w[3 * NDOORS + 1];
	long nw = 0;
	uint64_t dropped;
	if (audit_begin(RB_AUDIT_ON, detail))
		return -1;
	for (int d = 0; d < NDOORS; d++) {
		if (!door_served(d))
			continue;
		long pid = doors[d].raw(SYS_getpid, 0, 0, 0, 0, 0, 0);
		long badfd = doors[d].raw(SYS_write, 7, 0, 0, 0, 0, 0);
		long none = doors[d].raw(RB_NR_UNUSED, 11, 0, 0, 0, 0, 0);
		w[nw++] = (struct want){ (uint32_t)doors[d].bit, SYS_getpid, 0, pid };
		w[nw++] = (struct want){ (uint32_t)doors[d].bit, SYS_write, 7, badfd };
		w[nw++] = (struct want){ (uint32_t)doors[d].bit, RB_NR_UNUSED, 11, none };
	}
	long was = syscall_rb_audit(RB_AUDIT_OFF);
	w[nw++] = (struct want){ RB_DOOR_SYSCALL, SYS_rb_audit, RB_AUDIT_OFF, RB_AUDIT_ON };
	long n = drain(&dropped);
	if (!check_log(n, w, nw, detail))
		return 0;
	fmt_snprintf(detail, DETAIL_MAX, "%ld records in order, seq %lu..%lu, dropped %lu, rb_audit(off) returned %ld",
		     n, log[0].seq, log[n - 1].seq, dropped, was);
	return was == RB_AUDIT_ON && dropped == 0 && w[0].ret == 1 && w[1].ret == -EBADF && w[2].ret == -ENOSYS;
}

/* Fill the ring past its size: ON keeps the first RB_AUDIT_RING records and counts the rest as dropped;
 * OVERWRITE keeps the last ones and counts the overwritten. -1: skipped (see audit_begin). */
static int overflow(long mode, long extra, long *n, uint64_t *dropped, char *detail)
{
	if (audit_begin(mode, detail))
		return -1;
	for (long i = 0; i < RB_AUDIT_RING + extra - 1; i++)
		syscall_getpid();
	syscall_rb_audit(RB_AUDIT_OFF); /* the last call audited */
	*n = drain(dropped);
	return *n == RB_AUDIT_RING && *dropped == (uint64_t)extra && log[RB_AUDIT_RING - 1].seq - log[0].seq ==
		RB_AUDIT_RING - 1;
}

int audit_ring_full_drops(char *detail)
{
	const long extra = 37;
	long n_on, n_over;
	uint64_t d_on, d_over;
	int ok_on = overflow(RB_AUDIT_ON, extra, &n_on, &d_on, detail);
	if (ok_on < 0)
		return -1;
	ok_on = ok_on && log[RB_AUDIT_RING - 1].nr == SYS_getpid;
	int ok_over = overflow(RB_AUDIT_OVERWRITE, extra, &n_over, &d_over, detail) > 0 &&
		      log[RB_AUDIT_RING - 1].nr == SYS_rb_audit;
	fmt_snprintf(detail, DETAIL_MAX, "%ld calls into %d slots: on kept %ld dropped %lu; overwrite kept %ld "
		     "overwrote %lu", RB_AUDIT_RING + extra, RB_AUDIT_RING, n_on, d_on, n_over, d_over);
	return ok_on && ok_over;
}

/* A bad record buffer or dropped pointer gets -EFAULT, and every record is still there for a good read. */
int audit_bad_buffer_keeps_records(char *detail)
{
	uint64_t dropped;
	if (audit_begin(RB_AUDIT_ON, detail))
		return -1;
	for (int i = 0; i < 5; i++)
		syscall_getpid();
	syscall_rb_audit(RB_AUDIT_OFF);
	long kernel = syscall_rb_audit_read((long)KERNEL_VBASE, RB_AUDIT_RING, (long)&dropped);
	long null = syscall_rb_audit_read(0, RB_AUDIT_RING, (long)&dropped);
	long readonly = syscall_rb_audit_read((long)&call_name, RB_AUDIT_RING, (long)&dropped); /* text */
	long straddle = syscall_rb_audit_read((long)USER_STACK_TOP - 64, 2, (long)&dropped); /* into the time page */
	long bad_dropped = syscall_rb_audit_read((long)log, RB_AUDIT_RING, (long)KERNEL_VBASE);
	long bad_mode = syscall_rb_audit(3);
	long n = drain(&dropped);
	fmt_snprintf(detail, DETAIL_MAX, "kernel %ld, null %ld, read-only %ld, straddling %ld, bad dropped pointer %ld, "
		     "mode 3 %ld; then %ld records", kernel, null, readonly, straddle, bad_dropped, bad_mode, n);
	return kernel == -EFAULT && null == -EFAULT && readonly == -EFAULT && straddle == -EFAULT &&
	       bad_dropped == -EFAULT && bad_mode == -EINVAL && n == 6 && log[5].nr == SYS_rb_audit;
}

/* The audit variant of each door keeps the register ABI of the plain one (doors.c's test, audited). The
 * detail names the doors checked, or the one that failed with its own detail. */
int registers_audited(char *detail)
{
	if (audit_begin(RB_AUDIT_OVERWRITE, detail))
		return -1;
	char one[DETAIL_MAX], checked[DETAIL_MAX] = "";
	int len = 0, ok = 1;
	for (int d = 0; d < NDOORS && ok; d++) {
		int r = registers_through(d, one);
		if (!r)
			fmt_snprintf(detail, DETAIL_MAX, "%s: %s", doors[d].name, one);
		else if (r > 0) /* three short names: the list fits */
			len += fmt_snprintf(checked + len, sizeof(checked) - len, "%s%s", len ? ", " : "", doors[d].name);
		ok = r != 0;
	}
	syscall_rb_audit(RB_AUDIT_OFF);
	if (ok)
		fmt_snprintf(detail, DETAIL_MAX, "registers and flags kept through the audited %s", checked);
	return ok;
}
