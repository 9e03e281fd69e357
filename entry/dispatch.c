/*
 * dispatch.c: do_syscall, where every door meets the one table. Called by entry_syscall64,
 * entry_sysenter64 and entry_int80 with the frame each built; returns whether the door's cheap exit
 * (SYSRET, SYSEXIT) is safe for this frame, else the door returns by IRETQ. The table is built from
 * build/gen/syscall_list.h, generated from entry/syscall.tbl.
 */
#include "../kernel/defs.h"
#include "../lib/errno.h"
#include "../lib/memlayout.h"
#include "../lib/nospec.h"
#include "../lib/x86.h"
#include "syscall_list.h"
#include "syscall_nr.h"

typedef long (*syscall_fn)(const struct trapframe *tf);

/* Handlers take their arguments as plain 64-bit words; user pointers stay integers until copied. */
#define ARGS_0 void
#define ARGS_1 uint64_t
#define ARGS_2 uint64_t, uint64_t
#define ARGS_3 uint64_t, uint64_t, uint64_t
#define ARGS_4 uint64_t, uint64_t, uint64_t, uint64_t
#define ARGS_5 uint64_t, uint64_t, uint64_t, uint64_t, uint64_t
#define ARGS_6 uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t
#define CALL_0
#define CALL_1 tf->rdi
#define CALL_2 CALL_1, tf->rsi
#define CALL_3 CALL_2, tf->rdx
#define CALL_4 CALL_3, tf->r10
#define CALL_5 CALL_4, tf->r8
#define CALL_6 CALL_5, tf->r9

#define DECLARE(nr, name, nargs, handler) long handler(ARGS_##nargs);
#define WRAP(nr, name, nargs, handler) \
	static long call_##name(const struct trapframe *tf) { (void)tf; return handler(CALL_##nargs); }
#define SLOT(nr, name, nargs, handler) [nr] = call_##name,
SYSCALL_LIST(DECLARE)
SYSCALL_LIST(WRAP)

static long sys_ni(const struct trapframe *tf)
{
	(void)tf;
	return -ENOSYS;
}

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Winitializer-overrides"
static const syscall_fn syscall_table[NR_SYSCALLS] = {
	[0 ... NR_SYSCALLS - 1] = sys_ni, /* gaps */
	SYSCALL_LIST(SLOT)
};
#pragma clang diagnostic pop

/* SYSRET and SYSEXIT load RIP (and SYSEXIT RSP) without the checks IRETQ makes: with a non-canonical
 * address they fault in ring 0 on Intel, on the kernel stack with the app's GS (CVE-2012-0217). Neither
 * can restore RF, and with TF set they would trap at once in the app instead of after one instruction.
 * The frame is the truth here: a handler that changes tf->rip or tf->rflags is honoured. */
static bool fast_return_safe(const struct trapframe *tf)
{
	return tf->rip < USER_TOP && tf->rsp < USER_TOP && tf->cs == SEL_UCODE && tf->ss == SEL_UDATA &&
	       !(tf->rflags & (RFLAGS_TF | RFLAGS_RF));
}

bool do_syscall(struct trapframe *tf)
{
	uint64_t nr = tf->rax; /* all 64 bits: 2^32 + 1 is not write */
	if (nr < NR_SYSCALLS)
		tf->rax = (uint64_t)syscall_table[index_nospec(nr, NR_SYSCALLS)](tf);
	else
		tf->rax = (uint64_t)-ENOSYS;
	return fast_return_safe(tf);
}
