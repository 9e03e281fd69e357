/*
 * words.h: a configuration value (args, env) split into words the way a shell splits a command line,
 * and no further: blanks separate words; '...' keeps everything inside as it is; "..." too, except
 * that \" and \\ stand for " and \; outside quotes a backslash keeps the next character as it is.
 * Nothing else (no $, no globs, no ~) is interpreted. Used by the kernel to build argv and envp, and
 * host-tested.
 */
#ifndef RINGBENCH_WORDS_H
#define RINGBENCH_WORDS_H
#include <stddef.h>

/* Split line into buf (the words one after another, each ending in NUL) and words[] (max of them,
 * pointing into buf). Returns how many, or -1 with *why: an unterminated quote, more than max words,
 * or more than cap bytes of words. */
int words_split(const char *line, char *buf, size_t cap, char **words, int max, const char **why);
#endif
