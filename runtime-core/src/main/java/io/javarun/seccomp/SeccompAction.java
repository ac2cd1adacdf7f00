package io.javarun.seccomp;

/**
 * The actions of linux.seccomp, with the filter return value each becomes (the kernel's
 * SECCOMP_RET_*, which libseccomp's SCMP_ACT_* values are). As runc: SCMP_ACT_KILL kills the
 * thread, and ERRNO and TRACE return EPERM unless errnoRet says otherwise.
 */
public enum SeccompAction implements SpecNamed {
    KILL("SCMP_ACT_KILL", 0x0000_0000L),
    KILL_PROCESS("SCMP_ACT_KILL_PROCESS", 0x8000_0000L),
    KILL_THREAD("SCMP_ACT_KILL_THREAD", 0x0000_0000L),
    TRAP("SCMP_ACT_TRAP", 0x0003_0000L),
    ERRNO("SCMP_ACT_ERRNO", 0x0005_0000L),
    TRACE("SCMP_ACT_TRACE", 0x7ff0_0000L),
    ALLOW("SCMP_ACT_ALLOW", 0x7fff_0000L),
    LOG("SCMP_ACT_LOG", 0x7ffc_0000L),
    NOTIFY("SCMP_ACT_NOTIFY", 0x7fc0_0000L);

    /** EPERM: what ERRNO and TRACE return when the profile names no errno. */
    static final long DEFAULT_ERRNO = 1;

    private final String specName;
    private final long base;

    SeccompAction(String specName, long base) {
        this.specName = specName;
        this.base = base;
    }

    @Override
    public String specName() {
        return specName;
    }

    /** Whether errnoRet means something for this action (the 16 data bits of the return value). */
    public boolean takesErrno() {
        return this == ERRNO || this == TRACE;
    }

    /** The filter's return value for this action, with errnoRet (null: EPERM) where it applies. */
    public long value(Long errnoRet) {
        if (!takesErrno()) {
            return base;
        }
        return base | ((errnoRet == null ? DEFAULT_ERRNO : errnoRet) & 0xffff);
    }

    /** The action of that name, or null. */
    public static SeccompAction named(String name) {
        return SpecNamed.find(values(), name);
    }
}
