/*
 * Credentials: user and groups, capability sets, no_new_privs, umask.
 * Order matters and is the planner's to get right: CAP_BOUNDING needs CAP_SETPCAP, so it comes
 * before USER drops to a non-root uid; USER keeps the permitted set (PR_SET_KEEPCAPS) but the
 * kernel clears the effective one; CAPS then sets the final sets.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ops.h"
#include "util.h"

#define GROUPS_MAX 65536 /* the kernel's NGROUPS_MAX */

static gid_t groups[GROUPS_MAX];

static int parse_groups(const char *s, size_t *n)
{
	char buf[32];

	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",");
		uint32_t g;

		if (len == 0 || len >= sizeof(buf))
			return fail_with(EINVAL, "USER groups: bad entry near \"%.20s\"", s);
		if (*n == GROUPS_MAX)
			return fail_with(EINVAL, "USER groups: more than %d", GROUPS_MAX);
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (parse_u32("USER group", buf, 10, &g) < 0)
			return -1;
		groups[(*n)++] = g;
		s += len;
		if (*s == ',' && *++s == '\0')
			return fail_with(EINVAL, "USER groups: trailing comma");
	}
	return 0;
}

int op_user(char **a)
{
	uint32_t uid, gid;
	size_t ngroups = 0;
	int set_groups = strcmp(a[2], "-") != 0;

	if (parse_u32("USER uid", a[0], 10, &uid) < 0 || parse_u32("USER gid", a[1], 10, &gid) < 0)
		return -1;
	if (set_groups && parse_groups(a[2], &ngroups) < 0)
		return -1;
	/* Without KEEPCAPS, leaving uid 0 would empty the permitted set before CAPS can use it. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail("prctl(PR_SET_KEEPCAPS, 1)");
	if (set_groups && setgroups(ngroups, groups) < 0)
		return fail("setgroups(%zu, [%s])", ngroups, a[2]);
	if (setresgid(gid, gid, gid) < 0)
		return fail("setresgid(%u, %u, %u)", gid, gid, gid);
	if (setresuid(uid, uid, uid) < 0)
		return fail("setresuid(%u, %u, %u)", uid, uid, uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return fail("prctl(PR_SET_KEEPCAPS, 0)");
	return 0;
}

/* The highest capability the kernel knows. /proc may not be mounted where we are (after the
 * pivot it is the container's), so fall back to asking the bounding set itself. */
static int last_cap(void)
{
	char buf[16];
	ssize_t n;
	int fd, cap;

	fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			cap = atoi(buf);
			if (cap > 0 && cap < 64)
				return cap;
		}
	}
	for (cap = 0; cap < 63 && prctl(PR_CAPBSET_READ, cap + 1, 0, 0, 0) >= 0; cap++)
		;
	return cap;
}

int op_cap_bounding(char **a)
{
	uint64_t keep;
	int cap, last;

	if (parse_u64("CAP_BOUNDING mask", a[0], 16, &keep) < 0)
		return -1;
	last = last_cap();
	for (cap = 0; cap <= last; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return fail("prctl(PR_CAPBSET_DROP, %d)", cap);
	}
	return 0;
}

int op_caps(char **a)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	uint64_t eff, perm, inh, amb;
	int cap;

	if (parse_u64("CAPS effective", a[0], 16, &eff) < 0 || parse_u64("CAPS permitted", a[1], 16, &perm) < 0 ||
	    parse_u64("CAPS inheritable", a[2], 16, &inh) < 0 || parse_u64("CAPS ambient", a[3], 16, &amb) < 0)
		return -1;
	data[0].effective = (uint32_t)eff;
	data[1].effective = (uint32_t)(eff >> 32);
	data[0].permitted = (uint32_t)perm;
	data[1].permitted = (uint32_t)(perm >> 32);
	data[0].inheritable = (uint32_t)inh;
	data[1].inheritable = (uint32_t)(inh >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fail("capset(v3, eff 0x%llx, perm 0x%llx, inh 0x%llx)", (unsigned long long)eff,
			    (unsigned long long)perm, (unsigned long long)inh);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return fail("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)");
	for (cap = 0; cap < 64; cap++) {
		if (!(amb & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return fail("prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, %d)", cap);
	}
	return 0;
}

int op_no_new_privs(char **a)
{
	(void)a;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail("prctl(PR_SET_NO_NEW_PRIVS, 1)");
	return 0;
}

int op_umask(char **a)
{
	uint32_t mask;

	if (parse_u32("UMASK mask", a[0], 8, &mask) < 0)
		return -1;
	if (mask > 0777)
		return fail_with(EINVAL, "UMASK %s is not a umask", a[0]);
	umask((mode_t)mask);
	return 0;
}
