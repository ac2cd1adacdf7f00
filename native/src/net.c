/* Networking: only bringing up a new network namespace's loopback, which starts down. */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ops.h"
#include "util.h"

int op_loopback_up(char **a)
{
	struct ifreq ifr;
	int fd, r = -1;

	(void)a;
	/* Any socket of the namespace will do for the interface ioctls; no netlink needed. */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail("socket(AF_INET, SOCK_DGRAM)");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		fail("ioctl(SIOCGIFFLAGS, \"lo\")");
		goto out;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		fail("ioctl(SIOCSIFFLAGS, \"lo\", 0x%x)", (unsigned)(unsigned short)ifr.ifr_flags);
		goto out;
	}
	r = 0;
out:
	close(fd);
	return r;
}
