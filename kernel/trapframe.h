/*
 * trapframe.h: the register frame every door into the kernel builds on the kernel stack (exceptions in
 * entry/vectors.S, SYSCALL in entry/syscall64.S), and the per-CPU area SWAPGS makes reachable. The TF_*
 * and PCPU_* offsets are what the assembly uses; the _Static_asserts in kernel/gdt.c pin them to the
 * structs, so the two cannot drift apart.
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

/* The KPTI variants' entry stack (kernel/kpti.c): what TSS.RSP0 and SYSENTER_ESP point at while one is in,
 * mapped in both sets of tables. A door moves each frame from it to the kernel stack, and stages each
 * IRETQ back to ring 3 on it. */
#define ENTRY_STACK_SIZE 4096
#define IRET_STAGE_SIZE  48 /* what a KPTI exit stages on it: the app's RDI and the 5-word IRETQ frame */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* as the CPU pushes them */
};

struct percpu {
	uint64_t self, kernel_rsp, user_rsp;
};
#endif
#endif
