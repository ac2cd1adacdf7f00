#include "sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ops.h"
#include "util.h"

unsigned char sync_buf[RECORD_MAX];

/* Outgoing records are small (the longest is an ERR with a bounded detail), but for
 * SECCOMP_PROGRAM, which gets a buffer of its own size. */
static unsigned char send_buf[DETAIL_MAX + 256];

int sync_send(uint32_t nfields, const char *const *fields)
{
	unsigned char *buf = send_buf;
	size_t len, need = 4;
	uint32_t i;
	int rc = -1;

	if (st.syncfd < 0) {
		errno = EBADF;
		return -1;
	}
	for (i = 0; i < nfields; i++)
		need += 4 + strlen(fields[i]);
	if (need > RECORD_MAX) {
		errno = EMSGSIZE;
		return -1;
	}
	if (need > sizeof(send_buf) && !(buf = malloc(need)))
		return -1;
	len = record_encode(buf, need > sizeof(send_buf) ? need : sizeof(send_buf), nfields, fields);
	if (len == 0) {
		errno = EMSGSIZE;
		goto out;
	}
	for (;;) {
		/* MSG_NOSIGNAL: a JVM that went away must not kill us with SIGPIPE before we can exit 1. */
		ssize_t n = send(st.syncfd, buf, len, MSG_NOSIGNAL);

		if (n >= 0) {
			rc = 0;
			break;
		}
		if (errno != EINTR)
			break;
	}
out:
	if (buf != send_buf) {
		int saved = errno;

		free(buf);
		errno = saved;
	}
	return rc;
}

ssize_t sync_recv(void)
{
	for (;;) {
		/* MSG_TRUNC makes recv report the datagram's real size, so an oversized one is
		 * detected instead of being silently cut. */
		ssize_t n = recv(st.syncfd, sync_buf, sizeof(sync_buf), MSG_TRUNC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n > (ssize_t)sizeof(sync_buf)) {
			errno = EMSGSIZE;
			return -1;
		}
		return n;
	}
}

void report_err(int err)
{
	char idx[16], num[16];
	const char *fields[4] = { "ERR", idx, num, err_detail };

	if (st.syncfd >= 0) {
		snprintf(idx, sizeof(idx), "%d", st.opindex);
		snprintf(num, sizeof(num), "%d", err);
		(void)sync_send(4, fields);
	}
}

void die(int err)
{
	if (st.syncfd >= 0)
		report_err(err);
	else
		/* After READY nobody listens on the socket (a startContainer hook, the exec FIFO): the
		 * container's stderr is the only place left to say why it ends. */
		dprintf(2, "javarun: %s%s%s\n", err_detail, err ? ": " : "", err ? strerror(err) : "");
	_exit(1);
}

int op_sync(char **a)
{
	const char *fields[2] = { "SYNC", a[0] };
	static unsigned char mem[RECORD_MAX];
	struct arena arena = { mem, sizeof(mem), 0 };
	struct record reply;
	ssize_t n;
	uint32_t i;

	if (sync_send(2, fields) < 0)
		return fail("send(SYNC \"%s\")", a[0]);
	n = sync_recv();
	if (n < 0)
		return fail("recv(reply to SYNC \"%s\")", a[0]);
	if (n == 0)
		_exit(1); /* Java went away: same as ABORT */
	if (record_decode(sync_buf, (size_t)n, &arena, &reply) < 0 || reply.nfields < 1
	    || reply.nfields > 1 + HOOK_STATES)
		return fail_with(EPROTO, "SYNC \"%s\": malformed reply", a[0]);
	if (strcmp(reply.fields[0], "GO") == 0) {
		/* GO may carry the state JSON the hooks run inside the container get on stdin. */
		for (i = 1; i < reply.nfields; i++) {
			free(st.hook_state[i - 1]);
			st.hook_state[i - 1] = strdup(reply.fields[i]);
			if (!st.hook_state[i - 1])
				return fail("strdup(hook state)");
		}
		return 0;
	}
	if (strcmp(reply.fields[0], "ABORT") == 0)
		_exit(1);
	return fail_with(EPROTO, "SYNC \"%s\": unexpected reply \"%s\"", a[0], reply.fields[0]);
}
