/* errno.h: error numbers, with Linux's values so programs written for Linux read them the same way. */
#ifndef RINGBENCH_ERRNO_H
#define RINGBENCH_ERRNO_H
#define EPERM   1  /* not permitted */
#define ENOENT  2  /* no such file or directory */
#define ESRCH   3  /* no such process */
#define EINTR   4  /* interrupted */
#define EBADF   9  /* bad file descriptor */
#define ECHILD  10 /* no child processes */
#define ENXIO   6  /* no such device or address */
#define EAGAIN  11 /* try again: a resource is not there now */
#define ENOMEM  12 /* out of memory, or no room in the address space */
#define EACCES  13 /* permission denied */
#define EFAULT  14 /* bad address */
#define EBUSY   16 /* in use: the doors are busy with another variant */
#define EEXIST  17 /* exists */
#define EXDEV   18 /* a link across file systems */
#define ENODEV  19 /* no such device (mmap of something that is no file) */
#define ENOTDIR 20 /* not a directory */
#define EISDIR  21 /* is a directory */
#define EINVAL  22 /* invalid argument */
#define ENFILE  23 /* too many open files in the system */
#define EMFILE  24 /* too many open files */
#define ENOTTY  25 /* not a terminal */
#define EFBIG   27 /* file too large */
#define ENOSPC  28 /* no space left */
#define ESPIPE  29 /* not seekable */
#define ERANGE  34 /* a buffer too small for the answer */
#define ENAMETOOLONG 36
#define ENOSYS  38 /* no such system call */
#define ENOTEMPTY 39 /* directory not empty */
#define ELOOP   40 /* too many symbolic links */
#define EOPNOTSUPP 95 /* not supported on this CPU */

/* Every errno above, for a reader that names them (app/fuzz.c). */
#define ERRNO_LIST(X) \
	X(EPERM) \
	X(ENOENT) \
	X(ESRCH) \
	X(EINTR) \
	X(EBADF) \
	X(ECHILD) \
	X(ENXIO) \
	X(EAGAIN) \
	X(ENOMEM) \
	X(EACCES) \
	X(EFAULT) \
	X(EBUSY) \
	X(EEXIST) \
	X(EXDEV) \
	X(ENODEV) \
	X(ENOTDIR) \
	X(EISDIR) \
	X(EINVAL) \
	X(ENFILE) \
	X(EMFILE) \
	X(ENOTTY) \
	X(EFBIG) \
	X(ENOSPC) \
	X(ESPIPE) \
	X(ERANGE) \
	X(ENAMETOOLONG) \
	X(ENOSYS) \
	X(ENOTEMPTY) \
	X(ELOOP) \
	X(EOPNOTSUPP)
#endif
