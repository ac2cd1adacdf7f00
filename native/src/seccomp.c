/* SECCOMP: the container's filter, built with libseccomp from the numbers Java planned, then
 * loaded with seccomp(2) itself so that every filter flag the kernel has can be passed (libseccomp
 * 2.5 cannot set WAIT_KILLABLE_RECV). Loaded last or nearly so: whatever runs after it runs
 * under it, so that part is kept to write/read/close (the listener hand-over) and the ops after. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ops.h"
#include "sync.h"
#include "util.h"

/* default action, flags, architectures, optimisation level, ENOSYS stub; then the rules. */
#define FIXED_FIELDS 5
/* A syscall has six arguments, so a rule has at most six conditions on distinct ones. */
#define MAX_CONDS 6
/* Unknown names travel in records well below the send buffer's size. */
#define UNKNOWN_BATCH_BYTES 2048
#define UNKNOWN_BATCH_NAMES 128

static int add_archs(scmp_filter_ctx ctx, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		char tok[24];
		uint32_t arch;
		int rc;

		if (len == 0 || len >= sizeof(tok))
			return fail_with(EINVAL, "SECCOMP architectures \"%s\": bad entry", list);
		memcpy(tok, p, len);
		tok[len] = '\0';
		if (parse_u32("SECCOMP architecture", tok, 16, &arch) < 0)
			return -1;
		rc = seccomp_arch_add(ctx, arch);
		/* The native architecture is in every filter already; listing it is fine. */
		if (rc < 0 && rc != -EEXIST)
			return fail_with(-rc, "seccomp_arch_add(%#x)", arch);
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Sends the names libseccomp does not know to Java, which warns: SECCOMP_UNKNOWN name... */
static void report_unknown(const char **names, size_t n)
{
	const char *fields[1 + UNKNOWN_BATCH_NAMES];
	size_t i = 0;

	while (i < n) {
		uint32_t nf = 1;
		size_t bytes = 0;

		fields[0] = "SECCOMP_UNKNOWN";
		while (i < n && nf <= UNKNOWN_BATCH_NAMES && bytes < UNKNOWN_BATCH_BYTES) {
			bytes += strlen(names[i]) + 4;
			fields[nf++] = names[i++];
		}
		/* Only a warning is lost if this fails; the filter is what matters. */
		(void)sync_send(nf, fields);
	}
}

/* One rule at a[0..]: name action ncond (index op value valueTwo)*. Returns the fields it used, or
 * -1. An unknown name is added to unknown[] and skipped, as runc does. */
static int add_rule(scmp_filter_ctx ctx, char **a, size_t left, const char **unknown, size_t *nunknown)
{
	struct scmp_arg_cmp conds[MAX_CONDS];
	uint32_t action, ncond, i;
	int nr, rc;

	if (left < 3)
		return fail_with(EINVAL, "SECCOMP rule \"%s\": fields missing", a[0]);
	/* "-": a name with no rule of its own (its action is the default), which only counts
	 * for the ENOSYS stub's highest syscall number. */
	if (strcmp(a[1], "-") == 0)
		return 3;
	if (parse_u32("SECCOMP rule action", a[1], 16, &action) < 0
	    || parse_u32("SECCOMP rule conditions", a[2], 10, &ncond) < 0)
		return -1;
	if (ncond > MAX_CONDS || left < 3 + 4 * (size_t)ncond)
		return fail_with(EINVAL, "SECCOMP rule \"%s\": %u conditions, bad field count", a[0], ncond);
	for (i = 0; i < ncond; i++) {
		char **c = &a[3 + 4 * i];
		uint32_t index, op;
		uint64_t v1, v2;

		if (parse_u32("SECCOMP argument index", c[0], 10, &index) < 0
		    || parse_u32("SECCOMP operator", c[1], 10, &op) < 0
		    || parse_u64("SECCOMP value", c[2], 16, &v1) < 0 || parse_u64("SECCOMP valueTwo", c[3], 16, &v2) < 0)
			return -1;
		conds[i] = (struct scmp_arg_cmp){ .arg = index, .op = (enum scmp_compare)op, .datum_a = v1, .datum_b = v2 };
	}
	/* Names of other architectures resolve to libseccomp's pseudo numbers, which it places on
	 * the architectures of the filter that have them; only names it has never heard of fail. */
	nr = seccomp_syscall_resolve_name(a[0]);
	if (nr == __NR_SCMP_ERROR) {
		unknown[(*nunknown)++] = a[0];
		return (int)(3 + 4 * ncond);
	}
	rc = seccomp_rule_add_array(ctx, action, nr, ncond, conds);
	if (rc < 0)
		return fail_with(-rc, "seccomp_rule_add_array(%s, %#x, %u conditions)", a[0], action, ncond);
	return (int)(3 + 4 * ncond);
}

/*
 * The ENOSYS stub, runc's answer to profiles older than the kernel and libc: a syscall numbered
 * above every syscall the profile names (per architecture listed) returns ENOSYS instead of
 * the default action, so that libc falls back to an older call as it would on an older kernel
 * (glibc's faccessat2 and clone3 fall back on ENOSYS only). It goes in front of libseccomp's
 * program:
 *
 *	ld [arch]; jeq ARCH_1 -> S_1; ...; ja FILTER
 *	S_i: ld [nr]; (checks of its kind, each jumping to ENOSYS or FILTER)
 *	ENOSYS: ret ERRNO(ENOSYS)
 *	FILTER: libseccomp's program
 *
 * At most 19 architectures of at most 4 instructions each: every jump fits in 8 bits.
 */
#define X32_BIT 0x40000000u
#define STUB_MAX 128

enum section_kind { PLAIN, S390_MUX, X86_64_ONLY, X32_ONLY, X86_64_AND_X32 };

struct section {
	uint32_t audit_arch; /* what the kernel reports: x32 is AUDIT_ARCH_X86_64 with X32_BIT in nr */
	enum section_kind kind;
	uint32_t max, max32;
	unsigned start;
};

/* Instructions of a section, its load of the syscall number included. */
static unsigned section_size(enum section_kind k)
{
	return k == PLAIN ? 2 : k == X86_64_AND_X32 ? 4 : 3;
}

/* The highest number any of names has on arch, or -1 when none resolves there. */
static long highest_syscall(uint32_t arch, char **names, size_t n)
{
	long max = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		int nr = seccomp_syscall_resolve_name_arch(arch, names[i]);

		if (nr >= 0 && nr > max) /* pseudo numbers of other architectures are negative */
			max = nr;
	}
	return max;
}

