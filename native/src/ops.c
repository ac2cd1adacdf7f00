#include "ops.h"

#include <errno.h>
#include <string.h>

#include "sync.h"
#include "util.h"

#define H PHASE_HELPER
#define C PHASE_CHILD

static const struct op_desc ops[] = {
	/* helper phase */
	{ "SETNS", 2, H, op_setns },
	{ "UNSHARE", 1, H | C, op_unshare },
	{ "WRITE_FILE", 2, H | C, op_write_file },
	{ "OPEN_EXEC_FIFO", 1, H, op_open_exec_fifo },
	{ "CONSOLE_SOCKET", 1, H, op_console_socket },
	{ "CGROUP", 2, H, op_cgroup },
	{ "CLONE", 4, H, op_clone },
	/* child phase */
	{ "JOIN_CGROUPS", 0, C, op_join_cgroups },
	{ "SYNC", 1, C, op_sync },
	{ "SETSID", 0, C, op_setsid },
	{ "JOIN_KEYRING", 2, C, op_join_keyring },
	{ "ROOT_PROPAGATION", 1, C, op_root_propagation },
	{ "HOST_PROPAGATION", 2, C, op_host_propagation },
	{ "ROOTFS", 1, C, op_rootfs },
	{ "MKDIR", 2, C, op_mkdir },
	{ "MKFILE", 2, C, op_mkfile },
	{ "MOUNT", 5, C, op_mount },
	{ "REMOUNT", 3, C, op_remount },
	{ "PROPAGATION", 2, C, op_propagation },
	{ "MKNOD", 7, C, op_mknod },
	{ "SYMLINK", 2, C, op_symlink },
	{ "PIVOT_ROOT", 0, C, op_pivot_root },
	{ "MOVE_ROOT", 0, C, op_move_root },
	{ "ROOT_SLASH", 0, C, op_root_slash },
	{ "MASK", 1, C, op_mask },
	{ "READONLY", 1, C, op_readonly },
	{ "HOSTNAME", 1, C, op_hostname },
	{ "DOMAINNAME", 1, C, op_domainname },
	{ "LOOPBACK_UP", 0, C, op_loopback_up },
	{ "RLIMIT", 3, C, op_rlimit },
	{ "CONSOLE", 0, C, op_console },
	{ "CAP_BOUNDING", 1, C, op_cap_bounding },
	{ "USER", 3, C, op_user },
	{ "CAPS", 4, C, op_caps },
	{ "NO_NEW_PRIVS", 0, C, op_no_new_privs },
	{ "IOPRIO", 2, C, op_ioprio },
	{ "SCHEDULER", 7, C, op_scheduler },
	{ "PERSONALITY", 1, C, op_personality },
	{ "SELINUX", 1, C, op_selinux },
	{ "APPARMOR", 1, C, op_apparmor },
	{ "FILE_LABEL", 2, C, op_file_label },
	{ "SECCOMP", -1, C, op_seccomp },
	{ "SECCOMP_EXPORT", 0, C, op_seccomp_export },
	{ "SECCOMP_BPF", 2, C, op_seccomp_bpf },
	{ "UMASK", 1, C, op_umask },
	{ "CHDIR", 1, C, op_chdir },
	{ "ENV", 1, C, op_env },
	{ "RESOLVE_EXEC", 2, C, op_resolve_exec },
	{ "READY", 0, C, op_ready },
	{ "WAIT_EXEC_FIFO", 0, C, op_wait_exec_fifo },
	{ "HOOK", -1, C, op_hook },
	{ "EXEC", -1, C, op_exec },
};

const struct op_desc *op_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

int plan_validate(const struct record *plan, uint32_t count, uint32_t *nenv)
{
	unsigned phase = PHASE_HELPER;
	uint32_t i;

	*nenv = 0;
	/* Everything is checked up front so that a malformed plan fails before the fork, with
	 * nothing half done. */
	for (i = 0; i < count; i++) {
		const char *name = plan[i].fields[0];
		const struct op_desc *d = op_lookup(name);
		uint32_t nargs = plan[i].nfields - 1;

		if (!d)
			return fail_with(EINVAL, "unknown op %s", name);
		if (d->nargs >= 0 ? nargs != (uint32_t)d->nargs : nargs < 1)
			return fail_with(EINVAL, "op %u %s: %u fields, expected %s%d", i, name, nargs,
					 d->nargs < 0 ? "at least " : "", d->nargs < 0 ? 1 : d->nargs);
		if (!(d->phases & phase))
			return fail_with(EINVAL, "op %u %s: not valid %s CLONE", i, name,
					 phase == PHASE_HELPER ? "before" : "after");
		if (strcmp(name, "CLONE") == 0)
			phase = PHASE_CHILD;
		else if (strcmp(name, "ENV") == 0)
			(*nenv)++;
	}
	return 0;
}

void plan_run(const struct record *plan, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		const struct op_desc *d = op_lookup(plan[i].fields[0]);

		st.opindex = (int)i;
		err_detail[0] = '\0';
		if (d->fn(&plan[i].fields[1]) < 0)
			die(errno);
	}
	st.opindex = -1;
}
