/*
 * mm.c: the app's memory, as Linux's calls shape it: brk, mmap (anonymous, or a copy of a file),
 * munmap, mprotect, mremap, madvise. The page tables are the map: a user PTE that is present, or marks a
 * PROT_NONE page of the program's (PTE_SOFT_NONE), is the program's; an empty one is free. Memory is given eagerly, zeroed;
 * running out is ENOMEM, never a panic. The stack's guard page and the time page are nobody's to change:
 * a call that would is refused with EINVAL. Reached from the doors through the table.
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/errno.h"
#include "../lib/pagetable.h"
#include "../lib/string.h"
#include "../lib/x86.h"

#define PAGE_MASK (PAGE_SIZE - 1)
#define PAGE_UP(x) (((x) + PAGE_MASK) & ~PAGE_MASK)
#define PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)

static uint64_t root(void) { return vm_root(); }

static bool touches(uint64_t page, uint64_t addr, uint64_t len) { return page + PAGE_SIZE > addr && page < addr + len; }

/* Inside the user half, and touching neither the guard page nor the time page and the vDSO. */
static bool range_ok(uint64_t addr, uint64_t len)
{
	return user_range_ok(addr, len) && !touches(USER_STACK_GUARD, addr, len) &&
	       !(addr < USER_VDSO + USER_VDSO_SIZE && addr + len > USER_TIME_PAGE);
}

/* The entry of a page of the program's with these permissions, around frame (0: none yet). */
static pte_t page_entry(uint64_t frame, uint64_t prot)
{
	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return frame | PTE_SOFT_NONE;
	return frame | PTE_P | PTE_U | (prot & PROT_WRITE ? PTE_W : 0) | (prot & PROT_EXEC ? 0 : vm_nx());
}

static bool page_free(uint64_t va) { return !pt_get(root(), va); }

static bool range_free(uint64_t addr, uint64_t len) { return pt_next_entry(root(), addr, addr + len) == addr + len; }

/* Every page of [addr, addr+len) is the program's (mapped, or PROT_NONE). */
static bool range_mapped(uint64_t addr, uint64_t len)
{
	for (uint64_t p = addr; p < addr + len; p += PAGE_SIZE)
		if (page_free(p))
			return false;
	return true;
}

/* va lies in a page of the program's (mapped, or PROT_NONE): a fault there is SEGV_ACCERR, not MAPERR. */
bool mm_programs_page(uint64_t va)
{
	return user_range_ok(va, 1) && (pt_get(root(), va) & (PTE_P | PTE_SOFT_NONE));
}

/* A fresh zeroed page (none for PROT_NONE) at va. 0 or -ENOMEM. */
static int give_page(uint64_t va, uint64_t prot)
{
	uint64_t frame = 0;
	if ((page_entry(0, prot) & PTE_P) && !(frame = frame_alloc()))
		return -ENOMEM;
	if (pt_set(root(), va, page_entry(frame, prot))) {
		if (frame)
			frame_free(frame);
		return -ENOMEM;
	}
	return 0;
}

static void drop_page(uint64_t va)
{
	pte_t e = pt_get(root(), va);
	if ((e & (PTE_P | PTE_SOFT_NONE)) && (e & PTE_ADDR_MASK))
		frame_free(e & PTE_ADDR_MASK);
	if (e)
		pt_set(root(), va, 0);
}

static void drop_range(uint64_t addr, uint64_t len)
{
	for (uint64_t p = pt_next_entry(root(), addr, addr + len); p < addr + len;
	     p = pt_next_entry(root(), p + PAGE_SIZE, addr + len))
		drop_page(p);
}

/* Whether memory is left for len bytes with these permissions and the page tables they may need (as
 * many as one per 512 pages, and the levels above): asked before any search or change, so that an
 * absurd length is ENOMEM at once rather than after the memory is spent. */
static bool affordable(uint64_t len, uint64_t prot)
{
	uint64_t pages = len / PAGE_SIZE, tables = pages / PT_ENTRIES + 3;
	return ((page_entry(0, prot) & PTE_P) ? pages : 0) + tables <= frames_free();
}

/* Fresh pages over [addr, addr+len), all or none. 0 or -ENOMEM. */
static int give_range(uint64_t addr, uint64_t len, uint64_t prot)
{
	for (uint64_t p = addr; p < addr + len; p += PAGE_SIZE)
		if (give_page(p, prot)) {
			drop_range(addr, p - addr);
			return -ENOMEM;
		}
	return 0;
}

