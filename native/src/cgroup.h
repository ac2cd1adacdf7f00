/* The cgroups CGROUP opened, for CLONE (cgroup.c). */
#ifndef JAVARUN_CGROUP_H
#define JAVARUN_CGROUP_H

/* The cgroup v2 directory fd CLONE should start its child in (CLONE_INTO_CGROUP), or -1. */
int cgroup_clone_target(void);
/* CLONE started the child in that cgroup: JOIN_CGROUPS leaves cgroup v2 alone. */
void cgroup_cloned_into(void);
/* Closes every fd CGROUP opened (the helper, after the fork: they are the child's to use). */
void cgroup_close_all(void);

#endif
