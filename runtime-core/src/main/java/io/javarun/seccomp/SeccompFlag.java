package io.javarun.seccomp;

/**
 * The filter flags of linux.seccomp, with the SECCOMP_FILTER_FLAG_* bit each passes to
 * seccomp(2). TSYNC is accepted and has no effect, as in runc: the container process has one
 * thread when its filter is loaded. WAIT_KILLABLE_RECV (Linux 5.19) is in the runtime spec but
 * not in runc 1.2; javarun passes it on, and the kernel takes it only with a listener.
 */
public enum SeccompFlag implements SpecNamed {
    TSYNC("SECCOMP_FILTER_FLAG_TSYNC", 0),
    SPEC_ALLOW("SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4),
    LOG("SECCOMP_FILTER_FLAG_LOG", 2),
    WAIT_KILLABLE_RECV("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", 32);

    /** SECCOMP_FILTER_FLAG_NEW_LISTENER: not a flag of the spec, set when a rule uses NOTIFY. */
    public static final int NEW_LISTENER = 8;

    private final String specName;
    private final int bit;

    SeccompFlag(String specName, int bit) {
        this.specName = specName;
        this.bit = bit;
    }

    @Override
    public String specName() {
        return specName;
    }

    /** The bit for seccomp(2); 0 for TSYNC. */
    public int bit() {
        return bit;
    }

    /**
     * The bits to probe the kernel with for support: WAIT_KILLABLE_RECV alone is refused (EINVAL)
     * by every kernel, it needs NEW_LISTENER; TSYNC's own bit.
     */
    public int probeBits() {
        if (this == TSYNC) {
            return 1;
        }
        return this == WAIT_KILLABLE_RECV ? bit | NEW_LISTENER : bit;
    }

    /** The flag of that name, or null. */
    public static SeccompFlag named(String name) {
        return SpecNamed.find(values(), name);
    }
}
