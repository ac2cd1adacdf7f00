/* CGROUP and JOIN_CGROUPS: the new process joins the container's cgroups itself.
 *
 * Why not have Java write its pid into each cgroup.procs, as runc does: a write naming a pid (or
 * a whole process) takes the kernel's cgroup_threadgroup_rwsem for writing, and its first taker
 * waits out an RCU grace period, some 10 to 30 ms on an idle machine, in every create and exec.
 * A single-threaded process that moves itself, writing "0" to a v1 hierarchy's `tasks`, needs no
 * such lock (Linux 6.0+; older kernels take it, slower but the same result), and cgroup v2's
 * CLONE_INTO_CGROUP makes the process in its cgroup from the start. The files are opened here,
 * on the host and with the helper's own credentials, before any namespace is joined: the kernel
 * checks a cgroup write against the credentials the file was opened with. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "cgroup.h"
#include "ops.h"
#include "util.h"

/* More than any host mounts (v1 has some fifteen controllers); a longer plan is refused. */
#define MAX_CGROUP_FILES 32

static struct {
	int fd;
	const char *dir, *name; /* for messages: the file written (dir lives as long as the plan) */
} files[MAX_CGROUP_FILES];
static size_t nfiles;

/* The v2 cgroup: its directory for CLONE_INTO_CGROUP, and the index in files[] of its
 * cgroup.procs, written by JOIN_CGROUPS only when the clone could not start the process there. */
static int v2_dirfd = -1;
static size_t v2_procs_index;
static int v2_cloned_into;

static int keep_open(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (nfiles == MAX_CGROUP_FILES)
		return fail_with(E2BIG, "CGROUP: more than %d cgroups", MAX_CGROUP_FILES);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return fail_with(ENAMETOOLONG, "CGROUP: path \"%s/%s\" too long", dir, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("open(\"%s\", O_WRONLY)", path);
	files[nfiles].fd = fd;
	files[nfiles].dir = dir;
	files[nfiles].name = name;
	nfiles++;
	return 0;
}

int op_cgroup(char **a)
{
	uint32_t version;

	if (parse_u32("CGROUP version", a[1], 10, &version) < 0)
		return -1;
	if (version == 1)
		return keep_open(a[0], "tasks");
	if (version != 2)
		return fail_with(EINVAL, "CGROUP version %u: 1 or 2", version);
	if (v2_dirfd >= 0)
		return fail_with(EINVAL, "CGROUP: a second cgroup v2 directory \"%s\"", a[0]);
	v2_dirfd = open(a[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (v2_dirfd < 0)
		return fail("open(\"%s\", O_DIRECTORY)", a[0]);
	v2_procs_index = nfiles;
	return keep_open(a[0], "cgroup.procs");
}

int cgroup_clone_target(void)
{
	return v2_dirfd;
}

void cgroup_cloned_into(void)
{
	v2_cloned_into = 1;
}

void cgroup_close_all(void)
{
	size_t i;

	for (i = 0; i < nfiles; i++)
		close(files[i].fd);
	nfiles = 0;
	if (v2_dirfd >= 0)
		close(v2_dirfd);
	v2_dirfd = -1;
}

int op_join_cgroups(char **a)
{
	size_t i;

	(void)a;
	for (i = 0; i < nfiles; i++) {
		if (v2_cloned_into && i == v2_procs_index)
			continue;
		/* "0": the writer itself, and only this thread; the process has no other. */
		if (write(files[i].fd, "0", 1) != 1) {
			int saved = errno;

			cgroup_close_all();
			errno = saved;
			return fail("write(\"%s/%s\", \"0\")", files[i].dir, files[i].name);
		}
	}
	cgroup_close_all();
	return 0;
}
