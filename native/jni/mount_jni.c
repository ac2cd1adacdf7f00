/* mount(2) and umount2(2) for the shim, which mounts a task's rootfs (overlay, bind) itself. */
#include <errno.h>
#include <jni.h>
#include <sys/mount.h>

#include "jni_errors.h"

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_mount(JNIEnv *env, jclass cls, jstring jsource,
							       jstring jtarget, jstring jtype, jlong flags,
							       jstring jdata)
{
	const char *source = NULL, *target = NULL, *type = NULL, *data = NULL;

	(void)cls;
	if ((jsource && !(source = (*env)->GetStringUTFChars(env, jsource, NULL))) ||
	    !(target = (*env)->GetStringUTFChars(env, jtarget, NULL)) ||
	    (jtype && !(type = (*env)->GetStringUTFChars(env, jtype, NULL))) ||
	    (jdata && !(data = (*env)->GetStringUTFChars(env, jdata, NULL))))
		goto out;
	if (mount(source, target, type, (unsigned long)flags, data) < 0)
		throw_errno(env, "mount", errno);
out:
	if (source)
		(*env)->ReleaseStringUTFChars(env, jsource, source);
	if (target)
		(*env)->ReleaseStringUTFChars(env, jtarget, target);
	if (type)
		(*env)->ReleaseStringUTFChars(env, jtype, type);
	if (data)
		(*env)->ReleaseStringUTFChars(env, jdata, data);
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_umount(JNIEnv *env, jclass cls, jstring jtarget, jint flags)
{
	const char *target = (*env)->GetStringUTFChars(env, jtarget, NULL);

	(void)cls;
	if (!target)
		return;
	if (umount2(target, flags) < 0)
		throw_errno(env, "umount2", errno);
	(*env)->ReleaseStringUTFChars(env, jtarget, target);
}
