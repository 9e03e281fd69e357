/* caught.h: the app's hazards (main.c) and how it catches the signals they raise (catch.S, caught.c). */
#ifndef RINGBENCH_APP_CAUGHT_H
#define RINGBENCH_APP_CAUGHT_H
#include <stdint.h>

struct hazard {
	const char *name;
	void (*run)(void);
	int door;   /* the door it needs, or -1 */
	int vector; /* the fault it raises (tests/ read it from main.c's table) */
};
extern const struct hazard hazards[];
extern const unsigned hazard_count;

/* What the last caught signal's handler found: the siginfo's and the saved context's fields. */
struct caught {
	int sig, code;
	uint64_t addr, trapno, err, rip, cr2, rflags;
};
extern struct caught caught;

int catch_install(void);           /* the fault signals' handlers, on an alternate stack: 0 or -errno */
int catch_run(void (*fn)(void));   /* 0: fn returned; 1: a handler took a signal; 2: catch_recover ran */
void catch_uninstall(void);        /* the fault signals' default actions back */
int runs_cleanly(void (*fn)(void)); /* fn ran without a signal (the handlers installed for it, then removed) */
int run_caught_mode(void);
int run_vsyscall_mode(void);
int vsyscall_served(void);
void sigreturn_at(uint64_t sp, int door); /* hazards.S: rt_sigreturn with RSP at sp, through that door */
extern uint8_t alt_stack[];               /* the handlers' alternate stack */
#define ALT_STACK_SIZE (16 * 1024)
#endif
