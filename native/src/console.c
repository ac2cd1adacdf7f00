/* The container's terminal: a pty from the container's own devpts, whose master goes to the
 * caller's console socket (runc's --console-socket) and whose slave becomes stdio. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "ops.h"
#include "rootpath.h"
#include "util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int op_console_socket(char **a)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(a[0]) >= sizeof(addr.sun_path))
		return fail_with(ENAMETOOLONG, "console socket path \"%s\" exceeds %zu bytes", a[0],
				 sizeof(addr.sun_path) - 1);
	strcpy(addr.sun_path, a[0]);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail("socket(AF_UNIX, SOCK_STREAM)");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fail("connect(\"%s\")", a[0]);
		close(fd);
		return -1;
	}
	if (st.consolefd >= 0)
		close(st.consolefd);
	st.consolefd = fd;
	return 0;
}

static int send_fd(int sock, int fd, const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf,
		.msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : 0;
}

/* Old kernels (< 4.13) lack TIOCGPTPEER: find the slave by number, still inside our root. */
static int open_slave_by_number(int master)
{
	char path[64];
	int n, fd;

	if (ioctl(master, TIOCGPTN, &n) < 0)
		return fail("ioctl(master, TIOCGPTN)");
	snprintf(path, sizeof(path), "dev/pts/%d", n);
	fd = root_open(path, O_RDWR | O_NOCTTY);
	return fd;
}

int op_console(char **a)
{
	char p[32];
	int pathfd, master, slave, i;

	(void)a;
	if (st.consolefd < 0)
		return fail_with(EINVAL, "no console socket (CONSOLE_SOCKET has not run)");
	pathfd = root_open("dev/ptmx", O_PATH);
	if (pathfd < 0)
		return fail_ctx("console");
	master = open(fd_path(p, sizeof(p), pathfd), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0) {
		fail("open(\"/dev/ptmx\"[fd %d], O_RDWR|O_NOCTTY)", pathfd);
		close(pathfd);
		return -1;
	}
	close(pathfd);
	if (unlockpt(master) < 0) {
		fail("unlockpt(/dev/ptmx)");
		goto err_master;
	}
	/* TIOCGPTPEER opens the slave from the master itself: no path that could be swapped. */
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0 && (errno == EINVAL || errno == ENOTTY))
		slave = open_slave_by_number(master);
	else if (slave < 0)
		fail("ioctl(master, TIOCGPTPEER)");
	if (slave < 0)
		goto err_master;
	if (send_fd(st.consolefd, master, "/dev/ptmx") < 0) {
		fail("sendmsg(console socket, SCM_RIGHTS master)");
		goto err_slave;
	}
	close(master);
	close(st.consolefd);
	st.consolefd = -1;
	/* Needs a session leader without a terminal: SETSID must have run. */
	if (ioctl(slave, TIOCSCTTY, 0) < 0) {
		fail("ioctl(slave, TIOCSCTTY, 0)");
		close(slave);
		return -1;
	}
	for (i = 0; i <= 2; i++) {
		if (dup2(slave, i) < 0) {
			fail("dup2(slave, %d)", i);
			close(slave);
			return -1;
		}
	}
	if (slave > 2)
		close(slave);
	return 0;
err_slave:
	close(slave);
err_master:
	close(master);
	return -1;
}
