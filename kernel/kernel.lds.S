/* kernel.lds.S (preprocessed by cpp into build/): the kernel image at KERNEL_VBASE (lib/memlayout.h), sections page-aligned so vm.c can map
 * text read+execute, rodata read-only and data+bss read+write, never writable and executable at once. */
#include "../lib/memlayout.h"
ENTRY(_start)

PHDRS {
	text PT_LOAD FLAGS(5);   /* R X */
	rodata PT_LOAD FLAGS(4); /* R */
	data PT_LOAD FLAGS(6);   /* R W */
}

SECTIONS {
	. = KERNEL_VBASE;
	__text_start = .;
	/* .entry.text and .entry.data: what the KPTI user tables map of the kernel (kernel/kpti.c), on pages
	 * of their own. */
	.text : {
		*(.text.entry)
		. = ALIGN(4096);
		__entry_text_start = .;
		*(.entry.text)
		. = ALIGN(4096);
		__entry_text_end = .;
		*(.text .text.*)
	} :text
	. = ALIGN(4096);
	__text_end = .;
	.rodata : {
		*(.rodata .rodata.*)
		. = ALIGN(8);
		__iret_sites_start = .;
		KEEP(*(.iret_sites))
		__iret_sites_end = .;
		__dispatch_sites_start = .;
		KEEP(*(.dispatch_sites))
		__dispatch_sites_end = .;
	} :rodata
	. = ALIGN(4096);
	__rodata_end = .;
	.data : {
		__entry_data_start = .;
		*(.entry.data)
		. = ALIGN(4096);
		__entry_data_end = .;
		*(.data .data.*)
	} :data
	.bss : { *(.bss .bss.*) *(COMMON) } :data
	. = ALIGN(4096);
	__kernel_end = .;
	/DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) }
}
ASSERT(__text_start == KERNEL_VBASE, "the kernel must start at KERNEL_VBASE: vm.c maps it from there")
ASSERT(__kernel_end <= VSYSCALL_ADDR, "the kernel image must end below the vsyscall page's fixed address")
