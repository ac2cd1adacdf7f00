/*
 * javarun-helper <syncfd>: reads a plan from Java over the sync socket and carries it out.
 * See PROTOCOL.md. Single-threaded on purpose: setns(CLONE_NEWUSER), unshare(CLONE_NEWNS) and
 * the raw clone below all need (or are only sane in) a process with one thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ops.h"
#include "record.h"
#include "sealed.h"
#include "sync.h"
#include "util.h"

/* Sanity bounds on a plan: far beyond any real container, low enough to fail fast on garbage. */
#define PLAN_MAX_OPS 65536u
#define ARENA_SIZE (128u << 20)

static struct arena arena;

/*
 * glibc's posix_spawn (how the JVM starts us) leaves its two internal signals, 32 and 33, at
 * SIG_IGN in the child even under POSIX_SPAWN_SETSIGDEF, and an ignored disposition survives
 * execve into the container. glibc's sigaction() refuses those numbers, hence the raw call.
 */
static void reset_internal_signals(void)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void (*restorer)(void);
		uint64_t mask;
	} dfl = { SIG_DFL, 0, NULL, 0 };
	int sig;

	for (sig = 32; sig <= 33; sig++)
		(void)syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
}

static int recv_record(struct record *rec, const char *what)
{
	ssize_t n = sync_recv();

	if (n < 0)
		return fail("recv(%s)", what);
	if (n == 0)
		_exit(1); /* Java went away: nobody to report to */
	if (record_decode(sync_buf, (size_t)n, &arena, rec) < 0)
		return fail("decode(%s)", what);
	return 0;
}

static int read_plan(struct record **plan, uint32_t *count)
{
	struct record head;
	uint32_t i;

	if (recv_record(&head, "PLAN") < 0)
		return -1;
	if (head.nfields != 2 || strcmp(head.fields[0], "PLAN") != 0)
		return fail_with(EPROTO, "expected PLAN <count>, got %s", head.fields[0]);
	if (parse_u32("PLAN count", head.fields[1], 10, count) < 0)
		return -1;
	if (*count > PLAN_MAX_OPS)
		return fail_with(E2BIG, "PLAN count %u exceeds %u", *count, PLAN_MAX_OPS);
	*plan = arena_alloc(&arena, (size_t)*count * sizeof(struct record) + 1);
	if (!*plan)
		return fail("plan of %u ops", *count);
	for (i = 0; i < *count; i++) {
		char what[32];

		snprintf(what, sizeof(what), "plan op %u", i);
		if (recv_record(&(*plan)[i], what) < 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct record *plan = NULL;
	uint32_t count = 0, nenv = 0, syncfd;
	int type;
	socklen_t len = sizeof(type);

	if (argc != 2 || parse_u32("syncfd", argv[1], 10, &syncfd) < 0 || syncfd < 3 || syncfd >= INT32_MAX) {
		dprintf(2, "usage: javarun-helper <syncfd>   (run by javarun, not by hand)\n");
		return 1;
	}
	/* Whatever the JVM leaked above the sync fd must never reach the container. */
	if (syscall(SYS_close_range, syncfd + 1, ~0U, 0) < 0) {
		dprintf(2, "javarun-helper: close_range(%u, ~0U, 0): %s\n", syncfd + 1, strerror(errno));
		return 1;
	}
	if (getsockopt((int)syncfd, SOL_SOCKET, SO_TYPE, &type, &len) < 0 || type != SOCK_SEQPACKET) {
		dprintf(2, "javarun-helper: fd %u is not a seqpacket socket\n", syncfd);
		return 1;
	}
	st.syncfd = (int)syncfd;
	reset_internal_signals();
	if (sealed_reexec(argv) < 0)
		die(errno);
	/* Only now, in the sealed copy: set earlier it would have closed the fd across fexecve.
	 * The container must not inherit Java's end of the conversation. */
	if (fcntl(st.syncfd, F_SETFD, FD_CLOEXEC) < 0) {
		fail("fcntl(%d, F_SETFD, FD_CLOEXEC)", st.syncfd);
		die(errno);
	}
	if (arena_init(&arena, ARENA_SIZE) < 0) {
		fail("mmap(%u)", ARENA_SIZE);
		die(errno);
	}
	if (read_plan(&plan, &count) < 0 || plan_validate(plan, count, &nenv) < 0)
		die(errno);
	st.env = arena_alloc(&arena, ((size_t)nenv + 1) * sizeof(char *));
	if (!st.env) {
		fail("environment of %u entries", nenv);
		die(errno);
	}
	st.env[0] = NULL;
	plan_run(plan, count);
	/* A plan without CLONE or EXEC just ends here (the CLONE parent never gets this far). */
	return 0;
}
