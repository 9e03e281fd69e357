/*
 * fred.h: Flexible Return and Event Delivery (FRED; Intel's FRED specification, and Linux since 6.9:
 * arch/x86/entry/entry_fred.c), the layout of what it pushes and the events it tells apart. Included by C
 * and assembly.
 *
 * With CR4.FRED set the IDT, TSS.RSP0, SWAPGS, SYSRET, SYSEXIT and IRET to another ring are gone: every
 * event (an interrupt, an exception, INT n, and SYSCALL and SYSENTER themselves) enters at one of two
 * addresses of one page, IA32_FRED_CONFIG's: from ring 3 at its base, from ring 0 at +FRED_KERNEL_ENTRY.
 * The CPU has pushed the whole return state on a stack it chose (IA32_FRED_RSP0 from ring 3; below the
 * interrupted RSP from ring 0; a stack level's own, IA32_FRED_RSP1..3, for the vectors IA32_FRED_STKLVLS
 * names), swapped the GS base (from ring 3), loaded CS/SS from STAR and cleared RFLAGS. ERETU (to ring 3,
 * swapping the GS base back) and ERETS (to ring 0) pop the same frame.
 */
#ifndef RINGBENCH_FRED_H
#define RINGBENCH_FRED_H

/* The frame, at RSP on entry. Over a struct trapframe (trapframe.h) it is tf->error up to tf->ss, with two
 * words more above (the event data and a reserved word): FRED_EXTRA. */
#define FRED_ERROR    0   /* the error code (0 when the event has none) */
#define FRED_RIP      8
#define FRED_CS       16
#define FRED_RFLAGS   24
#define FRED_RSP      32
#define FRED_SS       40
#define FRED_SS_INFO  4   /* in SS's word, the dword of the event: vector | type << 16 | ... (below) */
#define FRED_DATA     48  /* the event data: CR2 for #PF, DR6's bits for #DB */
#define FRED_FRAME    64
#define FRED_EXTRA    16  /* FRED_DATA and the reserved word, above tf->ss */

/* CS's word: bits 15:0 the selector, 17:16 the stack level left. SS's: bits 15:0 the selector, 16 STI
 * blocking, 17 a #DB pending (SYSCALL, SYSENTER, INT n: ERETU with TF set traps at once), 18 NMI
 * blocking; bits 63:32 the event, FRED_SS_INFO's dword: */
#define FRED_INFO_VECTOR(i)  ((i) & 0xff)
#define FRED_INFO_TYPE(i)    (((i) >> 16) & 0xf)
#define FRED_INFO_64BIT      (1 << 25)              /* the event came from 64-bit code */
#define FRED_INFO_ILEN_SHIFT 28                     /* the instruction's length: INT n, SYSCALL, SYSENTER */
#define FRED_INFO_ILEN(i)    (((i) >> FRED_INFO_ILEN_SHIFT) & 0xf)
#define FRED_EVENT(type, vector) ((type) << 16 | (vector))
#define FRED_EVENT_MASK      0x000f00ff             /* the vector and type of the dword */
/* The whole dword of that event raised by a two-byte instruction (SYSCALL, SYSENTER, INT n) in 64-bit code. */
#define FRED_EVENT64(type, vector) (FRED_EVENT(type, vector) | FRED_INFO_64BIT | 2 << FRED_INFO_ILEN_SHIFT)

/* Event types */
#define FRED_EXTINT    0 /* an external interrupt */
#define FRED_NMI       2
#define FRED_HWEXC     3 /* a hardware exception */
#define FRED_SWINT     4 /* INT n */
#define FRED_PRIVSWEXC 5 /* INT1 */
#define FRED_SWEXC     6 /* INT3, INTO */
#define FRED_OTHER     7 /* SYSCALL (vector FRED_SYSCALL), SYSENTER (FRED_SYSENTER) */
#define FRED_SYSCALL   1
#define FRED_SYSENTER  2

#define FRED_KERNEL_ENTRY 256 /* how far into the entry page events from ring 0 enter */
#endif
