/* test_syscalls.c: the generated table (build/gen, from entry/syscall.tbl). The clamp of out-of-range
 * numbers is assembly (DISPATCH): tests/integration.py checks it through every door. */
#include <asm/unistd_64.h>
#include "unit.h"
#include "syscall_list.h"
#include "syscall_nr.h"

TEST(table_has_the_linux_numbers)
{
	CHECK(SYS_write == 1 && SYS_getpid == 39 && SYS_exit == 60);
	CHECK(SYS_clock_gettime == 228 && SYS_exit_group == 231);
}

TEST(table_is_sorted_unique_and_inside_nr_syscalls)
{
#define NUMBER(nr, name, nargs, handler) nr,
	static const long nrs[] = { SYSCALL_LIST(NUMBER) };
	int n = sizeof(nrs) / sizeof(nrs[0]);
	for (int i = 0; i < n; i++) {
		CHECK(nrs[i] >= 0 && nrs[i] < NR_SYSCALLS);
		CHECK(i == 0 || nrs[i] > nrs[i - 1]);
	}
	CHECK(nrs[n - 1] == NR_SYSCALLS - 1);
}

/* Every Linux call of the table, provided or not, has the number and name Debian's kernel headers give. */
TEST(table_linux_names_match_the_kernel_headers)
{
#define LINUX_NUMBER(nr, name) CHECK(nr == __NR_##name);
	LINUX_LIST(LINUX_NUMBER)
}
