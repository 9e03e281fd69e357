/*
 * idt.c: the interrupt descriptor table. All 256 vectors get an interrupt gate (IF cleared on entry).
 * Only 0x80 (the int 0x80 door) and #BP (so that INT3, a debugger's breakpoint, raises #BP) have DPL 3:
 * "int n" for any other vector from ring 3 is a #GP that trap.c reports. #DF, NMI and #MC switch to their
 * own IST stacks, because they can arrive when RSP cannot be trusted (the first instructions of SYSCALL).
 */
#include "defs.h"
#include "../lib/x86.h"

struct gate {
	uint16_t offset_lo, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct gate) == 16, "64-bit IDT gate is 16 bytes (SDM vol. 3 figure 6-8)");

static struct gate idt[IDT_VECTORS] ENTRY_DATA;
extern const uint64_t vector_table[IDT_VECTORS]; /* entry/vectors.S */

static void set_gate(int vector, uint64_t handler, int ist, int dpl)
{
	idt[vector] = (struct gate){
		.offset_lo = (uint16_t)handler, .selector = SEL_KCODE, .ist = (uint8_t)ist,
		.type_attr = (uint8_t)(DESC_P | DESC_DPL(dpl) | IDT_GATE_INTR),
		.offset_mid = (uint16_t)(handler >> 16), .offset_hi = (uint32_t)(handler >> 32),
	};
}

static int ist_for(int vector)
{
	return vector == T_DF ? IST_DF : vector == T_NMI ? IST_NMI : vector == T_MC ? IST_MC : vector == T_DB ? IST_DB : 0;
}

/* May the app raise this vector with INT n? The int 0x80 door, and #BP (INT3 is a debugger's breakpoint);
 * every other gate has DPL 0, so INT n to it is #GP. FRED, which has no gates, asks here too (fred.c). */
bool idt_user_gate(unsigned vector) { return vector == T_BP || vector == T_INT80; }

/* The int 0x80 door, DPL 3, to the stub doors.c chose. */
void idt_set_int80(uint64_t handler) { set_gate(T_INT80, handler, 0, 3); }

void idt_init(void)
{
	for (int v = 0; v < IDT_VECTORS; v++)
		set_gate(v, vector_table[v], ist_for(v), idt_user_gate((unsigned)v) ? 3 : 0);
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = { sizeof(idt) - 1, (uint64_t)idt };
	__asm__ volatile("lidt %0" : : "m"(p));
}
