/*
 * linux_abi.c: a stranger's program. Written for Linux's raw x86-64 syscall ABI only (no ringbench header,
 * built by the host's gcc, not ringbench's clang), it must run unchanged on ringbench and on Linux:
 * it reads argc/argv/auxv from the process-start stack, writes, reads CLOCK_MONOTONIC, and exits 0.
 * tests/integration.py boots it with APP= and checks the JSON line it prints.
 */
typedef unsigned long u64;

__asm__(".globl _start\n"
	"_start:\n\t"
	"xorl %ebp, %ebp\n\t"
	"movq %rsp, %rdi\n\t" /* start(sp): sp[0] = argc */
	"andq $-16, %rsp\n\t"
	"call start\n\t"
	"ud2");

static long sys3(long nr, long a, long b, long c)
{
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}

static u64 len(const char *s)
{
	u64 n = 0;
	while (s[n])
		n++;
	return n;
}

static void put(const char *s) { sys3(1, 1, (long)s, (long)len(s)); }

static void put_num(u64 v)
{
	char b[24];
	int i = sizeof(b) - 1;
	b[i] = 0;
	do
		b[--i] = (char)('0' + v % 10);
	while (v /= 10);
	put(b + i);
}

__attribute__((noreturn)) void start(u64 *sp)
{
	u64 argc = sp[0], pagesz = 0;
	char **argv = (char **)(sp + 1);
	u64 *p = sp + 1 + argc + 1; /* envp */
	while (*p)
		p++;
	for (p++; p[0]; p += 2) /* auxv pairs up to AT_NULL */
		if (p[0] == 6)  /* AT_PAGESZ */
			pagesz = p[1];
	struct { long sec, nsec; } ts = { -1, -1 };
	long clock = sys3(228, 1, (long)&ts, 0); /* clock_gettime(CLOCK_MONOTONIC) */
	put("{\"type\":\"test\",\"name\":\"linux_abi_app\",\"ok\":true,\"detail\":\"argc=");
	put_num(argc);
	put(" last_arg=");
	put(argv[argc - 1]);
	put(" pagesz=");
	put_num(pagesz);
	put(" clock_ret=");
	put_num((u64)clock);
	put(ts.sec >= 0 && ts.nsec >= 0 && ts.nsec < 1000000000 ? " clock_ok" : " clock_bad");
	put("\"}\n");
	sys3(231, 0, 0, 0); /* exit_group(0) */
	for (;;)
		;
}
