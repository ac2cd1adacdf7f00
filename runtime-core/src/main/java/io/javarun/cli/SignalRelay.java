package io.javarun.cli;

import io.javarun.container.Containers;
import io.javarun.linux.LinuxNative;

/**
 * While `run` or `exec` waits in the foreground, the signals javarun receives go to the
 * container's process, as runc's signal handler does: ^C, a supervisor's SIGTERM, SIGQUIT, the
 * user signals. Through a native handler: the JVM does not let Java code take SIGQUIT, and a
 * signal that was ignored when javarun started (SIGINT of a background job) is taken as runc takes
 * it. SIGCHLD and SIGWINCH stay javarun's own (runc does not forward WINCH without a terminal).
 */
final class SignalRelay implements Containers.SignalForwarder {
    /** HUP INT QUIT USR1 USR2 ALRM TERM CONT. */
    private static final int[] FORWARDED = {1, 2, 3, 10, 12, 14, 15, 18};

    @Override
    public void forwardTo(int pid) {
        LinuxNative.load();
        LinuxNative.forwardSignals(pid, FORWARDED);
    }

    @Override
    public void stop() {
        LinuxNative.stopForwardingSignals();
    }
}
