/*
 * libjavarun.so: the native methods of io.javarun.linux.LinuxNative. One syscall (or a fixed
 * short sequence) per method, no policy; failures throw ErrnoException(call, errno, text).
 * These run on arbitrary JVM threads, so nothing here keeps state between calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jni_errors.h"

#define MESSAGE_MAX (1 << 20) /* the protocol's largest record */
/* The kernel doubles it for bookkeeping; the skb overhead of one record fits in that. */
#define SNDBUF_SIZE (MESSAGE_MAX + 65536)

void throw_errno(JNIEnv *env, const char *call, int err)
{
	char buf[256];
	const char *text = strerror_r(err, buf, sizeof(buf));
	jclass cls;
	jmethodID ctor;
	jstring jcall, jtext;
	jobject ex;

	cls = (*env)->FindClass(env, "io/javarun/linux/ErrnoException");
	if (!cls)
		return; /* NoClassDefFoundError is pending */
	ctor = (*env)->GetMethodID(env, cls, "<init>", "(Ljava/lang/String;ILjava/lang/String;)V");
	if (!ctor)
		return;
	jcall = (*env)->NewStringUTF(env, call);
	if (!jcall)
		return;
	jtext = (*env)->NewStringUTF(env, text);
	if (!jtext)
		return;
	ex = (*env)->NewObject(env, cls, ctor, jcall, (jint)err, jtext);
	if (ex)
		(*env)->Throw(env, (jthrowable)ex);
}

static void throw_new(JNIEnv *env, const char *cls_name, const char *msg)
{
	jclass cls = (*env)->FindClass(env, cls_name);

	if (cls)
		(*env)->ThrowNew(env, cls, msg);
}

