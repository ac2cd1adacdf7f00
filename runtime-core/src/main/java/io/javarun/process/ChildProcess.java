package io.javarun.process;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;

/** Processes this JVM forked (through the helper, with CLONE_PARENT): waiting, ending one that failed. */
public final class ChildProcess {
    private static final int SIGKILL = 9;

    private ChildProcess() {}

    /** Waits for a child of ours and returns its exit code as a shell shows it (128+N for signal N). */
    public static int awaitExitCode(int pid) throws ErrnoException {
        return Children.exitCode(Children.current().await(pid));
    }

    /** SIGKILL and reap a child of ours; a pid <= 0 (never created) is ignored. */
    public static void killAndReap(int pid) {
        if (pid <= 0) {
            return;
        }
        try {
            LinuxNative.kill(pid, SIGKILL);
            Children.current().await(pid);
        } catch (ErrnoException e) {
            // Already gone (ESRCH) or reaped (ECHILD): nothing left to collect.
        }
    }
}
