/*
 * main.c: the ringbench app, started by the kernel in ring 3 with the arguments from the configuration.
 *   (no argument) | selftest   greet, then run the self-tests; exit status = tests failed
 *   fault-kernel-read          read a kernel address: the kernel must kill the app (a test of the boundary)
 */
#include "app.h"
#include "../lib/memlayout.h"

void json_test(const char *name, int ok, const char *detail)
{
	char esc[2 * DETAIL_MAX];
	json_escape(esc, sizeof(esc), detail);
	printf("{\"type\":\"test\",\"name\":\"%s\",\"ok\":%s,\"detail\":\"%s\"}\n", name, ok ? "true" : "false", esc);
}

static void greet(int argc, char **argv)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	printf("hello from ring 3: %s running at CPL %d, pid %ld\n", argv[0], cs & 3, syscall_getpid());
	for (int i = 1; i < argc; i++)
		printf("  argv[%d] = %s\n", i, argv[i]);
}

static int fault_kernel_read(void)
{
	printf("reading kernel address %p from ring 3: the kernel must kill this app\n", (void *)KERNEL_VBASE);
	flush();
	return *(volatile int *)KERNEL_VBASE;
}

int main(int argc, char **argv)
{
	greet(argc, argv);
	if (argc < 2 || !strncmp(argv[1], "selftest", 9))
		return run_selftests();
	if (!strncmp(argv[1], "fault-kernel-read", 18))
		return fault_kernel_read();
	printf("unknown mode '%s' (expected selftest or fault-kernel-read)\n", argv[1]);
	return 2;
}
