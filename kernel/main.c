/*
 * main.c: kmain, entered from kernel/start.S with the stub's bootinfo. The order of bring-up lives here
 * and nowhere else; each step is one call.
 */
#include "defs.h"
#include "../lib/efimem.h"
#include "../lib/memlayout.h"
#include "../lib/x86.h"

struct bootinfo boot;

#define PIC_MASK_ALL 0xff
#define NONCANONICAL_ADDR 0x8000000000000000ull

static void check_bootinfo(uint64_t phys)
{
	const struct bootinfo *bi = P2V(phys); /* the stub's boot tables map all memory at PHYSMAP_BASE */
	if (bi->magic != BOOTINFO_MAGIC || bi->version != BOOTINFO_VERSION || bi->size != sizeof(*bi))
		panic("bootinfo: magic, version %u or size %u not what this kernel knows (version %u, size %zu);"
		      " rebuild the EFI stub and the kernel together", bi->version, bi->size, BOOTINFO_VERSION,
		      sizeof(*bi));
	if (bi->desc_size < sizeof(struct efi_memdesc))
		panic("bootinfo: memory descriptor size %lu is too small", bi->desc_size);
	boot = *bi;
}

static uint64_t kernel_stack(void)
{
	uint64_t top = kstack_alloc();
	if (!top)
		panic("out of memory for a kernel stack");
	return top;
}

void kmain(uint64_t bootinfo_phys)
{
	console_init();
	gdt_init();  /* our segments and IST stacks before any fault can happen */
	idt_init();
	check_bootinfo(bootinfo_phys);
	cpu_identify();
	frames_init(P2V(boot.memmap), boot.memmap_size, boot.desc_size);
	const char *vm_failed = vm_init();
	if (vm_failed)
		panic("%s", vm_failed);
	kpti_init(vm_root());
	fbcon_init(); /* the framebuffer is mapped now */
	cpu_protect();
	uint64_t ist[IST_COUNT];
	for (int i = 0; i < IST_COUNT; i++)
		ist[i] = kernel_stack();
	tss_set_stacks(kernel_stack(), ist);
	doors_init();
	defences_init(); /* its trial MSR writes need the IDT */
	pmu_init();      /* so do its own */
	fred_init();
	outb(PORT_PIC1_DATA, PIC_MASK_ALL); /* no legacy interrupt may fire: nothing handles them yet */
	outb(PORT_PIC2_DATA, PIC_MASK_ALL);
	tsc_init();
	print_boot_line();
	kernel_selftests();
	if (boot.flags & BOOTINFO_F_KERNEL_FAULT) {
		kprintf("ringbench: kernel_test = fault: reading a non-canonical address in ring 0\n");
		(void)*(volatile uint64_t *)NONCANONICAL_ADDR; /* #GP: trap() panics with a full dump */
	}
	app_run();
}
