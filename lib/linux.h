/*
 * linux.h: the structures and constants of Linux's x86-64 system-call ABI that ringbench's services
 * (services/) serve, with Linux's values and layouts, so that unmodified Linux programs read them the
 * same way. The calls' numbers are entry/syscall.tbl's; the errno values lib/errno.h's.
 */
#ifndef RINGBENCH_LINUX_H
#define RINGBENCH_LINUX_H
#include <stdint.h>

/* arch_prctl codes */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* mmap, mprotect, mremap, madvise */
#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4
#define PROT_SEM   0x8
#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_SHARED_VALIDATE 0x03
#define MAP_TYPE            0x0f
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4
#define MADV_DONTNEED    4
#define MADV_LAST_KNOWN  25  /* MADV_* 0 .. 25 are Linux's advice values */
#define MADV_HWPOISON    100 /* and these two, for testing memory failure */
#define MADV_SOFT_OFFLINE 101

/* Auxiliary-vector keys (System V x86-64 ABI 3.4.3 and Linux's include/uapi/linux/auxvec.h) */
#define AT_NULL     0
#define AT_PHDR     3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25 /* 16 bytes */
#define AT_HWCAP2   26
#define AT_EXECFN   31
#define AT_SYSINFO_EHDR 33 /* the vDSO's ELF header */
#define AT_MINSIGSTKSZ 51
#define LINUX_CLK_TCK 100 /* times() ticks per second, as Linux reports USER_HZ */

/* Clocks */
#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define TIMER_ABSTIME            1

/* Files and terminals */
#define PATH_MAX       4096
#define NAME_MAX       255
#define AT_FDCWD       (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR   0x200
#define AT_EACCESS     0x200
#define AT_EMPTY_PATH  0x1000
#define O_ACCMODE      03
#define O_RDONLY       00
#define O_WRONLY       01
#define O_RDWR         02
#define O_CREAT        0100
#define O_EXCL         0200
#define O_TRUNC        01000
#define O_APPEND       02000
#define O_DIRECTORY    0200000
#define O_NOFOLLOW     0400000
#define O_CLOEXEC      02000000
#define O_PATH         010000000
#define S_IFMT         0170000
#define S_IFSOCK       0140000
#define S_IFLNK        0120000
#define S_IFREG        0100000
#define S_IFDIR        0040000
#define S_IFCHR        0020000
#define S_IFIFO        0010000
#define S_ISDIR(m)     (((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)     (((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)     (((m) & S_IFMT) == S_IFLNK)
#define SEEK_SET       0
#define SEEK_CUR       1
#define SEEK_END       2
#define F_DUPFD        0
#define F_GETFD        1
#define F_SETFD        2
#define F_GETFL        3
#define F_SETFL        4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC     1
#define R_OK           4
#define W_OK           2
#define X_OK           1
#define TCGETS         0x5401
#define TIOCGWINSZ     0x5413
#define GRND_NONBLOCK  0x1
#define GRND_RANDOM    0x2
#define GRND_INSECURE  0x4

/* Resource limits */
#define RLIMIT_STACK   3
#define RLIMIT_NOFILE  7
#define RLIMIT_NLIMITS 16
#define RLIM_INFINITY  (~0ull)

struct linux_timeval {
	int64_t tv_sec, tv_usec;
};

struct linux_iovec {
	uint64_t base, len;
};
_Static_assert(sizeof(struct linux_iovec) == 16, "struct iovec as in Linux x86-64");

struct linux_rlimit {
	uint64_t cur, max;
};

#define UTS_FIELD 65
struct linux_utsname {
	char sysname[UTS_FIELD], nodename[UTS_FIELD], release[UTS_FIELD], version[UTS_FIELD],
		machine[UTS_FIELD], domainname[UTS_FIELD];
};
_Static_assert(sizeof(struct linux_utsname) == 6 * 65, "struct new_utsname as in Linux");

/* struct stat of x86-64 (Linux's arch/x86/include/uapi/asm/stat.h) */
struct linux_stat {
	uint64_t dev, ino, nlink;
	uint32_t mode, uid, gid, pad0;
	uint64_t rdev;
	int64_t size, blksize, blocks;
	int64_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	int64_t unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat as in Linux x86-64");

/* struct statx (include/uapi/linux/stat.h): 256 bytes */
#define STATX_BASIC_STATS 0x7ff
struct linux_statx_timestamp {
	int64_t sec;
	uint32_t nsec, reserved;
};
struct linux_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct linux_statx_timestamp atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare2[14];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx as in Linux");

/* One entry of getdents64 (struct linux_dirent64), its name following */
struct linux_dirent64 {
	uint64_t ino;
	int64_t off;
	uint16_t reclen;
	uint8_t type;
	char name[];
};
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

struct linux_termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
};
_Static_assert(sizeof(struct linux_termios) == 36, "struct termios as TCGETS copies it");

struct linux_winsize {
	uint16_t row, col, xpixel, ypixel;
};
#endif
