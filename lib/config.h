/*
 * config.h: the boot configuration, read by the EFI stub from \ringbench\ringbench.cfg and then from the
 * UEFI load options (which win). Both use the same keys; see README.md "Options".
 */
#ifndef RINGBENCH_CONFIG_H
#define RINGBENCH_CONFIG_H
#include <stddef.h>
#include "bootinfo.h"

struct config {
	char app[BOOTINFO_NAME_MAX];      /* file name inside \ringbench\ on the ESP */
	char args[BOOTINFO_CMDLINE_MAX];  /* the app's arguments (argv[1..]), split as lib/words.h says */
	char env[BOOTINFO_CMDLINE_MAX];   /* its environment: NAME=value words, split the same way */
	char files[BOOTINFO_NAME_MAX];    /* a newc cpio archive in \ringbench\: the app's files, or "" */
	char stdin_path[BOOTINFO_NAME_MAX]; /* a file of the archive for its stdin, or "" (end of file) */
	int poweroff;                     /* POWEROFF_*: what to do when the app ends */
	int show_previous;                /* show_previous = yes: the stub shows the last run's kept results */
	int kernel_fault;                 /* kernel_test = fault: a deliberate ring-0 fault (tests the panic path) */
	int vdso;                         /* VDSO_*: whether the time page may be used */
	int vsyscall;                     /* VSYSCALL_*: the legacy vsyscall page's mode */
	int entry;                        /* RB_ENTRY_* (lib/abi.h): the entry variant the doors start with */
	int events;                       /* EVENTS_*: how events reach the kernel */
};

enum { POWEROFF_NO, POWEROFF_YES, POWEROFF_AUTO }; /* auto: yes under a hypervisor, no on bare metal */
enum { VDSO_AUTO, VDSO_ON, VDSO_OFF };             /* auto: when the TSC is invariant */
enum { VSYSCALL_XONLY, VSYSCALL_EMULATE, VSYSCALL_NONE }; /* Linux's three modes (services/vsyscall.c) */
enum { EVENTS_IDT, EVENTS_FRED };                  /* the IDT and the legacy doors, or FRED (kernel/fred.c) */

void config_defaults(struct config *cfg);
/* Parse a whole file ("key = value" lines, # comments). NULL, or an error naming the line in err. */
const char *config_parse_file(struct config *cfg, const char *text, size_t len, char *err, size_t errcap);
/* Parse a one-line option string: "key=value ..." words; "args=" takes the rest of the line. */
const char *config_parse_options(struct config *cfg, const char *text, char *err, size_t errcap);
#endif