/* Fills stub from the architectures list (hex, comma-separated) and the rules' names. Returns
 * its length, 0 when no architecture has a syscall of the profile, -1 on a bad list. */
static int build_enosys_stub(struct sock_filter *stub, const char *archs, char **names, size_t nnames)
{
	struct section sec[24];
	unsigned nsec = 0, pc, enosys, filter, i;
	const char *p = archs;

	while (*p) {
		size_t len = strcspn(p, ",");
		char tok[24];
		uint32_t arch, native;
		long max;

		if (len == 0 || len >= sizeof(tok))
			return fail_with(EINVAL, "SECCOMP architectures \"%s\": bad entry", archs);
		memcpy(tok, p, len);
		tok[len] = '\0';
		p += len + (p[len] == ',');
		if (parse_u32("SECCOMP architecture", tok, 16, &arch) < 0)
			return -1;
		max = highest_syscall(arch, names, nnames);
		if (max <= 0)
			continue; /* as runc: an architecture with no syscall of the profile gets no check */
		native = arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
		for (i = 0; i < nsec && sec[i].audit_arch != native; i++)
			;
		if (i == nsec) {
			if (nsec == sizeof(sec) / sizeof(sec[0]))
				return fail_with(E2BIG, "SECCOMP: too many architectures for the ENOSYS stub");
			sec[nsec++] = (struct section){ .audit_arch = native, .kind = PLAIN };
			if (native == SCMP_ARCH_S390 || native == SCMP_ARCH_S390X)
				sec[i].kind = S390_MUX;
		}
		if (arch == SCMP_ARCH_X32) {
			sec[i].max32 = (uint32_t)max;
			sec[i].kind = sec[i].kind == X86_64_ONLY ? X86_64_AND_X32 : X32_ONLY;
		} else {
			sec[i].max = (uint32_t)max;
			if (native == SCMP_ARCH_X86_64)
				sec[i].kind = sec[i].kind == X32_ONLY ? X86_64_AND_X32 : X86_64_ONLY;
		}
	}
	if (nsec == 0)
		return 0;
	pc = 1 + nsec + 1;
	for (i = 0; i < nsec; i++) {
		sec[i].start = pc;
		pc += section_size(sec[i].kind);
	}
	enosys = pc;
	filter = pc + 1;
	/* Offsets of conditional jumps count from the next instruction. */
#define TO(target, at) ((unsigned char)((target) - (at) - 1))
	pc = 0;
	stub[pc++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	for (i = 0; i < nsec; i++, pc++)
		stub[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, sec[i].audit_arch, TO(sec[i].start, pc), 0);
	stub[pc] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, filter - pc - 1);
	pc++;
	for (i = 0; i < nsec; i++) {
		struct section *s = &sec[i];

		stub[pc++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		switch (s->kind) {
		case S390_MUX: /* nr 0 is s390's multiplexer: the kernel leaves an unknown number there */
			stub[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, TO(enosys, pc), 0);
			pc++;
			break;
		case X86_64_ONLY: /* an x32 call: the filter's business */
			stub[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_BIT, TO(filter, pc), 0);
			pc++;
			break;
		case X32_ONLY: /* an x86_64 call: the filter's business */
			stub[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_BIT, 0, TO(filter, pc));
			pc++;
			s->max = s->max32;
			break;
		case X86_64_AND_X32: /* x32 calls check against the x32 maximum, one further */
			stub[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_BIT, 1, 0);
			pc++;
			stub[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, s->max, TO(enosys, pc), TO(filter, pc));
			pc++;
			s->max = s->max32;
			break;
		case PLAIN:
			break;
		}
		stub[pc] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, s->max, TO(enosys, pc), TO(filter, pc));
		pc++;
	}
#undef TO
	stub[pc++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	return (int)pc;
}

/* The program libseccomp generated, exported into memory: BPF instructions, *len of them. */
static struct sock_filter *export_program(scmp_filter_ctx ctx, const struct sock_filter *stub, unsigned nstub,
					 unsigned short *len)
{
	struct sock_filter *prog;
	off_t size;
	int fd, rc;

	fd = memfd_create("javarun-seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		fail("memfd_create(\"javarun-seccomp-bpf\")");
		return NULL;
	}
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		fail_with(-rc, "seccomp_export_bpf()");
		goto out;
	}
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(*prog) != 0
	    || size / (off_t)sizeof(*prog) + nstub > BPF_MAXINSNS) {
		fail_with(size < 0 ? errno : E2BIG, "exported seccomp program of %lld bytes (+%u stub instructions)",
			  (long long)size, nstub);
		goto out;
	}
	prog = malloc((size_t)size + nstub * sizeof(*prog));
	if (!prog) {
		fail("malloc(%lld)", (long long)size);
		goto out;
	}
	memcpy(prog, stub, nstub * sizeof(*prog));
	if (pread(fd, prog + nstub, (size_t)size, 0) != size) {
		fail("pread(exported seccomp program)");
		free(prog);
		goto out;
	}
	close(fd);
	*len = (unsigned short)(size / (off_t)sizeof(*prog) + nstub);
	return prog;
