/* test_memory.c: lib/pagetable.c over host memory, kernel/frames.c and lib/efimem.c over synthetic UEFI
 * memory maps, and the user-range check of lib/memlayout.h. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "../../kernel/frames.h"
#include "../../lib/efimem.h"
#include "../../lib/memlayout.h"
#include "../../lib/pagetable.h"
#include "../../lib/x86.h"

/* Page tables live in host memory here: a "physical" address is a host pointer, and the kernel's frame
 * allocator (kernel/frames.c) hands out the pool's pages, from a UEFI map of one descriptor. */
#define POOL_PAGES 64
static unsigned char (*pool)[PAGE_SIZE];
static uint64_t pool_pages;
static unsigned char sink[PAGE_SIZE]; /* where a frame of a synthetic map (not host memory) is zeroed */

void *frame_ptr(uint64_t phys)
{
	uint64_t base = (uint64_t)(uintptr_t)pool;
	return phys >= base && phys < base + POOL_PAGES * PAGE_SIZE ? (void *)(uintptr_t)phys : sink;
}

void pt_flush(uint64_t va) { (void)va; }

/* A new root table, with pages - 1 pool pages left for the tables below it. */
static uint64_t fresh_root_of(uint64_t pages)
{
	if (!pool)
		pool = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	struct efi_memdesc d = { .type = EFI_MEM_CONVENTIONAL, .phys = (uint64_t)(uintptr_t)pool, .pages = pages };
	frames_init(&d, sizeof(d), sizeof(d));
	pool_pages = pages;
	return frame_alloc();
}

static uint64_t fresh_root(void) { return fresh_root_of(POOL_PAGES); }
static uint64_t pool_used(void) { return pool_pages - frames_free(); }

TEST(pagetable_maps_and_translates_4k_pages)
{
	uint64_t root = fresh_root(), pa, fl;
	CHECK(pt_map(root, 0x400000, 0x123000, 0x2000, PTE_W | PTE_U | PTE_NX, 1) == 0);
	CHECK(pt_lookup(root, 0x400abc, &pa, &fl) && pa == 0x123abc);
	CHECK(fl == (PTE_P | PTE_W | PTE_U | PTE_NX));
	CHECK(pt_lookup(root, 0x401000, &pa, &fl) && pa == 0x124000);
	CHECK(!pt_lookup(root, 0x402000, &pa, &fl)); /* one past the end */
	CHECK(!pt_lookup(root, 0x3ff000, &pa, &fl));
	CHECK(!pt_lookup(root, 0, &pa, &fl));       /* the null page stays unmapped */
}

TEST(pagetable_uses_large_pages_only_when_aligned)
{
	uint64_t root = fresh_root(), pa, fl;
	CHECK(pt_map(root, PHYSMAP_BASE, 0, 8 * LARGE_PAGE_SIZE, PTE_W | PTE_NX, 1) == 0);
	CHECK(pool_used() == 3); /* PML4, PDPT, PD: no page tables for 2 MiB pages */
	CHECK(pt_lookup(root, PHYSMAP_BASE + 0x345678, &pa, &fl) && pa == 0x345678);
	CHECK(!(fl & PTE_U) && (fl & PTE_W) && (fl & PTE_NX));
	/* A 4 KiB page inside a large one cannot be created or re-flagged. */
	CHECK(pt_map(root, PHYSMAP_BASE + 0x1000, 0, PAGE_SIZE, 0, 0) == -1);
	CHECK(!pt_set_flags(root, PHYSMAP_BASE + 0x1000, 0));
	uint64_t used = pool_used();
	CHECK(pt_map(root, 0x1000, 0x200000, LARGE_PAGE_SIZE, 0, 1) == 0); /* unaligned va: 4 KiB pages */
	CHECK(pool_used() > used);
}

TEST(pagetable_kernel_text_is_never_writable)
{
	uint64_t root = fresh_root(), pa, fl;
	CHECK(pt_map(root, KERNEL_VBASE, 0x200000, 0x3000, 0, 0) == 0);
	CHECK(pt_lookup(root, KERNEL_VBASE + 0x10, &pa, &fl));
	CHECK(!(fl & PTE_W) && !(fl & PTE_U) && !(fl & PTE_NX));
	CHECK(pt_set_flags(root, KERNEL_VBASE, PTE_NX));
	CHECK(pt_lookup(root, KERNEL_VBASE, &pa, &fl) && pa == 0x200000 && (fl & PTE_NX));
}

