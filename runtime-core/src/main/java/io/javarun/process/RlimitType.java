package io.javarun.process;

import java.util.List;

/** RLIMIT_* names of the runtime spec and their resource numbers (asm-generic/resource.h). */
public final class RlimitType {
    private static final List<String> NAMES = List.of(
            "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
            "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private RlimitType() {}

    /** The resource number, or -1 when the name is unknown. */
    public static int number(String name) {
        return NAMES.indexOf(name);
    }
}
