package io.javarun.cli;

import io.javarun.container.Containers;
import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While `run` waits in the foreground, the signals javarun receives go to the container's init
 * (as runc's signal handler does), so ^C or a supervisor's SIGTERM reach the container.
 */
@SuppressWarnings("sunapi")
final class SignalRelay implements Containers.SignalForwarder {
    private static final String[] FORWARDED = {"HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "WINCH", "CONT", "ALRM"};

    private final List<Signal> installed = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    @Override
    public void forwardTo(int pid) {
        for (String name : FORWARDED) {
            Signal sig = new Signal(name);
            try {
                SignalHandler old = Signal.handle(sig, new SignalHandler() {
                    @Override
                    public void handle(Signal s) {
                        try {
                            LinuxNative.kill(pid, s.getNumber());
                        } catch (ErrnoException e) {
                            // The container is exiting: nothing to deliver to.
                        }
                    }
                });
                installed.add(sig);
                previous.add(old);
            } catch (IllegalArgumentException e) {
                // The JVM keeps this one (SIGQUIT without -Xrs): it cannot be forwarded.
            }
        }
    }

    @Override
    public void stop() {
        for (int i = 0; i < installed.size(); i++) {
            Signal.handle(installed.get(i), previous.get(i));
        }
    }
}
