/*
 * stamp.h: the stamped entry variants' two TSC readings (EV_STAMP), as assembly macros: the doors expand
 * them (entry/defences.h), and so does the app's baseline for them (the generated <door>_nopdoor_stamped).
 */
#ifndef RINGBENCH_STAMP_H
#define RINGBENCH_STAMP_H
#include "trapframe.h"
#include "variants.h"

/* One-way costs (EV_STAMP): the TSC at a door's first instruction (STAMP_ENTRY) and at the last before
 * its return instruction (STAMP_EXIT), in the per-CPU area by name (GS may be the app's at either point;
 * one CPU, one area, mapped in the KPTI user tables too). The exit also moves the call's entry stamp to
 * last_in, beside last_out, so that the pair of the last finished call survives the entry of the next:
 * rb_stamps reads it (kernel/sys.c). RDTSC overwrites RAX and RDX, which are parked and put back;
 * LFENCE first, so that the reading waits for the instructions before it. Nothing here writes the flags
 * or touches the stack. area: the struct percpu they write; the app's timing baseline for each door
 * (<door>_nopdoor_stamped, entry/gensyscalls.py) expands the same two macros in ring 3 on an area of its
 * own, where the door and the kernel would be, so that what the readings cost is measured, not assumed. */
.macro STAMP_ENTRY v, area=percpu
	.if (\v) & EV_STAMP
	STAMP_READ \area, PCPU_STAMP_IN, 0
	.endif
.endm

.macro STAMP_EXIT v, area=percpu
	.if (\v) & EV_STAMP
	STAMP_READ \area, PCPU_LAST_OUT, 1
	.endif
.endm

/* One reading into the word at slot of area; with keep_in, the call's entry stamp moved to last_in first. */
.macro STAMP_READ area, slot, keep_in
	movq %rax, \area + PCPU_STAMP_RAX(%rip)
	movq %rdx, \area + PCPU_STAMP_RDX(%rip)
	.if \keep_in
	movq \area + PCPU_STAMP_IN(%rip), %rax
	movq %rax, \area + PCPU_LAST_IN(%rip)
	.endif
	lfence
	rdtsc
	movl %eax, \area + \slot(%rip)
	movl %edx, \area + \slot + 4(%rip)
	movq \area + PCPU_STAMP_RAX(%rip), %rax
	movq \area + PCPU_STAMP_RDX(%rip), %rdx
.endm
#endif
