/* Container paths: resolved inside the root fd, never escaping it. */
#ifndef JAVARUN_ROOTPATH_H
#define JAVARUN_ROOTPATH_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

/* openat2(st.rootfd, cpath, oflags|O_CLOEXEC, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS). A leading
 * '/' means the root. Returns the fd, or -1 with errno and the detail set (EINVAL without a root). */
int root_open(const char *cpath, uint64_t oflags);

/* mkdir -p below the root; returns an O_PATH fd on the final directory. Existing directories
 * are fine, an existing non-directory fails with ENOTDIR. */
int root_mkdir_p(const char *cpath, mode_t mode);

/* Splits cpath into its parent (created like root_mkdir_p with mode) and final name. Returns an
 * O_PATH fd on the parent and copies the name into name[NAME_MAX + 1]. */
int root_parent(const char *cpath, mode_t mode, char name[NAME_MAX + 1]);

#endif
