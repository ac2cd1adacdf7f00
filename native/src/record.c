#include "record.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int arena_init(struct arena *a, size_t size)
{
	/* NORESERVE: only the pages a plan really fills are ever committed. */
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	a->base = p;
	a->size = size;
	a->used = 0;
	return 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t start = (a->used + 15) & ~(size_t)15;
	void *p;

	if (start > a->size || n > a->size - start) {
		errno = ENOMEM;
		return NULL;
	}
	p = a->base + start;
	a->used = start + n;
	return p;
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

int record_decode(const unsigned char *buf, size_t len, struct arena *a, struct record *out)
{
	size_t off = 4, i;
	uint32_t n;
	char **fields;

	if (len < 4 || len > RECORD_MAX)
		goto bad;
	n = get_le32(buf);
	/* Every field costs at least its 4-byte length, which bounds n before we allocate for it. */
	if (n == 0 || n > (len - 4) / 4)
		goto bad;
	fields = arena_alloc(a, ((size_t)n + 1) * sizeof(char *));
	if (!fields)
		return -1;
	for (i = 0; i < n; i++) {
		uint32_t flen;
		char *f;

		if (len - off < 4)
			goto bad;
		flen = get_le32(buf + off);
		off += 4;
		if (flen > len - off || memchr(buf + off, '\0', flen))
			goto bad;
		f = arena_alloc(a, (size_t)flen + 1);
		if (!f)
			return -1;
		memcpy(f, buf + off, flen);
		f[flen] = '\0';
		fields[i] = f;
		off += flen;
	}
	if (off != len)
		goto bad;
	fields[n] = NULL;
	out->nfields = n;
	out->fields = fields;
	return 0;
bad:
	errno = EPROTO;
	return -1;
}

size_t record_encode(unsigned char *buf, size_t cap, uint32_t nfields, const char *const *fields)
{
	size_t off = 4, i;

	if (cap < 4)
		return 0;
	put_le32(buf, nfields);
	for (i = 0; i < nfields; i++) {
		size_t flen = strlen(fields[i]);

		if (cap - off < 4 || flen > cap - off - 4 || flen > UINT32_MAX)
			return 0;
		put_le32(buf + off, (uint32_t)flen);
		memcpy(buf + off + 4, fields[i], flen);
		off += 4 + flen;
	}
	return off;
}
