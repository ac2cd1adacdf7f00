/* The bpf() calls of the cgroup v2 device filter: load a BPF_PROG_TYPE_CGROUP_DEVICE program the
 * JVM generated, list the ones attached to a cgroup, attach (BPF_F_ALLOW_MULTI, optionally
 * BPF_F_REPLACE of an old one) and detach. The program itself is built in Java (DeviceFilter). */
#include <errno.h>
#include <jni.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jni_errors.h"

#define LOG_SIZE 4096
#define MAX_PROGS 64 /* the kernel's limit of programs on one cgroup and attach type */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* Loads the program; a verifier rejection is retried with a log, whose last line goes into the error. */
JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_bpfLoadDeviceProgram(JNIEnv *env, jclass cls,
									     jbyteArray insns, jstring jlicense)
{
	union bpf_attr attr;
	char log[LOG_SIZE], call[LOG_SIZE + 64];
	jsize n = (*env)->GetArrayLength(env, insns);
	jbyte *code;
	const char *license;
	long fd;
	int err;

	(void)cls;
	code = (*env)->GetByteArrayElements(env, insns, NULL);
	if (!code)
		return -1;
	license = (*env)->GetStringUTFChars(env, jlicense, NULL);
	if (!license) {
		(*env)->ReleaseByteArrayElements(env, insns, code, JNI_ABORT);
		return -1;
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insn_cnt = (uint32_t)(n / 8);
	attr.insns = (uint64_t)(uintptr_t)code;
	attr.license = (uint64_t)(uintptr_t)license;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	err = errno;
	if (fd < 0 && (err == EINVAL || err == EACCES)) {
		log[0] = '\0';
		attr.log_level = 1;
		attr.log_size = sizeof(log);
		attr.log_buf = (uint64_t)(uintptr_t)log;
		fd = sys_bpf(BPF_PROG_LOAD, &attr);
		err = errno;
	}
	(*env)->ReleaseStringUTFChars(env, jlicense, license);
	(*env)->ReleaseByteArrayElements(env, insns, code, JNI_ABORT);
	if (fd < 0) {
		size_t len = attr.log_level ? strnlen(log, sizeof(log) - 1) : 0;

		log[len] = '\0';
		while (len > 0 && log[len - 1] == '\n')
			log[--len] = '\0';
		if (len > 0)
			snprintf(call, sizeof(call), "bpf(BPF_PROG_LOAD) (verifier: %s)", log);
		else
			snprintf(call, sizeof(call), "bpf(BPF_PROG_LOAD)");
		throw_errno(env, call, err);
		return -1;
	}
	return (jint)fd;
}

/* The ids of the device programs attached to the cgroup open on cgroupFd. */
JNIEXPORT jintArray JNICALL Java_io_javarun_linux_LinuxNative_bpfQueryDevicePrograms(JNIEnv *env, jclass cls,
										    jint cgroupFd)
{
	union bpf_attr attr;
	uint32_t ids[MAX_PROGS];
	jintArray out;

	(void)cls;
	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgroupFd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = MAX_PROGS;
	if (sys_bpf(BPF_PROG_QUERY, &attr) < 0) {
		throw_errno(env, "bpf(BPF_PROG_QUERY)", errno);
		return NULL;
	}
	out = (*env)->NewIntArray(env, (jsize)attr.query.prog_cnt);
	if (out)
		(*env)->SetIntArrayRegion(env, out, 0, (jsize)attr.query.prog_cnt, (const jint *)ids);
	return out;
}

JNIEXPORT jint JNICALL Java_io_javarun_linux_LinuxNative_bpfProgramFdById(JNIEnv *env, jclass cls, jint id)
{
	union bpf_attr attr;
	long fd;

	(void)cls;
	memset(&attr, 0, sizeof(attr));
	attr.prog_id = (uint32_t)id;
	fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
	if (fd < 0) {
		throw_errno(env, "bpf(BPF_PROG_GET_FD_BY_ID)", errno);
		return -1;
	}
	return (jint)fd;
}

/* The attributes BPF_PROG_ATTACH and BPF_PROG_DETACH share: the cgroup, the program, the type. */
static void attach_attr(union bpf_attr *attr, jint cgroupFd, jint progFd)
{
	memset(attr, 0, sizeof(*attr));
	attr->target_fd = (uint32_t)cgroupFd;
	attr->attach_bpf_fd = (uint32_t)progFd;
	attr->attach_type = BPF_CGROUP_DEVICE;
}

/* Attaches with BPF_F_ALLOW_MULTI; with replaceFd >= 0, in place of that program (BPF_F_REPLACE). */
JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_bpfAttachDeviceProgram(JNIEnv *env, jclass cls,
									      jint cgroupFd, jint progFd,
									      jint replaceFd)
{
	union bpf_attr attr;

	(void)cls;
	attach_attr(&attr, cgroupFd, progFd);
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (replaceFd >= 0) {
		attr.attach_flags |= BPF_F_REPLACE;
		attr.replace_bpf_fd = (uint32_t)replaceFd;
	}
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0)
		throw_errno(env, replaceFd >= 0 ? "bpf(BPF_PROG_ATTACH, BPF_F_ALLOW_MULTI|BPF_F_REPLACE)"
						: "bpf(BPF_PROG_ATTACH, BPF_F_ALLOW_MULTI)",
			    errno);
}

JNIEXPORT void JNICALL Java_io_javarun_linux_LinuxNative_bpfDetachDeviceProgram(JNIEnv *env, jclass cls,
									      jint cgroupFd, jint progFd)
{
	union bpf_attr attr;

	(void)cls;
	attach_attr(&attr, cgroupFd, progFd);
	if (sys_bpf(BPF_PROG_DETACH, &attr) < 0)
		throw_errno(env, "bpf(BPF_PROG_DETACH)", errno);
}
