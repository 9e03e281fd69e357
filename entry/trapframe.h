/*
 * trapframe.h: the register frame every door into the kernel builds on the kernel stack (exceptions in
 * entry/vectors.S, SYSCALL in entry/syscall64.S), and the per-CPU area SWAPGS makes reachable. The TF_*
 * and PCPU_* offsets are what the assembly uses; the _Static_asserts at the end pin them to the structs,
 * so the two cannot drift apart. entry/ owns this layout; the kernel's C reads frames through it.
 */
#ifndef RINGBENCH_TRAPFRAME_H
#define RINGBENCH_TRAPFRAME_H

/* Frame offsets, lowest address first: general registers (pushed by software, r15 last so at 0), then the
 * vector and error code, then the five words the CPU pushes for an interrupt (or SYSCALL's copy of them). */
#define TF_R15     0
#define TF_R14     8
#define TF_R13     16
#define TF_R12     24
#define TF_RBP     32
#define TF_RBX     40
#define TF_R11     48
#define TF_R10     56
#define TF_R9      64
#define TF_R8      72
#define TF_RAX     80
#define TF_RCX     88
#define TF_RDX     96
#define TF_RSI     104
#define TF_RDI     112
#define TF_VECTOR  120
#define TF_ERROR   128
#define TF_RIP     136
#define TF_CS      144
#define TF_RFLAGS  152
#define TF_RSP     160
#define TF_SS      168
#define TF_SIZE    176
#define TF_WORDS   (TF_SIZE/8) /* no spaces: an assembler macro argument */

/* Per-CPU area (one CPU): GS base while in the kernel, KERNEL_GS_BASE while in ring 3. */
#define PCPU_SELF        0  /* its own address, so C can find it with one %gs load */
#define PCPU_KERNEL_RSP  8  /* top of the kernel stack for SYSCALL entry (same as TSS.RSP0) */
#define PCPU_USER_RSP    16 /* scratch: the user RSP, saved by SYSCALL entry until it is pushed */
/* The stamped variants' slots (EV_STAMP, entry/defences.h): the two registers RDTSC overwrites, parked;
 * the TSC at the current call's entry; the last finished call's entry and exit, for rb_stamps. */
#define PCPU_STAMP_RAX   24
#define PCPU_STAMP_RDX   32
#define PCPU_STAMP_IN    40
#define PCPU_LAST_IN     48
#define PCPU_LAST_OUT    56
/* Where a frame from ring 3 ends: the top of the kernel stack, or under FRED (entry/fred.h) two words below
 * it; and whether FRED delivers the events (1) or the IDT and the legacy doors (0). */
#define PCPU_FRAME_TOP   64
#define PCPU_FRED        72

/* The KPTI variants' entry stack (kernel/kpti.c): what TSS.RSP0 and SYSENTER_ESP point at while one is in,
 * mapped in both sets of tables. A door moves each frame from it to the kernel stack, and stages each
 * IRETQ back to ring 3 on it. */
#define ENTRY_STACK_SIZE 4096
/* What a KPTI exit stages at its top: the app's RDI, then the IRETQ frame (the TF_RIP .. TF_SS words). */
#define IRET_STAGE_RDI    0
#define IRET_STAGE_FRAME  8
#define IRET_STAGE_SIZE   (IRET_STAGE_FRAME + TF_SIZE - TF_RIP)

/* How much of the app's state a door has saved where its DISPATCH calls a handler (dispatch.h records
 * it, with the door's RB_DOOR_* bit, for entry/framecall.c):
 *   SITE_FAST   a fast path's own few words: the syscall door's RFLAGS at the kernel stack's top (its
 *               RIP in rcx, its RSP in percpu.user_rsp); the sysenter door's RFLAGS there and its
 *               return RIP below (its return RSP in rcx). Every other register is still the app's.
 *   SITE_FRAME  a whole struct trapframe at the top of the frame (percpu.frame_top).
 *   SITE_FRED   FRED's frame at the top of the frame (entry/fred.S), its registers the app's: the way back
 *               is ERETU. */
#define SITE_FAST  0
#define SITE_FRAME 0x100
#define SITE_FRED  0x200

#ifndef __ASSEMBLER__
#include <stdint.h>

struct dispatch_site {
	uint64_t ret, how; /* how: RB_DOOR_* | SITE_* */
};

struct iret_site {
	uint64_t rip, frame; /* frame: the return state's distance from RSP there (calling.h: RETURN_SITE) */
};

struct trapframe {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* as the CPU pushes them */
};

struct percpu {
	uint64_t self, kernel_rsp, user_rsp;
	uint64_t stamp_rax, stamp_rdx, stamp_in, last_in, last_out;
	uint64_t frame_top, fred;
};

#include <stddef.h>
#define TF_FIELD(f, OFF) _Static_assert(offsetof(struct trapframe, f) == OFF, #OFF);
TF_FIELD(r15, TF_R15) TF_FIELD(r14, TF_R14) TF_FIELD(r13, TF_R13) TF_FIELD(r12, TF_R12)
TF_FIELD(rbp, TF_RBP) TF_FIELD(rbx, TF_RBX) TF_FIELD(r11, TF_R11) TF_FIELD(r10, TF_R10)
TF_FIELD(r9, TF_R9) TF_FIELD(r8, TF_R8) TF_FIELD(rax, TF_RAX) TF_FIELD(rcx, TF_RCX)
TF_FIELD(rdx, TF_RDX) TF_FIELD(rsi, TF_RSI) TF_FIELD(rdi, TF_RDI) TF_FIELD(vector, TF_VECTOR)
TF_FIELD(error, TF_ERROR) TF_FIELD(rip, TF_RIP) TF_FIELD(cs, TF_CS) TF_FIELD(rflags, TF_RFLAGS)
TF_FIELD(rsp, TF_RSP) TF_FIELD(ss, TF_SS)
#undef TF_FIELD
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE");
_Static_assert(TF_SIZE % 16 == 0, "frames keep the stack 16-byte aligned");
_Static_assert(offsetof(struct percpu, self) == PCPU_SELF, "PCPU_SELF");
_Static_assert(offsetof(struct percpu, kernel_rsp) == PCPU_KERNEL_RSP, "PCPU_KERNEL_RSP");
_Static_assert(offsetof(struct percpu, user_rsp) == PCPU_USER_RSP, "PCPU_USER_RSP");
_Static_assert(offsetof(struct percpu, stamp_rax) == PCPU_STAMP_RAX, "PCPU_STAMP_RAX");
_Static_assert(offsetof(struct percpu, stamp_rdx) == PCPU_STAMP_RDX, "PCPU_STAMP_RDX");
_Static_assert(offsetof(struct percpu, stamp_in) == PCPU_STAMP_IN, "PCPU_STAMP_IN");
_Static_assert(offsetof(struct percpu, last_in) == PCPU_LAST_IN, "PCPU_LAST_IN");
_Static_assert(offsetof(struct percpu, last_out) == PCPU_LAST_OUT, "PCPU_LAST_OUT");
_Static_assert(offsetof(struct percpu, frame_top) == PCPU_FRAME_TOP, "PCPU_FRAME_TOP");
_Static_assert(offsetof(struct percpu, fred) == PCPU_FRED, "PCPU_FRED");
#endif
#endif