TEST(pagetable_unmap_removes_one_page)
{
	uint64_t root = fresh_root(), pa, fl;
	CHECK(pt_map(root, 0x400000, 0x200000, 0x2000, PTE_U, 0) == 0);
	pt_unmap(root, 0x400000);
	CHECK(!pt_lookup(root, 0x400000, &pa, &fl));
	CHECK(pt_lookup(root, 0x401000, &pa, &fl) && pa == 0x201000);
	pt_unmap(root, 0x9000000); /* not mapped: nothing happens */
}

TEST(pagetable_reports_out_of_memory)
{
	uint64_t root = fresh_root_of(2);
	CHECK(pt_map(root, 0x400000, 0, PAGE_SIZE, 0, 0) == -1);
}

/* A synthetic UEFI map: descriptors 48 bytes apart (firmware may use more than sizeof). */
#define DSIZE 48
static unsigned char map[16 * DSIZE];
static int nmap;

static void desc(uint32_t type, uint64_t phys, uint64_t pages)
{
	struct efi_memdesc d = { .type = type, .phys = phys, .pages = pages };
	memcpy(map + nmap++ * DSIZE, &d, sizeof(d));
}

static void synthetic_map(void)
{
	nmap = 0;
	memset(map, 0, sizeof(map));
	desc(EFI_MEM_CONVENTIONAL, 0x0, 0x9f);        /* below 1 MiB: never handed out */
	desc(EFI_MEM_CONVENTIONAL, 0x100000, 0x100);  /* 1 MiB .. 2 MiB */
	desc(EFI_MEM_CONVENTIONAL, 0x200000, 0x100);  /* adjacent: merged */
	desc(EFI_MEM_LOADER_DATA, 0x300000, 0x10);    /* the kernel and the app: kept */
	desc(EFI_MEM_CONVENTIONAL, 0x310000, 2);
	desc(EFI_MEM_MMIO, 0xfec00000, 1);
}

TEST(frames_hand_out_conventional_memory_above_1mib_in_order)
{
	synthetic_map();
	frames_init(map, nmap * DSIZE, DSIZE);
	CHECK(frames_free() == 0x202);
	CHECK(frame_alloc() == 0x100000);
	for (int i = 1; i < 0x200; i++)
		frame_alloc();
	CHECK(frame_alloc() == 0x310000); /* skipped the loader data */
	CHECK(frame_alloc() == 0x311000);
	CHECK(frame_alloc() == 0);        /* exhausted */
	CHECK(frames_free() == 0);
	CHECK(frames_dropped() == 0);
}

TEST(frames_given_back_are_taken_first_and_zeroed)
{
	uint64_t root = fresh_root_of(4), left = frames_free();
	uint64_t a = frame_alloc(), b = frame_alloc();
	CHECK(a && b && frames_free() == left - 2);
	memset(frame_ptr(a), 0x5a, PAGE_SIZE);
	frame_free(a);
	frame_free(b);
	CHECK(frames_free() == left);
	CHECK(frame_alloc() == b && frame_alloc() == a); /* the last one given back first */
	CHECK(((unsigned char *)frame_ptr(a))[100] == 0);
	CHECK(root != 0);
}

TEST(pagetable_raw_entries_keep_software_bits)
{
	uint64_t root = fresh_root();
	CHECK(pt_get(root, 0x400000) == 0);                 /* no tables yet */
	CHECK(pt_set(root, 0x400000, BITL(9)) == 0);        /* not present, a software bit */
	CHECK(pt_get(root, 0x400000) == BITL(9));
	uint64_t pa, fl;
	CHECK(!pt_lookup(root, 0x400000, &pa, &fl));        /* not a mapping */
	CHECK(pt_set(root, 0x401000, 0x123000 | PTE_P | PTE_U) == 0);
	CHECK(pt_lookup(root, 0x401000, &pa, &fl) && pa == 0x123000);
	CHECK(pt_get(root, 0x402000) == 0);
}