JNIEXPORT jintArray JNICALL Java_io_javarun_linux_LinuxNative_socketpairSeqpacket(JNIEnv *env, jclass cls)
{
	int sv[2], i;
	jint out[2];
	jintArray arr;

	(void)cls;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		throw_errno(env, "socketpair", errno);
		return NULL;
	}
	/* A datagram must fit the sender's buffer whole; the default (net.core.wmem_default,
	 * ~208 KiB) is below the protocol's 1 MiB record. FORCE works for root past wmem_max;
	 * otherwise we get what wmem_max allows, and a larger send fails with EMSGSIZE. */
	for (i = 0; i < 2; i++) {
		int size = SNDBUF_SIZE;

		if (setsockopt(sv[i], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
			(void)setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	}
	arr = (*env)->NewIntArray(env, 2);
	if (!arr) {
		close(sv[0]);
		close(sv[1]);
		return NULL;
	}
	out[0] = sv[0];
	out[1] = sv[1];
	(*env)->SetIntArrayRegion(env, arr, 0, 2, out);
	return arr;
}

static void free_strings(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

/* A NULL-terminated malloc'd copy of a String[] (modified UTF-8, as for every JNI string). */
static char **copy_strings(JNIEnv *env, jobjectArray arr)
{
	jsize n, i;
	char **v;

	if (!arr) {
		throw_new(env, "java/lang/NullPointerException", "string array");
		return NULL;
	}
	n = (*env)->GetArrayLength(env, arr);
	v = calloc((size_t)n + 1, sizeof(char *));
	if (!v) {
		throw_new(env, "java/lang/OutOfMemoryError", "spawn arguments");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		jstring s = (jstring)(*env)->GetObjectArrayElement(env, arr, i);
		const char *c;

		if (!s) {
			throw_new(env, "java/lang/NullPointerException", "null element in string array");
			goto err;
		}
		c = (*env)->GetStringUTFChars(env, s, NULL);
		if (!c)
			goto err;
		v[i] = strdup(c);
		(*env)->ReleaseStringUTFChars(env, s, c);
		(*env)->DeleteLocalRef(env, s);
		if (!v[i]) {
			throw_new(env, "java/lang/OutOfMemoryError", "spawn arguments");
			goto err;
		}
	}
	return v;
err:
	free_strings(v);
	return NULL;
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_spawn(JNIEnv *env, jclass cls, jstring jpath,
								jobjectArray jargv, jobjectArray jenvp,
								jintArray jfdmap, jboolean setsid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	const char *path = NULL;
	char **argv = NULL, **envp = NULL;
	jint *map = NULL;
	int *tmp = NULL;
	jsize maplen = 0, i, npairs = 0;
	int maxtarget = 2, err, stage = 0;
	short flags;
	pid_t pid = -1;

	(void)cls;
	if (!jpath || !jfdmap) {
		throw_new(env, "java/lang/NullPointerException", jpath ? "fdMap" : "path");
		return -1;
	}
	maplen = (*env)->GetArrayLength(env, jfdmap);
	if (maplen % 2) {
		throw_new(env, "java/lang/IllegalArgumentException", "fdMap must hold (source, target) pairs");
		return -1;
	}
	npairs = maplen / 2;
	argv = copy_strings(env, jargv);
	if (!argv)
		goto out;
	envp = copy_strings(env, jenvp);
	if (!envp)
		goto out;
	path = (*env)->GetStringUTFChars(env, jpath, NULL);
	if (!path)
		goto out;
	map = calloc((size_t)maplen + 1, sizeof(jint));
	tmp = calloc((size_t)npairs + 1, sizeof(int));
	for (i = 0; tmp && i < npairs; i++)
		tmp[i] = -1;
	if (!map || !tmp) {
		throw_new(env, "java/lang/OutOfMemoryError", "fdMap");
		goto out;
	}
	(*env)->GetIntArrayRegion(env, jfdmap, 0, maplen, map);
	for (i = 0; i < npairs; i++) {
		if (map[2 * i] < 0 || map[2 * i + 1] < 0) {
			throw_new(env, "java/lang/IllegalArgumentException", "negative fd in fdMap");
			goto out;
		}
		if (map[2 * i + 1] > maxtarget)
			maxtarget = map[2 * i + 1];
	}
	/* Duplicate every source above all targets first: dup2(x, x) would leave CLOEXEC set, and a
	 * source that is another pair's target would be clobbered before it is used. The copies are
	 * CLOEXEC, so neither the child nor any concurrent fork keeps them. */
	for (i = 0; i < npairs; i++) {
		tmp[i] = fcntl(map[2 * i], F_DUPFD_CLOEXEC, maxtarget + 1);
		if (tmp[i] < 0) {
			throw_errno(env, "fcntl(F_DUPFD_CLOEXEC)", errno);
			goto out;
		}
	}
	err = posix_spawn_file_actions_init(&fa);
	if (err) {
		throw_errno(env, "posix_spawn_file_actions_init", err);
		goto out;
	}
	stage = 1;
	for (i = 0; i < npairs; i++) {
		err = posix_spawn_file_actions_adddup2(&fa, tmp[i], map[2 * i + 1]);
		if (err) {
			throw_errno(env, "posix_spawn_file_actions_adddup2", err);
			goto out;
		}
	}
	err = posix_spawnattr_init(&attr);
	if (err) {
		throw_errno(env, "posix_spawnattr_init", err);
		goto out;
	}
	stage = 2;
	/* The JVM blocks and handles signals of its own; none of that may reach the child. */
	sigemptyset(&none);
	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
	if (setsid)
		flags |= POSIX_SPAWN_SETSID;
	if ((err = posix_spawnattr_setsigmask(&attr, &none)) || (err = posix_spawnattr_setsigdefault(&attr, &all)) ||
	    (err = posix_spawnattr_setflags(&attr, flags))) {
		throw_errno(env, "posix_spawnattr", err);
		goto out;
	}
	err = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	if (err) {
		pid = -1;
		throw_errno(env, "posix_spawn", err);
	}
out:
	if (stage >= 2)
		posix_spawnattr_destroy(&attr);
	if (stage >= 1)
		posix_spawn_file_actions_destroy(&fa);
	if (tmp) {
		for (i = 0; i < npairs; i++)
			if (tmp[i] >= 0)
				close(tmp[i]);
	}
	free(tmp);
	free(map);
	if (path)
		(*env)->ReleaseStringUTFChars(env, jpath, path);
	free_strings(argv);
	free_strings(envp);
	return (jint)pid;
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_waitpid(JNIEnv *env, jclass cls, jint pid,
								  jboolean nohang)
{
	int status = 0;
	pid_t r;

	(void)cls;
	do
		r = waitpid((pid_t)pid, &status, nohang ? WNOHANG : 0);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		throw_errno(env, "waitpid", errno);
		return -1;
	}
	if (r == 0)
		return -1; /* WNOHANG and no change */
	return status;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_kill(JNIEnv *env, jclass cls, jint pid, jint sig)
{
	(void)cls;
	if (kill((pid_t)pid, sig) < 0)
		throw_errno(env, "kill", errno);
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_sendMessage(JNIEnv *env, jclass cls, jint fd,
								      jbyteArray msg)
{
	jsize len;
	jbyte *buf;
	ssize_t n;
	int err;

	(void)cls;
	if (!msg) {
		throw_new(env, "java/lang/NullPointerException", "message");
		return;
	}
	len = (*env)->GetArrayLength(env, msg);
	/* Not a critical region: send may block, which a critical region must never do. */
	buf = (*env)->GetByteArrayElements(env, msg, NULL);
	if (!buf)
		return;
	do
		n = send(fd, buf, (size_t)len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	err = errno;
	(*env)->ReleaseByteArrayElements(env, msg, buf, JNI_ABORT);
	if (n < 0)
		throw_errno(env, "send", err);
}

JNIEXPORT jbyteArray JNICALL Java_io_javarun_linux_LinuxNative_receiveMessage(JNIEnv *env, jclass cls, jint fd)
{
	jbyteArray out = NULL;
	char *buf;
	ssize_t n;

	(void)cls;
	buf = malloc(MESSAGE_MAX);
	if (!buf) {
		throw_new(env, "java/lang/OutOfMemoryError", "receive buffer");
		return NULL;
	}
	/* MSG_TRUNC: learn the real size of an oversized datagram instead of returning a cut one. */
	do
		n = recv(fd, buf, MESSAGE_MAX, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		throw_errno(env, "recv", errno);
	} else if (n > MESSAGE_MAX) {
		throw_errno(env, "recv", EMSGSIZE);
	} else if (n > 0) {
		/* Our protocol never sends an empty datagram, so 0 can only be end of stream. */
		out = (*env)->NewByteArray(env, (jsize)n);
		if (out)
			(*env)->SetByteArrayRegion(env, out, 0, (jsize)n, (const jbyte *)buf);
	}
	free(buf);
	return out;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_close(JNIEnv *env, jclass cls, jint fd)
{
	(void)cls;
	/* On Linux the fd is gone even when close reports EINTR; retrying could close a reused fd. */
	if (close(fd) < 0 && errno != EINTR)
		throw_errno(env, "close", errno);
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_mkfifo(JNIEnv *env, jclass cls, jstring jpath, jint mode)
{
	const char *path;
	int r, err;

	(void)cls;
	if (!jpath) {
		throw_new(env, "java/lang/NullPointerException", "path");
		return;
	}
	path = (*env)->GetStringUTFChars(env, jpath, NULL);
	if (!path)
		return;
	r = mkfifo(path, (mode_t)mode);
	err = errno;
	(*env)->ReleaseStringUTFChars(env, jpath, path);
	if (r < 0)
		throw_errno(env, "mkfifo", err);
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_geteuid(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return (jint)geteuid();
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_getpid(JNIEnv *env, jclass cls)
{
	(void)env;
	(void)cls;
	return (jint)getpid();
}

JNIEXPORT jstring JNICALL Java_io_javarun_linux_LinuxNative_strerror(JNIEnv *env, jclass cls, jint err)
{
	char buf[256];

	(void)cls;
	return (*env)->NewStringUTF(env, strerror_r(err, buf, sizeof(buf)));
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_eventfd(JNIEnv *env, jclass cls, jint initval, jint flags)
{
	int fd;

	(void)cls;
	fd = eventfd((unsigned int)initval, flags);
	if (fd < 0)
		throw_errno(env, "eventfd", errno);
	return fd;
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_openReadOnly(JNIEnv *env, jclass cls, jstring jpath)
{
	const char *path;
	int fd, err;

	(void)cls;
	if (!jpath) {
		throw_new(env, "java/lang/NullPointerException", "path");
		return -1;
	}
	path = (*env)->GetStringUTFChars(env, jpath, NULL);
	if (!path)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	err = errno;
	(*env)->ReleaseStringUTFChars(env, jpath, path);
	if (fd < 0)
		throw_errno(env, "open", err);
	return fd;
}

JNIEXPORT jlong JNICALL Java_io_javarun_linux_LinuxNative_readEventfd(JNIEnv *env, jclass cls, jint fd)
{
	uint64_t value;
	ssize_t n;

	(void)cls;
	do {
		n = read(fd, &value, sizeof(value));
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		throw_errno(env, "read", errno);
		return -1;
	}
	if (n != (ssize_t)sizeof(value)) {
		throw_errno(env, "read", EIO);
		return -1;
	}
	return (jlong)value;
}

/* Signal forwarding for a foreground run/exec: a native handler that sends the signal on to the
 * container's process. Native because the JVM refuses Java handlers for SIGQUIT always, and for
 * TERM/INT/HUP under -Xrs; kill(2) is async-signal-safe, so the handler needs no thread. */
static volatile sig_atomic_t forward_pid;
static struct sigaction forward_saved[_NSIG];
static unsigned char forward_installed[_NSIG];

static void forward_signal(int sig)
{
	int saved = errno;

	if (forward_pid > 0)
		kill((pid_t)forward_pid, sig);
	errno = saved;
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_forwardSignals(JNIEnv *env, jclass cls, jint pid,
									 jintArray signals)
{
	struct sigaction sa;
	jsize n = (*env)->GetArrayLength(env, signals), i;
	jint *sigs = (*env)->GetIntArrayElements(env, signals, NULL);

	(void)cls;
	if (!sigs)
		return;
	forward_pid = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++) {
		int sig = sigs[i];

		if (sig <= 0 || sig >= _NSIG || forward_installed[sig])
			continue;
		if (sigaction(sig, &sa, &forward_saved[sig]) == 0)
			forward_installed[sig] = 1;
	}
	(*env)->ReleaseIntArrayElements(env, signals, sigs, JNI_ABORT);
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_stopForwardingSignals(JNIEnv *env, jclass cls)
{
	int sig;

	(void)env;
	(void)cls;
	for (sig = 1; sig < _NSIG; sig++) {
		if (forward_installed[sig]) {
			sigaction(sig, &forward_saved[sig], NULL);
			forward_installed[sig] = 0;
		}
	}
	forward_pid = 0;
}
