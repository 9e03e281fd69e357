/*
 * path.c: the calls that name files by path: open and openat, the stat family, access, mkdir, rmdir,
 * unlink, rename, readlink, truncate, chdir and getcwd. A path is copied in whole first (PATH_MAX, or
 * ENAMETOOLONG), then walked from / or from the directory a descriptor (or the working directory) names.
 * Permissions are not enforced: the one process is root. Reached from the doors through the table.
 */
#include "proc.h"
#include "../entry/syscall.h"
#include "../lib/errno.h"
#include "../lib/string.h"

#define OPEN_MODE_BITS 07777

/* The paths a call copies in, here rather than on the 16 KiB kernel stack: one call at a time runs. */
static char path[PATH_MAX], path2[PATH_MAX];

/* The directory a *at call starts from: the working directory for AT_FDCWD (or an absolute path). */
static long start_dir(uint64_t dirfd, uint32_t *dir)
{
	if ((int)dirfd == AT_FDCWD) {
		*dir = proc.cwd;
		return 0;
	}
	struct ofile *f = fd_file(dirfd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(fs_inode(f->ino)->mode))
		return -ENOTDIR;
	*dir = f->ino;
	return 0;
}

/* Copy the path in and find where it starts: 0 or -errno. An empty path is ENOENT unless allowed. */
static long take_path(uint64_t dirfd, uint64_t upath, char *buf, uint32_t *dir, bool empty_ok)
{
	long n = copy_string_from_user(buf, upath, PATH_MAX);
	if (n < 0)
		return n;
	if (!n && !empty_ok)
		return -ENOENT;
	return buf[0] == '/' ? (*dir = ROOT_INO, 0) : start_dir(dirfd, dir);
}

/* For a call that may create or remove: the path copied in and walked to its last component's
 * directory (*parent) and name; *ino what it names now, or 0. *dir is where the walk started. */
static long take_parent(uint64_t dirfd, uint64_t upath, uint32_t *dir, uint32_t *parent, char *name, uint32_t *ino)
{
	long err = take_path(dirfd, upath, path, dir, false);
	return err ? err : fs_lookup_parent(*dir, path, parent, name, ino);
}

/* For a call on what a path names: copied in and walked (a final symbolic link followed or not). */
static long take_inode(uint64_t dirfd, uint64_t upath, bool follow, uint32_t *ino)
{
	uint32_t dir;
	long err = take_path(dirfd, upath, path, &dir, false);
	return err ? err : fs_lookup(dir, path, follow, ino);
}

static long open_at(uint64_t dirfd, uint64_t upath, uint64_t flags, uint64_t mode)
{
	char name[NAME_MAX + 1];
	uint32_t dir, parent, ino;
	long err = take_parent(dirfd, upath, &dir, &parent, name, &ino);
	if (err)
		return err;
	if (ino && !(flags & O_NOFOLLOW) && (err = fs_lookup(dir, path, true, &ino)))
		return err;
	if (!ino) {
		if (!(flags & O_CREAT))
			return -ENOENT;
		if (path[strlen(path) - 1] == '/')
			return -EISDIR;
		if ((err = fs_create(parent, name, S_IFREG | ((uint32_t)mode & OPEN_MODE_BITS & ~proc.umask), &ino)))
			return err;
	} else if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		return -EEXIST;
	}
	struct inode *i = fs_inode(ino);
	if ((flags & O_CREAT) && S_ISDIR(i->mode))
		return -EISDIR; /* as Linux: O_CREAT names a file */
	if (S_ISLNK(i->mode))
		return -ELOOP; /* O_NOFOLLOW on a symbolic link */
	if ((flags & O_DIRECTORY) && !S_ISDIR(i->mode))
		return -ENOTDIR;
	if (S_ISDIR(i->mode) && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if ((flags & O_TRUNC) && S_ISREG(i->mode) && (flags & O_ACCMODE) != O_RDONLY)
		fs_truncate(ino, 0);
	long fd = fd_install(ino, (uint32_t)flags & ~(uint32_t)(O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC), 0);
	if (fd >= 0 && (flags & O_CLOEXEC))
		proc.cloexec |= 1ull << fd;
	return fd;
}

SYSCALL3(open, upath, flags, mode) { return open_at((uint64_t)AT_FDCWD, upath, flags, mode); }
SYSCALL4(openat, dirfd, upath, flags, mode) { return open_at(dirfd, upath, flags, mode); }

