/* Plain file-descriptor calls the JDK has no public way to make on an int fd: pipes for a
 * child's stdio, opening FIFOs read+write, and reading and writing whatever fd we hold. */
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <stdlib.h>
#include <unistd.h>

#include "jni_errors.h"

JNIEXPORT jintArray JNICALL Java_io_javarun_linux_LinuxNative_pipe(JNIEnv *env, jclass cls)
{
	int p[2];
	jint out[2];
	jintArray arr;

	(void)cls;
	if (pipe2(p, O_CLOEXEC) < 0) {
		throw_errno(env, "pipe2", errno);
		return NULL;
	}
	out[0] = p[0];
	out[1] = p[1];
	arr = (*env)->NewIntArray(env, 2);
	if (!arr) {
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	(*env)->SetIntArrayRegion(env, arr, 0, 2, out);
	return arr;
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_open(JNIEnv *env, jclass cls, jstring jpath, jint flags,
							       jint mode)
{
	const char *path;
	int fd;

	(void)cls;
	path = (*env)->GetStringUTFChars(env, jpath, NULL);
	if (!path)
		return -1;
	do
		fd = open(path, flags | O_CLOEXEC, (mode_t)mode);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		throw_errno(env, "open", errno);
	(*env)->ReleaseStringUTFChars(env, jpath, path);
	return fd;
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_read(JNIEnv *env, jclass cls, jint fd, jbyteArray jbuf,
							       jint off, jint len)
{
	char stack[8192], *buf = stack;
	ssize_t n;

	(void)cls;
	if (len > (jint)sizeof(stack)) {
		buf = malloc((size_t)len);
		if (!buf) {
			throw_errno(env, "read", ENOMEM);
			return -1;
		}
	}
	do
		n = read(fd, buf, (size_t)len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		throw_errno(env, "read", errno);
	else if (n > 0)
		(*env)->SetByteArrayRegion(env, jbuf, off, (jsize)n, (const jbyte *)buf);
	if (buf != stack)
		free(buf);
	return n < 0 ? -1 : (jint)n;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_writeFully(JNIEnv *env, jclass cls, jint fd,
								     jbyteArray jbuf, jint off, jint len)
{
	jbyte *buf;
	jint done = 0;

	(void)cls;
	buf = (*env)->GetByteArrayElements(env, jbuf, NULL);
	if (!buf)
		return;
	while (done < len) {
		ssize_t n = write(fd, buf + off + done, (size_t)(len - done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			throw_errno(env, "write", errno);
			break;
		}
		done += (jint)n;
	}
	(*env)->ReleaseByteArrayElements(env, jbuf, buf, JNI_ABORT);
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_dup(JNIEnv *env, jclass cls, jint fd)
{
	int copy;

	(void)cls;
	copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (copy < 0)
		throw_errno(env, "fcntl(F_DUPFD_CLOEXEC)", errno);
	return copy;
}
