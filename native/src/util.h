/* Shared state of the helper, error reporting and strict number parsing. */
#ifndef JAVARUN_UTIL_H
#define JAVARUN_UTIL_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define DETAIL_MAX 4096

/* Everything an op may need from an earlier op. One process, one plan: a global is honest. */
struct helper_state {
	int syncfd;    /* -1 once READY has closed it */
	int rootfd;    /* O_PATH dir container paths resolve in; -1 before ROOTFS */
	int fifofd;    /* O_PATH exec FIFO from OPEN_EXEC_FIFO, -1 if none */
	int consolefd; /* connected console socket from CONSOLE_SOCKET, -1 if none */
	int opindex;   /* op being run, -1 outside any op */
	char **env;    /* NULL-terminated, filled by ENV; sized by the plan */
	size_t nenv;
	int have_exec_path;
	char exec_path[PATH_MAX];
	char *hook_state[2]; /* state JSON for HOOK ops, from the GO that answered SYNC; NULL if none */
};

#define HOOK_STATES 2

extern struct helper_state st;

/* The text of the ERR being prepared by the failing op. */
extern char err_detail[DETAIL_MAX];

/* Record the detail of a failure; errno is preserved. Always returns -1 so ops can `return fail(...)`. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, but sets errno to err first (failures that are ours, not a syscall's). */
int fail_with(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Put "<context>: " in front of the detail an inner helper already recorded; errno is preserved. */
int fail_ctx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Strict parsers: the whole string, no sign, no blanks; EINVAL or ERANGE with a detail naming what. */
int parse_u64(const char *what, const char *s, int base, uint64_t *out);
int parse_u32(const char *what, const char *s, int base, uint32_t *out);
/* uid/gid fields: decimal, or -1 for "leave as is" (as chown(2) understands it). */
int parse_id(const char *what, const char *s, uint32_t *out);

/* Write the whole buffer, retrying EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);

/* "/proc/self/fd/<fd>" into buf (at least 32 bytes). */
const char *fd_path(char *buf, size_t len, int fd);

/* open(path, O_WRONLY|O_CLOEXEC), one write(2) of content, close: the semantics of WRITE_FILE
 * (and of uid_map, which must be written in a single call). */
int write_file_once(const char *path, const char *content);

#endif