/* The inode a stat-like call names: path from dirfd, or with AT_EMPTY_PATH and "" the descriptor. */
static long named(uint64_t dirfd, uint64_t upath, uint64_t flags, uint32_t *ino)
{
	uint32_t dir;
	if (flags & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */ | 0x6000 /* sync */))
		return -EINVAL;
	long err = take_path(dirfd, upath, path, &dir, flags & AT_EMPTY_PATH);
	if (err)
		return err;
	if (!path[0]) {
		if ((int)dirfd == AT_FDCWD)
			return *ino = proc.cwd, 0;
		struct ofile *f = fd_file(dirfd);
		return f ? (*ino = f->ino, 0) : -EBADF;
	}
	return fs_lookup(dir, path, !(flags & AT_SYMLINK_NOFOLLOW), ino);
}

static long stat_at(uint64_t dirfd, uint64_t upath, uint64_t ustat, uint64_t flags)
{
	uint32_t ino;
	long err = named(dirfd, upath, flags, &ino);
	return err ? err : stat_inode(ino, ustat);
}

SYSCALL2(stat, upath, ustat) { return stat_at((uint64_t)AT_FDCWD, upath, ustat, 0); }
SYSCALL2(lstat, upath, ustat) { return stat_at((uint64_t)AT_FDCWD, upath, ustat, AT_SYMLINK_NOFOLLOW); }
SYSCALL4(newfstatat, dirfd, upath, ustat, flags) { return stat_at(dirfd, upath, ustat, flags); }

SYSCALL5(statx, dirfd, upath, flags, mask, ubuf)
{
	uint32_t ino;
	long err = named(dirfd, upath, flags, &ino);
	if (err)
		return err;
	struct linux_stat st;
	struct linux_statx sx;
	inode_stat(ino, &st);
	memset(&sx, 0, sizeof(sx));
	sx.mask = STATX_BASIC_STATS;
	sx.blksize = (uint32_t)st.blksize;
	sx.nlink = (uint32_t)st.nlink;
	sx.mode = (uint16_t)st.mode;
	sx.ino = st.ino;
	sx.size = (uint64_t)st.size;
	sx.blocks = (uint64_t)st.blocks;
	sx.atime.sec = sx.btime.sec = sx.ctime.sec = sx.mtime.sec = st.mtime;
	sx.rdev_major = (uint32_t)(st.rdev >> 8), sx.rdev_minor = (uint32_t)(st.rdev & 0xff);
	return copy_to_user(ubuf, &sx, sizeof(sx));
}

static long access_at(uint64_t dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
	uint32_t ino;
	if (mode & ~(uint64_t)(R_OK | W_OK | X_OK) || (flags & ~(uint64_t)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)))
		return -EINVAL;
	long err = named(dirfd, upath, flags & ~(uint64_t)AT_EACCESS, &ino);
	if (err)
		return err;
	/* root may read and write anything, and execute what anyone may */
	return (mode & X_OK) && !S_ISDIR(fs_inode(ino)->mode) && !(fs_inode(ino)->mode & 0111) ? -EACCES : 0;
}

SYSCALL2(access, upath, mode) { return access_at((uint64_t)AT_FDCWD, upath, mode, 0); }
SYSCALL3(faccessat, dirfd, upath, mode) { return access_at(dirfd, upath, mode, 0); }
SYSCALL4(faccessat2, dirfd, upath, mode, flags) { return access_at(dirfd, upath, mode, flags); }

static long mkdir_at(uint64_t dirfd, uint64_t upath, uint64_t mode)
{
	char name[NAME_MAX + 1];
	uint32_t dir, parent, ino;
	long err = take_parent(dirfd, upath, &dir, &parent, name, &ino);
	if (err)
		return err;
	return ino ? -EEXIST : fs_create(parent, name, S_IFDIR | ((uint32_t)mode & OPEN_MODE_BITS & ~proc.umask), &ino);
}

SYSCALL2(mkdir, upath, mode) { return mkdir_at((uint64_t)AT_FDCWD, upath, mode); }
SYSCALL3(mkdirat, dirfd, upath, mode) { return mkdir_at(dirfd, upath, mode); }

