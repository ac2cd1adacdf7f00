/*
 * CVE-2019-5736: a container process can open /proc/<helper pid>/exe while the helper still
 * runs in its namespaces, and, once the helper has exec'd, write through that fd into the
 * helper's binary on the host. Running from a sealed memfd copy leaves nothing on the host to
 * write to: the copy is anonymous and the seals make even the copy immutable.
 */
#include "sealed.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

#define REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

int sealed_reexec(char **argv)
{
	struct stat sb;
	int exefd, memfd, seals;
	off_t off = 0;

	exefd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exefd < 0)
		return fail("open(\"/proc/self/exe\", O_RDONLY)");
	/* This check is what ends the re-exec: the copy we exec carries exactly these seals, so
	 * the second run returns here. Anything else (EINVAL on a plain file) means copy. */
	seals = fcntl(exefd, F_GET_SEALS);
	if (seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS) {
		close(exefd);
		return 0;
	}
	/* Kernels with vm.memfd_noexec (6.3+) want MFD_EXEC said explicitly; older ones reject it. */
	memfd = memfd_create("javarun-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (memfd < 0 && errno == EINVAL)
		memfd = memfd_create("javarun-helper", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0) {
		fail("memfd_create(\"javarun-helper\", MFD_CLOEXEC|MFD_ALLOW_SEALING)");
		goto err_exe;
	}
	if (fstat(exefd, &sb) < 0) {
		fail("fstat(\"/proc/self/exe\")");
		goto err;
	}
	while (off < sb.st_size) {
		ssize_t n = sendfile(memfd, exefd, &off, (size_t)(sb.st_size - off));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			fail("sendfile(memfd, \"/proc/self/exe\", %lld)", (long long)(sb.st_size - off));
			goto err;
		}
	}
	if (fcntl(memfd, F_ADD_SEALS, REQUIRED_SEALS) < 0) {
		fail("fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL|F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_WRITE)");
		goto err;
	}
	close(exefd);
	/* The memfd is CLOEXEC yet usable here: for an ELF image the kernel has loaded it before
	 * the fd table is cleaned. */
	fexecve(memfd, argv, environ);
	fail("fexecve(memfd \"javarun-helper\")");
	close(memfd);
	return -1;
err:
	close(memfd);
err_exe:
	close(exefd);
	return -1;
}
