/*
 * fd.c: file descriptors and what is done through them: read, write and their vector and positioned
 * forms, lseek, close, dup, fcntl, ioctl, fstat, ftruncate, getdents64, fchdir. A descriptor names an
 * open file (an inode of fs.c, an offset, flags), which dup shares. 0, 1 and 2 start on /dev/console:
 * writing shows on the console, reading is end-of-file (no keyboard is read), unless the configuration
 * names a file for stdin. The console answers as a terminal does (TCGETS, TIOCGWINSZ), so stdio buffers
 * by line. Reached from the doors through the table.
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/errno.h"
#include "../lib/string.h"

#define CONSOLE_CHUNK 256
#define IOV_MAX 1024       /* Linux's UIO_MAXIOV */
#define CONSOLE_ROWS 25
#define CONSOLE_COLS 80
#define CONSOLE_RDEV 0x0501 /* /dev/console: major 5, minor 1 */
#define TERMIOS_CREAD_CS8_B38400 0x00bf /* cflag: a serial line at 38400 baud, 8 bits, reading */
#define STATUS_FLAGS (O_APPEND | 04000 /* O_NONBLOCK */) /* what F_SETFL may change */
#define DIRENT_ALIGN 8

struct ofile *fd_file(uint64_t fd) { return fd < FD_MAX && proc.fd[fd] ? &proc.files[proc.fd[fd] - 1] : 0; }

static long new_fd(uint16_t file, uint64_t min_fd)
{
	for (uint64_t fd = min_fd; fd < FD_MAX; fd++)
		if (!proc.fd[fd]) {
			proc.fd[fd] = file;
			proc.files[file - 1].refs++;
			proc.cloexec &= ~(1ull << fd);
			return (long)fd;
		}
	return -EMFILE;
}

long fd_install(uint32_t ino, uint32_t flags, uint64_t min_fd)
{
	for (uint16_t i = 0; i < OFILE_MAX; i++)
		if (!proc.files[i].refs) {
			proc.files[i] = (struct ofile){ .ino = ino, .flags = flags }; /* a free slot still, until new_fd */
			long fd = new_fd(i + 1, min_fd);
			if (fd >= 0)
				fs_inode(ino)->opens++;
			return fd;
		}
	return -ENFILE;
}

void fd_init(uint32_t stdin_ino)
{
	uint32_t console;
	fs_lookup(ROOT_INO, "/dev/console", true, &console);
	proc.cwd = ROOT_INO;
	fd_install(stdin_ino ? stdin_ino : console, O_RDONLY, 0);
	fd_install(console, O_WRONLY, 1);
	new_fd(proc.fd[1], 2); /* stderr shares stdout's open file, as a login shell's do */
}

static long fd_close(uint64_t fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	proc.fd[fd] = 0;
	if (!--f->refs)
		fs_closed(f->ino);
	return 0;
}

/* ubuf[0..len) to the console; transfer() has checked the whole buffer, so nothing is written from a
 * bad one. */
