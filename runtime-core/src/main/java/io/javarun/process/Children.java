package io.javarun.process;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;

/**
 * How this JVM starts its children and collects their exits. There is one policy per process:
 * the CLI waits for each child by pid; the shim, a subreaper, has a single loop that reaps every
 * child (orphans included) and hands each status to whoever waits for that pid, because a second
 * {@code waitpid} anywhere would steal statuses from it. Every spawn and wait in runtime-core goes
 * through {@link #current()}, never through {@code java.lang.Process}.
 */
public abstract class Children {
    private static volatile Children current = new Direct();

    /** The policy in force; the CLI's direct waiting unless the shim installed its reaper. */
    public static Children current() {
        return current;
    }

    /** Makes {@code policy} the one every spawn and wait goes through (once, at start-up). */
    public static void install(Children policy) {
        current = policy;
    }

    /** {@link LinuxNative#spawn}, made known to the reaping before its exit can be collected. */
    public abstract int spawn(String path, String[] argv, String[] envp, int[] fdMap, boolean setsid)
            throws ErrnoException;

    /**
     * Declares that the caller will wait for {@code pid}, a child it learned of other than by
     * {@link #spawn} (the helper's CLONE_PARENT children). Statuses of pids nobody expects (the
     * orphans a subreaper inherits) are not kept.
     */
    public abstract void expect(int pid);

    /** The caller will not wait for {@code pid} (a logger that ends on its own): its exit is discarded. */
    public abstract void release(int pid);

    /** Blocks until child {@code pid} has exited; its raw wait status. */
    public abstract int await(int pid) throws ErrnoException;

    /** As {@link #await(int)}, but gives up after {@code timeoutMillis}: -1 if still running. */
    public abstract int await(int pid, long timeoutMillis) throws ErrnoException;

    /** Exit code as a shell shows it: the code, or 128+N for signal N. */
    public static int exitCode(int status) {
        return LinuxNative.exited(status) ? LinuxNative.exitCode(status) : 128 + LinuxNative.termSignal(status);
    }

    /** The CLI's policy: each waiter collects its own child with waitpid. */
    private static final class Direct extends Children {
        @Override
        public int spawn(String path, String[] argv, String[] envp, int[] fdMap, boolean setsid)
                throws ErrnoException {
            return LinuxNative.spawn(path, argv, envp, fdMap, setsid);
        }

        @Override
        public void expect(int pid) {
            // waitpid finds it whenever asked.
        }

        @Override
        public void release(int pid) {
            // The CLI spawns nothing it does not wait for; a zombie would go with the CLI's exit.
        }

        @Override
        public int await(int pid) throws ErrnoException {
            return LinuxNative.waitpid(pid, false);
        }

        @Override
        public int await(int pid, long timeoutMillis) throws ErrnoException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            long pause = 1;
            for (;;) {
                int status = LinuxNative.waitpid(pid, true);
                if (status != -1 || System.nanoTime() >= deadline) {
                    return status;
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pause = Math.min(pause * 2, 20);
            }
        }
    }
}
