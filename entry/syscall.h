/*
 * syscall.h: how a system call handler is defined, and the contract that lets the fast doors save almost
 * nothing on the way in.
 *
 * Every handler, sys_<name> for a line of entry/syscall.tbl, uses clang's preserve_most convention: it
 * keeps every general register but r11 for its caller, rcx and the argument registers included. So the
 * doors' fast paths save only their own return state, and a handler saves just the registers it uses:
 * sys_getpid saves none, a handler that calls into the kernel saves the caller-saved ones. Its result
 * comes back in r11, the one register the convention gives up, from which DISPATCH (entry/dispatch.h) moves
 * it to rax: not in rax itself, because clang 14 to 16 count RAX among the registers preserve_most keeps,
 * and restore it over the value being returned (LLVM issue 48789).
 *
 * SYSCALLn(name, a, b, ...) defines sys_<name> around a body written as a plain C function of n 64-bit
 * words, named by the macro's arguments, returning long (user pointers stay integers until copied):
 *
 *	SYSCALL0(getpid) { return RINGBENCH_PID; }
 *	SYSCALL2(clock_gettime, clock, uts) { ... }
 *
 * Every handler is declared here from the table, so a definition that strays from it does not compile.
 */
#ifndef RINGBENCH_SYSCALL_H
#define RINGBENCH_SYSCALL_H
#include <stdint.h>
#include "syscall_list.h"
#include "trapframe.h"

#define SYSCALL_ABI __attribute__((preserve_most))

/* Leave value in r11 as a handler's result. A register variable is pinned to its register only as an
 * operand of an asm, so the empty asm takes it there, and its "memory" clobber keeps every store before
 * it: what follows is the epilogue, whose pops leave r11 alone (preserve_most never saves it). Every
 * handler's result and every other register are checked through each door by the app's registers_<door>
 * and the handlers' own tests. */
#define SYSCALL_RETURN(value)                                                  \
	do {                                                                   \
		register long syscall_result_ __asm__("r11") = (value);       \
		__asm__ volatile("" : : "r"(syscall_result_) : "memory");      \
	} while (0)

#define SYSCALL_BODY(name, params, args)                                                          \
	static inline __attribute__((always_inline)) long do_sys_##name params;                     \
	void SYSCALL_ABI sys_##name params { SYSCALL_RETURN(do_sys_##name args); }                  \
	static inline __attribute__((always_inline)) long do_sys_##name params
#define SYSCALL0(name) SYSCALL_BODY(name, (void), ())
#define SYSCALL1(name, a) SYSCALL_BODY(name, (uint64_t a), (a))
#define SYSCALL2(name, a, b) SYSCALL_BODY(name, (uint64_t a, uint64_t b), (a, b))
#define SYSCALL3(name, a, b, c) SYSCALL_BODY(name, (uint64_t a, uint64_t b, uint64_t c), (a, b, c))

/* Four arguments or more: DISPATCH leaves the 4th in r10, where the doors take it, because it keeps rcx
 * for them (the syscall door's return RIP, the sysenter door's return RSP). So sys_<name> is a thunk that
 * saves rcx, moves r10 into it, where C takes the 4th argument, and calls the body's sys_<name>_c; the
 * result comes through in r11. The stack is 16-byte aligned again at its call. */
#define SYSCALL_R10_THUNK(name)                                                                        \
	__asm__(".pushsection .text\n\t.globl sys_" #name "\n\t.type sys_" #name ", @function\n"       \
		"sys_" #name ":\n\tpushq %rcx\n\tmovq %r10, %rcx\n\tcall sys_" #name "_c\n\tpopq %rcx\n" \
		"\tret\n\t.size sys_" #name ", . - sys_" #name "\n\t.popsection");
#define SYSCALL4(name, a, b, c, d)                                                                     \
	SYSCALL_R10_THUNK(name)                                                                        \
	SYSCALL_BODY(name##_c, (uint64_t a, uint64_t b, uint64_t c, uint64_t d), (a, b, c, d))
#define SYSCALL5(name, a, b, c, d, e)                                                                  \
	SYSCALL_R10_THUNK(name)                                                                        \
	SYSCALL_BODY(name##_c, (uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e), (a, b, c, d, e))
#define SYSCALL6(name, a, b, c, d, e, f)                                                               \
	SYSCALL_R10_THUNK(name)                                                                        \
	SYSCALL_BODY(name##_c, (uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f),  \
		     (a, b, c, d, e, f))

/* A handler that needs the app's whole state, to change it (rt_sigreturn) or to deliver a signal on it:
 * sys_<name> is a jump to frame_thunk (entry/framethunk.S) with the body, which gets tf, the app's state as
 * the door's return would leave it (its rax the number), and args, the six argument registers. The body
 * returns the result (the app's rax). Then user_return_work (the kernel's) may change tf too: the
 * signals to take on the way back to ring 3. When tf changed beyond the result, the call returns by IRETQ
 * to tf, through user_return, which the kernel provides: it never returns. */
typedef long (*frame_handler)(struct trapframe *tf, const uint64_t args[6]);
uint64_t dispatch_site(uint64_t ret); /* RB_DOOR_* | SITE_* of the DISPATCH a handler returns to, or 0 */
void frame_call(struct trapframe *tf, uint64_t ret, frame_handler fn);
void user_return_work(struct trapframe *tf);
__attribute__((noreturn)) void user_return(const struct trapframe *tf);
#define SYSCALL_FRAME(name, tf, args)                                                                    \
	long frame_sys_##name(struct trapframe *tf, const uint64_t args[6]);                            \
	__asm__(".pushsection .text\n\t.globl sys_" #name "\n\t.type sys_" #name ", @function\n"          \
		"sys_" #name ":\n\tleaq frame_sys_" #name "(%rip), %r11\n\tjmp frame_thunk\n"               \
		"\t.size sys_" #name ", . - sys_" #name "\n\t.popsection");                                  \
	long frame_sys_##name(struct trapframe *tf, const uint64_t args[6])

#define SYSCALL_ARGS_0 void
#define SYSCALL_ARGS_1 uint64_t
#define SYSCALL_ARGS_2 uint64_t, uint64_t
#define SYSCALL_ARGS_3 uint64_t, uint64_t, uint64_t
#define SYSCALL_ARGS_4 uint64_t, uint64_t, uint64_t, uint64_t
#define SYSCALL_ARGS_5 uint64_t, uint64_t, uint64_t, uint64_t, uint64_t
#define SYSCALL_ARGS_6 uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t
#define SYSCALL_DECLARE(nr, name, nargs, handler) void SYSCALL_ABI handler(SYSCALL_ARGS_##nargs);
SYSCALL_LIST(SYSCALL_DECLARE)
void SYSCALL_ABI sys_ni_syscall(void);
#endif
