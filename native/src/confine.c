/*
 * The rest of a process's confinement: LSM exec labels (AppArmor, SELinux), the execution
 * domain (personality), the I/O priority and the CPU scheduler. Java has already checked the
 * names and ranges and that the host has the LSM; these ops only make the calls and report
 * the kernel's answer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "ops.h"
#include "rootpath.h"
#include "util.h"

/*
 * An LSM's exec attribute takes effect at the next execve. The per-LSM file comes first (with
 * stacked LSMs the shared one may belong to another); the thread's own file, because a
 * write to another thread's attr is refused; /proc/self for kernels without thread-self.
 */
static int write_exec_attr(const char *lsm_path, const char *value)
{
	static const char *const common[] = { "/proc/thread-self/attr/exec", "/proc/self/attr/exec" };
	size_t i;

	if (lsm_path && access(lsm_path, F_OK) == 0)
		return write_file_once(lsm_path, value);
	for (i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (access(common[i], F_OK) == 0)
			return write_file_once(common[i], value);
	return fail_with(ENOENT, "no %s nor %s: is /proc mounted in the container?", common[0], common[1]);
}

int op_apparmor(char **a)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "exec %s", a[0]);

	if (n < 0 || (size_t)n >= sizeof(buf))
		return fail_with(ENAMETOOLONG, "AppArmor profile \"%.64s...\"", a[0]);
	return write_exec_attr("/proc/thread-self/attr/apparmor/exec", buf);
}

int op_selinux(char **a)
{
	return write_exec_attr(NULL, a[0]);
}

/* A mount whose filesystem takes no context= option (mqueue) gets its label on its root. */
int op_file_label(char **a)
{
	char p[32];
	int fd, r;

	fd = root_open(a[0], O_PATH);
	if (fd < 0)
		return fail_ctx("label \"%s\"", a[0]);
	fd_path(p, sizeof(p), fd);
	r = setxattr(p, "security.selinux", a[1], strlen(a[1]), 0);
	if (r < 0)
		fail("setxattr(\"%s\"[fd %d], \"security.selinux\", \"%s\")", a[0], fd, a[1]);
	close(fd);
	return r;
}

int op_personality(char **a)
{
	uint32_t persona;

	if (parse_u32("PERSONALITY persona", a[0], 10, &persona) < 0)
		return -1;
	if (personality(persona) < 0)
		return fail("personality(0x%x)", persona);
	return 0;
}

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

int op_ioprio(char **a)
{
	uint32_t cls, level;

	if (parse_u32("IOPRIO class", a[0], 10, &cls) < 0 || parse_u32("IOPRIO level", a[1], 10, &level) < 0)
		return -1;
	if (cls > 3 || level > 7)
		return fail_with(EINVAL, "IOPRIO class %u level %u out of range", cls, level);
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (cls << IOPRIO_CLASS_SHIFT) | level) < 0)
		return fail("ioprio_set(IOPRIO_WHO_PROCESS, 0, class %u, level %u)", cls, level);
	return 0;
}

/* sched_setattr(2)'s argument (glibc 2.36 has no wrapper); the size of version 1, with the
 * utilisation clamps left 0. */
struct sched_attr_v1 {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
	uint32_t sched_util_min;
	uint32_t sched_util_max;
};

int op_scheduler(char **a)
{
	struct sched_attr_v1 attr;
	uint32_t policy, prio, nice_bits;
	uint64_t flags, runtime, deadline, period;
	int nice;

	/* nice comes as a signed decimal: -20..19. */
	if (a[2][0] == '-') {
		if (parse_u32("SCHEDULER nice", a[2] + 1, 10, &nice_bits) < 0)
			return -1;
		nice = -(int)nice_bits;
	} else {
		if (parse_u32("SCHEDULER nice", a[2], 10, &nice_bits) < 0)
			return -1;
		nice = (int)nice_bits;
	}
	if (parse_u32("SCHEDULER policy", a[0], 10, &policy) < 0 || parse_u64("SCHEDULER flags", a[1], 16, &flags) < 0 ||
	    parse_u32("SCHEDULER priority", a[3], 10, &prio) < 0 || parse_u64("SCHEDULER runtime", a[4], 10, &runtime) < 0 ||
	    parse_u64("SCHEDULER deadline", a[5], 10, &deadline) < 0 || parse_u64("SCHEDULER period", a[6], 10, &period) < 0)
		return -1;
	if (nice < -20 || nice > 19)
		return fail_with(EINVAL, "SCHEDULER nice %d out of range", nice);
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.sched_policy = policy;
	attr.sched_flags = flags;
	attr.sched_nice = nice;
	attr.sched_priority = prio;
	attr.sched_runtime = runtime;
	attr.sched_deadline = deadline;
	attr.sched_period = period;
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		return fail("sched_setattr(0, {policy %u, flags 0x%llx, nice %d, priority %u, runtime %llu, deadline %llu, "
			    "period %llu}, 0)", policy, (unsigned long long)flags, nice, prio, (unsigned long long)runtime,
			    (unsigned long long)deadline, (unsigned long long)period);
	return 0;
}
