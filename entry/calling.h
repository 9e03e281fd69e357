/*
 * calling.h: the assembly every entry stub is written with (Linux's calling.h): ENTRY/END (symbol type
 * and size), the push and pop of the general registers in struct trapframe order (trapframe.h), the
 * flags a door must clean, and the IRETQ to ring 3 that trap() recognises.
 */
#ifndef RINGBENCH_CALLING_H
#define RINGBENCH_CALLING_H
#include "../lib/abi.h"
#include "../lib/x86.h"
#include "trapframe.h"

#define ENTRY(name) .globl name; .type name, @function; .p2align 4; name:
#define END(name) .size name, . - name

/* Fill tf->rdi .. tf->r15 (the frame grows down, so rdi first). */
.macro PUSH_REGS
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rax
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

/* RFLAGS = just the reserved bit: DF, AC, NT and TF clear (IF stays off). Event delivery does not clear
 * DF or AC, and SYSENTER clears nothing but IF; CLAC would #UD on CPUs without SMAP. */
.macro CLEAN_FLAGS
	pushq $RFLAGS_FIXED
	popfq
.endm

/* CLEAN_FLAGS after an interrupt gate (every vector's, int 0x80's), with the frame at RSP: the gate cleared
 * TF, NT, RF and IF, so only DF and AC can be left. CLD for DF; POPFQ (microcoded, and under TCG a trip
 * to QEMU's main loop) only in the rare case that the frame's RFLAGS has AC, which would switch SMAP off
 * in the kernel. */
.macro CLEAN_GATE_FLAGS
	cld
	testl $RFLAGS_AC, TF_RFLAGS(%rsp)
	jz .Lgate_flags_clean\@
	CLEAN_FLAGS
.Lgate_flags_clean\@:
.endm

/* POP_REGS but the last (rdi), for an exit that needs one scratch register to the end. */
.macro POP_REGS_BUT_RDI
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rax
	popq %rcx
	popq %rdx
	popq %rsi
.endm

.macro POP_REGS
	POP_REGS_BUT_RDI
	popq %rdi
.endm

/* A return to ring 3, listed in .iret_sites (struct iret_site, trapframe.h) with where its return state
 * lies from RSP, so that trap() knows a fault on it is the app's (a bad return state, such as a
 * non-canonical RIP), not the kernel's: IRETQ's frame at RSP, ERETU's past FRED's error code. */
.macro RETURN_SITE frame, insn:vararg
.Lreturn\@:
	\insn
	.pushsection .iret_sites, "a"
	.quad .Lreturn\@, \frame
	.popsection
.endm

.macro IRET_SITE
	RETURN_SITE 0, iretq
.endm

/* FRED's returns (entry/fred.S); Debian 12's assembler (LLVM 14) knows neither, so their encodings. */
#define ERETU .byte 0xf3, 0x0f, 0x01, 0xca
#define ERETS .byte 0xf2, 0x0f, 0x01, 0xca
.macro ERETU_SITE
	RETURN_SITE 8, ERETU
.endm
#endif