out:
	close(fd);
	return NULL;
}

/* The filter's listener fd goes to Java, which takes its own copy with pidfd_getfd and hands it
 * to the agent; we wait for GO. Under the filter: write, read and close only, as runc does (so
 * a profile may send any syscall but write to its listener). */
static int hand_over_listener(int fd)
{
	unsigned char out[64], in[64], mem[256];
	struct arena arena = { mem, sizeof(mem), 0 };
	struct record reply;
	char num[16];
	const char *fields[2] = { "SECCOMP_FD", num };
	size_t len;
	ssize_t n;

	snprintf(num, sizeof(num), "%d", fd);
	len = record_encode(out, sizeof(out), 2, fields);
	do
		n = write(st.syncfd, out, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail("write(SECCOMP_FD %d)", fd);
	do
		n = read(st.syncfd, in, sizeof(in));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return fail("read(reply to SECCOMP_FD)");
	if (n == 0)
		_exit(1); /* Java went away: same as ABORT */
	if (record_decode(in, (size_t)n, &arena, &reply) < 0)
		return fail_with(EPROTO, "SECCOMP_FD: malformed reply");
	if (strcmp(reply.fields[0], "ABORT") == 0)
		_exit(1);
	if (strcmp(reply.fields[0], "GO") != 0)
		return fail_with(EPROTO, "SECCOMP_FD: unexpected reply \"%s\"", reply.fields[0]);
	/* Java and the agent have their copies; ours would leak into the container. */
	close(fd);
	return 0;
}

/* Set by SECCOMP_EXPORT: the next SECCOMP sends the program it built to Java before loading it. */
static int export_next;

int op_seccomp_export(char **a)
{
	(void)a;
	export_next = 1;
	return 0;
}

/* SECCOMP_PROGRAM <hex>: the program's bytes as they are in memory, two hex digits each. */
static int send_program(const struct sock_filter *prog, unsigned short len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *bytes = (const unsigned char *)prog;
	size_t n = (size_t)len * sizeof(*prog), i;
	const char *fields[2];
	char *hex = malloc(2 * n + 1);
	int rc;

	if (!hex)
		return fail("malloc(%zu)", 2 * n + 1);
	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 15];
	}
	hex[2 * n] = '\0';
	fields[0] = "SECCOMP_PROGRAM";
	fields[1] = hex;
	rc = sync_send(2, fields);
	free(hex);
	if (rc < 0)
		return fail("send(SECCOMP_PROGRAM, %u instructions)", len);
	return 0;
}