/* Where len bytes fit: the hint if it is free, else the highest free range below mmap_top (top-down, as
 * Linux places them, which leaves the heap room to grow). 0 when nothing fits. */
static uint64_t find_hole(uint64_t hint, uint64_t len)
{
	hint &= ~PAGE_MASK;
	if (hint && range_ok(hint, len) && range_free(hint, len))
		return hint;
	for (uint64_t top = proc.mmap_top; top >= USER_MIN + len;) {
		uint64_t used = pt_next_entry(root(), top - len, top);
		if (used == top)
			return top - len;
		top = used; /* the lowest page in the way: try just below it */
	}
	return 0;
}

SYSCALL1(brk, addr)
{
	if (addr < proc.brk_start || addr > proc.brk_max)
		return (long)proc.brk;
	uint64_t old_end = PAGE_UP(proc.brk), new_end = PAGE_UP(addr);
	if (new_end > old_end && (!affordable(new_end - old_end, PROT_WRITE) || !range_ok(old_end, new_end - old_end) ||
				  !range_free(old_end, new_end - old_end) ||
				  give_range(old_end, new_end - old_end, PROT_READ | PROT_WRITE)))
		return (long)proc.brk;
	if (new_end < old_end)
		drop_range(new_end, old_end - new_end);
	kpti_user_half_changed(new_end < old_end);
	proc.brk = addr;
	return (long)addr;
}

/* What a file mapping may be: a regular file open for reading, copied into the mapping's pages (so
 * private; shared too where nothing is written through it). 0, or the errno Linux gives. */
static long file_mappable(uint64_t fd, uint64_t prot, uint64_t type)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (!S_ISREG(fs_inode(f->ino)->mode))
		return -ENODEV;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EACCES;
	if (type != MAP_PRIVATE && (prot & PROT_WRITE))
		return -ENODEV; /* a shared writable mapping would have to write back: not provided */
	return 0;
}

/* The file's bytes from off into the fresh pages of [addr, addr+len); then the permissions asked for. */
static void fill_from_file(uint64_t addr, uint64_t len, uint64_t fd, uint64_t off, uint64_t prot)
{
	for (uint64_t p = 0; p < len; p += PAGE_SIZE) {
		uint64_t frame = pt_get(root(), addr + p) & PTE_ADDR_MASK;
		fs_io(fd_file(fd)->ino, off + p, (uint64_t)P2V(frame), PAGE_SIZE, true, false);
		pt_set(root(), addr + p, page_entry(frame, prot));
	}
}

SYSCALL6(mmap, addr, len, prot, flags, fd, off)
{
	uint64_t type = flags & MAP_TYPE;
	bool file = !(flags & MAP_ANONYMOUS);
	if ((type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) || !len || (off & PAGE_MASK))
		return -EINVAL;
	long bad = file ? file_mappable(fd, prot, type) : 0;
	if (bad)
		return bad;
	/* Anonymous and shared is anonymous and private where nothing can fork: one kind of memory. */
	if (len > USER_TOP || !affordable(PAGE_UP(len), prot | (file ? PROT_READ : 0)))
		return -ENOMEM;
	len = PAGE_UP(len);
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	if (fixed) {
		if (addr & PAGE_MASK)
			return -EINVAL;
		if (!range_ok(addr, len))
			return user_range_ok(addr, len) ? -EINVAL : -ENOMEM;
		if ((flags & MAP_FIXED_NOREPLACE) && !range_free(addr, len))
			return -EEXIST;
		drop_range(addr, len);
	} else if (!(addr = find_hole(addr, len))) {
		return -ENOMEM;
	}
	int err = give_range(addr, len, prot | (file ? PROT_READ : 0)); /* a file's pages need frames to fill */
	if (!err && file)
		fill_from_file(addr, len, fd, off, prot);
	kpti_user_half_changed(fixed || err);
	return err ? err : (long)addr;
}

SYSCALL2(munmap, addr, len)
{
	if ((addr & PAGE_MASK) || !len || len > USER_TOP)
		return -EINVAL;
	len = PAGE_UP(len);
	if (!range_ok(addr, len))
		return -EINVAL;
	drop_range(addr, len);
	kpti_user_half_changed(true);
	return 0;
}

