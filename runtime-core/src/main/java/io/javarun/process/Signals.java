package io.javarun.process;

import java.util.Locale;
import java.util.Map;

/** Signal names and numbers (x86-64/arm64 Linux), parsed as runc's kill does. */
public final class Signals {
    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("SIGHUP", 1), Map.entry("SIGINT", 2), Map.entry("SIGQUIT", 3), Map.entry("SIGILL", 4),
            Map.entry("SIGTRAP", 5), Map.entry("SIGABRT", 6), Map.entry("SIGIOT", 6), Map.entry("SIGBUS", 7),
            Map.entry("SIGFPE", 8), Map.entry("SIGKILL", 9), Map.entry("SIGUSR1", 10), Map.entry("SIGSEGV", 11),
            Map.entry("SIGUSR2", 12), Map.entry("SIGPIPE", 13), Map.entry("SIGALRM", 14), Map.entry("SIGTERM", 15),
            Map.entry("SIGSTKFLT", 16), Map.entry("SIGCHLD", 17), Map.entry("SIGCLD", 17), Map.entry("SIGCONT", 18),
            Map.entry("SIGSTOP", 19), Map.entry("SIGTSTP", 20), Map.entry("SIGTTIN", 21), Map.entry("SIGTTOU", 22),
            Map.entry("SIGURG", 23), Map.entry("SIGXCPU", 24), Map.entry("SIGXFSZ", 25), Map.entry("SIGVTALRM", 26),
            Map.entry("SIGPROF", 27), Map.entry("SIGWINCH", 28), Map.entry("SIGIO", 29), Map.entry("SIGPOLL", 29),
            Map.entry("SIGPWR", 30), Map.entry("SIGSYS", 31));

    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;

    private Signals() {}

    /**
     * "9", "KILL", "SIGKILL", "kill", "RTMIN+3": the signal number; IllegalArgumentException for
     * anything else.
     */
    public static int parse(String raw) {
        try {
            int n = Integer.parseInt(raw);
            if (n < 1 || n > SIGRTMAX) {
                throw new IllegalArgumentException("unknown signal \"" + raw + "\"");
            }
            return n;
        } catch (NumberFormatException e) {
            // A name, then.
        }
        String name = raw.toUpperCase(Locale.ROOT);
        if (!name.startsWith("SIG")) {
            name = "SIG" + name;
        }
        Integer n = NUMBERS.get(name);
        if (n != null) {
            return n;
        }
        if (name.startsWith("SIGRTMIN") || name.startsWith("SIGRTMAX")) {
            String rest = name.substring(8);
            int base = name.startsWith("SIGRTMIN") ? SIGRTMIN : SIGRTMAX;
            try {
                int off = rest.isEmpty() ? 0 : Integer.parseInt(rest);
                int sig = base + off;
                if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
                    return sig;
                }
            } catch (NumberFormatException e) {
                // Falls through to the error.
            }
        }
        throw new IllegalArgumentException("unknown signal \"" + raw + "\"");
    }
}
