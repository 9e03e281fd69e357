/*
 * probe.h: regs_probe (app/probe.S) runs one door with every general register and the arithmetic flags
 * loaded from *in, and stores what came back in *out: the register-preservation tests of selftest.c.
 * The REG_* offsets serve the assembly; selftest.c pins them to the struct.
 */
#ifndef RINGBENCH_PROBE_H
#define RINGBENCH_PROBE_H

#define DOOR_SYSCALL  0
#define DOOR_INT80    1
#define DOOR_SYSENTER 2
#define NDOORS        3

#define REG_RAX 0
#define REG_RBX 8
#define REG_RCX 16
#define REG_RDX 24
#define REG_RSI 32
#define REG_RDI 40
#define REG_RBP 48
#define REG_R8  56
#define REG_R9  64
#define REG_R10 72
#define REG_R11 80
#define REG_R12 88
#define REG_R13 96
#define REG_R14 104
#define REG_R15 112
#define REG_RFLAGS 120
#define NREGS 16

#ifndef __ASSEMBLER__
#include <stdint.h>
struct regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rflags;
};
void regs_probe(int door, const struct regs *in, struct regs *out);
extern char probe_syscall_ret[], probe_int80_ret[], probe_sysenter_ret[]; /* where each door returns */
#endif
#endif
