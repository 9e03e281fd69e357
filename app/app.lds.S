/* app.lds.S (preprocessed by cpp into build/): the app's layout. Ordinary sections from APP_BASE, each
 * kind on its own pages (W^X), all low enough that Linux loads the app too (its user half ends a page
 * short of ringbench's: the non-canonical return hazard maps that last page itself, app/hazards.S). */
#include "../lib/memlayout.h"
#define APP_BASE 0x400000
ENTRY(_start)

PHDRS {
	text PT_LOAD FLAGS(5);   /* R X */
	rodata PT_LOAD FLAGS(4); /* R */
	data PT_LOAD FLAGS(6);   /* R W */
}

SECTIONS {
	. = APP_BASE;
	__app_start = .;
	.text : { *(.text .text.*) } :text
	. = ALIGN(4096);
	.rodata : { *(.rodata .rodata.*) } :rodata
	. = ALIGN(4096);
	.data : { *(.data .data.*) } :data
	.bss : { *(.bss .bss.*) *(COMMON) } :data
	__app_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
