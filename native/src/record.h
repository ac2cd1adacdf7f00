/* The wire format: u32 field count, then per field a u32 length and the bytes (little-endian). */
#ifndef JAVARUN_RECORD_H
#define JAVARUN_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define RECORD_MAX (1u << 20)

/* A decoded record. fields[i] is NUL-terminated (the format forbids NUL inside a field) and
 * fields[nfields] is NULL, so &fields[1] can serve directly as an argv. */
struct record {
	uint32_t nfields;
	char **fields;
};

/* Bump allocator over one anonymous mapping: the plan lives as long as the process, and
 * nothing is ever freed, so malloc's bookkeeping would buy nothing. */
struct arena {
	unsigned char *base;
	size_t size;
	size_t used;
};

int arena_init(struct arena *a, size_t size);
void *arena_alloc(struct arena *a, size_t n);

/* Decode one datagram into memory from the arena. -1 with EPROTO (malformed) or ENOMEM. */
int record_decode(const unsigned char *buf, size_t len, struct arena *a, struct record *out);

/* Encode NUL-terminated fields into buf. Returns the length, or 0 when it does not fit. */
size_t record_encode(unsigned char *buf, size_t cap, uint32_t nfields, const char *const *fields);

#endif
