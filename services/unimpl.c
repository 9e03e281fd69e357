/*
 * unimpl.c: the Linux calls a program asked for that ringbench does not provide. Each returns -ENOSYS,
 * as Linux's sys_ni_syscall does; the first call of each number is remembered with the door it came
 * through and, through the syscall door (the one Linux programs use), the address after the
 * instruction, and at the end of the run one "unimplemented" line per number says what was missing:
 * porting a program is a loop of run, read the list, decide. Reached from entry/dispatch.c's
 * nosys_thunk; the names are entry/syscall.tbl's.
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/abi.h"
#include "../lib/errno.h"
#include "syscall_list.h"
#include "syscall_nr.h"

struct missed {
	uint64_t count, rip;
	const char *door;
};
static struct missed missed[NR_SYSCALLS];

#define NOSYS_NAME(nr, name) [nr] = #name,
static const char *const names[NR_SYSCALLS] = { NOSYS_LIST(NOSYS_NAME) };

/* nr: the number (any: a gap of the table or one out of range too, reported only if Linux has it); ret:
 * where the handler returns in the door; rcx: the app's RIP when the door is syscall's. */
long unimpl_note(uint64_t nr, uint64_t ret, uint64_t rcx)
{
	if (nr >= NR_SYSCALLS || !names[nr] || missed[nr].count++)
		return -ENOSYS;
	uint64_t how = dispatch_site(ret); /* the door's record of the DISPATCH that called */
	bool by_syscall = how & RB_DOOR_SYSCALL;
	missed[nr].door = by_syscall ? "syscall" : how & RB_DOOR_INT80 ? "int80" : how & RB_DOOR_SYSENTER ? "sysenter"
		: "unknown";
	missed[nr].rip = by_syscall ? rcx : 0;
	return -ENOSYS;
}

void unimpl_print(void)
{
	for (uint64_t nr = 0; nr < NR_SYSCALLS; nr++) {
		const struct missed *m = &missed[nr];
		if (!m->count)
			continue;
		kprintf("ringbench: %s (%lu) is not provided: -ENOSYS %lu time%s, first through %s at rip %lx\n",
			names[nr], nr, m->count, m->count == 1 ? "" : "s", m->door, m->rip);
		kprintf("{\"type\":\"unimplemented\",\"nr\":%lu,\"name\":\"%s\",\"count\":%lu,\"door\":\"%s\","
			"\"rip\":\"0x%lx\"}\n", nr, names[nr], m->count, m->door, m->rip);
	}
}
