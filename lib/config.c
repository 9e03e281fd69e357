/*
 * config.c: parse the boot configuration. Pure string logic (host-tested in tests/unit): a bad key, a bad
 * value or a value too long for its field is an error that names the line, never a silent truncation.
 */
#include <stddef.h>
#include "abi.h"
#include "config.h"
#include "fmt.h"
#include "string.h"

void config_defaults(struct config *cfg)
{
	*cfg = (struct config){ .poweroff = POWEROFF_AUTO };
	str_copy(cfg->app, "app.elf", sizeof(cfg->app));
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Store a value of length n into a field of size cap; an over-long value is an error. */
static int set_string(char *field, size_t cap, const char *v, size_t n)
{
	if (n + 1 > cap)
		return -1;
	memcpy(field, v, n);
	field[n] = 0;
	return 0;
}

/* The keys whose value is one of a few words; a word's position is the value stored (the enums of
 * config.h follow the same order). */
#define CHOICE_WORDS 3
static const struct choice {
	const char *key, *words[CHOICE_WORDS], *expected;
	size_t field; /* offset of the int in struct config */
} choices[] = {
	{ "poweroff", { "no", "yes", "auto" }, "poweroff: expected no, yes or auto", offsetof(struct config, poweroff) },
	{ "show_previous", { "no", "yes" }, "show_previous: expected no or yes", offsetof(struct config, show_previous) },
	{ "vdso", { "auto", "on", "off" }, "vdso: expected auto, on or off", offsetof(struct config, vdso) },
	{ "vsyscall", { "xonly", "emulate", "none" }, "vsyscall: expected xonly, emulate or none",
	  offsetof(struct config, vsyscall) },
	{ "kernel_test", { "none", "fault" }, "kernel_test: expected none or fault", offsetof(struct config, kernel_fault) },
	{ "events", { "idt", "fred" }, "events: expected idt or fred", offsetof(struct config, events) },
};

static int same(const char *s, size_t n, const char *word) { return word && strlen(word) == n && !strncmp(s, word, n); }

static const char *set_choice(struct config *cfg, const struct choice *c, const char *v, size_t vn)
{
	for (int i = 0; i < CHOICE_WORDS; i++)
		if (same(v, vn, c->words[i])) {
			*(int *)((char *)cfg + c->field) = i;
			return 0;
		}
	return c->expected;
}

static const char *set_entry(struct config *cfg, const char *v, size_t vn)
{
	for (int i = 0; i < RB_ENTRY_COUNT; i++)
		if (same(v, vn, rb_entry_name(i))) {
			cfg->entry = i;
			return 0;
		}
#define RB_ENTRY_WORD(id, name) " " #name
	return "entry: expected one of" RB_ENTRY_LIST(RB_ENTRY_WORD);
#undef RB_ENTRY_WORD
}

static const char *set_key(struct config *cfg, const char *k, size_t kn, const char *v, size_t vn)
{
	if (same(k, kn, "app"))
		return vn && !set_string(cfg->app, sizeof(cfg->app), v, vn) ? 0 : "app: empty or longer than 63 characters";
	if (same(k, kn, "args"))
		return set_string(cfg->args, sizeof(cfg->args), v, vn) ? "args: longer than 511 characters" : 0;
	if (same(k, kn, "env"))
		return set_string(cfg->env, sizeof(cfg->env), v, vn) ? "env: longer than 511 characters" : 0;
	if (same(k, kn, "files"))
		return set_string(cfg->files, sizeof(cfg->files), v, vn) ? "files: longer than 63 characters" : 0;
	if (same(k, kn, "stdin"))
		return set_string(cfg->stdin_path, sizeof(cfg->stdin_path), v, vn) ? "stdin: longer than 63 characters" : 0;
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (same(k, kn, choices[i].key))
			return set_choice(cfg, &choices[i], v, vn);
	if (same(k, kn, "entry"))
		return set_entry(cfg, v, vn);
	return "unknown key (expected app, args, env, files, stdin, poweroff, show_previous, vdso, vsyscall, kernel_test, "
	       "entry or events)";
}

/* One "key = value" line (trimmed, comments removed by the caller). */
static const char *parse_line(struct config *cfg, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && !is_space(s[i]))
			return "a control character (such as a NUL byte) in the line";
	size_t eq = 0;
	while (eq < n && s[eq] != '=')
		eq++;
	if (eq == n)
		return "expected key = value";
	size_t kn = eq, vs = eq + 1, ve = n;
	while (kn && is_space(s[kn - 1]))
		kn--;
	while (vs < ve && is_space(s[vs]))
		vs++;
	while (ve > vs && is_space(s[ve - 1]))
		ve--;
	return set_key(cfg, s, kn, s + vs, ve - vs);
}

const char *config_parse_file(struct config *cfg, const char *text, size_t len, char *err, size_t errcap)
{
	size_t pos = 0;
	for (int line = 1; pos < len; line++) {
		size_t start = pos, end;
		while (pos < len && text[pos] != '\n')
			pos++;
		end = pos++;
		for (size_t i = start; i < end; i++)
			if (text[i] == '#')
				end = i;
		while (start < end && is_space(text[start]))
			start++;
		while (end > start && is_space(text[end - 1]))
			end--;
		const char *e = start < end ? parse_line(cfg, text + start, end - start) : 0;
		if (e) {
			fmt_snprintf(err, errcap, "line %d: %s", line, e);
			return err;
		}
	}
	return 0;
}

const char *config_parse_options(struct config *cfg, const char *s, char *err, size_t errcap)
{
	for (int word = 1; *s; word++) {
		while (is_space(*s))
			s++;
		size_t n = 0;
		if (!strncmp(s, "args=", 5))
			n = strlen(s); /* args takes the rest of the line */
		else
			while (s[n] && !is_space(s[n]))
				n++;
		const char *e = n ? parse_line(cfg, s, n) : 0;
		if (e) {
			fmt_snprintf(err, errcap, "load option %d: %s", word, e);
			return err;
		}
		s += n;
	}
	return 0;
}
