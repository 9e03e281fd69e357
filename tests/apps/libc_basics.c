/*
 * libc_basics.c: an ordinary Linux program against libc, built with both musl-gcc -static and gcc
 * -static, run on the host's Linux and on ringbench, and its output compared line for line
 * (tests/boots_linux.py): stdio, malloc and realloc small and large, anonymous mmap and its relatives,
 * thread-local storage, time, identity, the environment, syscall(), and errno on bad input.
 * A line that may rightly differ between the two (a pid, a time, the machine's name) starts with "~ ":
 * only the part up to its first colon is compared.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define SMALL_BLOCKS 1000
#define LARGE (64u << 20)

static __thread int per_thread = 5;

static void say(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

static void heap(void)
{
	char *blocks[SMALL_BLOCKS];
	int ok = 1;
	for (int i = 0; i < SMALL_BLOCKS; i++) {
		size_t n = (size_t)(i * 7 % 300) + 1;
		blocks[i] = malloc(n);
		memset(blocks[i], i & 0xff, n);
	}
	for (int i = 0; i < SMALL_BLOCKS; i++) {
		ok &= blocks[i][(i * 7 % 300)] == (char)(i & 0xff);
		free(blocks[i]);
	}
	say("malloc small blocks", ok);
	unsigned char *big = malloc(LARGE);
	memset(big, 0xab, LARGE);
	big = realloc(big, 2 * LARGE);
	ok = big && big[0] == 0xab && big[LARGE - 1] == 0xab;
	memset(big + LARGE, 0xcd, LARGE);
	ok &= big[2 * LARGE - 1] == 0xcd;
	free(big);
	say("malloc and realloc large blocks", ok);
}

static void mappings(void)
{
	unsigned char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	say("mmap gives zeroed pages", p != MAP_FAILED && p[0] == 0 && p[3 * PAGE - 1] == 0);
	memset(p, 0x11, 3 * PAGE);
	say("mprotect read-only", mprotect(p + 2 * PAGE, PAGE, PROT_READ) == 0 && p[2 * PAGE] == 0x11);
	say("munmap the last page", munmap(p + 2 * PAGE, PAGE) == 0);
	unsigned char *q = mremap(p, 2 * PAGE, 6 * PAGE, MREMAP_MAYMOVE);
	say("mremap grows and keeps the contents", q != MAP_FAILED && q[0] == 0x11 && q[2 * PAGE - 1] == 0x11 &&
						  q[6 * PAGE - 1] == 0);
	void *taken = mmap(q, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	say("MAP_FIXED_NOREPLACE over a mapping is EEXIST", taken == MAP_FAILED && errno == EEXIST);
	say("madvise DONTNEED zeroes", madvise(q, PAGE, MADV_DONTNEED) == 0 && q[0] == 0 && q[PAGE] == 0x11);
	say("mremap shrinks in place", mremap(q, 6 * PAGE, PAGE, 0) == q);
	say("munmap", munmap(q, PAGE) == 0);
	errno = 0;
	say("mmap of length 0 is EINVAL", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
						  errno == EINVAL);
	say("munmap of an unaligned address is EINVAL", munmap((char *)q + 1, PAGE) == -1 && errno == EINVAL);
	say("mprotect with unknown bits is EINVAL", mprotect(q, PAGE, 0x100) == -1 && errno == EINVAL);
	say("mprotect of an unmapped range is ENOMEM", mprotect(q, PAGE, PROT_READ) == -1 && errno == ENOMEM);
}

static void bad_input(void)
{
	struct timespec ts;
	const char *volatile bad = (const char *)8;
	say("write from a bad pointer is EFAULT", write(1, bad, 5) == -1 && errno == EFAULT);
	say("write to a closed descriptor is EBADF", write(42, "x", 1) == -1 && errno == EBADF);
	say("clock_gettime of an unknown clock is EINVAL", clock_gettime(99, &ts) == -1 && errno == EINVAL);
	say("clock_gettime into a bad pointer is EFAULT", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, 8) == -1 &&
								 errno == EFAULT);
	say("an unknown system call is ENOSYS", syscall(500) == -1 && errno == ENOSYS);
}

static long long ns(struct timespec t) { return t.tv_sec * 1000000000ll + t.tv_nsec; }

static void clocks(void)
{
	struct timespec a, b, nap = { 0, 20 * 1000 * 1000 }, res;
	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	say("nanosleep sleeps at least as long as asked", ns(b) - ns(a) >= ns(nap));
	say("clock_getres", clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	time_t now = time(NULL);
	say("the real time is plausible", now > 1600000000 && now < 4102444800 && tv.tv_sec - now < 2);
	printf("~ time: %lld\n", (long long)now);
}

static void identity(char **argv)
{
	struct utsname u;
	struct rlimit stack;
	printf("~ pid: %d, parent %d\n", getpid(), getppid());
	say("syscall(SYS_getpid) is getpid()", syscall(SYS_getpid) == getpid());
	say("uname", uname(&u) == 0 && !strcmp(u.machine, "x86_64"));
	printf("~ uname: %s %s\n", u.sysname, u.release);
	printf("page size %ld\n", sysconf(_SC_PAGESIZE));
	say("getrlimit(RLIMIT_STACK)", getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur > 0);
	printf("~ argv[0]: %s\n", argv[0]);
	struct tms t;
	printf("~ times: %ld\n", (long)times(&t)); /* not provided by ringbench: named in its report */
	per_thread++;
	printf("thread-local %d\n", per_thread);
}

int main(int argc, char **argv)
{
	printf("argc %d\n", argc);
	for (int i = 1; i < argc; i++)
		printf("argv[%d] [%s]\n", i, argv[i]);
	printf("NAME=%s OTHER=%s\n", getenv("NAME") ? getenv("NAME") : "(unset)",
	       getenv("OTHER") ? getenv("OTHER") : "(unset)");
	identity(argv);
	heap();
	mappings();
	clocks();
	bad_input();
	printf("done\n");
	return 7;
}
