package io.javarun.shim.task;

import io.javarun.shim.io.ProcessIO;
import io.javarun.spec.ProcessSpec;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One process of a task: the container's init (exec id "") or an exec. It learns its pid when
 * started and its exit from the reaper; Wait blocks on {@link #awaitExit()}.
 */
final class ShimProcess {
    final String containerId;
    final String execId;
    final boolean terminal;
    final String stdin;
    final String stdout;
    final String stderr;
    /** An exec's process as containerd sent it; null for the init. */
    final ProcessSpec spec;
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile int pid;
    private volatile boolean started;
    private volatile int exitStatus;
    private volatile Instant exitedAt;
    private volatile ProcessIO io;

    ShimProcess(String containerId, String execId, boolean terminal, String stdin, String stdout, String stderr,
            ProcessSpec spec) {
        this.containerId = containerId;
        this.execId = execId;
        this.terminal = terminal;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.spec = spec;
    }

    boolean isInit() {
        return execId.isEmpty();
    }

    /** The id events carry: the container's for the init, else the exec's. */
    String eventId() {
        return isInit() ? containerId : execId;
    }

    int pid() {
        return pid;
    }

    void created(int pid, ProcessIO io) {
        this.pid = pid;
        this.io = io;
    }

    void markStarted() {
        started = true;
    }

    boolean isStarted() {
        return started;
    }

    ProcessIO io() {
        return io;
    }

    /** Records the exit (code as a shell shows it) and wakes every Wait. */
    void exited(int status) {
        exitStatus = status;
        exitedAt = Instant.now();
        exited.countDown();
    }

    boolean hasExited() {
        return exited.getCount() == 0;
    }

    int exitStatus() {
        return exitStatus;
    }

    Instant exitedAt() {
        return exitedAt;
    }

    void awaitExit() throws InterruptedException {
        exited.await();
    }

    boolean awaitExit(long millis) throws InterruptedException {
        return exited.await(millis, TimeUnit.MILLISECONDS);
    }
}
