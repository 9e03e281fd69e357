/*
 * libc_files.c: files and directories through libc, built with musl and glibc, run on the host's Linux
 * and on ringbench in a copy of the same tree (tests/boots_linux.py), and the outputs compared: stdio on
 * files, stat and lstat, symbolic links, directory listings, mkdir, rename, unlink, rmdir, offsets,
 * pread and pwrite, truncation, dup2, a multi-megabyte file read whole, and errno on bad paths.
 * argv[1] is the tree's root. "~ " lines may differ (see libc_basics.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(const char *what, int ok) { printf("%s: %s\n", what, ok ? "ok" : "FAILED"); }

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void listing(const char *dir)
{
	char *names[64];
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d)) && n < 64;)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	printf("%s holds", dir);
	for (int i = 0; i < n; i++)
		printf(" %s", names[i]);
	printf("\n");
}

static void stdio_files(void)
{
	char line[128];
	FILE *f = fopen("data/a.txt", "r");
	while (f && fgets(line, sizeof(line), f))
		printf("a.txt: %s", line);
	fclose(f);
	f = fopen("new.txt", "w");
	fprintf(f, "first %d\n", 1);
	fclose(f);
	f = fopen("new.txt", "a");
	fprintf(f, "second %d\n", 2);
	fclose(f);
	f = fopen("new.txt", "r");
	size_t n = fread(line, 1, sizeof(line) - 1, f);
	line[n] = 0;
	fclose(f);
	printf("new.txt holds %zu bytes: %s", n, line);
}

static void metadata(void)
{
	struct stat st;
	char target[64] = "";
	say("stat of a file", stat("new.txt", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 17);
	say("stat of a directory", stat("data", &st) == 0 && S_ISDIR(st.st_mode));
	say("lstat of a symbolic link", lstat("data/link", &st) == 0 && S_ISLNK(st.st_mode));
	say("stat follows it", stat("data/link", &st) == 0 && S_ISREG(st.st_mode));
	ssize_t n = readlink("data/link", target, sizeof(target) - 1);
	printf("readlink: %zd %s\n", n, n > 0 ? target : "");
	say("access", access("data/a.txt", R_OK | W_OK) == 0);
}

static void tree(void)
{
	say("mkdir", mkdir("d1", 0755) == 0);
	say("mkdir again is EEXIST", mkdir("d1", 0755) == -1 && errno == EEXIST);
	say("rename into it", rename("new.txt", "d1/moved.txt") == 0 && access("new.txt", F_OK) == -1 && errno == ENOENT);
	listing("d1");
	say("rmdir of a full directory is ENOTEMPTY", rmdir("d1") == -1 && errno == ENOTEMPTY);
	say("unlink", unlink("d1/moved.txt") == 0);
	say("rmdir", rmdir("d1") == 0);
	say("chdir and back", chdir("data") == 0 && access("a.txt", F_OK) == 0 && chdir("..") == 0);
	listing("data");
}

static void offsets(void)
{
	char buf[16] = "";
	int fd = open("off.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	say("write", write(fd, "0123456789", 10) == 10);
	say("lseek to 4", lseek(fd, 4, SEEK_SET) == 4 && read(fd, buf, 3) == 3 && !memcmp(buf, "456", 3));
	say("pwrite leaves the offset", pwrite(fd, "ab", 2, 1) == 2 && lseek(fd, 0, SEEK_CUR) == 7);
	say("pread", pread(fd, buf, 4, 0) == 4 && !memcmp(buf, "0ab3", 4));
	say("lseek past the end grows on write", lseek(fd, 20, SEEK_SET) == 20 && write(fd, "z", 1) == 1 &&
						 lseek(fd, 0, SEEK_END) == 21);
	say("ftruncate", ftruncate(fd, 5) == 0 && lseek(fd, 0, SEEK_END) == 5);
	int copy = dup(fd);
	say("dup shares the offset", lseek(copy, 2, SEEK_SET) == 2 && lseek(fd, 0, SEEK_CUR) == 2);
	close(copy);
	close(fd);
	int out = dup(1);
	fd = open("captured.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	fflush(stdout);
	dup2(fd, 1);
	printf("into the file\n");
	fflush(stdout);
	dup2(out, 1);
	close(fd);
	FILE *f = fopen("captured.txt", "r");
	say("dup2 redirects stdout", f && fgets(buf, sizeof(buf), f) && !strcmp(buf, "into the file\n"));
	fclose(f);
	unlink("off.bin");
	unlink("captured.txt");
}

static void big_file(void)
{
	FILE *f = fopen("data/big.bin", "rb");
	static unsigned char chunk[65536];
	uint64_t hash = 1469598103934665603ull, total = 0;
	size_t n;
	while (f && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		for (size_t i = 0; i < n; i++, total++)
			hash = (hash ^ chunk[i]) * 1099511628211ull;
	fclose(f);
	printf("big.bin: %llu bytes, FNV-1a %016llx\n", (unsigned long long)total, (unsigned long long)hash);
}

static void mapped_file(void)
{
	int fd = open("data/a.txt", O_RDONLY);
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	say("mmap of a file holds its bytes", p != MAP_FAILED && !memcmp(p, "one\ntwo\n", 8) && p[14] == 0);
	p[0] = 'O'; /* private: the file keeps its own */
	char first;
	say("a private mapping's writes stay in it", pread(fd, &first, 1, 0) == 1 && first == 'o');
	munmap(p, 8192);
	say("mmap of a directory is ENODEV", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, open("data", O_RDONLY), 0) ==
						MAP_FAILED && errno == ENODEV);
	say("mmap of a closed descriptor is EBADF", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 77, 0) == MAP_FAILED &&
						      errno == EBADF);
	close(fd);
}

static void bad_paths(void)
{
	static char huge[PATH_MAX + 16];
	memset(huge, 'a', sizeof(huge) - 1);
	say("open of a missing file is ENOENT", open("nosuch", O_RDONLY) == -1 && errno == ENOENT);
	say("a file as a directory is ENOTDIR", open("data/a.txt/x", O_RDONLY) == -1 && errno == ENOTDIR);
	say("a path longer than PATH_MAX is ENAMETOOLONG", open(huge, O_RDONLY) == -1 && errno == ENAMETOOLONG);
	say("O_CREAT|O_EXCL on a file is EEXIST", open("data/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 &&
						     errno == EEXIST);
	say("writing a directory is EISDIR", open("data", O_WRONLY) == -1 && errno == EISDIR);
	say("O_CREAT on a directory is EISDIR", open("data", O_CREAT | O_RDONLY, 0644) == -1 && errno == EISDIR);
	say("read from a closed descriptor is EBADF", read(99, huge, 1) == -1 && errno == EBADF);
}

int main(int argc, char **argv)
{
	char cwd[PATH_MAX];
	if (argc < 2 || chdir(argv[1])) {
		printf("usage: libc_files ROOT\n");
		return 2;
	}
	printf("~ cwd: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	stdio_files();
	metadata();
	tree();
	offsets();
	big_file();
	mapped_file();
	bad_paths();
	printf("done\n");
	return 0;
}
