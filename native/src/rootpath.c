/*
 * Every path the container's rootfs gives us may be a symlink planted by the image (or, for an
 * exec into a running container, by the container itself). Resolving with RESOLVE_IN_ROOT makes
 * "..", absolute symlinks and the like stay inside the root, the way they would look from within
 * the container, so a mount can never land on the host. Acting on /proc/self/fd/<fd> afterwards
 * means the checked path is the one used: no second lookup to race against.
 */
#include "rootpath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

/* Skip the leading slashes: relative to the root fd, "/" and "" both mean the root itself. */
static const char *in_root(const char *cpath)
{
	while (*cpath == '/')
		cpath++;
	return *cpath ? cpath : ".";
}

static int openat2_in(int dirfd, const char *rel, uint64_t oflags)
{
	struct open_how how = {
		.flags = oflags | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int tries = 0;
	long fd;

	/* EAGAIN: a rename or mount raced with the ".." handling; the kernel asks for a retry. */
	do
		fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	while (fd < 0 && (errno == EAGAIN || errno == EINTR) && ++tries < 128);
	return (int)fd;
}

static const char *oflags_name(uint64_t oflags)
{
	if (oflags & O_PATH)
		return oflags & O_DIRECTORY ? "O_PATH|O_DIRECTORY" : "O_PATH";
	return (oflags & O_ACCMODE) == O_RDWR ? "O_RDWR|O_NOCTTY" : "O_RDONLY";
}

int root_open(const char *cpath, uint64_t oflags)
{
	const char *rel = in_root(cpath);
	int fd;

	if (st.rootfd < 0)
		return fail_with(EINVAL, "\"%s\": no root fd (ROOTFS has not run)", cpath);
	fd = openat2_in(st.rootfd, rel, oflags);
	if (fd < 0)
		return fail("openat2(rootfd %d, \"%s\", %s, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS)", st.rootfd, rel,
			    oflags_name(oflags));
	return fd;
}

int root_mkdir_p(const char *cpath, mode_t mode)
{
	char buf[PATH_MAX];
	char *rel, *comp;
	int dirfd;

	if (st.rootfd < 0)
		return fail_with(EINVAL, "\"%s\": no root fd (ROOTFS has not run)", cpath);
	if (strlen(cpath) >= sizeof(buf))
		return fail_with(ENAMETOOLONG, "mkdir -p \"%.64s...\"", cpath);
	strcpy(buf, cpath);
	rel = (char *)in_root(buf);
	dirfd = openat2_in(st.rootfd, ".", O_PATH | O_DIRECTORY);
	if (dirfd < 0)
		return fail("openat2(rootfd %d, \".\", O_PATH|O_DIRECTORY)", st.rootfd);
	if (strcmp(rel, ".") == 0)
		return dirfd;
	comp = rel;
	while (*comp) {
		char *end = strchrnul(comp, '/');
		char saved = *end;
		int fd;

		if (end == comp || (end - comp == 1 && comp[0] == '.')) {
			comp = saved ? end + 1 : end;
			continue;
		}
		/* Each prefix is resolved from the root again, not from the previous directory, so a
		 * symlink in the middle is followed the way the container would follow it. */
		*end = '\0';
		fd = openat2_in(st.rootfd, rel, O_PATH | O_DIRECTORY);
		if (fd < 0 && errno == ENOENT) {
			if (mkdirat(dirfd, comp, mode) < 0 && errno != EEXIST) {
				fail("mkdirat(fd %d, \"%s\", 0%o) for \"%s\"", dirfd, comp, (unsigned)mode, rel);
				close(dirfd);
				return -1;
			}
			fd = openat2_in(st.rootfd, rel, O_PATH | O_DIRECTORY);
		}
		if (fd < 0) {
			fail("openat2(rootfd %d, \"%s\", O_PATH|O_DIRECTORY, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS)",
			     st.rootfd, rel);
			close(dirfd);
			return -1;
		}
		close(dirfd);
		dirfd = fd;
		*end = saved;
		comp = saved ? end + 1 : end;
	}
	return dirfd;
}

int root_parent(const char *cpath, mode_t mode, char name[NAME_MAX + 1])
{
	char buf[PATH_MAX];
	char *slash, *base;
	size_t len = strlen(cpath);

	if (len >= sizeof(buf))
		return fail_with(ENAMETOOLONG, "\"%.64s...\"", cpath);
	memcpy(buf, cpath, len + 1);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	slash = strrchr(buf, '/');
	base = slash ? slash + 1 : buf;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return fail_with(EINVAL, "\"%s\": no final name to create", cpath);
	if (strlen(base) > NAME_MAX)
		return fail_with(ENAMETOOLONG, "\"%s\": final name too long", cpath);
	strcpy(name, base);
	if (slash)
		slash[1] = '\0'; /* keep the slash: "/x" has parent "/" */
	else
		buf[0] = '\0';
	return root_mkdir_p(buf, mode);
}