static long console_out(uint64_t ubuf, uint64_t len)
{
	char chunk[CONSOLE_CHUNK];
	for (uint64_t done = 0; done < len;) {
		uint64_t n = len - done < CONSOLE_CHUNK ? len - done : CONSOLE_CHUNK;
		if (copy_from_user(chunk, ubuf + done, n))
			return -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (long)len;
}

/* The transfer itself, at off (the open file's offset for read and write, moved by the caller). */
static long transfer(struct ofile *f, uint64_t off, uint64_t ubuf, uint64_t len, bool write)
{
	struct inode *ino = fs_inode(f->ino);
	if (write ? (f->flags & O_ACCMODE) == O_RDONLY : (f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (S_ISDIR(ino->mode))
		return -EISDIR;
	if (len && !user_mapped(ubuf, len, !write))
		return -EFAULT;
	if ((ino->mode & S_IFMT) == S_IFCHR) {
		if (write)
			return ino->dev == DEV_CONSOLE ? console_out(ubuf, len) : (long)len;
		if (ino->dev != DEV_ZERO)
			return 0; /* end of file: null, and the console, which reads no keyboard */
		static const uint8_t zeros[PAGE_SIZE];
		for (uint64_t done = 0; done < len; done += PAGE_SIZE)
			if (copy_to_user(ubuf + done, zeros, len - done < PAGE_SIZE ? len - done : PAGE_SIZE))
				return -EFAULT;
		return (long)len;
	}
	return fs_io(f->ino, off, ubuf, len, !write, true);
}

/* read or write at the open file's offset, which moves on (to the end first for O_APPEND). */
static long rw(uint64_t fd, uint64_t ubuf, uint64_t len, bool write)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (write && (f->flags & O_APPEND))
		f->off = fs_inode(f->ino)->size;
	long n = transfer(f, f->off, ubuf, len, write);
	if (n > 0 && (fs_inode(f->ino)->mode & S_IFMT) != S_IFCHR)
		f->off += (uint64_t)n;
	return n;
}

SYSCALL3(read, fd, ubuf, len) { return rw(fd, ubuf, len, false); }
SYSCALL3(write, fd, ubuf, len) { return rw(fd, ubuf, len, true); }

static long positioned(uint64_t fd, uint64_t ubuf, uint64_t len, uint64_t off, bool write)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if ((int64_t)off < 0)
		return -EINVAL;
	if ((fs_inode(f->ino)->mode & S_IFMT) == S_IFCHR)
		return -ESPIPE;
	return transfer(f, off, ubuf, len, write);
}

SYSCALL4(pread64, fd, ubuf, len, off) { return positioned(fd, ubuf, len, off, false); }
SYSCALL4(pwrite64, fd, ubuf, len, off) { return positioned(fd, ubuf, len, off, true); }

/* The iovecs at uiov, and each buffer they name, checked before any is used: nothing is half-done. One
 * thread, and the app does not run meanwhile: the second pass reads the same values. */
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

static long rw_vector(uint64_t fd, uint64_t uiov, uint64_t iovcnt, bool write)
{
	struct linux_iovec iov;
	if (!fd_file(fd))
		return -EBADF;
	long err = check_iovecs(uiov, iovcnt, write), total = 0;
	for (uint64_t i = 0; !err && i < iovcnt; i++) {
		copy_from_user(&iov, uiov + i * sizeof(iov), sizeof(iov));
		long n = rw(fd, iov.base, iov.len, write);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint64_t)n < iov.len)
			break; /* the end of the file */
	}
	return err ? err : total;
}

SYSCALL3(readv, fd, uiov, iovcnt) { return rw_vector(fd, uiov, iovcnt, false); }
SYSCALL3(writev, fd, uiov, iovcnt) { return rw_vector(fd, uiov, iovcnt, true); }

SYSCALL3(lseek, fd, off, whence)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	struct inode *ino = fs_inode(f->ino);
	if ((ino->mode & S_IFMT) == S_IFCHR)
		return ino->dev == DEV_CONSOLE ? -ESPIPE : 0;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->off : whence == SEEK_END ? (int64_t)ino->size : -1;
	if (base < 0 || (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END))
		return -EINVAL;
	int64_t to = base + (int64_t)off;
	if (to < 0 || ((int64_t)off > 0 && to < base))
		return -EINVAL;
	f->off = (uint64_t)to;
	return to;
}

SYSCALL1(close, fd) { return fd_close(fd); }

SYSCALL1(dup, fd) { return fd_file(fd) ? new_fd(proc.fd[fd], 0) : -EBADF; }

static long dup_to(uint64_t fd, uint64_t to, uint64_t flags)
{
	if (!fd_file(fd) || to >= FD_MAX)
		return -EBADF;
	if (fd != to) {
		fd_close(to);
		new_fd(proc.fd[fd], to);
	}
	proc.cloexec = (proc.cloexec & ~(1ull << to)) | ((flags & O_CLOEXEC) ? 1ull << to : 0);
	return (long)to;
}

