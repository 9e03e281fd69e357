/*
 * io.c: the console's descriptors, the files every process starts with: 0 reads end-of-file (no
 * keyboard is read), 1 and 2 write to the console (serial and screen). They answer as a terminal does
 * (TCGETS, TIOCGWINSZ), so libc's stdio buffers by line as on Linux's console. Reached from the doors
 * through the table.
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/errno.h"
#include "../lib/string.h"

#define WRITE_CHUNK 256
#define IOV_MAX 1024       /* Linux's UIO_MAXIOV */
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80
#define CONSOLE_RDEV 0x0501 /* /dev/console: major 5, minor 1 */
#define TERMIOS_CREAD_CS8_B38400 0x00bf /* cflag: a serial line at 38400 baud, 8 bits, reading */

static bool open_fd(uint64_t fd) { return fd < FD_MAX; }
static bool writable_fd(uint64_t fd) { return fd == 1 || fd == 2; }

/* ubuf[0..len) to the console: the whole buffer checked first, so nothing is written from a bad one. */
static long console_out(uint64_t ubuf, uint64_t len)
{
	char chunk[WRITE_CHUNK];
	if (len && !user_mapped(ubuf, len, false))
		return -EFAULT;
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < WRITE_CHUNK ? len - done : WRITE_CHUNK;
		if (copy_from_user(chunk, ubuf + done, n))
			return -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (long)len;
}

SYSCALL3(write, fd, ubuf, len)
{
	if (!writable_fd(fd))
		return -EBADF;
	return console_out(ubuf, len);
}

SYSCALL3(read, fd, ubuf, len)
{
	if (!open_fd(fd) || writable_fd(fd))
		return -EBADF;
	return !len || user_mapped(ubuf, len, true) ? 0 : -EFAULT; /* end of file */
}

/* Check the iovcnt iovecs at uiov, and each buffer they name (readable for writev, writable for readv),
 * before any is used: nothing is half-done. One thread, and the app does not run meanwhile: a second
 * pass reads the same values. */
static long check_iovecs(uint64_t uiov, uint64_t iovcnt, bool write)
{
	struct linux_iovec iov;
	uint64_t total = 0;
	if (iovcnt > IOV_MAX)
		return -EINVAL;
	for (uint64_t i = 0; i < iovcnt; i++) {
		if (copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov)))
			return -EFAULT;
		if (iov.len > INT64_MAX - total)
			return -EINVAL;
		total += iov.len;
		if (iov.len && !user_mapped(iov.base, iov.len, !write))
			return -EFAULT;
	}
	return 0;
}

SYSCALL3(writev, fd, uiov, iovcnt)
{
	struct linux_iovec iov;
	if (!writable_fd(fd))
		return -EBADF;
	long err = check_iovecs(uiov, iovcnt, true), total = 0;
	for (uint64_t i = 0; !err && i < iovcnt; i++) {
		copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov));
		total += console_out(iov.base, iov.len);
	}
	return err ? err : total;
}

SYSCALL3(readv, fd, uiov, iovcnt)
{
	if (!open_fd(fd) || writable_fd(fd))
		return -EBADF;
	return check_iovecs(uiov, iovcnt, false); /* 0: end of file */
}

SYSCALL1(close, fd) { return open_fd(fd) ? 0 : -EBADF; }

SYSCALL3(lseek, fd, off, whence) { return open_fd(fd) ? -ESPIPE : -EBADF; }

SYSCALL3(ioctl, fd, cmd, arg)
{
	if (!open_fd(fd))
		return -EBADF;
	if (cmd == TCGETS) {
		struct linux_termios t = { .cflag = TERMIOS_CREAD_CS8_B38400 };
		return copy_to_user(arg, &t, sizeof(t));
	}
	if (cmd == TIOCGWINSZ) {
		struct linux_winsize w = { .row = CONSOLE_ROWS, .col = CONSOLE_COLS };
		return copy_to_user(arg, &w, sizeof(w));
	}
	return -ENOTTY;
}

/* What fstat says of the console: a character device, read-write for its owner. */
static long console_stat(uint64_t ustat)
{
	struct linux_stat st;
	memset(&st, 0, sizeof(st));
	st.mode = S_IFCHR | 0620;
	st.nlink = 1;
	st.rdev = CONSOLE_RDEV;
	st.blksize = PAGE_SIZE;
	return copy_to_user(ustat, &st, sizeof(st));
}

SYSCALL2(fstat, fd, ustat) { return open_fd(fd) ? console_stat(ustat) : -EBADF; }

/* Only fstat's form for now, an empty path with AT_EMPTY_PATH: there are no files to name yet. */
SYSCALL4(newfstatat, dirfd, upath, ustat, flags)
{
	char first;
	if (copy_from_user(&first, upath, 1))
		return -EFAULT;
	if (first || !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	return open_fd(dirfd) ? console_stat(ustat) : -EBADF;
}
