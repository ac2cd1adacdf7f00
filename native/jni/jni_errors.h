/* The one way the JNI library reports a failed call: io.javarun.linux.ErrnoException. */
#ifndef JAVARUN_JNI_ERRORS_H
#define JAVARUN_JNI_ERRORS_H

#include <jni.h>

/* Throws ErrnoException(call, err, strerror(err)); a pending exception stays pending. */
__attribute__((visibility("hidden"))) void throw_errno(JNIEnv *env, const char *call, int err);

#endif