SYSCALL2(dup2, fd, to) { return dup_to(fd, to, 0); }

SYSCALL3(dup3, fd, to, flags)
{
	if (fd == to || (flags & ~(uint64_t)O_CLOEXEC))
		return -EINVAL;
	return dup_to(fd, to, flags);
}

SYSCALL3(fcntl, fd, cmd, arg)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC: {
		long to = arg < FD_MAX ? new_fd(proc.fd[fd], arg) : -EINVAL;
		if (to >= 0 && cmd == F_DUPFD_CLOEXEC)
			proc.cloexec |= 1ull << to;
		return to;
	}
	case F_GETFD:
		return (long)(proc.cloexec >> fd & 1);
	case F_SETFD:
		proc.cloexec = (proc.cloexec & ~(1ull << fd)) | ((arg & FD_CLOEXEC) ? 1ull << fd : 0);
		return 0;
	case F_GETFL:
		return f->flags;
	case F_SETFL:
		f->flags = (f->flags & ~(uint32_t)STATUS_FLAGS) | ((uint32_t)arg & STATUS_FLAGS);
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL3(ioctl, fd, cmd, arg)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (fs_inode(f->ino)->dev != DEV_CONSOLE)
		return -ENOTTY;
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

/* What stat says of an inode: one device, inode numbers the table's, root's ownership. statx says the
 * same (path.c). */
void inode_stat(uint32_t ino, struct linux_stat *st)
{
	struct inode *i = fs_inode(ino);
	memset(st, 0, sizeof(*st));
	st->ino = ino;
	st->mode = i->mode;
	st->nlink = S_ISDIR(i->mode) ? 2 : 1;
	st->rdev = i->dev == DEV_CONSOLE ? CONSOLE_RDEV : 0;
	st->size = S_ISDIR(i->mode) ? PAGE_SIZE : (int64_t)i->size;
	st->blksize = PAGE_SIZE;
	st->blocks = (int64_t)((i->size + 511) / 512);
	st->atime = st->mtime = st->ctime = (int64_t)i->mtime;
}

long stat_inode(uint32_t ino, uint64_t ustat)
{
	struct linux_stat st;
	inode_stat(ino, &st);
	return copy_to_user(ustat, &st, sizeof(st));
}

SYSCALL2(fstat, fd, ustat) { return fd_file(fd) ? stat_inode(fd_file(fd)->ino, ustat) : -EBADF; }

SYSCALL2(ftruncate, fd, len)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (!S_ISREG(fs_inode(f->ino)->mode) || (f->flags & O_ACCMODE) == O_RDONLY || (int64_t)len < 0)
		return -EINVAL;
	return fs_truncate(f->ino, len);
}

SYSCALL1(fchdir, fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(fs_inode(f->ino)->mode))
		return -ENOTDIR;
	proc.cwd = f->ino;
	return 0;
}

static uint8_t dirent_type(uint32_t mode)
{
	return S_ISDIR(mode) ? DT_DIR : S_ISLNK(mode) ? DT_LNK : (mode & S_IFMT) == S_IFCHR ? DT_CHR : DT_REG;
}

/* The directory's entries from the open file's offset: "." and ".." first (offsets 0 and 1), then each
 * child, the offset the next inode number to look past (plus 2). */
