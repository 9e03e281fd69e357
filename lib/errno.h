/* errno.h: error numbers, with Linux's values so programs written for Linux read them the same way. */
#ifndef RINGBENCH_ERRNO_H
#define RINGBENCH_ERRNO_H
#define EBADF   9  /* bad file descriptor */
#define EFAULT  14 /* bad address */
#define EBUSY   16 /* in use: the doors are busy with another variant */
#define EINVAL  22 /* invalid argument */
#define ERANGE  34 /* a buffer too small for the answer */
#define ENOSYS  38 /* no such system call */
#define EOPNOTSUPP 95 /* not supported on this CPU */
#endif
