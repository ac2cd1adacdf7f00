#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct helper_state st = {
	.syncfd = -1,
	.rootfd = -1,
	.fifofd = -1,
	.consolefd = -1,
	.opindex = -1,
};

char err_detail[DETAIL_MAX];

int fail(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_detail, sizeof(err_detail), fmt, ap);
	va_end(ap);
	errno = saved;
	return -1;
}

int fail_with(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_detail, sizeof(err_detail), fmt, ap);
	va_end(ap);
	errno = err;
	return -1;
}

int fail_ctx(const char *fmt, ...)
{
	static char inner[DETAIL_MAX];
	int saved = errno, n;
	va_list ap;

	memcpy(inner, err_detail, sizeof(inner));
	va_start(ap, fmt);
	n = vsnprintf(err_detail, sizeof(err_detail), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(err_detail))
		snprintf(err_detail + n, sizeof(err_detail) - (size_t)n, ": %s", inner);
	errno = saved;
	return -1;
}

int parse_u64(const char *what, const char *s, int base, uint64_t *out)
{
	const char *digits = s;
	unsigned long long v;
	char *end;

	/* strtoull would accept blanks, signs and a bare "0x"; the wire format allows none of them. */
	if (base == 16 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
		digits += 2;
	if (!(base == 16 ? isxdigit((unsigned char)digits[0]) : isdigit((unsigned char)digits[0])))
		return fail_with(EINVAL, "%s: \"%s\" is not a base-%d number", what, s, base);
	errno = 0;
	v = strtoull(digits, &end, base);
	if (*end != '\0')
		return fail_with(EINVAL, "%s: \"%s\" is not a base-%d number", what, s, base);
	if (errno == ERANGE)
		return fail_with(ERANGE, "%s: \"%s\" is out of range", what, s);
	*out = v;
	return 0;
}

int parse_u32(const char *what, const char *s, int base, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(what, s, base, &v) < 0)
		return -1;
	if (v > UINT32_MAX)
		return fail_with(ERANGE, "%s: \"%s\" is out of range", what, s);
	*out = (uint32_t)v;
	return 0;
}

int parse_id(const char *what, const char *s, uint32_t *out)
{
	if (s[0] == '-' && s[1] == '1' && s[2] == '\0') {
		*out = (uint32_t)-1;
		return 0;
	}
	return parse_u32(what, s, 10, out);
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

const char *fd_path(char *buf, size_t len, int fd)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

int write_file_once(const char *path, const char *content)
{
	size_t len = strlen(content);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("open(\"%s\", O_WRONLY)", path);
	do
		n = write(fd, content, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		if (n >= 0)
			errno = EIO; /* a short write to a proc or sysfs file means it was not taken */
		fail("write(\"%s\", \"%s\")", path, content);
		close(fd);
		return -1;
	}
	if (close(fd) < 0)
		return fail("close(\"%s\")", path);
	return 0;
}
