/*
 * proc.h: the one process ringbench runs, as the Linux personality sees it (xv6's struct proc): its
 * memory map, its thread-local storage and identity, its limits. One app, one address space, one CPU:
 * there is exactly one, `proc`. Also every cross-file function of services/, grouped by the file that
 * defines it. The machine underneath (paging, consoles, clocks, the doors) is kernel/'s (kernel/defs.h).
 */
#ifndef RINGBENCH_PROC_H
#define RINGBENCH_PROC_H
#include "../kernel/defs.h"
#include "../lib/linux.h"

#define RINGBENCH_PID 1      /* the one process, and its one thread */
#define RINGBENCH_PPID 0     /* no parent: what Linux reports for init */
#define FD_STDIN 0
#define FD_MAX 3             /* the console's three descriptors: 0 reads end-of-file, 1 and 2 write */
#define PROC_BRK_MAX (1ull << 32) /* how far the heap may grow past the program's end: 4 GiB */
/* uname's release: a Linux version, the form glibc checks (its minimum is 3.2), and whose it is */
#define LINUX_RELEASE "6.1.0-ringbench"

struct proc {
	/* memory (mm.c): the heap grows from brk_start to brk, at most brk_max; anonymous mappings are
	 * placed top-down below mmap_top. The page tables themselves are the map of what is mapped. */
	uint64_t brk_start, brk, brk_max, mmap_top;
	/* thread-local storage and identity (proc.c): the FS and GS bases live in their MSRs */
	uint64_t clear_child_tid, robust_list, robust_len;
	/* limits (proc.c): what getrlimit reports; ringbench enforces the ones it has (RLIMIT_NOFILE) */
	struct linux_rlimit limits[RLIMIT_NLIMITS];
};
extern struct proc proc;

/* exec.c: app_run, app_exit, app_kill (declared in kernel/defs.h: the machine calls them) */

/* proc.c */
void proc_init(uint64_t brk_start);

/* mm.c: the app's memory. Two software bits of a not-present user PTE mark what the hardware cannot:
 * a page of the program's with PROT_NONE (its frame, if it has one, kept in the address bits), and the
 * stack's guard page, which is nobody's to map. */
#define PTE_SOFT_NONE  BITL(9)
#define PTE_SOFT_GUARD BITL(10)

/* unimpl.c: the Linux calls the app asked for that ringbench does not provide */
void unimpl_print(void);
#endif
