/*
 * audit.c: the syscall audit log. While auditing is on, the doors lead to the audit variant of the entry
 * stubs (entry/variants.h), whose DISPATCH calls audit_enter before each handler and audit_exit after it:
 * one record per call in a ring in kernel memory, drained by rb_audit_read. Auditing off costs the fast
 * path nothing: the plain stubs have no hook at all. One CPU and interrupts off in every door, so no
 * locking.
 */
#include "defs.h"
#include "../entry/syscall.h"
#include "../entry/variants.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "../lib/x86.h"

static struct rb_audit_record ring[RB_AUDIT_RING];
static uint64_t head, tail; /* records written and read since boot: ring[i % RB_AUDIT_RING] */
static uint64_t next_seq, dropped;
static uint64_t mode = RB_AUDIT_OFF;

static void append(const struct rb_audit_record *r, bool overwrite)
{
	if (head - tail == RB_AUDIT_RING) {
		dropped++;
		if (!overwrite)
			return; /* keep the oldest */
		tail++;         /* a flight recorder: the oldest goes */
	}
	ring[head++ % RB_AUDIT_RING] = *r;
}

/* The call in progress: audit_enter fills it in, audit_exit records it once the result is known. A call
 * that does not return (exit) leaves no record; the next call's audit_enter starts afresh. */
static struct rb_audit_record pending;
static bool pending_overwrite;

/* Called by the audit variant's DISPATCH (entry/dispatch.h) before the handler, in the handlers' convention
 * (kernel/syscall.h), so the arguments are still in place for it afterwards. nr is the number as the app
 * passed it, door its RB_DOOR_* bit. */
void SYSCALL_ABI audit_enter(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
			     uint64_t nr, uint64_t door)
{
	pending = (struct rb_audit_record){ .tsc = rdtsc(), .door = (uint32_t)door, .nr = nr, .args = { a0, a1, a2 } };
	pending_overwrite = mode == RB_AUDIT_OVERWRITE; /* as the call found it: rb_audit changes it */
}

/* Called by the audit variant's DISPATCH after the handler, with its result. */
void SYSCALL_ABI audit_exit(uint64_t result)
{
	pending.seq = next_seq++;
	pending.ret = (int64_t)result;
	append(&pending, pending_overwrite);
}

/* Auditing to RB_AUDIT_OFF, _ON or _OVERWRITE, the audit stubs switched in or out with it; returns the
 * previous mode, or -EINVAL or -EBUSY (rb_audit's errors). */
long audit_set_mode(uint64_t new_mode)
{
	unsigned features = doors_variant()->features;
	if (new_mode > RB_AUDIT_OVERWRITE)
		return -EINVAL;
	if (new_mode != RB_AUDIT_OFF && (features & ~EV_AUDIT))
		return -EBUSY;
	uint64_t old = mode;
	mode = new_mode;
	if ((mode != RB_AUDIT_OFF) != !!(features & EV_AUDIT))
		doors_set_variant(entry_variant_with(mode == RB_AUDIT_OFF ? 0 : EV_AUDIT));
	return (long)old;
}

/* rb_audit(mode): RB_AUDIT_OFF, _ON or _OVERWRITE; returns the previous mode. The log and its sequence
 * numbers carry on across off and on. The audit stubs are the plain ones with the hook: with a defence
 * variant in (rb_entry), turning auditing on is -EBUSY. */
SYSCALL1(rb_audit, new_mode) { return percpu.fred ? -EBUSY : audit_set_mode(new_mode); } /* FRED: no stubs */

static int copy_records(uint64_t ubuf, uint64_t first, uint64_t n)
{
	return n ? copy_to_user(ubuf, &ring[first], n * sizeof(ring[0])) : 0;
}

/* rb_audit_read(buf, max, dropped): move up to max of the oldest records into buf, store in *dropped the
 * calls dropped (or records overwritten) since the last read, and return how many records were copied.
 * Nothing leaves the ring until every copy has succeeded: a bad buffer gets -EFAULT and loses nothing. */
SYSCALL3(rb_audit_read, ubuf, max, udropped)
{
	uint64_t n = head - tail < max ? head - tail : max;
	uint64_t first = tail % RB_AUDIT_RING, part = n < RB_AUDIT_RING - first ? n : RB_AUDIT_RING - first;
	if (copy_records(ubuf, first, part) ||
	    copy_records(ubuf + part * sizeof(ring[0]), 0, n - part) || copy_to_user(udropped, &dropped, sizeof(dropped)))
		return -EFAULT;
	tail += n;
	dropped = 0;
	return (long)n;
}
