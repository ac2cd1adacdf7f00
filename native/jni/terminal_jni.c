/* The terminal javarun proxies itself, for a foreground `run` or `exec -t` without a console
 * socket: a private console socket to receive the pty master on, raw mode and window size of
 * javarun's own terminal, and the copy loops between the two. Thin calls: Java decides when. */
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "jni_errors.h"

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_unixListen(JNIEnv *env, jclass cls, jstring jpath)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	const char *path;
	int fd, err;

	(void)cls;
	path = (*env)->GetStringUTFChars(env, jpath, NULL);
	if (!path)
		return -1;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		(*env)->ReleaseStringUTFChars(env, jpath, path);
		throw_errno(env, "bind (path too long)", ENAMETOOLONG);
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || chmod(path, 0600) < 0
	    || listen(fd, 16) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		(*env)->ReleaseStringUTFChars(env, jpath, path);
		throw_errno(env, "listen on unix socket", err);
		return -1;
	}
	(*env)->ReleaseStringUTFChars(env, jpath, path);
	return fd;
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_receiveFd(JNIEnv *env, jclass cls, jint listenFd)
{
	char data[256], ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { data, sizeof(data) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c;
	int conn, fd = -1;
	ssize_t n;

	(void)cls;
	do
		conn = accept4(listenFd, NULL, NULL, SOCK_CLOEXEC);
	while (conn < 0 && errno == EINTR);
	if (conn < 0) {
		throw_errno(env, "accept(console socket)", errno);
		return -1;
	}
	do
		n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		throw_errno(env, "recvmsg(console socket)", errno);
		close(conn);
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	close(conn);
	if (fd < 0)
		throw_errno(env, "recvmsg(console socket): no fd", EPROTO);
	return fd;
}

JNIEXPORT jboolean JNICALL Java_io_javarun_linux_LinuxNative_isatty(JNIEnv *env, jclass cls, jint fd)
{
	(void)env;
	(void)cls;
	return isatty(fd) ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT jbyteArray JNICALL Java_io_javarun_linux_LinuxNative_makeRaw(JNIEnv *env, jclass cls, jint fd)
{
	struct termios saved, raw;
	jbyteArray out;

	(void)cls;
	if (tcgetattr(fd, &saved) < 0) {
		throw_errno(env, "tcgetattr", errno);
		return NULL;
	}
	raw = saved;
	cfmakeraw(&raw);
	if (tcsetattr(fd, TCSANOW, &raw) < 0) {
		throw_errno(env, "tcsetattr", errno);
		return NULL;
	}
	out = (*env)->NewByteArray(env, sizeof(saved));
	if (out)
		(*env)->SetByteArrayRegion(env, out, 0, sizeof(saved), (const jbyte *)&saved);
	return out;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_restoreTerminal(JNIEnv *env, jclass cls, jint fd,
									  jbyteArray saved)
{
	struct termios t;

	(void)cls;
	if ((*env)->GetArrayLength(env, saved) != (jsize)sizeof(t))
		return;
	(*env)->GetByteArrayRegion(env, saved, 0, sizeof(t), (jbyte *)&t);
	tcsetattr(fd, TCSANOW, &t);
}

static volatile sig_atomic_t winch_from = -1, winch_to = -1;

static void copy_winsize(int from, int to)
{
	struct winsize ws;

	if (from >= 0 && to >= 0 && ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

static void on_winch(int sig)
{
	int saved = errno;

	(void)sig;
	copy_winsize(winch_from, winch_to);
	errno = saved;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_followWindowSize(JNIEnv *env, jclass cls, jint from,
									   jint to)
{
	struct sigaction sa;

	(void)env;
	(void)cls;
	winch_from = from;
	winch_to = to;
	copy_winsize(from, to);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_copyUntilEnd(JNIEnv *env, jclass cls, jint from, jint to)
{
	char buf[8192];

	(void)env;
	(void)cls;
	for (;;) {
		ssize_t n = read(from, buf, sizeof(buf)), off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return; /* end of file, or EIO once the pty's other side is gone */
		while (off < n) {
			ssize_t w = write(to, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return;
			off += w;
		}
	}
}

/* ResizePty: the size a client asked for, set on the pty master (the slave sees it and its
 * foreground process group gets SIGWINCH from the kernel). */
JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_setWindowSize(JNIEnv *env, jclass cls, jint fd, jint rows,
									jint cols)
{
	struct winsize ws;

	(void)cls;
	memset(&ws, 0, sizeof(ws));
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
		throw_errno(env, "ioctl(TIOCSWINSZ)", errno);
}
