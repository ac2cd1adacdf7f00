/* The process itself: limits, cwd, environment, the executable, identity strings, session,
 * keyring, the READY / exec-FIFO handshake with `start`, and finally execve. */
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ops.h"
#include "sync.h"
#include "util.h"

static const struct {
	const char *name;
	int resource;
} rlimits[] = {
	{ "RLIMIT_CPU", RLIMIT_CPU },		{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_DATA", RLIMIT_DATA },		{ "RLIMIT_STACK", RLIMIT_STACK },
	{ "RLIMIT_CORE", RLIMIT_CORE },		{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

int op_rlimit(char **a)
{
	uint64_t soft, hard;
	uint32_t res;
	struct rlimit rl;
	size_t i;
	int found = 0;

	/* The resource as its number, or (as config.json spells it) its RLIMIT_* name. */
	for (i = 0; i < sizeof(rlimits) / sizeof(rlimits[0]); i++) {
		if (strcmp(a[0], rlimits[i].name) == 0) {
			res = (uint32_t)rlimits[i].resource;
			found = 1;
		}
	}
	if (!found && parse_u32("RLIMIT resource", a[0], 10, &res) < 0)
		return -1;
	if (parse_u64("RLIMIT soft", a[1], 10, &soft) < 0 || parse_u64("RLIMIT hard", a[2], 10, &hard) < 0)
		return -1;
	rl.rlim_cur = soft;
	rl.rlim_max = hard;
	if (prlimit(0, (__rlimit_resource_t)res, &rl, NULL) < 0)
		return fail("prlimit(0, %s, {%llu, %llu})", a[0], (unsigned long long)soft, (unsigned long long)hard);
	return 0;
}

int op_chdir(char **a)
{
	if (chdir(a[0]) < 0)
		return fail("chdir(\"%s\")", a[0]);
	return 0;
}

int op_env(char **a)
{
	/* The plan outlives the process image, so its fields can be the environment directly. */
	if (!strchr(a[0], '='))
		return fail_with(EINVAL, "ENV \"%s\" is not name=value", a[0]);
	st.env[st.nenv++] = a[0];
	st.env[st.nenv] = NULL;
	return 0;
}

static int is_exec_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

int op_resolve_exec(char **a)
{
	const char *name = a[0], *dirs = a[1];
	struct stat sb;

	if (strchr(name, '/')) {
		if (access(name, X_OK) < 0)
			return fail("access(\"%s\", X_OK)", name);
		if (stat(name, &sb) < 0)
			return fail("stat(\"%s\")", name);
		if (!S_ISREG(sb.st_mode))
			return fail_with(EACCES, "\"%s\" is not a regular file", name);
		if (strlen(name) >= sizeof(st.exec_path))
			return fail_with(ENAMETOOLONG, "\"%.64s...\"", name);
		strcpy(st.exec_path, name);
		st.have_exec_path = 1;
		return 0;
	}
	/* An empty searchpath is no PATH at all (Go's LookPath, hence runc: nothing is searched),
	 * not a single empty entry meaning ".". */
	for (; *dirs;) {
		size_t len = strcspn(dirs, ":");
		int n;

		if (len == 0)
			n = snprintf(st.exec_path, sizeof(st.exec_path), "./%s", name);
		else
			n = snprintf(st.exec_path, sizeof(st.exec_path), "%.*s/%s", (int)len, dirs, name);
		if (*name && n > 0 && (size_t)n < sizeof(st.exec_path) && is_exec_file(st.exec_path)) {
			st.have_exec_path = 1;
			return 0;
		}
		if (dirs[len] == '\0')
			break;
		dirs += len + 1;
	}
	st.exec_path[0] = '\0';
	st.have_exec_path = 0;
	return fail_with(ENOENT, "executable file not found in $PATH");
}

int op_exec(char **a)
{
	const char *path = st.have_exec_path ? st.exec_path : a[0];
	int err;

	execve(path, a, st.env);
	err = errno;
	if (st.syncfd >= 0) {
		fail("execve(\"%s\")", path);
		report_err(err);
	} else {
		/* After READY nobody listens on the socket; the container's stderr is all there is. */
		dprintf(2, "javarun: exec %s: %s\n", path, strerror(err));
	}
	_exit(127);
}

int op_write_file(char **a)
{
	return write_file_once(a[0], a[1]);
}

int op_hostname(char **a)
{
	if (sethostname(a[0], strlen(a[0])) < 0)
		return fail("sethostname(\"%s\")", a[0]);
	return 0;
}

int op_domainname(char **a)
{
	if (setdomainname(a[0], strlen(a[0])) < 0)
		return fail("setdomainname(\"%s\")", a[0]);
	return 0;
}

int op_setsid(char **a)
{
	(void)a;
	if (setsid() < 0)
		return fail("setsid()");
	return 0;
}

int op_join_keyring(char **a)
{
	char desc[512];
	unsigned long add;
	unsigned int perm;
	long id;

	add = strtoul(a[1], NULL, 0);
	/* An empty name joins a fresh anonymous keyring. */
	id = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, a[0][0] ? a[0] : NULL, 0, 0, 0);
	if (id < 0 && errno == ENOSYS)
		return 0; /* a kernel without keyrings: nothing to isolate, as runc */
	if (id < 0)
		return fail("keyctl(KEYCTL_JOIN_SESSION_KEYRING, \"%s\")", a[0]);
	if (!add)
		return 0;
	/* "type;uid;gid;perm;description", perm in hex: keep it and add the search bits asked for. */
	if (syscall(SYS_keyctl, KEYCTL_DESCRIBE, id, desc, sizeof(desc) - 1, 0) < 0)
		return fail("keyctl(KEYCTL_DESCRIBE, %ld)", id);
	desc[sizeof(desc) - 1] = '\0';
	if (sscanf(desc, "%*[^;];%*[^;];%*[^;];%x;", &perm) != 1) {
		errno = EPROTO;
		return fail("keyctl(KEYCTL_DESCRIBE, %ld): unexpected \"%s\"", id, desc);
	}
	if (syscall(SYS_keyctl, KEYCTL_SETPERM, id, perm | (unsigned int)add, 0, 0) < 0)
		return fail("keyctl(KEYCTL_SETPERM, %ld, 0x%x)", id, perm | (unsigned int)add);
	return 0;
}

int op_ready(char **a)
{
	const char *fields[1] = { "READY" };

	(void)a;
	if (sync_send(1, fields) < 0)
		return fail("send(READY)");
	/* From here on Java only waits for the FIFO; our end closing tells it we got this far. */
	close(st.syncfd);
	st.syncfd = -1;
	return 0;
}

int op_wait_exec_fifo(char **a)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	const char zero = 0;
	char p[32];
	int fd, r;

	(void)a;
	if (st.fifofd < 0)
		return fail_with(EINVAL, "no exec FIFO (OPEN_EXEC_FIFO has not run)");
	fd_path(p, sizeof(p), st.fifofd);
	/* Re-opening the O_PATH fd through /proc works whatever our root now is; the open blocks
	 * until `start` opens the FIFO for reading. */
	do
		fd = open(p, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return fail("open(\"%s\" (exec FIFO), O_WRONLY)", p);
	/* A reader that gave up must show as EPIPE, not kill us silently; the disposition is put
	 * back because the container inherits it. */
	sigaction(SIGPIPE, &ign, &old);
	r = write_all(fd, &zero, 1);
	if (r < 0)
		fail("write(exec FIFO, \"\\0\", 1)");
	sigaction(SIGPIPE, &old, NULL);
	close(fd);
	close(st.fifofd);
	st.fifofd = -1;
	return r;
}

int op_open_exec_fifo(char **a)
{
	int fd = open(a[0], O_PATH | O_CLOEXEC);

	if (fd < 0)
		return fail("open(\"%s\", O_PATH)", a[0]);
	if (st.fifofd >= 0)
		close(st.fifofd);
	st.fifofd = fd;
	return 0;
}
