/*
 * fuzz_config.c: libFuzzer harness for lib/config.c, the parser of \ringbench\ringbench.cfg and of UEFI
 * load options. Beyond "no crash" (AddressSanitizer), it checks that whatever is accepted fits its
 * field, terminated, and that every error names a line or a load option.
 */
#include <stdlib.h>
#include <string.h>
#include "../../lib/config.h"

static void promise(int ok)
{
	if (!ok)
		abort();
}

static void check_fields(const struct config *c)
{
	promise(memchr(c->app, 0, sizeof(c->app)) != NULL && c->app[0] != 0);
	promise(memchr(c->args, 0, sizeof(c->args)) != NULL);
	promise(c->poweroff == POWEROFF_NO || c->poweroff == POWEROFF_YES || c->poweroff == POWEROFF_AUTO);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	char err[160];
	config_defaults(&c);
	const char *e = config_parse_file(&c, (const char *)data, size, err, sizeof(err));
	promise(!e || !strncmp(e, "line ", 5));
	check_fields(&c);
	char *text = malloc(size + 1); /* load options arrive NUL-terminated */
	memcpy(text, data, size);
	text[size] = 0;
	config_defaults(&c);
	e = config_parse_options(&c, text, err, sizeof(err));
	promise(!e || !strncmp(e, "load option ", 12));
	check_fields(&c);
	free(text);
	return 0;
}
