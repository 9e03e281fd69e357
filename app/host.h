/* host.h: the app on a kernel that is not ringbench's (host.c). */
#ifndef RINGBENCH_APP_HOST_H
#define RINGBENCH_APP_HOST_H
#include <stdint.h>

int on_ringbench(void);        /* rb_doors answers: ringbench's kernel, not Linux */
int host_start(int argc, char **argv); /* as Linux's init: the console, /proc; returns argc */
void host_end(int status);     /* as Linux's init: the exit record, then power off; else returns */
void host_boot_record(void);   /* the "boot" record of the kernel that runs the app */
uint64_t host_tsc_hz(void);
#endif
