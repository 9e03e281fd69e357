/* test_fmt.c: lib/fmt.c, the printf engine, the JSON escaper and the number parser. */
#include <stdint.h>
#include <string.h>
#include "unit.h"
#include "../../lib/fmt.h"

TEST(fmt_integers_widths_and_flags)
{
	char b[64];
	fmt_snprintf(b, sizeof(b), "%d|%5d|%-5d|%05d|%u", -42, 7, 7, -7, 4000000000u);
	CHECK(!strcmp(b, "-42|    7|7    |-0007|4000000000"));
	fmt_snprintf(b, sizeof(b), "%lx|%016lx|%X|%llu", 0xdeadbeefUL, 0x1234UL, 0xabcu, 18446744073709551615ull);
	CHECK(!strcmp(b, "deadbeef|0000000000001234|ABC|18446744073709551615"));
	fmt_snprintf(b, sizeof(b), "%ld|%zu", (long)INT64_MIN, (size_t)12);
	CHECK(!strcmp(b, "-9223372036854775808|12"));
}

TEST(fmt_strings_chars_pointers_percent)
{
	char b[64];
	fmt_snprintf(b, sizeof(b), "[%s][%-4s][%4s][%c][%%][%p]", "ab", "x", "y", 'z', (void *)0x10);
	CHECK(!strcmp(b, "[ab][x   ][   y][z][%][0x0000000000000010]"));
	const char *volatile null = NULL; /* hidden from the compiler's format check */
	fmt_snprintf(b, sizeof(b), "%s", null);
	CHECK(!strcmp(b, "(null)"));
}

TEST(fmt_snprintf_truncates_and_reports_full_length)
{
	char b[8];
	int n = fmt_snprintf(b, sizeof(b), "%s", "0123456789");
	CHECK(n == 10);
	CHECK(!strcmp(b, "0123456"));
}

TEST(json_escape_quotes_backslashes_controls)
{
	char b[64];
	json_escape(b, sizeof(b), "a\"b\\c\nd\x01");
	CHECK(!strcmp(b, "a\\\"b\\\\c\\u000ad\\u0001"));
}

TEST(fmt_parse_u64_whole_decimal_only)
{
	uint64_t v = 7;
	CHECK(fmt_parse_u64("0", &v) == 0 && v == 0);
	CHECK(fmt_parse_u64("20000", &v) == 0 && v == 20000);
	CHECK(fmt_parse_u64("18446744073709551615", &v) == 0 && v == UINT64_MAX);
	v = 7;
	CHECK(fmt_parse_u64("18446744073709551616", &v) == -1 && v == 7); /* 2^64 */
	CHECK(fmt_parse_u64("99999999999999999999", &v) == -1 && v == 7);
	CHECK(fmt_parse_u64("", &v) == -1 && v == 7);
	CHECK(fmt_parse_u64("12x", &v) == -1 && v == 7);
	CHECK(fmt_parse_u64("-1", &v) == -1 && v == 7);
	CHECK(fmt_parse_u64(" 1", &v) == -1 && v == 7);
	CHECK(fmt_parse_u64("1e3", &v) == -1 && v == 7);
}
