/*
 * usercopy.c: the only place the kernel touches memory through a user address. Every range is checked
 * first (inside the user half, no wrap-around, every page present with the needed permission), then the
 * copy runs with SMAP lifted (STAC/CLAC) only for its duration. Called by the syscall handlers (sys.c).
 */
#include "defs.h"
#include "../lib/errno.h"
#include "../lib/string.h"

static inline void user_access_begin(void)
{
	if (cpu.smap)
		__asm__ volatile("stac" ::: "memory");
}

static inline void user_access_end(void)
{
	if (cpu.smap)
		__asm__ volatile("clac" ::: "memory");
}

int copy_from_user(void *dst, uint64_t usrc, uint64_t len)
{
	if (!user_mapped(usrc, len, false))
		return -EFAULT;
	user_access_begin();
	memcpy(dst, (const void *)usrc, len);
	user_access_end();
	return 0;
}

int copy_to_user(uint64_t udst, const void *src, uint64_t len)
{
	if (!user_mapped(udst, len, true))
		return -EFAULT;
	user_access_begin();
	memcpy((void *)udst, src, len);
	user_access_end();
	return 0;
}

/* A NUL-terminated string to user memory (cap bytes there): its length, -ERANGE when cap cannot hold it
 * whole, or -EFAULT. The answer of the calls that say why something cannot run (rb_entry_why, ...). */
long copy_string_to_user(uint64_t udst, uint64_t cap, const char *s)
{
	uint64_t n = strlen(s) + 1;
	if (n > cap)
		return -ERANGE;
	return copy_to_user(udst, s, n) ?: (long)(n - 1);
}

/* A NUL-terminated string from user memory into dst (cap bytes, the NUL included): its length, -EFAULT,
 * or -ENAMETOOLONG when no NUL comes within cap bytes. Checked page by page, as far as the string goes. */
long copy_string_from_user(char *dst, uint64_t usrc, uint64_t cap)
{
	for (uint64_t done = 0; done < cap;) {
		uint64_t n = PAGE_SIZE - ((usrc + done) & (PAGE_SIZE - 1));
		n = n < cap - done ? n : cap - done;
		if (copy_from_user(dst + done, usrc + done, n))
			return -EFAULT;
		for (uint64_t i = done; i < done + n; i++)
			if (!dst[i])
				return (long)i;
		done += n;
	}
	return -ENAMETOOLONG;
}