SYSCALL3(mprotect, addr, len, prot)
{
	if ((addr & PAGE_MASK) || (prot & ~(uint64_t)PROT_ALL) || len > USER_TOP)
		return -EINVAL;
	len = PAGE_UP(len);
	if (!range_ok(addr, len))
		return user_range_ok(addr, len) ? -EINVAL : -ENOMEM;
	if (!range_mapped(addr, len))
		return -ENOMEM; /* Linux: some page of the range is not mapped; nothing changed */
	for (uint64_t p = addr; p < addr + len; p += PAGE_SIZE) {
		uint64_t frame = pt_get(root(), p) & PTE_ADDR_MASK;
		if (!frame && (page_entry(0, prot) & PTE_P) && !(frame = frame_alloc()))
			return -ENOMEM;
		pt_set(root(), p, page_entry(frame, prot));
	}
	kpti_user_half_changed(true);
	return 0;
}

/* The permissions of the program's page at va, as PROT_* (for a range that mremap grows). */
static uint64_t page_prot(uint64_t va)
{
	pte_t e = pt_get(root(), va);
	if (!(e & PTE_P))
		return PROT_NONE;
	return PROT_READ | (e & PTE_W ? PROT_WRITE : 0) | (e & PTE_NX ? 0 : PROT_EXEC);
}

/* Move the pages of [from, from+len) to [to, to+len), frames and all. 0 or -ENOMEM (nothing moved). */
static int move_pages(uint64_t from, uint64_t to, uint64_t len)
{
	for (uint64_t off = 0; off < len; off += PAGE_SIZE)
		if (pt_set(root(), to + off, 0)) { /* the tables for the new place, before anything moves */
			drop_range(to, off);
			return -ENOMEM;
		}
	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		pt_set(root(), to + off, pt_get(root(), from + off));
		pt_set(root(), from + off, 0);
	}
	return 0;
}

SYSCALL5(mremap, old, old_len, new_len, flags, new_addr)
{
	if ((old & PAGE_MASK) || (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED)) || !new_len ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) || old_len > USER_TOP || new_len > USER_TOP)
		return -EINVAL; /* MREMAP_DONTUNMAP too: ringbench does not provide it */
	old_len = PAGE_UP(old_len), new_len = PAGE_UP(new_len);
	if (!old_len || !range_ok(old, old_len))
		return -EINVAL; /* old_len 0 duplicates a shared mapping, which no anonymous one is here */
	if (!range_mapped(old, old_len))
		return -EFAULT;
	if (new_len > old_len && !affordable(new_len - old_len, page_prot(old + old_len - PAGE_SIZE)))
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		if ((new_addr & PAGE_MASK) || !range_ok(new_addr, new_len) ||
		    (new_addr < old + old_len && old < new_addr + new_len))
			return -EINVAL;
		drop_range(new_addr, new_len);
	} else if (new_len <= old_len) {
		drop_range(old + new_len, old_len - new_len);
		kpti_user_half_changed(true);
		return (long)old;
	} else if (range_ok(old + old_len, new_len - old_len) && range_free(old + old_len, new_len - old_len)) {
		new_addr = old; /* grows in place */
	} else if (!(flags & MREMAP_MAYMOVE) || !(new_addr = find_hole(0, new_len))) {
		return -ENOMEM;
	}
	uint64_t keep = old_len < new_len ? old_len : new_len, prot = page_prot(old + keep - PAGE_SIZE);
	if (new_addr != old && move_pages(old, new_addr, keep))
		return -ENOMEM;
	drop_range(old + keep, old_len - keep); /* what a shrink leaves behind */
	int err = new_len > keep ? give_range(new_addr + keep, new_len - keep, prot) : 0;
	if (err && new_addr != old)
		move_pages(new_addr, old, keep); /* put it back where it was */
	kpti_user_half_changed(true);
	return err ? err : (long)new_addr;
}

SYSCALL3(madvise, addr, len, advice)
{
	if ((addr & PAGE_MASK) || len > USER_TOP ||
	    (advice > MADV_LAST_KNOWN && advice != MADV_HWPOISON && advice != MADV_SOFT_OFFLINE))
		return -EINVAL;
	len = PAGE_UP(len);
	if (!range_ok(addr, len))
		return -EINVAL;
	if (!range_mapped(addr, len))
		return -ENOMEM;
	if (advice == MADV_DONTNEED) /* private anonymous memory reads back as zeros afterwards */
		for (uint64_t p = addr; p < addr + len; p += PAGE_SIZE) {
			uint64_t frame = pt_get(root(), p) & PTE_ADDR_MASK;
			if (frame)
				memset(P2V(frame), 0, PAGE_SIZE);
		}
	return 0; /* the rest is advice */
}
