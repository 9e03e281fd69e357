/*
 * fs.c: the RAM filesystem the program sees as /: a table of inodes (directories, files, symbolic links
 * and the devices null, zero and console) whose data lives in frames of the kernel's allocator, found
 * through a two-level page index per file. At boot it holds /, /dev and /tmp, and what the newc cpio
 * archive the configuration names brings (lib/cpio.c); every change lives in RAM and is gone at
 * power-off. Used by the calls of fd.c and path.c, and by exec.c at boot.
 */
#include "proc.h"
#include "../lib/cpio.h"
#include "../lib/errno.h"
#include "../lib/fmt.h"
#include "../lib/string.h"

#define INDEX_ENTRIES (PAGE_SIZE / 8)
#define FILE_PAGES_MAX (INDEX_ENTRIES * INDEX_ENTRIES) /* 1 GiB a file */
#define SYMLINK_DEPTH 8

static struct inode inodes[FS_INODES];

struct inode *fs_inode(uint32_t ino) { return ino && ino < FS_INODES && inodes[ino].mode ? &inodes[ino] : 0; }

/* The frame of a file's page n (0: a hole), creating it (and its index) when asked; 0 when memory ran
 * out too. */
static uint64_t file_page(struct inode *f, uint64_t n, bool create)
{
	if (n >= FILE_PAGES_MAX || (!f->index && (!create || !(f->index = frame_alloc()))))
		return 0;
	uint64_t *top = P2V(f->index), *mid;
	if (!top[n / INDEX_ENTRIES] && (!create || !(top[n / INDEX_ENTRIES] = frame_alloc())))
		return 0;
	mid = P2V(top[n / INDEX_ENTRIES]);
	if (!mid[n % INDEX_ENTRIES] && create)
		mid[n % INDEX_ENTRIES] = frame_alloc();
	return mid[n % INDEX_ENTRIES];
}

/* n bytes between a file's page and buf (a user address, or a kernel pointer): 0 or -EFAULT. */
static int move(uint8_t *page, uint64_t buf, uint64_t n, bool from_file, bool user)
{
	if (user)
		return from_file ? copy_to_user(buf, page, n) : copy_from_user(page, buf, n);
	memcpy(from_file ? (void *)buf : page, from_file ? page : (const void *)buf, n);
	return 0;
}

/* Copy len bytes at off between the file and buf, a kernel pointer (user: false) or a user address; the
 * file grows as written (from_file false). Returns the bytes moved or -errno; reading stops at the end. */
long fs_io(uint32_t ino, uint64_t off, uint64_t buf, uint64_t len, bool from_file, bool user)
{
	static const uint8_t zeros[PAGE_SIZE];
	struct inode *f = fs_inode(ino);
	if (from_file)
		len = off >= f->size ? 0 : len < f->size - off ? len : f->size - off;
	else if (off + len < off || (off + len + PAGE_SIZE - 1) / PAGE_SIZE > FILE_PAGES_MAX)
		return -EFBIG;
	uint64_t done = 0;
	while (done < len) {
		uint64_t at = off + done, in = at % PAGE_SIZE, n = PAGE_SIZE - in < len - done ? PAGE_SIZE - in : len - done;
		uint64_t frame = file_page(f, at / PAGE_SIZE, !from_file);
		if (!frame && !from_file)
			return done ? (long)done : -ENOSPC;
		uint8_t *page = frame ? (uint8_t *)P2V(frame) + in : (uint8_t *)zeros;
		int err = move(page, buf + done, n, from_file, user);
		if (err)
			return done ? (long)done : err;
		done += n;
	}
	if (!from_file && off + done > f->size)
		f->size = off + done;
	if (!from_file && user)
		f->mtime = fs_now();
	return (long)done;
}

/* Cut or extend (with zeros) a file to size. */
long fs_truncate(uint32_t ino, uint64_t size)
{
	struct inode *f = fs_inode(ino);
	if ((size + PAGE_SIZE - 1) / PAGE_SIZE > FILE_PAGES_MAX)
		return -EFBIG;
	for (uint64_t n = (size + PAGE_SIZE - 1) / PAGE_SIZE; f->index && n * PAGE_SIZE < f->size; n++) {
		uint64_t *top = P2V(f->index), frame = file_page(f, n, false);
		if (frame) {
			frame_free(frame);
			((uint64_t *)P2V(top[n / INDEX_ENTRIES]))[n % INDEX_ENTRIES] = 0;
		}
	}
	uint64_t tail = file_page(f, size / PAGE_SIZE, false);
	if (tail && size % PAGE_SIZE && size < f->size)
		memset((uint8_t *)P2V(tail) + size % PAGE_SIZE, 0, PAGE_SIZE - size % PAGE_SIZE);
	f->size = size;
	return 0;
}

