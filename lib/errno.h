/* errno.h: error numbers, with Linux's values so programs written for Linux read them the same way. */
#ifndef RINGBENCH_ERRNO_H
#define RINGBENCH_ERRNO_H
#define EBADF   9  /* bad file descriptor */
#define EFAULT  14 /* bad address */
#define EINVAL  22 /* invalid argument */
#define ENOSYS  38 /* no such system call */
#endif