static long unlink_at(uint64_t dirfd, uint64_t upath, uint64_t flags)
{
	char name[NAME_MAX + 1];
	uint32_t dir, parent, ino;
	if (flags & ~(uint64_t)AT_REMOVEDIR)
		return -EINVAL;
	long err = take_parent(dirfd, upath, &dir, &parent, name, &ino);
	if (err || !ino)
		return err ? err : -ENOENT;
	bool is_dir = S_ISDIR(fs_inode(ino)->mode);
	if ((flags & AT_REMOVEDIR) && !is_dir)
		return -ENOTDIR;
	if (!(flags & AT_REMOVEDIR) && is_dir)
		return -EISDIR;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	return fs_remove(ino);
}

SYSCALL1(unlink, upath) { return unlink_at((uint64_t)AT_FDCWD, upath, 0); }
SYSCALL1(rmdir, upath) { return unlink_at((uint64_t)AT_FDCWD, upath, AT_REMOVEDIR); }
SYSCALL3(unlinkat, dirfd, upath, flags) { return unlink_at(dirfd, upath, flags); }

static long rename_at(uint64_t olddir, uint64_t uold, uint64_t newdir, uint64_t unew)
{
	char old_name[NAME_MAX + 1], new_name[NAME_MAX + 1];
	uint32_t d1, d2, p1, p2, ino, there;
	long err = take_path(olddir, uold, path, &d1, false);
	if (!err)
		err = take_path(newdir, unew, path2, &d2, false);
	if (!err)
		err = fs_lookup_parent(d1, path, &p1, old_name, &ino);
	if (!err && !ino)
		err = -ENOENT;
	if (!err)
		err = fs_lookup_parent(d2, path2, &p2, new_name, &there);
	if (err || there == ino)
		return err;
	if (there) {
		bool a = S_ISDIR(fs_inode(ino)->mode), b = S_ISDIR(fs_inode(there)->mode);
		if (a != b)
			return a ? -ENOTDIR : -EISDIR;
		if ((err = fs_remove(there)))
			return err;
	}
	return fs_move(ino, p2, new_name);
}

SYSCALL2(rename, uold, unew) { return rename_at((uint64_t)AT_FDCWD, uold, (uint64_t)AT_FDCWD, unew); }
SYSCALL4(renameat, olddir, uold, newdir, unew) { return rename_at(olddir, uold, newdir, unew); }

static long readlink_at(uint64_t dirfd, uint64_t upath, uint64_t ubuf, uint64_t len)
{
	uint32_t ino;
	if ((int64_t)len <= 0)
		return -EINVAL;
	long err = take_inode(dirfd, upath, false, &ino);
	if (err)
		return err;
	if (!S_ISLNK(fs_inode(ino)->mode))
		return -EINVAL;
	long n = fs_io(ino, 0, (uint64_t)path2, sizeof(path2), true, false);
	n = (uint64_t)n < len ? n : (long)len;
	return copy_to_user(ubuf, path2, (uint64_t)n) ?: n;
}

SYSCALL3(readlink, upath, ubuf, len) { return readlink_at((uint64_t)AT_FDCWD, upath, ubuf, len); }
SYSCALL4(readlinkat, dirfd, upath, ubuf, len) { return readlink_at(dirfd, upath, ubuf, len); }

SYSCALL2(truncate, upath, len)
{
	uint32_t ino;
	long err = take_inode((uint64_t)AT_FDCWD, upath, true, &ino);
	if (err)
		return err;
	if (S_ISDIR(fs_inode(ino)->mode))
		return -EISDIR;
	return (int64_t)len < 0 || !S_ISREG(fs_inode(ino)->mode) ? -EINVAL : fs_truncate(ino, len);
}

SYSCALL1(chdir, upath)
{
	uint32_t ino;
	long err = take_inode((uint64_t)AT_FDCWD, upath, true, &ino);
	if (err)
		return err;
	if (!S_ISDIR(fs_inode(ino)->mode))
		return -ENOTDIR;
	proc.cwd = ino;
	return 0;
}

SYSCALL2(getcwd, ubuf, len)
{
	long n = fs_path_of(proc.cwd, path, len < sizeof(path) ? len : sizeof(path));
	return n < 0 ? n : copy_to_user(ubuf, path, (uint64_t)n + 1) ?: n + 1;
}

SYSCALL1(umask, mask)
{
	uint64_t old = proc.umask;
	proc.umask = (uint32_t)mask & 0777;
	return (long)old;
}
