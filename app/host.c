/*
 * host.c: the app on a kernel that is not ringbench's: Linux, as the peer measurement (Debian's kernel
 * booted with the app as /init by make bench-linux, or the host's Linux when the app is run natively).
 * The app tells by rb_doors, which Linux does not have (-ENOSYS). There it prints the "boot" record the
 * ringbench kernel would have (the machine, the kernel's release and command line, the TSC's frequency,
 * calibrated here against Linux's CLOCK_MONOTONIC_RAW), and, as PID 1, sets up its console and ends the
 * guest with a power-off, since Linux panics when init exits.
 */
#include "app.h"
#include "host.h"
#include "../lib/errno.h"
#include "../lib/x86.h"
#include "version.h"

#define SYS_MOUNT 165
#define SYS_REBOOT 169
#define REBOOT_MAGIC1 0xfee1deadl
#define REBOOT_MAGIC2 672274793l
#define REBOOT_POWER_OFF 0x4321fedcl
#define CALIBRATION_NS 200000000ll /* 200 ms of CLOCK_MONOTONIC_RAW */
#define CMDLINE_MAX 256

static int ringbench = -1;

int on_ringbench(void)
{
	if (ringbench < 0)
		ringbench = syscall_rb_doors() != -ENOSYS;
	return ringbench;
}

static int linux_init(void) { return !on_ringbench() && syscall_getpid() == 1; }

/* As PID 1 of an initramfs the console may not be open yet: open it from a devtmpfs, and mount /proc for
 * the kernel's command line. The arguments are what follows "--" on the kernel's command line, where OVMF's
 * -kernel loader appends "initrd=initrd": that word is dropped. Returns the argument count. */
int host_start(int argc, char **argv)
{
	if (!linux_init())
		return argc;
	if (argc > 1 && !strncmp(argv[argc - 1], "initrd=", 7))
		argv[--argc] = 0;
	if (syscall_fcntl(STDOUT_FILENO, F_GETFD, 0) < 0) {
		syscall_raw(SYS_mkdir, (long)"/dev", 0755, 0, 0, 0, 0);
		syscall_raw(SYS_MOUNT, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0, 0);
		long fd = syscall_open((long)"/dev/console", O_RDWR, 0);
		for (int i = 0; fd >= 0 && i < 3; i++)
			if (fd != i)
				syscall_dup2(fd, i);
	}
	syscall_raw(SYS_mkdir, (long)"/proc", 0555, 0, 0, 0, 0);
	syscall_raw(SYS_MOUNT, (long)"proc", (long)"/proc", (long)"proc", 0, 0, 0);
	syscall_raw(SYS_mkdir, (long)"/sys", 0555, 0, 0, 0, 0);
	syscall_raw(SYS_MOUNT, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0, 0);
	return argc;
}

/* The end: as Linux's init, the results out, then a clean power-off (an exit would panic the kernel). */
void host_end(int status)
{
	if (!linux_init())
		return;
	printf("{\"type\":\"exit\",\"status\":%d,\"reason\":\"exit\"}\n", status);
	flush();
	syscall_raw(SYS_REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_POWER_OFF, 0, 0, 0);
}

static int64_t raw_ns(void)
{
	struct timespec t;
	vdso_clock_gettime(CLOCK_MONOTONIC_RAW, (long)&t);
	return t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* TSC ticks per second, against the kernel's raw monotonic clock over CALIBRATION_NS. */
uint64_t host_tsc_hz(void)
{
	static uint64_t hz;
	if (!hz) {
		int64_t t0 = raw_ns();
		uint64_t c0 = rdtsc();
		while (raw_ns() - t0 < CALIBRATION_NS)
			;
		int64_t t1 = raw_ns();
		uint64_t c1 = rdtsc();
		hz = (c1 - c0) * 1000 / ((uint64_t)(t1 - t0) / 1000000); /* ticks per ms of 200, times 1000 */
	}
	return hz;
}

/* A one-line file of the kernel's (/proc, /sys), without its newline and fit for a JSON string, or "?". */
static void read_line(const char *path, char *buf, unsigned cap)
{
	long fd = syscall_open((long)path, O_RDONLY, 0), n = fd < 0 ? 0 : syscall_read(fd, (long)buf, cap - 1);
	if (fd >= 0)
		syscall_close(fd);
	buf[n > 0 ? n : 0] = 0;
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '"' || *p == '\\')
			*p = *p == '\n' ? 0 : '\'';
	if (!buf[0])
		buf[0] = '?', buf[1] = 0;
}

/* What the kernel says of the speculation bugs that decide its entry code's defences. */
static void print_vulnerabilities(void)
{
	static const char *const bugs[] = { "meltdown", "spectre_v2", "mds", "retbleed" };
	char path[64], state[CMDLINE_MAX];
	printf("\"vulnerabilities\":{");
	for (unsigned i = 0; i < sizeof(bugs) / sizeof(bugs[0]); i++) {
		fmt_snprintf(path, sizeof(path), "/sys/devices/system/cpu/vulnerabilities/%s", bugs[i]);
		read_line(path, state, sizeof(state));
		printf("%s\"%s\":\"%s\"", i ? "," : "", bugs[i], state);
	}
	printf("},");
}

/* The "boot" record, as ringbench's kernel prints it, for the kernel that runs the app instead. */
void host_boot_record(void)
{
	uint32_t r[4], brand[12], sig[4] = { 0 };
	char vendor[13], hypervisor[13] = "", cmdline[CMDLINE_MAX];
	struct linux_utsname u;
	cpuid(0, 0, r);
	memcpy(vendor, &r[1], 4), memcpy(vendor + 4, &r[3], 4), memcpy(vendor + 8, &r[2], 4), vendor[12] = 0;
	for (uint32_t i = 0; i < 3; i++)
		cpuid(0x80000002 + i, 0, brand + 4 * i);
	cpuid(1, 0, r);
	uint32_t family = (r[0] >> 8 & 0xf) + (r[0] >> 20 & 0xff), model = (r[0] >> 4 & 0xf) | (r[0] >> 12 & 0xf0);
	if (r[2] & (1u << 31)) { /* a hypervisor: its signature */
		cpuid(0x40000000, 0, sig);
		memcpy(hypervisor, &sig[1], 12), hypervisor[12] = 0;
	}
	cpuid(0x80000007, 0, r);
	int invariant = !!(r[3] & (1u << 8));
	syscall_uname((long)&u);
	read_line("/proc/cmdline", cmdline, sizeof(cmdline));
	((char *)brand)[47] = 0;
	const char *b = (const char *)brand;
	while (*b == ' ')
		b++;
	printf("{\"type\":\"boot\",\"kernel\":\"%s %s\",\"cmdline\":\"%s\",", u.sysname, u.release, cmdline);
	print_vulnerabilities();
	printf("\"version\":\"%s\",\"cpu_vendor\":\"%s\",\"cpu_brand\":\"%s\",\"family\":%u,\"model\":%u,"
	       "\"hypervisor\":\"%s\",\"invariant_tsc\":%s,\"tsc_hz\":%lu,\"tsc_source\":\"calibrated against %s's "
	       "CLOCK_MONOTONIC_RAW over 200 ms\"}\n", RINGBENCH_VERSION, vendor, b, family, model, hypervisor,
	       invariant ? "true" : "false", host_tsc_hz(), u.sysname);
}
