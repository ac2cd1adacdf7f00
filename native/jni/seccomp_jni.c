/* seccomp: the listener fd of a container process handed to its agent, and what `features` asks
 * of the kernel and of the libseccomp the helper is built with. */
#include <errno.h>
#include <jni.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "jni_errors.h"

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_pidfdGetfd(JNIEnv *env, jclass cls, jint pid, jint targetfd)
{
	int pidfd, fd, err;

	(void)cls;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		throw_errno(env, "pidfd_open", errno);
		return -1;
	}
	/* The copy is close-on-exec (pidfd_getfd always sets it). */
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, targetfd, 0);
	err = errno;
	close(pidfd);
	if (fd < 0) {
		throw_errno(env, "pidfd_getfd", err);
		return -1;
	}
	return fd;
}

/* One sendmsg of message with fd attached on a new stream connection to path. */
static int send_with_fd(const char *path, const void *message, size_t len, int fd, const char **call)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { .iov_base = (void *)message, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *c;
	ssize_t n;
	int sock, err;

	*call = "connect";
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	memset(control.buf, 0, sizeof(control.buf));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -1;
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		goto fail;
	*call = "sendmsg";
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		goto fail;
	if ((size_t)n != len) {
		/* The fd went with the first bytes; an agent reading one message would get half. */
		errno = EMSGSIZE;
		goto fail;
	}
	close(sock);
	return 0;
fail:
	err = errno;
	close(sock);
	errno = err;
	return -1;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_sendWithFd(JNIEnv *env, jclass cls, jstring jpath,
								     jbyteArray message, jint fd)
{
	const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
	jsize n = (*env)->GetArrayLength(env, message);
	const char *call = "connect";
	char what[160];
	jbyte *bytes;
	int r, err;

	(void)cls;
	if (!path)
		return;
	bytes = (*env)->GetByteArrayElements(env, message, NULL);
	if (!bytes) {
		(*env)->ReleaseStringUTFChars(env, jpath, path);
		return;
	}
	r = send_with_fd(path, bytes, (size_t)n, fd, &call);
	err = errno;
	snprintf(what, sizeof(what), "%s(%s)", call, path);
	(*env)->ReleaseByteArrayElements(env, message, bytes, JNI_ABORT);
	(*env)->ReleaseStringUTFChars(env, jpath, path);
	if (r < 0)
		throw_errno(env, what, err);
}

JNIEXPORT jboolean JNICALL Java_io_javarun_linux_LinuxNative_seccompFlagsSupported(JNIEnv *env, jclass cls,
										    jint flags)
{
	(void)env;
	(void)cls;
	/* The kernel checks the flags before it reads the program: EFAULT for the NULL program means
	 * it knows them all, EINVAL that it does not. Nothing is ever loaded. */
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, (unsigned)flags, NULL) < 0 && errno == EFAULT;
}

JNIEXPORT jstring JNICALL Java_io_javarun_linux_LinuxNative_libseccompVersion(JNIEnv *env, jclass cls)
{
	char v[32];

	(void)cls;
	/* The header the helper is built against: it links libseccomp statically, so this is its version. */
	snprintf(v, sizeof(v), "%d.%d.%d", SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
	return (*env)->NewStringUTF(env, v);
}
