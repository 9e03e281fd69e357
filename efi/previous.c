/*
 * previous.c: show the results a previous run kept in UEFI variables (kernel/efirt.c wrote them), when
 * the configuration asks (show_previous = yes): on the console (the screen, and the serial port where
 * the firmware mirrors it), between a "previous" and a "previous_end" line on the serial port; on bare
 * metal, wait for a key so they can be read. Lines are reassembled across the variables' boundaries.
 */
#include "stub.h"
#include "../lib/fmt.h"
#include "../lib/results.h"
#include "../lib/x86.h"

#define WAIT_SECONDS 60
#define TICKS_PER_SECOND 10000000 /* SetTimer counts 100 ns */

static EFI_STATUS get(const char *name, char *buf, UINTN *size)
{
	CHAR16 wide[RESULT_NAME_MAX];
	result_name_ucs2(wide, name);
	return gST->RuntimeServices->GetVariable(wide, (EFI_GUID *)&ringbench_guid, 0, size, buf);
}

static void wait_for_key(void)
{
	EFI_EVENT events[2] = { gST->ConIn->WaitForKey, 0 };
	UINTN which;
	say("ringbench: press a key to run again (or wait %d s)\n", WAIT_SECONDS);
	if (!EFI_ERROR(gBS->CreateEvent(EVT_TIMER, 0, 0, 0, &events[1])) &&
	    !EFI_ERROR(gBS->SetTimer(events[1], TimerRelative, (UINT64)WAIT_SECONDS * TICKS_PER_SECOND)))
		gBS->WaitForEvent(2, events, &which);
}

/* Print the complete lines of text, appended to what *carry holds; keep the unfinished tail there. */
static void print_lines(const char *text, UINTN len, char *carry, UINTN *carried)
{
	for (UINTN i = 0; i < len; i++) {
		if (text[i] != '\n') {
			if (*carried < RESULT_CHUNK)
				carry[(*carried)++] = text[i];
			continue;
		}
		carry[*carried] = 0;
		say("%s\n", carry);
		*carried = 0;
	}
}

void show_previous(void)
{
	static char carry[RESULT_CHUNK + 1];
	char count[24] = "", chunk[RESULT_CHUNK], name[RESULT_NAME_MAX];
	UINTN size = sizeof(count) - 1, total = 0, carried = 0;
	unsigned n = 0;
	if (!EFI_ERROR(get(RESULT_COUNT_NAME, count, &size)))
		for (UINTN i = 0; i < size && count[i] >= '0' && count[i] <= '9'; i++)
			n = n * 10 + (unsigned)(count[i] - '0');
	n = n > RESULT_MAX_CHUNKS ? RESULT_MAX_CHUNKS : n;
	say("ringbench: previous results: %u variable(s) of %s\n", n, RESULT_NAME_PREFIX);
	json_line("{\"type\":\"previous\",\"chunks\":%u}", n);
	for (unsigned i = 0; i < n; i++) {
		size = RESULT_CHUNK;
		fmt_snprintf(name, sizeof(name), RESULT_NAME_FMT, i);
		if (EFI_ERROR(get(name, chunk, &size)))
			break;
		total += size;
		print_lines(chunk, size, carry, &carried);
	}
	json_line("{\"type\":\"previous_end\",\"bytes\":%lu}", (unsigned long)total);
	if (!under_hypervisor())
		wait_for_key();
}