/* Loads prog with seccomp(2) and hands a listener over; prog is never freed (see below). */
static int load_program(uint32_t flags, struct sock_filter *prog, unsigned short len)
{
	struct sock_fprog fprog = { .len = len, .filter = prog };
	long fd;

	if ((flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) && st.syncfd < 0)
		return fail_with(EINVAL, "seccomp filter with a listener after READY: nobody to hand it to");
	/* From here on, every syscall is the filter's to judge. */
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
	if (fd < 0)
		return fail("seccomp(SECCOMP_SET_MODE_FILTER, %#x, %u instructions)", flags, len);
	/* prog is not freed: free() may hand memory back with brk(2), a syscall the filter judges,
	 * and the process execs soon anyway. */
	if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		return hand_over_listener((int)fd);
	return 0;
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int op_seccomp_bpf(char **a)
{
	uint32_t flags;
	size_t hexlen = strlen(a[1]), n, i;
	unsigned char *bytes;

	if (parse_u32("SECCOMP_BPF flags", a[0], 16, &flags) < 0)
		return -1;
	if (hexlen == 0 || hexlen % (2 * sizeof(struct sock_filter)) != 0
	    || hexlen / (2 * sizeof(struct sock_filter)) > BPF_MAXINSNS)
		return fail_with(EINVAL, "SECCOMP_BPF: a program of %zu hex digits", hexlen);
	n = hexlen / 2;
	bytes = malloc(n);
	if (!bytes)
		return fail("malloc(%zu)", n);
	for (i = 0; i < n; i++) {
		int hi = hex_digit(a[1][2 * i]), lo = hex_digit(a[1][2 * i + 1]);

		if (hi < 0 || lo < 0) {
			free(bytes);
			return fail_with(EINVAL, "SECCOMP_BPF: not a hex digit at %zu", 2 * i);
		}
		bytes[i] = (unsigned char)(hi << 4 | lo);
	}
	return load_program(flags, (struct sock_filter *)bytes,
			    (unsigned short)(n / sizeof(struct sock_filter)));
}

int op_seccomp(char **a)
{
	static struct sock_filter stub[STUB_MAX];
	uint32_t def, flags, optimize, enosys;
	const char **unknown;
	char **names;
	size_t n = 0, i, nunknown = 0, nnames = 0;
	struct sock_filter *prog;
	unsigned short len;
	scmp_filter_ctx ctx;
	int rc, nstub = 0;

	while (a[n])
		n++;
	if (n < FIXED_FIELDS)
		return fail_with(EINVAL, "SECCOMP: %zu fields, expected at least %d", n, FIXED_FIELDS);
	if (parse_u32("SECCOMP default action", a[0], 16, &def) < 0 || parse_u32("SECCOMP flags", a[1], 16, &flags) < 0
	    || parse_u32("SECCOMP optimize", a[3], 10, &optimize) < 0 || parse_u32("SECCOMP enosys", a[4], 10, &enosys) < 0)
		return -1;
	unknown = calloc(n, sizeof(*unknown));
	names = calloc(n, sizeof(*names));
	if (!unknown || !names) {
		free(unknown);
		return fail("calloc(%zu names)", n);
	}
	ctx = seccomp_init(def);
	if (!ctx)
		return fail_with(EINVAL, "seccomp_init(%#x)", def);
	/* Errors as the kernel's errnos rather than libseccomp's few generic ones. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	if (rc == 0 && optimize)
		rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, optimize);
	if (rc < 0) {
		fail_with(-rc, "seccomp_attr_set(optimize %u)", optimize);
		goto fail;
	}
	if (add_archs(ctx, a[2]) < 0)
		goto fail;
	for (i = FIXED_FIELDS; i < n;) {
		int used = add_rule(ctx, &a[i], n - i, unknown, &nunknown);

		if (used < 0)
			goto fail;
		names[nnames++] = a[i];
		i += (size_t)used;
	}
	if (nunknown)
		report_unknown(unknown, nunknown);
	if (enosys) {
		nstub = build_enosys_stub(stub, a[2], names, nnames);
		if (nstub < 0)
			goto fail;
	}
	prog = export_program(ctx, stub, (unsigned)nstub, &len);
	if (!prog)
		goto fail;
	seccomp_release(ctx);
	free(unknown);
	free(names);
	if (export_next) {
		export_next = 0;
		if (send_program(prog, len) < 0)
			return -1;
	}
	return load_program(flags, prog, len);
fail:
	seccomp_release(ctx);
	free(unknown);
	free(names);
	return -1;
}
