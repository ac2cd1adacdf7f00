/* The container's filesystem: rootfs, mounts, masks, pivot, and the nodes created in it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ops.h"
#include "rootpath.h"
#include "util.h"

static int parse_flags(const char *what, const char *s, unsigned long *out)
{
	uint64_t v;

	if (parse_u64(what, s, 10, &v) < 0)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

static int parse_mode(const char *what, const char *s, mode_t *out)
{
	uint32_t v;

	if (parse_u32(what, s, 10, &v) < 0)
		return -1;
	if (v > 07777)
		return fail_with(EINVAL, "%s: %u is not a permission mode", what, v);
	*out = (mode_t)v;
	return 0;
}

int op_rootfs(char **a)
{
	int fd;

	if (mount(a[0], a[0], NULL, MS_BIND | MS_REC, NULL) < 0)
		return fail("mount(\"%s\", \"%s\", NULL, MS_BIND|MS_REC, NULL)", a[0], a[0]);
	/* Opened after the bind so the fd is on the new mount, the one PIVOT_ROOT will move. */
	fd = open(a[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail("open(\"%s\", O_PATH|O_DIRECTORY)", a[0]);
	if (st.rootfd >= 0)
		close(st.rootfd);
	st.rootfd = fd;
	return 0;
}

int op_mount(char **a)
{
	const char *src = a[0], *cpath = a[1], *fstype = a[2], *data = a[4];
	unsigned long flags;
	char p[32];
	int fd;

	if (parse_flags("MOUNT flags", a[3], &flags) < 0)
		return -1;
	fd = root_open(cpath, O_PATH);
	if (fd < 0)
		return fail_ctx("mount(\"%s\", \"%s\", \"%s\", 0x%lx, \"%s\")", src, cpath, fstype, flags, data);
	if (mount(src, fd_path(p, sizeof(p), fd), fstype[0] ? fstype : NULL, flags, data[0] ? data : NULL) < 0) {
		fail("mount(\"%s\", \"%s\"[fd %d], \"%s\", 0x%lx, \"%s\")", src, cpath, fd, fstype, flags, data);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The locked flags: in a user namespace a bind remount that would clear one of these fails
 * with EPERM, so keep whatever the mount has already. */
static unsigned long locked_flags(const char *path)
{
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_NOSUID, MS_NOSUID },	{ ST_NODEV, MS_NODEV },		{ ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long out = 0;
	struct statvfs sv;
	size_t i;

	if (statvfs(path, &sv) < 0)
		return 0;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			out |= map[i].ms;
	return out;
}

static int remount_fd(const char *cpath, int fd, unsigned long flags, const char *data)
{
	char p[32];

	fd_path(p, sizeof(p), fd);
	if (flags & MS_BIND)
		flags |= locked_flags(p);
	if (mount(NULL, p, NULL, MS_REMOUNT | flags, data && data[0] ? data : NULL) < 0)
		return fail("mount(NULL, \"%s\"[fd %d], NULL, MS_REMOUNT|0x%lx, \"%s\")", cpath, fd, flags,
			    data ? data : "");
	return 0;
}

int op_remount(char **a)
{
	unsigned long flags;
	int fd, r;

	if (parse_flags("REMOUNT flags", a[1], &flags) < 0)
		return -1;
	fd = root_open(a[0], O_PATH);
	if (fd < 0)
		return fail_ctx("remount \"%s\"", a[0]);
	r = remount_fd(a[0], fd, flags, a[2]);
	close(fd);
	return r;
}

int op_propagation(char **a)
{
	unsigned long flags;
	char p[32];
	int fd;

	if (parse_flags("PROPAGATION flags", a[1], &flags) < 0)
		return -1;
	fd = root_open(a[0], O_PATH);
	if (fd < 0)
		return fail_ctx("mount(NULL, \"%s\", NULL, 0x%lx, NULL)", a[0], flags);
	if (mount(NULL, fd_path(p, sizeof(p), fd), NULL, flags, NULL) < 0) {
		fail("mount(NULL, \"%s\"[fd %d], NULL, 0x%lx, NULL)", a[0], fd, flags);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int op_root_propagation(char **a)
{
	unsigned long flags;

	if (parse_flags("ROOT_PROPAGATION flags", a[0], &flags) < 0)
		return -1;
	if (mount(NULL, "/", NULL, flags, NULL) < 0)
		return fail("mount(NULL, \"/\", NULL, 0x%lx, NULL)", flags);
	return 0;
}

int op_mask(char **a)
{
	char p[32], np[32];
	struct stat sb;
	int fd, nullfd, r;

	fd = root_open(a[0], O_PATH);
	if (fd < 0 && errno == ENOENT) {
		err_detail[0] = '\0';
		return 0; /* nothing there to hide */
	}
	if (fd < 0)
		return fail_ctx("mask \"%s\"", a[0]);
	fd_path(p, sizeof(p), fd);
	if (fstat(fd, &sb) < 0) {
		fail("fstat(\"%s\"[fd %d])", a[0], fd);
		close(fd);
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		r = mount("tmpfs", p, "tmpfs", MS_RDONLY, NULL);
		if (r < 0)
			fail("mount(\"tmpfs\", \"%s\"[fd %d], \"tmpfs\", MS_RDONLY, NULL)", a[0], fd);
		close(fd);
		return r;
	}
	nullfd = root_open("/dev/null", O_PATH);
	if (nullfd < 0) {
		close(fd);
		return fail_ctx("mask \"%s\"", a[0]);
	}
	r = mount(fd_path(np, sizeof(np), nullfd), p, NULL, MS_BIND, NULL);
	if (r < 0)
		fail("mount(\"/dev/null\"[fd %d], \"%s\"[fd %d], NULL, MS_BIND, NULL)", nullfd, a[0], fd);
	close(nullfd);
	close(fd);
	return r;
}

int op_readonly(char **a)
{
	char p[32];
	int fd, r;

	fd = root_open(a[0], O_PATH);
	if (fd < 0 && errno == ENOENT) {
		err_detail[0] = '\0';
		return 0;
	}
	if (fd < 0)
		return fail_ctx("readonly \"%s\"", a[0]);
	fd_path(p, sizeof(p), fd);
	if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0) {
		fail("mount(\"%s\"[fd %d], \"%s\"[fd %d], NULL, MS_BIND|MS_REC, NULL)", a[0], fd, a[0], fd);
		close(fd);
		return -1;
	}
	close(fd);
	/* The old fd still names the mount underneath; the remount must hit the new bind. */
	fd = root_open(a[0], O_PATH);
	if (fd < 0)
		return fail_ctx("readonly \"%s\" after bind", a[0]);
	r = remount_fd(a[0], fd, MS_BIND | MS_RDONLY | MS_REC, NULL);
	close(fd);
	return r;
}

static int set_root_to_slash(void)
{
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return fail("open(\"/\", O_PATH|O_DIRECTORY)");
	close(st.rootfd);
	st.rootfd = fd;
	return 0;
}

int op_host_propagation(char **a)
{
	uint64_t flags;

	if (parse_u64("HOST_PROPAGATION flags", a[1], 10, &flags) < 0)
		return -1;
	if (mount(NULL, a[0], NULL, (unsigned long)flags, NULL) < 0)
		return fail("mount(NULL, \"%s\", NULL, 0x%llx, NULL)", a[0], (unsigned long long)flags);
	return 0;
}

int op_root_slash(char **a)
{
	(void)a;
	/* exec: the process already sits in the container's mount namespace, whose / is the
	 * container's root; container paths resolve against it from here on. */
	return set_root_to_slash();
}

int op_pivot_root(char **a)
{
	(void)a;
	int oldroot;

	if (st.rootfd < 0)
		return fail_with(EINVAL, "pivot_root: no root fd (ROOTFS has not run)");
	oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (oldroot < 0)
		return fail("open(\"/\" (old root))");
	if (fchdir(st.rootfd) < 0) {
		close(oldroot);
		return fail("fchdir(rootfd %d)", st.rootfd);
	}
	/* pivot_root(".", ".") stacks the old root on top of the new one, so no directory for it
	 * is needed inside the rootfs. */
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		close(oldroot);
		return fail("pivot_root(\".\", \".\")");
	}
	/* Into the old root itself: from the new root, "." would name the new root's own mount,
	 * and making that tree slave would undo the propagation the config asked for (rshared
	 * binds). Slave, then, so that the detach cannot propagate back to the host's mounts. */
	if (fchdir(oldroot) < 0) {
		close(oldroot);
		return fail("fchdir(old root)");
	}
	close(oldroot);
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return fail("mount(NULL, \".\" (old root), NULL, MS_SLAVE|MS_REC, NULL)");
	if (umount2(".", MNT_DETACH) < 0)
		return fail("umount2(\".\" (old root), MNT_DETACH)");
	if (chdir("/") < 0)
		return fail("chdir(\"/\")");
	return set_root_to_slash();
}

int op_move_root(char **a)
{
	(void)a;
	if (st.rootfd < 0)
		return fail_with(EINVAL, "move root: no root fd (ROOTFS has not run)");
	if (fchdir(st.rootfd) < 0)
		return fail("fchdir(rootfd %d)", st.rootfd);
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return fail("mount(\".\", \"/\", NULL, MS_MOVE, NULL)");
	if (chroot(".") < 0)
		return fail("chroot(\".\")");
	if (chdir("/") < 0)
		return fail("chdir(\"/\")");
	return set_root_to_slash();
}

int op_mknod(char **a)
{
	char name[NAME_MAX + 1];
	uint32_t major, minor, uid, gid;
	mode_t mode = 0, type;
	struct stat sb;
	dev_t dev;
	int dirfd;

	if (strcmp(a[1], "c") == 0 || strcmp(a[1], "u") == 0)
		type = S_IFCHR;
	else if (strcmp(a[1], "b") == 0)
		type = S_IFBLK;
	else if (strcmp(a[1], "p") == 0)
		type = S_IFIFO;
	else
		return fail_with(EINVAL, "MKNOD type \"%s\" is not c, b, u or p", a[1]);
	if (parse_u32("MKNOD major", a[2], 10, &major) < 0 || parse_u32("MKNOD minor", a[3], 10, &minor) < 0 ||
	    parse_mode("MKNOD mode", a[4], &mode) < 0 || parse_id("MKNOD uid", a[5], &uid) < 0 ||
	    parse_id("MKNOD gid", a[6], &gid) < 0)
		return -1;
	dev = type == S_IFIFO ? 0 : makedev(major, minor);
	dirfd = root_parent(a[0], 0755, name);
	if (dirfd < 0)
		return fail_ctx("mknod \"%s\"", a[0]);
	if (mknodat(dirfd, name, type | mode, dev) < 0) {
		int err = errno;

		if (err != EEXIST || fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
		    (sb.st_mode & S_IFMT) != type) {
			errno = err;
			fail("mknodat(fd %d \"%s\", \"%s\", 0%o, %u:%u)", dirfd, a[0], name, (unsigned)(type | mode), major,
			     minor);
			goto err;
		}
		/* Same kind of node already there (an image shipping its own /dev): make it ours. */
		if (unlinkat(dirfd, name, 0) < 0) {
			fail("unlinkat(fd %d \"%s\", \"%s\", 0)", dirfd, a[0], name);
			goto err;
		}
		if (mknodat(dirfd, name, type | mode, dev) < 0) {
			fail("mknodat(fd %d \"%s\", \"%s\", 0%o, %u:%u)", dirfd, a[0], name, (unsigned)(type | mode), major,
			     minor);
			goto err;
		}
	}
	if (fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) {
		fail("fchownat(fd %d \"%s\", \"%s\", %d, %d)", dirfd, a[0], name, (int)uid, (int)gid);
		goto err;
	}
	/* mknod honoured the umask; the plan's mode is what the container must see. */
	if (fchmodat(dirfd, name, mode, 0) < 0) {
		fail("fchmodat(fd %d \"%s\", \"%s\", 0%o)", dirfd, a[0], name, (unsigned)mode);
		goto err;
	}
	close(dirfd);
	return 0;
err:
	close(dirfd);
	return -1;
}

int op_symlink(char **a)
{
	char name[NAME_MAX + 1];
	int dirfd = root_parent(a[1], 0755, name);

	if (dirfd < 0)
		return fail_ctx("symlink \"%s\" -> \"%s\"", a[1], a[0]);
	if (symlinkat(a[0], dirfd, name) < 0 && errno != EEXIST) {
		fail("symlinkat(\"%s\", fd %d \"%s\", \"%s\")", a[0], dirfd, a[1], name);
		close(dirfd);
		return -1;
	}
	close(dirfd);
	return 0;
}

int op_mkdir(char **a)
{
	mode_t mode = 0;
	int fd;

	if (parse_mode("MKDIR mode", a[1], &mode) < 0)
		return -1;
	fd = root_mkdir_p(a[0], mode);
	if (fd < 0)
		return fail_ctx("mkdir -p \"%s\"", a[0]);
	close(fd);
	return 0;
}

int op_mkfile(char **a)
{
	char name[NAME_MAX + 1];
	mode_t mode = 0;
	int dirfd, fd;

	if (parse_mode("MKFILE mode", a[1], &mode) < 0)
		return -1;
	dirfd = root_parent(a[0], 0755, name);
	if (dirfd < 0)
		return fail_ctx("mkfile \"%s\"", a[0]);
	/* O_EXCL: never open (let alone follow) whatever is there; existing means done. */
	fd = openat(dirfd, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0 && errno != EEXIST) {
		fail("openat(fd %d \"%s\", \"%s\", O_CREAT|O_EXCL, 0%o)", dirfd, a[0], name, (unsigned)mode);
		close(dirfd);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	close(dirfd);
	return 0;
}
