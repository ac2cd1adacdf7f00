package io.javarun.linux;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Thin JNI bindings to the Linux system calls the JVM side needs and the JDK does not offer
 * (spawning with an fd map, seqpacket socketpairs, waitpid, kill, mkfifo, ids).
 *
 * <p>Implemented in {@code native/jni/javarun_jni.c} and built into {@code libjavarun.so}. JNI rather
 * than JNA because loading it costs a single {@code dlopen}: JNA's class loading and native stub
 * extraction would be paid on every CLI call. No policy lives here: every method is one syscall or
 * a fixed sequence of them. Failures throw {@link ErrnoException} carrying the errno.
 */
public final class LinuxNative {
    private static volatile boolean loaded;

    private LinuxNative() {}

    /**
     * Loads {@code libjavarun.so} from the directory named by the system property
     * {@code javarun.libexec} (set by the launcher; the build tree's native/build in tests).
     */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (LinuxNative.class) {
            if (loaded) {
                return;
            }
            Path lib = NativeFiles.libexecDir().resolve("libjavarun.so");
            if (!Files.isRegularFile(lib)) {
                throw new IllegalStateException("native library not found: " + lib
                        + " (set -Djavarun.libexec or reinstall javarun)");
            }
            System.load(lib.toString());
            loaded = true;
        }
    }

    /** socketpair(AF_UNIX, SOCK_SEQPACKET|SOCK_CLOEXEC): returns {fd0, fd1}. */
    public static native int[] socketpairSeqpacket() throws ErrnoException;

    /**
     * posix_spawn of {@code path} with {@code argv} and {@code envp}. {@code fdMap} holds pairs
     * (source fd, target fd): each source is duplicated onto its target in the child (clearing
     * CLOEXEC on the target, also when source == target). Fds not in the map keep their own
     * CLOEXEC flag. The child gets a new session when {@code setsid} is true. Returns the pid.
     */
    public static native int spawn(String path, String[] argv, String[] envp, int[] fdMap, boolean setsid)
            throws ErrnoException;

    /**
     * waitpid(pid, &status, nohang ? WNOHANG : 0), retried on EINTR. Returns the raw wait status,
     * or -1 when nohang is set and the child has not changed state.
     */
    public static native int waitpid(int pid, boolean nohang) throws ErrnoException;

    /** kill(pid, signal). */
    public static native void kill(int pid, int signal) throws ErrnoException;

    /** Sends one seqpacket message (send with MSG_NOSIGNAL), retried on EINTR. */
    public static native void sendMessage(int fd, byte[] message) throws ErrnoException;

    /**
     * Receives one seqpacket message (at most 1 MiB), retried on EINTR. Returns null at end of
     * stream (the peer closed; recv returned 0).
     */
    public static native byte[] receiveMessage(int fd) throws ErrnoException;

    /** close(fd). */
    public static native void close(int fd) throws ErrnoException;

    /**
     * close(2) of each fd that is not negative, ignoring failures: the fd is released whatever
     * close says, and a caller cleaning up has nothing left to do about it.
     */
    public static void closeQuietly(int... fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                try {
                    close(fd);
                } catch (ErrnoException e) {
                    // Released anyway.
                }
            }
        }
    }

    /** mkfifo(path, mode). */
    public static native void mkfifo(String path, int mode) throws ErrnoException;

    /** geteuid(). */
    public static native int geteuid();

    /** getpid() of the JVM. */
    public static native int getpid();

    /** strerror(errno) text, e.g. "Permission denied". */
    public static native String strerror(int errno);

    /** eventfd(initval, flags): flags as EFD_CLOEXEC (02000000). */
    public static native int eventfd(int initval, int flags) throws ErrnoException;

    /** EFD_CLOEXEC, for {@link #eventfd}. */
    public static final int EFD_CLOEXEC = 02000000;

    /** open(path, O_RDONLY|O_CLOEXEC): a raw fd (for cgroup.event_control registrations). */
    public static native int openReadOnly(String path) throws ErrnoException;

    /** A blocking read of an eventfd's 8-byte counter, retried on EINTR. */
    public static native long readEventfd(int fd) throws ErrnoException;

    /** Raw wait status helpers (the WIFEXITED family), kept in Java: they are bit tests. */
    public static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    public static int termSignal(int status) {
        return status & 0x7f;
    }

    /**
     * Until {@link #stopForwardingSignals}, every signal in {@code signals} that this process
     * receives is sent on to {@code pid} (a native handler: the JVM keeps SIGQUIT for itself).
     */
    public static native void forwardSignals(int pid, int[] signals);

    /** Puts back the handlers {@link #forwardSignals} replaced. */
    public static native void stopForwardingSignals();

    // ---- the terminal javarun proxies itself (terminal_jni.c)

    /** A listening AF_UNIX stream socket at {@code path} (mode 0600), close-on-exec. */
    public static native int unixListen(String path) throws ErrnoException;

    /** Accepts one connection on {@code listenFd} and returns the fd it sends with SCM_RIGHTS. */
    public static native int receiveFd(int listenFd) throws ErrnoException;

    public static native boolean isatty(int fd);

    /** Puts the terminal on {@code fd} into raw mode; returns its settings for {@link #restoreTerminal}. */
    public static native byte[] makeRaw(int fd) throws ErrnoException;

    public static native void restoreTerminal(int fd, byte[] saved);

    /** Copies the window size of {@code from} to {@code to} now and on every SIGWINCH. */
    public static native void followWindowSize(int from, int to);

    /** Copies bytes from one fd to another until end of file or an error (EIO: the pty closed). */
    public static native void copyUntilEnd(int from, int to);

    // ---- sd_notify relay (notify_jni.c)

    /** A datagram socket bound at {@code path} (mode 0777, a stale file replaced), close-on-exec. */
    public static native int unixDatagramBind(String path) throws ErrnoException;

    /** One datagram from {@code fd}, or null when none came within {@code timeoutMs}. */
    public static native byte[] receiveDatagram(int fd, int timeoutMs) throws ErrnoException;

    /** Sends one datagram to {@code path} ("@name": an abstract socket, as systemd's may be). */
    public static native void sendDatagram(String path, byte[] message) throws ErrnoException;

    /** ioctl(fd, TIOCSWINSZ): the window size of a pty (the shim's ResizePty). */
    public static native void setWindowSize(int fd, int rows, int cols) throws ErrnoException;

    // ---- plain fds (fd_jni.c)

    /** pipe2(O_CLOEXEC): {read end, write end}. */
    public static native int[] pipe() throws ErrnoException;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_PATH = 010000000;

    /** open(path, flags | O_CLOEXEC, mode), retried on EINTR. */
    public static native int open(String path, int flags, int mode) throws ErrnoException;

    /** read(2) into buf[off..off+len); 0 at end of file. */
    public static native int read(int fd, byte[] buf, int off, int len) throws ErrnoException;

    /** fcntl(F_DUPFD_CLOEXEC): a second fd for the same open file. */
    public static native int dup(int fd) throws ErrnoException;

    /** write(2) until all of buf[off..off+len) is written. */
    public static native void writeFully(int fd, byte[] buf, int off, int len) throws ErrnoException;

    // ---- subreaping (reaper_jni.c)

    /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants become our children. */
    public static native void becomeSubreaper() throws ErrnoException;

    /**
     * Blocks until a child has exited and returns its pid without reaping it (waitid WNOWAIT), so
     * the pid cannot be reused before {@link #waitpid} collects it; 0 when there are no children.
     */
    public static native int awaitAnyExit() throws ErrnoException;

    // ---- mounts (mount_jni.c)

    /** mount(2); null source, type or data are passed as NULL. */
    public static native void mount(String source, String target, String type, long flags, String data)
            throws ErrnoException;

    public static final int MNT_DETACH = 2;

    /** umount2(2). */
    public static native void umount(String target, int flags) throws ErrnoException;

    // ---- the cgroup v2 device filter (bpf_jni.c)

    /** BPF_PROG_LOAD of a BPF_PROG_TYPE_CGROUP_DEVICE program (encoded instructions); its fd. */
    public static native int bpfLoadDeviceProgram(byte[] instructions, String license) throws ErrnoException;

    /** BPF_PROG_QUERY: the ids of the device programs attached to the cgroup open on {@code cgroupFd}. */
    public static native int[] bpfQueryDevicePrograms(int cgroupFd) throws ErrnoException;

    /** BPF_PROG_GET_FD_BY_ID. */
    public static native int bpfProgramFdById(int id) throws ErrnoException;

    /** BPF_PROG_ATTACH with BPF_F_ALLOW_MULTI, in place of {@code replaceFd}'s program when it is >= 0. */
    public static native void bpfAttachDeviceProgram(int cgroupFd, int programFd, int replaceFd) throws ErrnoException;

    /** BPF_PROG_DETACH of a device program. */
    public static native void bpfDetachDeviceProgram(int cgroupFd, int programFd) throws ErrnoException;

    // ---- seccomp (seccomp_jni.c)

    /** pidfd_getfd: a close-on-exec copy of fd {@code targetFd} of process {@code pid}. */
    public static native int pidfdGetfd(int pid, int targetFd) throws ErrnoException;

    /**
     * Connects a stream socket to {@code path} and sends {@code message} in one sendmsg with
     * {@code fd} attached (SCM_RIGHTS), then closes the connection.
     */
    public static native void sendWithFd(String path, byte[] message, int fd) throws ErrnoException;

    /** Whether the kernel knows every SECCOMP_FILTER_FLAG_* bit in {@code flags} (nothing is loaded). */
    public static native boolean seccompFlagsSupported(int flags);

    /** The version of libseccomp javarun-helper is built with, e.g. "2.5.4". */
    public static native String libseccompVersion();
}
