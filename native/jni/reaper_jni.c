/* What a subreaper needs: becoming one, and collecting exits in two steps (see the next
 * comment) so that the Java side can hand each status to its owner without a race. */
#include <errno.h>
#include <jni.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "jni_errors.h"

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_becomeSubreaper(JNIEnv *env, jclass cls)
{
	(void)cls;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		throw_errno(env, "prctl(PR_SET_CHILD_SUBREAPER)", errno);
}

/* Blocks until some child has exited and returns its pid, leaving it a zombie (WNOWAIT): its
 * pid stays taken until the caller reaps it with waitpid, so nobody can mistake a new process
 * with the same pid for it meanwhile. Returns 0 when there are no children at all (ECHILD). */
JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_awaitAnyExit(JNIEnv *env, jclass cls)
{
	siginfo_t info;
	int r;

	(void)cls;
	for (;;) {
		info.si_pid = 0;
		r = waitid(P_ALL, 0, &info, WEXITED | WNOWAIT | __WALL);
		if (r == 0)
			return (jint)info.si_pid;
		if (errno == EINTR)
			continue;
		if (errno == ECHILD)
			return 0;
		throw_errno(env, "waitid", errno);
		return -1;
	}
}
