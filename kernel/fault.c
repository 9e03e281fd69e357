/*
 * fault.c: how a fault is told: the exception's name, the machine-readable fault line, and the human
 * register dump (with a page fault's error code in words). Called by trap.c and by services/exec.c when it kills
 * the app.
 */
#include "defs.h"
#include "../lib/string.h"
#include "../lib/x86.h"

static const char *const names[T_NEXCEPTIONS] = {
	[T_DE] = "#DE divide error", [T_DB] = "#DB debug", [T_NMI] = "NMI", [T_BP] = "#BP breakpoint",
	[T_OF] = "#OF overflow", [T_BR] = "#BR bound range", [T_UD] = "#UD invalid opcode",
	[T_NM] = "#NM device not available", [T_DF] = "#DF double fault", [T_TS] = "#TS invalid TSS",
	[T_NP] = "#NP segment not present", [T_SS] = "#SS stack fault", [T_GP] = "#GP general protection",
	[T_PF] = "#PF page fault", [T_MF] = "#MF x87 error", [T_AC] = "#AC alignment check",
	[T_MC] = "#MC machine check", [T_XM] = "#XM SIMD error", [T_VE] = "#VE virtualization",
	[T_CP] = "#CP control protection",
};

const char *trap_name(uint64_t vector)
{
	if (vector >= T_NEXCEPTIONS)
		return "unexpected interrupt";
	return names[vector] ? names[vector] : "reserved vector";
}

/* #PF's error code in words: the access, from which ring, and why it faulted (SDM vol. 3, 4.7). */
static void explain_page_fault(uint64_t error, uint64_t cr2)
{
	kprintf("  a ring-%d %s at %lx: %s\n", error & PFERR_U ? 3 : 0,
		error & PFERR_I ? "instruction fetch" : error & PFERR_W ? "write" : "read", cr2,
		error & PFERR_P ? "the page forbids it" : "no page is mapped there");
}

/* The machine-readable fault line (DESIGN.md section 2) and the human account: one line when the app's
 * handler takes it (action "signal"), else the register dump too. sig: the signal it became, 0 for none. */
void report_fault(const struct trapframe *tf, const char *action, int sig)
{
	uint64_t cr2 = tf->vector == T_PF ? read_cr2() : 0;
	kprintf("{\"type\":\"fault\",\"vector\":%lu,\"name\":\"%s\",\"error\":%lu,\"rip\":\"0x%lx\",\"cr2\":\"0x%lx\","
		"\"cpl\":%lu,\"action\":\"%s\",\"signal\":%d}\n",
		tf->vector, trap_name(tf->vector), tf->error, tf->rip, cr2, tf->cs & SEL_RPL_MASK, action, sig);
	if (!strcmp(action, "signal")) { /* the app goes on: one line */
		kprintf("ringbench: %s at rip %lx (cr2 %lx): %s to the app's handler\n", trap_name(tf->vector),
			tf->rip, cr2, signal_name(sig));
		return;
	}
	kprintf("fault: %s at rip %lx, error %lx, cr2 %lx, in ring %lu%s%s\n", trap_name(tf->vector), tf->rip,
		tf->error, cr2, tf->cs & SEL_RPL_MASK, sig ? ": " : "", sig ? signal_name(sig) : "");
	if (tf->vector == T_PF)
		explain_page_fault(tf->error, cr2);
	dump_regs(tf);
}

void dump_regs(const struct trapframe *tf)
{
	kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
	kprintf("  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->rsp);
	kprintf("  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
	kprintf("  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
	kprintf("  rip %016lx cs %04lx ss %04lx rflags %08lx\n", tf->rip, tf->cs, tf->ss, tf->rflags);
}
