/* SECCOMP: the container's filter, built with libseccomp from the numbers Java planned, then
 * loaded with seccomp(2) itself so that every filter flag the kernel has can be passed (libseccomp
 * 2.5 cannot set WAIT_KILLABLE_RECV). Loaded last or nearly so: whatever runs after it runs
 * under it, so that part is kept to write/read/close (the listener hand-over) and the ops after. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ops.h"
#include "sync.h"
#include "util.h"

/* default action, flags, architectures, optimisation level; then the rules. */
#define FIXED_FIELDS 4
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

/* The program libseccomp generated, exported into memory: BPF instructions, *len of them. */
static struct sock_filter *export_program(scmp_filter_ctx ctx, unsigned short *len)
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
	if (size <= 0 || size % (off_t)sizeof(*prog) != 0 || size / (off_t)sizeof(*prog) > BPF_MAXINSNS) {
		fail_with(size < 0 ? errno : E2BIG, "exported seccomp program of %lld bytes", (long long)size);
		goto out;
	}
	prog = malloc((size_t)size);
	if (!prog) {
		fail("malloc(%lld)", (long long)size);
		goto out;
	}
	if (pread(fd, prog, (size_t)size, 0) != size) {
		fail("pread(exported seccomp program)");
		free(prog);
		goto out;
	}
	close(fd);
	*len = (unsigned short)(size / (off_t)sizeof(*prog));
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

int op_seccomp(char **a)
{
	uint32_t def, flags, optimize;
	const char **unknown;
	size_t n = 0, i, nunknown = 0;
	struct sock_filter *prog;
	struct sock_fprog fprog;
	unsigned short len;
	scmp_filter_ctx ctx;
	long fd;
	int rc;

	while (a[n])
		n++;
	if (n < FIXED_FIELDS)
		return fail_with(EINVAL, "SECCOMP: %zu fields, expected at least %d", n, FIXED_FIELDS);
	if (parse_u32("SECCOMP default action", a[0], 16, &def) < 0 || parse_u32("SECCOMP flags", a[1], 16, &flags) < 0
	    || parse_u32("SECCOMP optimize", a[3], 10, &optimize) < 0)
		return -1;
	if ((flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) && st.syncfd < 0)
		return fail_with(EINVAL, "SECCOMP with a listener after READY: nobody to hand it to");
	unknown = calloc(n, sizeof(*unknown));
	if (!unknown)
		return fail("calloc(%zu names)", n);
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
		i += (size_t)used;
	}
	if (nunknown)
		report_unknown(unknown, nunknown);
	prog = export_program(ctx, &len);
	if (!prog)
		goto fail;
	seccomp_release(ctx);
	free(unknown);

	/* From here on, every syscall is the filter's to judge. */
	fprog = (struct sock_fprog){ .len = len, .filter = prog };
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
	if (fd < 0)
		return fail("seccomp(SECCOMP_SET_MODE_FILTER, %#x, %u instructions)", flags, len);
	/* prog is not freed: free() may hand memory back with brk(2), a syscall the filter judges,
	 * and the process execs soon anyway. */
	if (flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
		return hand_over_listener((int)fd);
	return 0;
fail:
	seccomp_release(ctx);
	free(unknown);
	return -1;
}
