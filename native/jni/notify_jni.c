/* sd_notify relay: the datagram socket the container's NOTIFY_SOCKET names, and forwarding its
 * messages to the host's notify socket (a path, or an abstract name written with a leading '@'). */
#include <errno.h>
#include <jni.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "jni_errors.h"

/* sockaddr for a path, or for an abstract name given as "@name"; its length, -1 if too long. */
static socklen_t unix_addr(const char *path, struct sockaddr_un *addr)
{
	size_t len = strlen(path);

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (len == 0 || len >= sizeof(addr->sun_path))
		return (socklen_t)-1;
	memcpy(addr->sun_path, path, len);
	if (path[0] == '@') {
		addr->sun_path[0] = '\0';
		return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	}
	return (socklen_t)sizeof(*addr);
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_unixDatagramBind(JNIEnv *env, jclass cls, jstring jpath)
{
	struct sockaddr_un addr;
	const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
	socklen_t len;
	int fd, err;

	(void)cls;
	if (!path)
		return -1;
	len = unix_addr(path, &addr);
	if (len == (socklen_t)-1) {
		(*env)->ReleaseStringUTFChars(env, jpath, path);
		throw_errno(env, "bind(notify socket)", ENAMETOOLONG);
		return -1;
	}
	unlink(path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	/* 0777: the container's process, whatever its user, must be able to send to it. */
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, len) < 0 || chmod(path, 0777) < 0) {
		err = errno;
		if (fd >= 0)
			close(fd);
		(*env)->ReleaseStringUTFChars(env, jpath, path);
		throw_errno(env, "bind(notify socket)", err);
		return -1;
	}
	(*env)->ReleaseStringUTFChars(env, jpath, path);
	return fd;
}

JNIEXPORT jbyteArray JNICALL Java_io_javarun_linux_LinuxNative_receiveDatagram(JNIEnv *env, jclass cls, jint fd,
									     jint timeoutMs)
{
	char buf[4096];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;
	int r;
	jbyteArray out;

	(void)cls;
	do
		r = poll(&p, 1, timeoutMs);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		throw_errno(env, "poll(notify socket)", errno);
		return NULL;
	}
	if (r == 0)
		return NULL;
	do
		n = recv(fd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		throw_errno(env, "recv(notify socket)", errno);
		return NULL;
	}
	out = (*env)->NewByteArray(env, (jsize)n);
	if (out)
		(*env)->SetByteArrayRegion(env, out, 0, (jsize)n, (const jbyte *)buf);
	return out;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_sendDatagram(JNIEnv *env, jclass cls, jstring jpath,
								       jbyteArray message)
{
	struct sockaddr_un addr;
	const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
	jsize n = (*env)->GetArrayLength(env, message);
	jbyte *bytes;
	socklen_t len;
	int fd, err = 0;

	(void)cls;
	if (!path)
		return;
	len = unix_addr(path, &addr);
	(*env)->ReleaseStringUTFChars(env, jpath, path);
	if (len == (socklen_t)-1) {
		throw_errno(env, "sendto(notify socket)", ENAMETOOLONG);
		return;
	}
	bytes = (*env)->GetByteArrayElements(env, message, NULL);
	if (!bytes)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendto(fd, bytes, (size_t)n, MSG_NOSIGNAL, (struct sockaddr *)&addr, len) < 0)
		err = errno;
	if (fd >= 0)
		close(fd);
	(*env)->ReleaseByteArrayElements(env, message, bytes, JNI_ABORT);
	if (err)
		throw_errno(env, "sendto(notify socket)", err);
}