static void release(uint32_t ino)
{
	struct inode *f = &inodes[ino];
	fs_truncate(ino, 0);
	if (f->index) {
		uint64_t *top = P2V(f->index);
		for (unsigned i = 0; i < INDEX_ENTRIES; i++)
			if (top[i])
				frame_free(top[i]);
		frame_free(f->index);
	}
	memset(f, 0, sizeof(*f));
}

/* The child of dir called name (len bytes), or 0. */
static uint32_t child(uint32_t dir, const char *name, size_t len)
{
	for (uint32_t i = 1; i < FS_INODES; i++)
		if (inodes[i].mode && inodes[i].parent == dir && i != dir && !strncmp(inodes[i].name, name, len) &&
		    !inodes[i].name[len])
			return i;
	return 0;
}

/* The next child of dir after the inode number after (0: the first), or 0: what getdents walks. */
uint32_t fs_next_child(uint32_t dir, uint32_t after)
{
	for (uint32_t i = after + 1; i < FS_INODES; i++)
		if (inodes[i].mode && inodes[i].parent == dir && i != dir)
			return i;
	return 0;
}

bool fs_dir_empty(uint32_t dir) { return !fs_next_child(dir, 0); }

long fs_create(uint32_t dir, const char *name, uint32_t mode, uint32_t *ino)
{
	if (!S_ISDIR(fs_inode(dir)->mode))
		return -ENOTDIR;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	if (child(dir, name, strlen(name)))
		return -EEXIST;
	for (uint32_t i = ROOT_INO + 1; i < FS_INODES; i++)
		if (!inodes[i].mode) {
			inodes[i] = (struct inode){ .mode = mode, .parent = dir, .nlink = 1, .mtime = fs_now() };
			str_copy(inodes[i].name, name, sizeof(inodes[i].name));
			*ino = i;
			return 0;
		}
	return -ENOSPC;
}

long fs_remove(uint32_t ino)
{
	if (ino == ROOT_INO)
		return -EBUSY;
	if (S_ISDIR(inodes[ino].mode) && !fs_dir_empty(ino))
		return -ENOTEMPTY;
	if (inodes[ino].opens) { /* open files keep it: it leaves the tree, and goes at their last close */
		inodes[ino].parent = 0;
		inodes[ino].nlink = 0;
		return 0;
	}
	release(ino);
	return 0;
}

/* An open file on it closed: an unlinked inode goes with its last. */
void fs_closed(uint32_t ino)
{
	if (inodes[ino].mode && !--inodes[ino].opens && !inodes[ino].nlink)
		release(ino);
}

long fs_move(uint32_t ino, uint32_t dir, const char *name)
{
	for (uint32_t d = dir; d != ROOT_INO; d = inodes[d].parent)
		if (d == ino)
			return -EINVAL; /* a directory into itself */
	inodes[ino].parent = dir;
	str_copy(inodes[ino].name, name, sizeof(inodes[ino].name));
	return 0;
}

/* Walk path from dir: *ino the inode it names, and *parent with *last (its final component) so that a
 * caller may create what is not there (*ino 0 then, and the result 0). follow: whether a final symbolic
 * link is followed. */
static long walk(uint32_t dir, const char *path, bool follow, int depth, uint32_t *parent, const char **last,
		 uint32_t *ino)
{
	uint32_t cur = path[0] == '/' ? ROOT_INO : dir;
	*ino = cur, *parent = cur, *last = ".";
	for (const char *s = path; *s;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		const char *name = s;
		while (*s && *s != '/')
			s++;
		size_t len = (size_t)(s - name);
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (!S_ISDIR(inodes[cur].mode))
			return -ENOTDIR;
		*parent = cur, *last = name;
		uint32_t next = len == 1 && name[0] == '.' ? cur
			: len == 2 && name[0] == '.' && name[1] == '.' ? (cur == ROOT_INO ? ROOT_INO : inodes[cur].parent)
			: child(cur, name, len);
		if (!next) {
			*ino = 0;
			while (*s == '/')
				s++;
			return *s ? -ENOENT : 0; /* only the last component may be missing */
		}
		bool more = false;
		for (const char *t = s; *t; t++)
			more |= *t != '/';
		if (S_ISLNK(inodes[next].mode) && (more || follow || *s == '/')) {
			static char targets[SYMLINK_DEPTH][PATH_MAX]; /* off the kernel stack: one walk at a time */
			if (depth >= SYMLINK_DEPTH)
				return -ELOOP;
			char *target = targets[depth];
			long n = fs_io(next, 0, (uint64_t)target, PATH_MAX - 1, true, false);
			target[n] = 0;
			uint32_t p2;
			const char *l2;
			long err = walk(cur, target, true, depth + 1, &p2, &l2, &next);
			if (err || !next)
				return err ? err : -ENOENT;
		}
		cur = next;
		*ino = cur;
	}
	return 0;
}

long fs_lookup(uint32_t dir, const char *path, bool follow, uint32_t *ino)
{
	uint32_t parent;
	const char *last;
	long err = walk(dir, path, follow, 0, &parent, &last, ino);
	return err ? err : *ino ? 0 : -ENOENT;
}

