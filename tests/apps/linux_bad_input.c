/*
 * linux_bad_input.c: each call ringbench provides that takes a user pointer, given hostile ones (null,
 * a kernel address, an unmapped page, a read-only page for what the kernel writes, a range that wraps
 * around the address space), and absurd sizes; the file calls in the tree tests/boots_linux.py gives
 * both runs. It prints what each returned; tests/boots_linux.py
 * runs it on the host's Linux and on ringbench and compares: Linux is the oracle. (Left out: what
 * differs by design: a terminal's ioctl, since the host's run writes to a pipe; and a writev whose
 * later buffer is bad, which Linux half-does and ringbench refuses whole.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define PAGE 4096

static const char *name(long r)
{
	static char buf[16];
	if (r >= 0)
		return "ok";
	snprintf(buf, sizeof(buf), "errno %d", errno);
	return buf;
}

int main(void)
{
	char *ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *gone = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone, PAGE);
	const uintptr_t bad[] = { 0, 0xffffffff80000000ul, (uintptr_t)gone, (uintptr_t)ro, 0xffffffffffffff00ul };
	const char *kind[] = { "null", "kernel", "unmapped", "read-only", "wrapping" };
	for (int i = 0; i < 5; i++) {
		uintptr_t p = bad[i];
		printf("%-9s uname %s", kind[i], name(syscall(SYS_uname, p)));
		printf(" getrlimit %s", name(syscall(SYS_getrlimit, 3, p)));
		printf(" prlimit64 %s", name(syscall(SYS_prlimit64, 0, 3, 0, p)));
		printf(" arch_prctl %s", name(syscall(SYS_arch_prctl, 0x1003, p)));
		printf(" clock_gettime %s", name(syscall(SYS_clock_gettime, 1, p)));
		printf(" clock_getres %s", name(syscall(SYS_clock_getres, 1, p)));
		printf(" gettimeofday %s", name(syscall(SYS_gettimeofday, p, 0)));
		printf(" nanosleep %s", name(syscall(SYS_nanosleep, p, 0)));
		printf(" getrandom %s", name(syscall(SYS_getrandom, p, 16, 0)));
		printf(" fstat %s", name(syscall(SYS_fstat, 1, p)));
		printf(" writev %s", name(syscall(SYS_writev, 1, p, 1)));
		printf(" readv %s\n", name(syscall(SYS_readv, 0, p, 1)));
		/* the file calls, in the tree tests/boots_linux.py gives both runs */
		struct stat st;
		int fd = open("data/a.txt", O_RDONLY), dir = open("data", O_RDONLY | O_DIRECTORY);
		printf("%-9s open %s", kind[i], name(syscall(SYS_open, p, O_RDONLY)));
		printf(" stat-path %s", name(syscall(SYS_stat, p, &st)));
		printf(" stat-buf %s", name(syscall(SYS_stat, "data/a.txt", p)));
		printf(" newfstatat %s", name(syscall(SYS_newfstatat, AT_FDCWD, p, &st, 0)));
		printf(" statx %s", name(syscall(SYS_statx, AT_FDCWD, "data/a.txt", 0, 0x7ff, p)));
		printf(" read %s", name(syscall(SYS_read, fd, p, 4)));
		printf(" pread64 %s", name(syscall(SYS_pread64, fd, p, 4, 0)));
		printf(" getdents64 %s", name(syscall(SYS_getdents64, dir, p, 4096)));
		printf(" getcwd %s", name(syscall(SYS_getcwd, p, 64)));
		printf(" readlink %s", name(syscall(SYS_readlink, "data/link", p, 64)));
		printf(" mkdir %s", name(syscall(SYS_mkdir, p, 0755)));
		printf(" poll %s\n", name(syscall(SYS_poll, p, 1, 0)));
		close(fd);
		close(dir);
	}
	struct iovec iov[2] = { { "", 0 }, { "", 0 } };
	printf("writev of 1025 iovecs %s\n", name(syscall(SYS_writev, 1, iov, 1025)));
	printf("getrandom of 2^62 bytes %s\n", name(syscall(SYS_getrandom, ro, 1ul << 62, 0)));
	printf("mmap of 2^62 bytes %s\n", name((long)mmap(NULL, 1ul << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
						 -1 ? -1 : 0));
	printf("mremap to 2^62 bytes %s\n", name((long)mremap(ro, PAGE, 1ul << 62, MREMAP_MAYMOVE) == -1 ? -1 : 0));
	printf("brk to the kernel %s\n", syscall(SYS_brk, 0xffffffff80000000ul) == syscall(SYS_brk, 0) ? "unchanged" :
												    "moved");
	printf("arch_prctl(ARCH_SET_FS, kernel) %s\n", name(syscall(SYS_arch_prctl, 0x1002, 0xffffffff80000000ul)));
	printf("arch_prctl(0x1234) %s\n", name(syscall(SYS_arch_prctl, 0x1234, 0)));
	printf("munmap of the kernel %s\n", name(munmap((void *)0xffffffff80000000ul, PAGE)));
	return 0;
}
