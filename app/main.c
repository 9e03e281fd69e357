/*
 * main.c: the ringbench app, started by the kernel in ring 3 with the arguments from the configuration.
 *   (no argument)                         the self-tests, then (if they pass) the benchmark
 *   selftest [exit=DOOR]                  greet, run the self-tests, exit through DOOR (default syscall);
 *                                         exit status = tests failed
 *   bench [iters=N batch=N warmup=N paths=a,b modes=sample,batch]  the latency benchmark (bench.c)
 *   fault-kernel-read                     read a kernel address: the kernel must kill the app
 *   int-0x81, noncanonical-return,        the entry hazards of app/hazards.S: each must end the app
 *   single-step-{syscall,int80,sysenter}  with a fault line, never the kernel
 */
#include "app.h"
#include "../lib/memlayout.h"
#include "probe.h"

void json_test(const char *name, int ok, const char *detail)
{
	char esc[2 * DETAIL_MAX];
	json_escape(esc, sizeof(esc), detail);
	printf("{\"type\":\"test\",\"name\":\"%s\",\"ok\":%s,%s\"detail\":\"%s\"}\n", name, ok ? "true" : "false",
	       ok < 0 ? "\"skipped\":true," : "", esc);
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

/* The hazards of app/hazards.S: each ends the app with a fault; none returns. */
void single_step_syscall(void), single_step_int80(void), single_step_sysenter(void);
void int_0x81(void), syscall_at_top(void);

static const struct mode {
	const char *name;
	void (*run)(void);
	int door; /* the door it needs, or -1 */
} hazards[] = {
	{ "single-step-syscall", single_step_syscall, DOOR_SYSCALL },
	{ "single-step-int80", single_step_int80, DOOR_INT80 },
	{ "single-step-sysenter", single_step_sysenter, DOOR_SYSENTER },
	{ "int-0x81", int_0x81, -1 },
	{ "noncanonical-return", syscall_at_top, DOOR_SYSCALL },
};

static int run_hazard(const struct mode *m)
{
	if (m->door >= 0 && !door_served(m->door)) {
		printf("%s: the kernel does not serve the %s door on this CPU; not run\n", m->name, doors[m->door].name);
		return 3;
	}
	printf("%s: the kernel must end this app with a fault line\n", m->name);
	flush();
	m->run();
	return 4; /* not reached */
}

/* selftest [exit=DOOR]: the final exit_group goes through that door. */
static int selftest(int argc, char **argv)
{
	for (int d = 0; argc > 2 && d < NDOORS; d++)
		if (!strncmp(argv[2], "exit=", 5) && !strncmp(argv[2] + 5, doors[d].name, 16) && door_served(d))
			exit_door = doors[d].exit_group;
	return run_selftests();
}

int main(int argc, char **argv)
{
	greet(argc, argv);
	if (argc < 2) { /* the default run: check the doors, then measure them */
		int failed = run_selftests();
		return failed ? failed : run_bench(argc, argv);
	}
	if (!strncmp(argv[1], "selftest", 9))
		return selftest(argc, argv);
	if (!strncmp(argv[1], "bench", 6))
		return run_bench(argc, argv);
	if (!strncmp(argv[1], "fault-kernel-read", 18))
		return fault_kernel_read();
	for (unsigned i = 0; i < sizeof(hazards) / sizeof(hazards[0]); i++)
		if (!strncmp(argv[1], hazards[i].name, 32))
			return run_hazard(&hazards[i]);
	printf("unknown mode '%s' (expected selftest [exit=syscall|int80|sysenter], bench [...], fault-kernel-read, "
	       "int-0x81, noncanonical-return or single-step-{syscall,int80,sysenter})\n", argv[1]);
	return 2;
}
