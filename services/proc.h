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
#define FD_MAX 64            /* descriptors a process may have open: EMFILE past them */
#define OFILE_MAX 64         /* open files (what open makes and dup shares) */
#define PROC_BRK_MAX (1ull << 32) /* how far the heap may grow past the program's end: 4 GiB */
/* uname's release: a Linux version, the form glibc checks (its minimum is 3.2), and whose it is */
#define LINUX_RELEASE "6.1.0-ringbench"

/* The RAM filesystem's inodes (fs.c). mode 0: a free slot. */
#define FS_INODES 4096
#define ROOT_INO 1
enum { DEV_NONE, DEV_NULL, DEV_ZERO, DEV_CONSOLE };
struct inode {
	uint32_t mode, parent, nlink, dev; /* dev: DEV_* for the character devices */
	uint32_t opens;                    /* open files on it (fd.c keeps the count) */
	uint64_t size, mtime, index;       /* index: the frame of the data's page index, 0 when none */
	char name[NAME_MAX + 1];
};

/* An open file: what open makes and dup shares (its offset too) (fd.c). refs 0: a free slot. */
struct ofile {
	uint32_t ino, flags, refs; /* flags: O_ACCMODE, O_APPEND and the rest F_GETFL reports */
	uint64_t off;
};

struct proc {
	/* memory (mm.c): the heap grows from brk_start to brk, at most brk_max; anonymous mappings are
	 * placed top-down below mmap_top. The page tables themselves are the map of what is mapped. */
	uint64_t brk_start, brk, brk_max, mmap_top;
	/* thread-local storage and identity (proc.c): the FS and GS bases live in their MSRs */
	uint64_t clear_child_tid, robust_list, robust_len;
	/* limits (proc.c): what getrlimit reports; ringbench enforces the ones it has (RLIMIT_NOFILE) */
	struct linux_rlimit limits[RLIMIT_NLIMITS];
	/* files (fd.c, path.c): the descriptors (an open file's index + 1, 0 when closed), the open files,
	 * the working directory */
	uint16_t fd[FD_MAX];
	uint64_t cloexec; /* a bit per descriptor: FD_CLOEXEC (kept; nothing execs) */
	struct ofile files[OFILE_MAX];
	uint32_t cwd, umask;
};
extern struct proc proc;

/* exec.c: app_run, app_exit, app_kill (declared in kernel/defs.h: the machine calls them) */

/* proc.c */
void proc_init(uint64_t brk_start);
long proc_getcpu(uint64_t ucpu, uint64_t unode);

/* mm.c: the app's memory. Two software bits of a not-present user PTE mark what the hardware cannot:
 * a page of the program's with PROT_NONE (its frame, if it has one, kept in the address bits), and the
 * stack's guard page, which is nobody's to map. */
#define PTE_SOFT_NONE  BITL(9)
#define PTE_SOFT_GUARD BITL(10)
bool mm_programs_page(uint64_t va);

/* vsyscall.c: the legacy vsyscall page */
void vsyscall_init(void);
bool vsyscall_fault(struct trapframe *tf, uint64_t cr2); /* a #PF of ring 3: true when handled there */

/* signal.c */
void signal_force_fault(const struct trapframe *tf, int sig, int code, uint64_t addr);
uint64_t signal_frame_max(void);   /* the largest signal frame, for AT_MINSIGSTKSZ */
void signal_print_summary(void);  /* at the end: how many faults handlers took, past those with a line */

/* fs.c: the RAM filesystem */
const char *fs_init(const uint8_t *archive, size_t size, size_t *where);
struct inode *fs_inode(uint32_t ino);
long fs_io(uint32_t ino, uint64_t off, uint64_t buf, uint64_t len, bool from_file, bool user);
long fs_truncate(uint32_t ino, uint64_t size);
long fs_create(uint32_t dir, const char *name, uint32_t mode, uint32_t *ino);
long fs_remove(uint32_t ino);
void fs_closed(uint32_t ino);
long fs_move(uint32_t ino, uint32_t dir, const char *name);
long fs_lookup(uint32_t dir, const char *path, bool follow, uint32_t *ino);
long fs_lookup_parent(uint32_t dir, const char *path, uint32_t *parent, char *name, uint32_t *ino);
long fs_path_of(uint32_t dir, char *buf, size_t cap);
uint32_t fs_next_child(uint32_t dir, uint32_t after);
bool fs_dir_empty(uint32_t dir);

/* fd.c: descriptors */
void fd_init(uint32_t stdin_ino);
long fd_install(uint32_t ino, uint32_t flags, uint64_t min_fd); /* the new descriptor, or -errno */
struct ofile *fd_file(uint64_t fd);                             /* NULL when fd is not open */
void inode_stat(uint32_t ino, struct linux_stat *st);
long stat_inode(uint32_t ino, uint64_t ustat);

/* time.c */
void clocks_init(struct rb_time_page *user_page);
uint64_t fs_now(void); /* seconds since 1970: what a file's times say */
long clock_gettimeofday(uint64_t utv, uint64_t utz);
long clock_time(uint64_t ut);

/* unimpl.c: the Linux calls the app asked for that ringbench does not provide */
void unimpl_print(void);
#endif
