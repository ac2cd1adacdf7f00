/* HOOK: an OCI hook run from inside the container's namespaces (createContainer before the
 * pivot, startContainer just before the process's exec), with the state JSON on its stdin. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ops.h"
#include "util.h"

/* What of a failing hook's output goes into the error: enough to say why, bounded. */
#define HOOK_OUTPUT_MAX 2048

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads the hook's output until end of file or the deadline (-1: none); 1 when it passed. */
static int collect_output(int fd, char *out, size_t *len, long long deadline)
{
	char discard[512];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int wait = deadline < 0 ? -1 : (int)(deadline - now_ms());
		ssize_t n;

		if (deadline >= 0 && wait <= 0)
			return 1;
		if (poll(&p, 1, wait) < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (p.revents == 0)
			continue;
		if (*len < HOOK_OUTPUT_MAX - 1)
			n = read(fd, out + *len, HOOK_OUTPUT_MAX - 1 - *len);
		else
			n = read(fd, discard, sizeof(discard));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (*len < HOOK_OUTPUT_MAX - 1)
			*len += (size_t)n;
	}
}

/* HOOK state-index path timeout-seconds argc argv... env... */
int op_hook(char **a)
{
	uint32_t which, timeout, argc, i, nfields = 0;
	char **argv, **envp, out[HOOK_OUTPUT_MAX];
	size_t len = 0;
	int in[2], pipe_out[2], status, timed_out;
	const char *state;
	pid_t pid;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	while (a[nfields])
		nfields++;
	if (nfields < 5)
		return fail_with(EINVAL, "HOOK needs state, path, timeout, argc and argv[0]");
	if (parse_u32("HOOK state", a[0], 10, &which) < 0 || parse_u32("HOOK timeout", a[2], 10, &timeout) < 0
	    || parse_u32("HOOK argc", a[3], 10, &argc) < 0)
		return -1;
	if (which >= HOOK_STATES || argc < 1 || 4 + argc > nfields)
		return fail_with(EINVAL, "HOOK: bad state index or argc");
	state = st.hook_state[which] ? st.hook_state[which] : "";
	argv = calloc(argc + 1, sizeof(char *));
	envp = calloc(nfields - 4 - argc + 1, sizeof(char *));
	if (!argv || !envp)
		return fail("calloc(hook argv/env)");
	for (i = 0; i < argc; i++)
		argv[i] = a[4 + i];
	for (i = 4 + argc; i < nfields; i++)
		envp[i - 4 - argc] = a[i];
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(pipe_out, O_CLOEXEC) < 0)
		return fail("pipe2(hook stdio)");
	pid = fork();
	if (pid < 0)
		return fail("fork(hook %s)", a[1]);
	if (pid == 0) {
		/* dup2 clears CLOEXEC on 0-2; every other fd of ours is CLOEXEC. */
		if (dup2(in[0], 0) < 0 || dup2(pipe_out[1], 1) < 0 || dup2(pipe_out[1], 2) < 0)
			_exit(127);
		execve(a[1], argv, envp);
		dprintf(2, "exec %s: %s", a[1], strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(pipe_out[1]);
	/* A hook that does not read its stdin must not kill us with SIGPIPE. */
	sigaction(SIGPIPE, &ign, &old);
	(void)write_all(in[1], state, strlen(state));
	sigaction(SIGPIPE, &old, NULL);
	close(in[1]);
	timed_out = collect_output(pipe_out[0], out, &len, timeout ? now_ms() + (long long)timeout * 1000 : -1);
	close(pipe_out[0]);
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		len--;
	out[len] = '\0';
	if (timed_out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return fail("waitpid(hook %s)", a[1]);
	}
	free(argv);
	free(envp);
	/* No errno of ours in any of these: the detail is the reason. Java's step names the hook;
	 * after READY (startContainer) the detail is all the container's stderr gets, so it does. */
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !timed_out)
		return 0;
	if (timed_out)
		fail_with(0, "timed out after %us (killed)", timeout);
	else if (WIFEXITED(status))
		fail_with(0, "exit status %d%s%s", WEXITSTATUS(status), len ? ": " : "", out);
	else
		fail_with(0, "killed by signal %d%s%s", WTERMSIG(status), len ? ": " : "", out);
	return st.syncfd < 0 ? fail_ctx("hook %s", a[1]) : -1;
}
