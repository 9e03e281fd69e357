/* app.lds.S (preprocessed by cpp into build/): the app's layout. Ordinary sections from APP_BASE, each
 * kind on its own pages (W^X), and .usertop on the last page of the user half for the non-canonical
 * return hazard (app/hazards.S). */
#include "../lib/memlayout.h"
#define APP_BASE 0x400000
ENTRY(_start)

PHDRS {
	text PT_LOAD FLAGS(5);   /* R X */
	rodata PT_LOAD FLAGS(4); /* R */
	data PT_LOAD FLAGS(6);   /* R W */
	top PT_LOAD FLAGS(5);    /* R X */
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
	.usertop (USER_TOP - 4096) : { *(.usertop) } :top
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