SYSCALL3(getdents64, fd, ubuf, len)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(fs_inode(f->ino)->mode))
		return -ENOTDIR;
	uint64_t done = 0;
	for (;;) {
		uint32_t ino = f->off == 0 ? f->ino : f->off == 1 ? fs_inode(f->ino)->parent
			: fs_next_child(f->ino, (uint32_t)(f->off - 2));
		if (!ino)
			break;
		const char *name = f->off == 0 ? "." : f->off == 1 ? ".." : fs_inode(ino)->name;
		uint64_t namelen = strlen(name), reclen = (sizeof(struct linux_dirent64) + namelen + 1 + DIRENT_ALIGN - 1) &
							   ~(uint64_t)(DIRENT_ALIGN - 1);
		if (done + reclen > len)
			return done ? (long)done : -EINVAL; /* not even one fits */
		uint8_t rec[sizeof(struct linux_dirent64) + NAME_MAX + DIRENT_ALIGN];
		uint64_t next = f->off < 2 ? f->off + 1 : (uint64_t)ino + 2;
		struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
		memset(rec, 0, reclen);
		*d = (struct linux_dirent64){ ino, (int64_t)next, (uint16_t)reclen, dirent_type(fs_inode(ino)->mode) };
		memcpy(d->name, name, namelen);
		if (copy_to_user(ubuf + done, rec, reclen))
			return -EFAULT;
		done += reclen;
		f->off = next;
	}
	return (long)done;
}

/* Every descriptor is always ready: files, the console (which reads end-of-file), the devices. */
#define POLLIN   0x001
#define POLLOUT  0x004
#define POLLNVAL 0x020
#define POLL_MAX FD_MAX

static long poll_fds(uint64_t ufds, uint64_t nfds)
{
	struct { int32_t fd; int16_t events, revents; } p;
	long ready = 0;
	if (nfds > POLL_MAX)
		return -EINVAL;
	if (nfds && !user_mapped(ufds, nfds * sizeof(p), true))
		return -EFAULT;
	for (uint64_t i = 0; i < nfds; i++) {
		copy_from_user(&p, ufds + i * sizeof(p), sizeof(p));
		p.revents = p.fd < 0 ? 0 : !fd_file((uint64_t)p.fd) ? POLLNVAL : (int16_t)(p.events & (POLLIN | POLLOUT));
		ready += p.revents != 0;
		copy_to_user(ufds + i * sizeof(p), &p, sizeof(p));
	}
	return ready;
}

SYSCALL3(poll, ufds, nfds, timeout) { return poll_fds(ufds, nfds); }
SYSCALL5(ppoll, ufds, nfds, utimeout, usigmask, sigsetsize) { return poll_fds(ufds, nfds); }

/* sendfile(out, in, offset, count): in's data through a kernel buffer to out. */
SYSCALL4(sendfile, out, in, uoff, count)
{
	static uint8_t bounce[PAGE_SIZE];
	struct ofile *from = fd_file(in), *to = fd_file(out);
	int64_t off;
	if (!from || !to)
		return -EBADF;
	if ((from->flags & O_ACCMODE) == O_WRONLY || (to->flags & O_ACCMODE) == O_RDONLY ||
	    !S_ISREG(fs_inode(from->ino)->mode))
		return -EINVAL;
	if (uoff && copy_from_user(&off, uoff, sizeof(off)))
		return -EFAULT;
	uint64_t at = uoff ? (uint64_t)off : from->off, done = 0;
	while (done < count) {
		long n = fs_io(from->ino, at + done, (uint64_t)bounce, count - done < sizeof(bounce) ? count - done : sizeof(bounce),
			       true, false);
		if (n <= 0)
			break;
		struct inode *dst = fs_inode(to->ino);
		if (dst->dev == DEV_CONSOLE)
			console_write((const char *)bounce, (size_t)n);
		else if (!dst->dev && fs_io(to->ino, to->off, (uint64_t)bounce, (uint64_t)n, false, false) != n)
			return done ? (long)done : -ENOSPC;
		if (!dst->dev)
			to->off += (uint64_t)n;
		done += (uint64_t)n;
	}
	if (uoff) {
		off += (int64_t)done;
		copy_to_user(uoff, &off, sizeof(off));
	} else {
		from->off += done;
	}
	return (long)done;
}