/* For a call that creates or removes: the directory path's last component lives in, and that name (in
 * name[NAME_MAX + 1]); *ino is what it names now, or 0. */
long fs_lookup_parent(uint32_t dir, const char *path, uint32_t *parent, char *name, uint32_t *ino)
{
	const char *last;
	if (!*path)
		return -ENOENT;
	long err = walk(dir, path, false, 0, parent, &last, ino);
	if (err)
		return err;
	size_t len = 0;
	while (last[len] && last[len] != '/')
		len++;
	memcpy(name, last, len);
	name[len] = 0;
	return 0;
}

/* The path of dir from /, into buf (cap bytes): its length, or -ERANGE. */
long fs_path_of(uint32_t dir, char *buf, size_t cap)
{
	static char tmp[PATH_MAX];
	size_t at = sizeof(tmp) - 1;
	tmp[at] = 0;
	for (uint32_t d = dir; d != ROOT_INO; d = inodes[d].parent) {
		size_t n = strlen(inodes[d].name);
		if (!d || n + 1 > at)
			return -ENOENT; /* unlinked, or deeper than PATH_MAX */
		at -= n;
		memcpy(tmp + at, inodes[d].name, n);
		tmp[--at] = '/';
	}
	if (at == sizeof(tmp) - 1)
		tmp[--at] = '/';
	size_t len = sizeof(tmp) - 1 - at;
	if (len + 1 > cap)
		return -ERANGE;
	memcpy(buf, tmp + at, len + 1);
	return (long)len;
}

/* A directory (or device) the boot makes itself. */
static uint32_t make(uint32_t dir, const char *name, uint32_t mode, uint32_t dev)
{
	uint32_t ino = child(dir, name, strlen(name));
	if (!ino && fs_create(dir, name, mode, &ino))
		return 0;
	inodes[ino].dev = dev;
	return ino;
}

/* Every directory on the way to path's last component, made where missing (an archive may list a file
 * before its directory); returns the last one's inode, or 0. */
static uint32_t make_parents(const char *path, const char **last)
{
	uint32_t dir = ROOT_INO;
	char name[NAME_MAX + 1];
	for (const char *s = path;;) {
		const char *slash = s;
		while (*slash && *slash != '/')
			slash++;
		if (!*slash) {
			*last = s;
			return dir;
		}
		size_t len = (size_t)(slash - s) < NAME_MAX ? (size_t)(slash - s) : NAME_MAX;
		memcpy(name, s, len);
		name[len] = 0;
		if (len && !(dir = make(dir, name, S_IFDIR | 0755, 0)))
			return 0;
		s = slash + 1;
	}
}

/* One archive entry into the tree. NULL, or what was wrong. */
static const char *unpack_one(const struct cpio_entry *e)
{
	const char *path = e->name, *last;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	while (*path == '/')
		path++;
	if (!*path || !strcmp(path, "."))
		return 0; /* the root itself */
	uint32_t dir = make_parents(path, &last), ino;
	uint32_t type = (uint32_t)e->mode & S_IFMT;
	if (!dir || strlen(last) > NAME_MAX)
		return "a name longer than 255 bytes, or no room for its directories";
	if (type != S_IFDIR && type != S_IFREG && type != S_IFLNK)
		return 0; /* devices, pipes, sockets: not brought in */
	if (!(ino = child(dir, last, strlen(last))) && fs_create(dir, last, (uint32_t)e->mode, &ino))
		return "more files than the filesystem's 4095 inodes";
	inodes[ino].mode = (uint32_t)e->mode;
	inodes[ino].mtime = e->mtime;
	if (type != S_IFDIR && fs_io(ino, 0, (uint64_t)e->data, e->filesize, false, false) != (long)e->filesize)
		return "not enough memory for its files";
	return 0;
}

/* The boot's tree: /, /dev (null, zero, console), /tmp, then the archive (NULL when none). NULL, or what
 * was wrong with the archive, with its offset in *where. */
const char *fs_init(const uint8_t *archive, size_t size, size_t *where)
{
	inodes[ROOT_INO] = (struct inode){ .mode = S_IFDIR | 0755, .parent = ROOT_INO, .nlink = 2, .mtime = fs_now() };
	uint32_t dev = make(ROOT_INO, "dev", S_IFDIR | 0755, 0);
	make(dev, "null", S_IFCHR | 0666, DEV_NULL);
	make(dev, "zero", S_IFCHR | 0666, DEV_ZERO);
	make(dev, "console", S_IFCHR | 0620, DEV_CONSOLE);
	make(ROOT_INO, "tmp", S_IFDIR | 01777, 0);
	struct cpio_entry e;
	const char *why = 0;
	int r;
	*where = 0;
	while (archive && (r = cpio_next(archive, size, where, &e, &why)) > 0)
		if ((why = unpack_one(&e)))
			return why;
	return archive && r < 0 ? why : 0;
}
