/*
 * vdso_sym.c: the vDSO symbol lookup (vdso_sym.h). The symbols are few, so each is compared in turn; the
 * hash tables only say how many there are.
 */
#include "vdso_sym.h"
#include "elf.h"
#include <stdbool.h>
#include "string.h"

#define PT_DYNAMIC 2
#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_STRSZ 10
#define DT_GNU_HASH 0x6ffffef5
#define DT_VERSYM 0x6ffffff0
#define DT_VERDEF 0x6ffffffc
#define VERSYM_HIDDEN 0x8000
#define STT_FUNC 2
#define STB_GLOBAL 1
#define STB_WEAK 2
#define SHN_UNDEF 0
#define HEADERS_MAX 4096 /* the program headers lie in the image's first page, which is surely mapped */

typedef struct {
	int64_t tag;
	uint64_t val;
} Elf64_Dyn;
typedef struct {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
} Elf64_Sym;
typedef struct {
	uint16_t version, flags, ndx, cnt;
	uint32_t hash, aux, next;
} Elf64_Verdef;
typedef struct {
	uint32_t name, next;
} Elf64_Verdaux;

/* The image as mapped: where it starts, its extent, and how link addresses turn into pointers. */
struct image {
	uint64_t base, size, bias;
};

/* A pointer to len bytes at link address va (or, with bias 0, at an address already in the image); 0 when
 * they do not lie inside the image. */
static const void *at(const struct image *im, uint64_t va, uint64_t len)
{
	uint64_t p = va + im->bias;
	return p >= im->base && p <= im->base + im->size && len <= im->base + im->size - p ? (const void *)p : 0;
}

/* How many symbols: DT_HASH's chain count, or the last symbol of DT_GNU_HASH's chains + 1. */
static uint64_t symbol_count(const struct image *im, uint64_t hash, uint64_t gnu_hash)
{
	const uint32_t *h = hash ? at(im, hash, 8) : 0;
	if (h)
		return h[1];
	const uint32_t *g = gnu_hash ? at(im, gnu_hash, 16) : 0;
	if (!g)
		return 0;
	uint32_t nbuckets = g[0], symoffset = g[1], bloom = g[2], last = 0;
	uint64_t buckets_va = gnu_hash + 16 + (uint64_t)bloom * 8, chain_va = buckets_va + (uint64_t)nbuckets * 4;
	const uint32_t *buckets = at(im, buckets_va, (uint64_t)nbuckets * 4);
	if (!buckets)
		return 0;
	for (uint32_t i = 0; i < nbuckets; i++)
		last = buckets[i] > last ? buckets[i] : last;
	if (last < symoffset)
		return symoffset;
	for (;; last++) { /* the last chain's end is marked by its low bit */
		const uint32_t *c = at(im, chain_va + (uint64_t)(last - symoffset) * 4, 4);
		if (!c || (*c & 1))
			return c ? last + 1 : 0;
	}
}

/* Is the string at off of the string table (strsz bytes) want? */
static bool named(const char *strs, uint64_t strsz, uint64_t off, const char *want)
{
	uint64_t n = strlen(want);
	return off < strsz && n < strsz - off && !memcmp(strs + off, want, n + 1);
}

/* The name of version index ndx in the definitions at verdef, or 0. */
/* Is version index ndx, by the definitions at verdef, the version want? */
static bool version_is(const struct image *im, uint64_t verdef, const char *strs, uint64_t strsz, uint16_t ndx,
		       const char *want)
{
	for (uint64_t va = verdef, n = 0; va && n < ELF_MAX_PHNUM; n++) { /* a bound, against a looped chain */
		const Elf64_Verdef *d = at(im, va, sizeof(*d));
		if (!d)
			return false;
		const Elf64_Verdaux *a = d->ndx == ndx ? at(im, va + d->aux, sizeof(*a)) : 0;
		if (a)
			return named(strs, strsz, a->name, want);
		va = d->next ? va + d->next : 0;
	}
	return false;
}

uint64_t vdso_sym(const void *base, const char *name, const char *version)
{
	const Elf64_Ehdr *eh = base;
	if (eh->magic != ELF_MAGIC || eh->class != ELFCLASS64 || eh->phentsize != sizeof(Elf64_Phdr) ||
	    eh->phnum > ELF_MAX_PHNUM || eh->phoff > HEADERS_MAX || eh->phnum * sizeof(Elf64_Phdr) > HEADERS_MAX - eh->phoff)
		return 0;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const uint8_t *)base + eh->phoff), *load = 0, *dyn = 0;
	for (unsigned i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_LOAD && !load)
			load = &ph[i];
		if (ph[i].type == PT_DYNAMIC)
			dyn = &ph[i];
	}
	if (!load || !dyn || load->offset || eh->phoff + eh->phnum * sizeof(Elf64_Phdr) > load->filesz)
		return 0;
	struct image im = { (uint64_t)base, load->memsz, (uint64_t)base - load->vaddr };
	uint64_t hash = 0, gnu_hash = 0, strtab = 0, strsz = 0, symtab = 0, versym = 0, verdef = 0;
	for (const Elf64_Dyn *d = at(&im, dyn->vaddr, sizeof(*d)); d && d->tag != DT_NULL;
	     d = at(&im, (uint64_t)(d + 1) - im.bias, sizeof(*d))) {
		uint64_t *slot = d->tag == DT_HASH ? &hash : d->tag == DT_GNU_HASH ? &gnu_hash : d->tag == DT_STRTAB ? &strtab
			: d->tag == DT_STRSZ ? &strsz : d->tag == DT_SYMTAB ? &symtab : d->tag == DT_VERSYM ? &versym
			: d->tag == DT_VERDEF ? &verdef : 0;
		if (slot)
			*slot = d->val;
	}
	uint64_t count = symbol_count(&im, hash, gnu_hash);
	const char *strs = at(&im, strtab, strsz);
	const Elf64_Sym *syms = at(&im, symtab, count * sizeof(Elf64_Sym));
	const uint16_t *vers = versym ? at(&im, versym, count * 2) : 0;
	if (!strs || !syms || !count)
		return 0;
	for (uint64_t i = 1; i < count; i++) {
		const Elf64_Sym *s = &syms[i];
		unsigned type = s->info & 0xf, bind = s->info >> 4;
		if (type != STT_FUNC || (bind != STB_GLOBAL && bind != STB_WEAK) || s->shndx == SHN_UNDEF ||
		    !named(strs, strsz, s->name, name))
			continue;
		if (version && !(vers && version_is(&im, verdef, strs, strsz, vers[i] & ~VERSYM_HIDDEN, version)))
			continue;
		return at(&im, s->value, 1) ? s->value + im.bias : 0;
	}
	return 0;
}
