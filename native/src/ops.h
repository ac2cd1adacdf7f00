/* The op table: every op the plan may hold, its field count and the phase it is valid in. */
#ifndef JAVARUN_OPS_H
#define JAVARUN_OPS_H

#include <stdint.h>

#include "record.h"

/* An op handler gets the fields after the name (count already checked). 0, or -1 with errno
 * set and err_detail filled (see fail()). */
typedef int (*op_fn)(char **args);

enum {
	PHASE_HELPER = 1, /* before CLONE, in the helper itself */
	PHASE_CHILD = 2,  /* after CLONE, in the future container process */
};

struct op_desc {
	const char *name;
	int nargs;        /* fields after the name; -1: one or more */
	unsigned phases;
	op_fn fn;
};

const struct op_desc *op_lookup(const char *name);

/* Checks names, field counts and phases of the whole plan before anything runs. Returns 0 or
 * -1 with err_detail filled (the caller reports it as op -1). Counts ENV ops into *nenv. */
int plan_validate(const struct record *plan, uint32_t count, uint32_t *nenv);

/* Runs the plan; returns only when every op succeeded. A failure reports ERR and exits. */
void plan_run(const struct record *plan, uint32_t count);

/* ns.c */
int op_setns(char **a);
int op_unshare(char **a);
int op_clone(char **a);
/* cgroup.c */
int op_cgroup(char **a);
int op_join_cgroups(char **a);
/* mount.c */
int op_rootfs(char **a);
int op_mount(char **a);
int op_remount(char **a);
int op_propagation(char **a);
int op_root_propagation(char **a);
int op_mask(char **a);
int op_readonly(char **a);
int op_pivot_root(char **a);
int op_root_slash(char **a);
int op_host_propagation(char **a);
int op_hook(char **a);
int op_move_root(char **a);
int op_mknod(char **a);
int op_symlink(char **a);
int op_mkdir(char **a);
int op_mkfile(char **a);
/* creds.c */
int op_user(char **a);
int op_cap_bounding(char **a);
int op_caps(char **a);
int op_no_new_privs(char **a);
int op_umask(char **a);
/* process.c */
int op_rlimit(char **a);
int op_chdir(char **a);
int op_env(char **a);
int op_resolve_exec(char **a);
int op_exec(char **a);
int op_write_file(char **a);
int op_hostname(char **a);
int op_domainname(char **a);
int op_setsid(char **a);
int op_join_keyring(char **a);
int op_ready(char **a);
int op_wait_exec_fifo(char **a);
int op_open_exec_fifo(char **a);
/* sync.c */
int op_sync(char **a);
/* net.c */
int op_loopback_up(char **a);
/* seccomp.c */
int op_seccomp(char **a);
int op_seccomp_export(char **a);
int op_seccomp_bpf(char **a);
/* confine.c */
int op_apparmor(char **a);
int op_file_label(char **a);
int op_selinux(char **a);
int op_personality(char **a);
int op_ioprio(char **a);
int op_scheduler(char **a);
/* console.c */
int op_console_socket(char **a);
int op_console(char **a);

#endif
