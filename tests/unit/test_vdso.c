/* test_vdso.c: the app's vDSO parser (lib/vdso_sym.c) on the vDSO the build made (build/vdso/vdso.so),
 * and on broken copies of it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "../../lib/vdso_sym.h"

static uint8_t *image;
static long image_size;

/* The built vDSO, as the kernel maps it: its one segment starts at file offset 0. */
static const uint8_t *vdso(void)
{
	if (!image) {
		FILE *f = fopen(VDSO_SO, "rb");
		if (!f)
			return 0;
		fseek(f, 0, SEEK_END);
		image_size = ftell(f);
		rewind(f);
		image = aligned_alloc(4096, (size_t)(image_size + 4095) / 4096 * 4096);
		if (fread(image, 1, (size_t)image_size, f) != (size_t)image_size)
			image_size = 0;
		fclose(f);
	}
	return image_size ? image : 0;
}

TEST(vdso_finds_linux_set_under_linux_2_6)
{
	static const char *const names[] = { "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
					     "__vdso_clock_getres", "__vdso_getcpu", "clock_gettime", "gettimeofday",
					     "time", "clock_getres", "getcpu" };
	const uint8_t *v = vdso();
	CHECK(v);
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t a = vdso_sym(v, names[i], "LINUX_2.6");
		CHECK(a > (uint64_t)v && a < (uint64_t)v + (uint64_t)image_size);
	}
	CHECK(vdso_sym(v, "clock_gettime", "LINUX_2.6") == vdso_sym(v, "__vdso_clock_gettime", "LINUX_2.6"));
}

TEST(vdso_refuses_other_versions_and_names)
{
	const uint8_t *v = vdso();
	CHECK(v);
	CHECK(!vdso_sym(v, "__vdso_clock_gettime", "LINUX_2.5"));
	CHECK(!vdso_sym(v, "__vdso_clock_gettim", "LINUX_2.6"));
	CHECK(!vdso_sym(v, "vvar_page", "LINUX_2.6"));
	CHECK(vdso_sym(v, "__vdso_time", 0)); /* no version asked: the name alone */
}

TEST(vdso_broken_images_find_nothing)
{
	const uint8_t *v = vdso();
	CHECK(v);
	uint8_t *copy = aligned_alloc(4096, (size_t)(image_size + 4095) / 4096 * 4096);
	memcpy(copy, v, (size_t)image_size);
	copy[0] = 0; /* not ELF */
	CHECK(!vdso_sym(copy, "__vdso_time", "LINUX_2.6"));
	memcpy(copy, v, (size_t)image_size);
	memset(copy + 0x20, 0xff, 8); /* phoff far outside */
	CHECK(!vdso_sym(copy, "__vdso_time", "LINUX_2.6"));
	free(copy);
}
