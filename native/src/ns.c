/* Namespaces: SETNS, UNSHARE, and CLONE (the fork into the future container process). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "ops.h"
#include "sync.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* clone3's arguments up to the cgroup field (CLONE_ARGS_SIZE_VER2, Linux 5.7), declared here
 * rather than taken from <linux/sched.h>, which clashes with glibc's <sched.h>. */
struct clone_args_v2 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size,
		cgroup;
};

static const struct {
	const char *name;
	int flag;
} ns_types[] = {
	{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },	 { "pid", CLONE_NEWPID },
	{ "net", CLONE_NEWNET },   { "uts", CLONE_NEWUTS },	 { "ipc", CLONE_NEWIPC },
	{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
};

int op_setns(char **a)
{
	int fd, nstype = -1;
	size_t i;

	for (i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
		if (strcmp(a[0], ns_types[i].name) == 0)
			nstype = ns_types[i].flag;
	if (nstype < 0)
		return fail_with(EINVAL, "SETNS: unknown namespace type \"%s\"", a[0]);
	fd = open(a[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("open(\"%s\", O_RDONLY)", a[1]);
	if (setns(fd, nstype) < 0) {
		fail("setns(\"%s\"[fd %d], 0x%x)", a[1], fd, (unsigned)nstype);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int op_unshare(char **a)
{
	uint64_t flags;

	if (parse_u64("UNSHARE flags", a[0], 10, &flags) < 0)
		return -1;
	if (flags > INT32_MAX)
		return fail_with(EINVAL, "UNSHARE flags 0x%llx out of range", (unsigned long long)flags);
	if (unshare((int)flags) < 0)
		return fail("unshare(0x%llx)", (unsigned long long)flags);
	return 0;
}

/* What the parent does after the fork; on failure the child is killed, never left waiting. */
static int clone_parent(pid_t pid, int gofd, char **a)
{
	char path[64], num[24];
	const char *pidmsg[2] = { "PID", num };
	const char go = 0;

	/* setgroups must be settled before gid_map, or the kernel refuses an unprivileged map. */
	if (a[3][0]) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
		if (write_file_once(path, a[3]) < 0)
			return -1;
	}
	if (a[1][0]) {
		snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
		if (write_file_once(path, a[1]) < 0)
			return -1;
	}
	if (a[2][0]) {
		snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
		if (write_file_once(path, a[2]) < 0)
			return -1;
	}
	/* PID goes out before the child may speak, so Java always hears it first. */
	snprintf(num, sizeof(num), "%d", pid);
	if (sync_send(2, pidmsg) < 0)
		return fail("send(PID %d)", pid);
	if (write_all(gofd, &go, 1) < 0)
		return fail("write(clone pipe)");
	return 0;
}

int op_clone(char **a)
{
	const uint64_t allowed = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
				 CLONE_NEWNET | CLONE_NEWCGROUP;
	uint64_t flags;
	int p[2];
	long pid;

	if (parse_u64("CLONE flags", a[0], 10, &flags) < 0)
		return -1;
	/* CLONE_NEWTIME shares its bit with clone()'s exit-signal byte: only unshare() can take it.
	 * Anything but namespace bits would break the fork-like call below (CLONE_VM with no stack). */
	if (flags & CLONE_NEWTIME)
		return fail_with(EINVAL, "CLONE: CLONE_NEWTIME must be set up with UNSHARE");
	if (flags & ~allowed)
		return fail_with(EINVAL, "CLONE: flags 0x%llx hold non-namespace bits 0x%llx",
				 (unsigned long long)flags, (unsigned long long)(flags & ~allowed));
	if (pipe2(p, O_CLOEXEC) < 0)
		return fail("pipe2(O_CLOEXEC)");
	/* CLONE_PARENT: the container becomes the JVM's child, so the JVM can waitpid() it while
	 * the helper itself is gone. Raw syscall with no stack: fork semantics, without glibc's
	 * fork handlers (this process has no threads or locks to care about). */
	pid = -1;
	if (cgroup_clone_target() >= 0) {
		/* Straight into the container's cgroup v2 (see cgroup.c). Any failure (no clone3 before
		 * 5.3, no CLONE_INTO_CGROUP before 5.7, a delegation rule the joined namespaces break)
		 * falls back to the plain clone below and JOIN_CGROUPS's write, which says what is
		 * wrong if that fails too. */
		/* No exit_signal: clone3 refuses one with CLONE_PARENT, whose child signals as the
		 * helper would (SIGCHLD, as the JVM spawned it), like the clone below. */
		struct clone_args_v2 args = { .flags = flags | CLONE_PARENT | CLONE_INTO_CGROUP,
					      .cgroup = (uint64_t)cgroup_clone_target() };

		pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid == 0)
			cgroup_cloned_into();
	}
	if (pid < 0)
		pid = syscall(SYS_clone, (unsigned long)(flags | CLONE_PARENT | SIGCHLD), 0, 0, 0, 0);
	if (pid < 0) {
		fail("clone(0x%llx)", (unsigned long long)(flags | CLONE_PARENT | SIGCHLD));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		char c;
		ssize_t n;

		close(p[1]);
		/* Wait until the parent has written our id maps and told Java our pid; EOF means the
		 * parent died or failed, and a half-set-up container must not go on. */
		do
			n = read(p[0], &c, 1);
		while (n < 0 && errno == EINTR);
		if (n != 1)
			_exit(1);
		close(p[0]);
		/* CVE-2016-9962: once in the container's namespaces (an exec into a running container),
		 * its processes must not ptrace us and take our host fds. Non-dumpable means only
		 * CAP_SYS_PTRACE in the initial user namespace may; execve makes the container
		 * dumpable again. Set only now: the parent had to write our id maps first. */
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
			return fail("prctl(PR_SET_DUMPABLE, 0)");
		return 0;
	}
	close(p[0]);
	cgroup_close_all();
	if (clone_parent((pid_t)pid, p[1], a) < 0) {
		int saved = errno;

		kill((pid_t)pid, SIGKILL);
		errno = saved;
		return -1;
	}
	_exit(0);
}