TEST(pagetable_next_entry_skips_what_is_empty)
{
	uint64_t root = fresh_root(), far = 0x7f0000000000ull;
	CHECK(pt_next_entry(root, 0x10000, USER_TOP) == USER_TOP);   /* nothing at all */
	CHECK(pt_set(root, 0x401000, BITL(9)) == 0);                  /* a software bit counts */
	CHECK(pt_set(root, far, 0x123000 | PTE_P | PTE_U) == 0);
	CHECK(pt_next_entry(root, 0x10000, USER_TOP) == 0x401000);
	CHECK(pt_next_entry(root, 0x402000, USER_TOP) == far);
	CHECK(pt_next_entry(root, 0x402000, far) == far);              /* end, exclusive */
	CHECK(pt_next_entry(root, far + PAGE_SIZE, USER_TOP) == USER_TOP);
}

TEST(physmap_covers_the_whole_synthetic_map)
{
	synthetic_map();
	uint64_t end = memmap_end(map, nmap * DSIZE, DSIZE), root = fresh_root(), pa, fl;
	CHECK(end == 0xfee00000); /* the MMIO descriptor's end, rounded up to 2 MiB */
	CHECK(pt_map(root, PHYSMAP_BASE, 0, end, PTE_W | PTE_NX, 1) == 0);
	CHECK(pt_lookup(root, PHYSMAP_BASE + 0x310123, &pa, &fl) && pa == 0x310123);
	CHECK(pt_lookup(root, PHYSMAP_BASE + 0xfec00000, &pa, &fl) && pa == 0xfec00000);
	CHECK(!pt_lookup(root, PHYSMAP_BASE + end, &pa, &fl));
}

TEST(user_range_check_has_no_wraparound)
{
	CHECK(user_range_ok(0x400000, 0x1000));
	CHECK(user_range_ok(USER_TOP - 8, 8));
	CHECK(!user_range_ok(USER_TOP - 8, 9));
	CHECK(!user_range_ok(0, 8));                      /* null page */
	CHECK(!user_range_ok(KERNEL_VBASE, 8));
	CHECK(!user_range_ok(0x400000, (uint64_t)-1));    /* length wraps */
	CHECK(!user_range_ok(USER_STACK_TOP - 8, (uint64_t)-0x1000));
}

/* The user-copy check (kernel/vm.c user_mapped) is user_range_ok + pt_range_has: at the edges. */
static int user_ok(uint64_t root, uint64_t va, uint64_t len, int write)
{
	return user_range_ok(va, len) && pt_range_has(root, va, len, PTE_U | (write ? PTE_W : 0));
}

TEST(user_copy_checks_at_the_edges)
{
	uint64_t root = fresh_root(), last = USER_TOP - PAGE_SIZE;
	CHECK(pt_map(root, USER_MIN, 0x100000, PAGE_SIZE, PTE_U | PTE_W, 0) == 0);
	CHECK(pt_map(root, last, 0x101000, PAGE_SIZE, PTE_U, 0) == 0);           /* the last user page, read-only */
	CHECK(pt_map(root, KERNEL_VBASE, 0x102000, PAGE_SIZE, PTE_W, 0) == 0);   /* supervisor */
	CHECK(!user_ok(root, 0, 1, 0));                                         /* address 0 */
	CHECK(!user_ok(root, USER_MIN - 1, 2, 0));                              /* straddles USER_MIN */
	CHECK(user_ok(root, USER_MIN, PAGE_SIZE, 1));
	CHECK(!user_ok(root, USER_MIN, PAGE_SIZE + 1, 0));                      /* runs into an unmapped page */
	CHECK(user_ok(root, last, PAGE_SIZE, 0));                               /* up to the last byte */
	CHECK(!user_ok(root, last, PAGE_SIZE, 1));                              /* read-only */
	CHECK(!user_ok(root, USER_TOP - 1, 2, 0));                              /* into the first non-canonical byte */
	CHECK(!user_ok(root, USER_TOP, 1, 0));                                  /* the first non-canonical address */
	CHECK(!user_ok(root, KERNEL_VBASE, 8, 0));                              /* mapped, but not user */
	CHECK(!user_ok(root, USER_MIN, (uint64_t)-USER_MIN, 0));                /* wraps to 0 */
	CHECK(!user_ok(root, last, (uint64_t)-1, 0));
	CHECK(user_ok(root, USER_MIN + 5, 0, 1));                               /* empty range inside */
}
