/* test_config.c: lib/config.c, the boot configuration parser. */
#include <string.h>
#include "unit.h"
#include "../../lib/abi.h"
#include "../../lib/config.h"

static char err[160];

TEST(config_defaults_run_app_elf_and_power_off)
{
	struct config c;
	config_defaults(&c);
	CHECK(!strcmp(c.app, "app.elf"));
	CHECK(c.args[0] == 0);
	CHECK(c.poweroff == POWEROFF_AUTO);
}

TEST(config_file_keys_comments_and_spaces)
{
	struct config c;
	const char *text = "# a comment\n\n  app = bench.elf   # trailing comment\nargs=--iters 1000 -v\r\npoweroff = no\n";
	config_defaults(&c);
	CHECK(config_parse_file(&c, text, strlen(text), err, sizeof(err)) == NULL);
	CHECK(!strcmp(c.app, "bench.elf"));
	CHECK(!strcmp(c.args, "--iters 1000 -v"));
	CHECK(c.poweroff == 0);
}

TEST(config_refuses_control_characters)
{
	struct config c;
	const char text[] = "app = \0\0 x.elf\n"; /* found by the fuzzer: a NUL made the name empty */
	config_defaults(&c);
	CHECK(config_parse_file(&c, text, sizeof(text) - 1, err, sizeof(err)) != NULL);
	CHECK(strstr(err, "line 1") && strstr(err, "control character"));
	CHECK(!strcmp(c.app, "app.elf"));
}

TEST(config_kernel_test)
{
	struct config c;
	const char *text = "kernel_test = fault\n";
	config_defaults(&c);
	CHECK(c.kernel_fault == 0);
	CHECK(config_parse_file(&c, text, strlen(text), err, sizeof(err)) == NULL && c.kernel_fault == 1);
	CHECK(config_parse_options(&c, "kernel_test=none", err, sizeof(err)) == NULL && c.kernel_fault == 0);
	CHECK(config_parse_options(&c, "kernel_test=crash", err, sizeof(err)) != NULL);
}

TEST(config_choices_store_the_word_position)
{
	struct config c;
	const char *text = "poweroff = yes\nshow_previous = yes\nvdso = off\n";
	config_defaults(&c);
	CHECK(c.poweroff == POWEROFF_AUTO && c.vdso == VDSO_AUTO && c.show_previous == 0);
	CHECK(config_parse_file(&c, text, strlen(text), err, sizeof(err)) == NULL);
	CHECK(c.poweroff == POWEROFF_YES && c.show_previous == 1 && c.vdso == VDSO_OFF);
	CHECK(config_parse_options(&c, "vdso=on poweroff=no", err, sizeof(err)) == NULL);
	CHECK(c.vdso == VDSO_ON && c.poweroff == POWEROFF_NO);
	CHECK(config_parse_options(&c, "vdso=maybe", err, sizeof(err)) != NULL && strstr(err, "vdso: expected"));
	CHECK(c.vdso == VDSO_ON); /* a refused value leaves the field alone */
}

TEST(config_events_idt_or_fred)
{
	struct config c;
	config_defaults(&c);
	CHECK(c.events == EVENTS_IDT);
	CHECK(config_parse_options(&c, "events=fred", err, sizeof(err)) == NULL && c.events == EVENTS_FRED);
	CHECK(config_parse_options(&c, "events=idt", err, sizeof(err)) == NULL && c.events == EVENTS_IDT);
	CHECK(config_parse_options(&c, "events=lstar", err, sizeof(err)) != NULL && strstr(err, "events: expected idt or fred"));
}

TEST(config_entry_variant_by_name)
{
	struct config c;
	config_defaults(&c);
	CHECK(c.entry == RB_ENTRY_PLAIN);
	const char *text = "entry = kpti_pcid\n";
	CHECK(config_parse_file(&c, text, strlen(text), err, sizeof(err)) == NULL && c.entry == RB_ENTRY_KPTI_PCID);
	CHECK(config_parse_options(&c, "entry=linux", err, sizeof(err)) == NULL && c.entry == RB_ENTRY_LINUX);
	CHECK(config_parse_options(&c, "entry=kpt", err, sizeof(err)) != NULL && strstr(err, "entry: expected"));
	CHECK(config_parse_options(&c, "entry=kpti_pcidx", err, sizeof(err)) != NULL && c.entry == RB_ENTRY_LINUX);
	for (int id = 0; id < RB_ENTRY_COUNT; id++) { /* every variant by its own name */
		char opt[64] = "entry=";
		strcat(opt, rb_entry_name((unsigned)id));
		CHECK(config_parse_options(&c, opt, err, sizeof(err)) == NULL && c.entry == id);
	}
}

TEST(config_file_errors_name_the_line)
{
	struct config c;
	const char *unknown = "app = a.elf\ncolour = blue\n";
	config_defaults(&c);
	CHECK(config_parse_file(&c, unknown, strlen(unknown), err, sizeof(err)) != NULL);
	CHECK(strstr(err, "line 2") && strstr(err, "unknown key"));
	const char *noeq = "app\n";
	CHECK(config_parse_file(&c, noeq, strlen(noeq), err, sizeof(err)) != NULL);
	CHECK(strstr(err, "line 1") && strstr(err, "key = value"));
	const char *badbool = "poweroff = maybe\n";
	CHECK(config_parse_file(&c, badbool, strlen(badbool), err, sizeof(err)) != NULL);
	const char *emptyapp = "app =\n";
	CHECK(config_parse_file(&c, emptyapp, strlen(emptyapp), err, sizeof(err)) != NULL);
}

TEST(config_too_long_is_an_error_not_a_truncation)
{
	struct config c;
	char text[1200] = "args = ";
	memset(text + 7, 'x', 600);
	text[607] = '\n';
	config_defaults(&c);
	CHECK(config_parse_file(&c, text, strlen(text), err, sizeof(err)) != NULL);
	CHECK(strstr(err, "args") != NULL);
	CHECK(c.args[0] == 0); /* untouched */
	memcpy(text, "env  = ", 7);
	CHECK(config_parse_file(&c, text, strlen(text), err, sizeof(err)) != NULL);
	CHECK(strstr(err, "env: longer than 511") != NULL && c.env[0] == 0);
	const char *env = "env = A=1 B='two words'\n";
	CHECK(config_parse_file(&c, env, strlen(env), err, sizeof(err)) == NULL);
	CHECK(!strcmp(c.env, "A=1 B='two words'"));
	char longapp[100] = "app = ";
	memset(longapp + 6, 'a', 70);
	CHECK(config_parse_file(&c, longapp, strlen(longapp), err, sizeof(err)) != NULL);
}

TEST(config_options_args_take_the_rest_of_the_line)
{
	struct config c;
	config_defaults(&c);
	CHECK(config_parse_options(&c, " poweroff=no app=x.elf args=fault-kernel-read  two", err, sizeof(err)) == NULL);
	CHECK(c.poweroff == POWEROFF_NO);
	CHECK(!strcmp(c.app, "x.elf"));
	CHECK(!strcmp(c.args, "fault-kernel-read  two"));
	CHECK(config_parse_options(&c, "bogus", err, sizeof(err)) != NULL);
	CHECK(strstr(err, "load option 1") != NULL);
	CHECK(config_parse_options(&c, "", err, sizeof(err)) == NULL);
}
