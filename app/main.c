/*
 * main.c: the ringbench app, started by the kernel in ring 3 with the arguments from the configuration.
 *   (no argument)                         the self-tests, then (if they pass) the benchmark
 *   selftest [exit=DOOR]                  greet, run the self-tests, exit through DOOR (default syscall);
 *                                         exit status = tests failed
 *   bench [iters=N batch=N warmup=N paths=a,b modes=sample,batch]  the latency benchmark (bench.c)
 *   fuzz [seed=N calls=N]                 the syscall fuzzer (fuzz.c)
 *   audit                                 audit a few calls through every door; print the log and the
 *                                         per-call counters (audit.c)
 *   caught                                every hazard, each taken by the app's signal handler, and the
 *                                         boundary's hostile sigreturn frames (caught.c)
 *   vsyscall                              calls and reads of the legacy vsyscall page (caught.c)
 *   fault-kernel-read, int-0x81, noncanonical-return, single-step-{syscall,int80,sysenter}, ...: one
 *                                         hazard (hazards[] below, app/hazards.S) with no handler: the
 *                                         signal's default action must end the app, never the kernel
 */
#include "app.h"
#include "../lib/memlayout.h"
#include "../lib/x86.h"
#include "caught.h"
#include "host.h"
#include "probe.h"

static void greet(int argc, char **argv)
{
	uint16_t cs;
	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	printf("hello from ring 3: %s running at CPL %d, pid %ld\n", argv[0], cs & 3, syscall_getpid());
	for (int i = 1; i < argc; i++)
		printf("  argv[%d] = %s\n", i, argv[i]);
}

static void fault_kernel_read(void)
{
	printf("reading kernel address %p from ring 3: it must fault\n", (void *)KERNEL_VBASE);
	flush();
	(void)*(volatile int *)KERNEL_VBASE;
}

/* The hazards of app/hazards.S: each ends the app with a fault; none returns. */
void single_step_syscall(void), single_step_int80(void), single_step_sysenter(void);
void movss_syscall(void), movss_int80(void), movss_sysenter(void);
void int_0x81(void), jump_to_top_syscall(uint64_t at);
void hazard_divide_error(void), hazard_invalid_opcode(void), hazard_breakpoint(void), hazard_alignment_check(void);
void hazard_simd_error(void), hazard_stack_overflow(void), hazard_nx_stack(void), hazard_umip_sgdt(void);
void hazard_priv_cli(void), hazard_priv_hlt(void), hazard_priv_wrmsr(void), hazard_priv_mov_cr3(void);
void hazard_port_io(void), hazard_write_time_page(void);

/* The last page of the user half, int3 but for a SYSCALL in its last two bytes: its return address is the
 * first non-canonical one. */
static void syscall_at_top(void)
{
	static const uint8_t syscall_insn[] = { 0x0f, 0x05 };
	uint64_t page = (uint64_t)syscall_raw(SYS_mmap, USER_TOP - PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (page != USER_TOP - PAGE_SIZE) {
		printf("noncanonical-return: the last page of the user half cannot be mapped (%ld)\n", (long)page);
		return;
	}
	memset((void *)page, 0xcc, PAGE_SIZE - sizeof(syscall_insn));
	memcpy((void *)(USER_TOP - sizeof(syscall_insn)), syscall_insn, sizeof(syscall_insn));
	syscall_raw(SYS_mprotect, (long)page, PAGE_SIZE, PROT_READ | PROT_EXEC, 0, 0, 0);
	jump_to_top_syscall(USER_TOP - sizeof(syscall_insn));
}

const struct hazard hazards[] = {
	{ "fault-kernel-read", fault_kernel_read, -1, T_PF },
	{ "single-step-syscall", single_step_syscall, DOOR_SYSCALL, T_DB },
	{ "single-step-int80", single_step_int80, DOOR_INT80, T_DB },
	{ "single-step-sysenter", single_step_sysenter, DOOR_SYSENTER, T_DB },
	{ "movss-syscall", movss_syscall, DOOR_SYSCALL, T_DB },
	{ "movss-int80", movss_int80, DOOR_INT80, T_DB },
	{ "movss-sysenter", movss_sysenter, DOOR_SYSENTER, T_DB },
	{ "int-0x81", int_0x81, -1, T_GP },
	{ "noncanonical-return", syscall_at_top, DOOR_SYSCALL, T_GP },
	{ "divide-error", hazard_divide_error, -1, T_DE },
	{ "invalid-opcode", hazard_invalid_opcode, -1, T_UD },
	{ "breakpoint", hazard_breakpoint, -1, T_BP },
	{ "alignment-check", hazard_alignment_check, -1, T_AC },
	{ "simd-error", hazard_simd_error, -1, T_XM },
	{ "stack-overflow", hazard_stack_overflow, -1, T_PF },
	{ "nx-stack", hazard_nx_stack, -1, T_PF },
	{ "umip-sgdt", hazard_umip_sgdt, -1, T_GP },
	{ "priv-cli", hazard_priv_cli, -1, T_GP },
	{ "priv-hlt", hazard_priv_hlt, -1, T_GP },
	{ "priv-wrmsr", hazard_priv_wrmsr, -1, T_GP },
	{ "priv-mov-cr3", hazard_priv_mov_cr3, -1, T_GP },
	{ "port-io", hazard_port_io, -1, T_GP },
	{ "write-time-page", hazard_write_time_page, -1, T_PF },
};
const unsigned hazard_count = sizeof(hazards) / sizeof(hazards[0]);

static int run_hazard(const struct hazard *m)
{
	if (m->door >= 0 && !door_served(m->door)) {
		printf("%s: the kernel does not serve the %s door on this CPU; not run\n", m->name, doors[m->door].name);
		return 3;
	}
	printf("%s: the kernel must end this app with a fault line (vector %d)\n", m->name, m->vector);
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
	if (!strncmp(argv[1], "fuzz", 5))
		return run_fuzz(argc, argv);
	if (!strncmp(argv[1], "audit", 6))
		return run_audit();
	if (!strncmp(argv[1], "caught", 7))
		return run_caught_mode();
	if (!strncmp(argv[1], "vsyscall", 9))
		return run_vsyscall_mode();
	if (!strncmp(argv[1], "trace", 6))
		return run_trace(argc, argv);
	for (unsigned i = 0; i < sizeof(hazards) / sizeof(hazards[0]); i++)
		if (!strncmp(argv[1], hazards[i].name, 32))
			return run_hazard(&hazards[i]);
	printf("unknown mode '%s'; modes: selftest [exit=syscall|int80|sysenter], bench [...], fuzz [...], audit, caught, vsyscall,",
	       argv[1]);
	for (unsigned i = 0; i < sizeof(hazards) / sizeof(hazards[0]); i++)
		printf(" %s", hazards[i].name);
	printf("\n");
	return 2;
}

/* sp[0] = argc, sp[1..argc] = argv, NULL, envp..., NULL, then the auxiliary vector (System V process
 * start): the vDSO is there under AT_SYSINFO_EHDR, its time page under AT_RB_TIME_PAGE. */
/* Called by _start (crt0.S) with the stack the kernel built. */
__attribute__((noreturn)) void app_start(uint64_t *sp)
{
	uint64_t *p = sp + 1 + sp[0] + 1;
	while (*p++) /* envp */
		;
	for (; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_RB_TIME_PAGE)
			time_page = (const struct rb_time_page *)p[1];
		else if (p[0] == AT_SYSINFO_EHDR)
			vdso_base = (const void *)p[1];
	int argc = host_start((int)sp[0], (char **)(sp + 1));
	exit(main(argc, (char **)(sp + 1)));
}
