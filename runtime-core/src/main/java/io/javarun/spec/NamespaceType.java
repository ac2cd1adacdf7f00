package io.javarun.spec;

/** The namespace types of the runtime spec, with their clone flag and /proc/PID/ns name. */
public enum NamespaceType {
    // Order matters: it is the order in which existing namespaces are joined (user first, so
    // that the others are joined with the privileges of the target user namespace; mount last,
    // because joining it changes how the other paths resolve).
    USER("user", 0x10000000L, "user"),
    PID("pid", 0x20000000L, "pid"),
    NETWORK("network", 0x40000000L, "net"),
    IPC("ipc", 0x08000000L, "ipc"),
    UTS("uts", 0x04000000L, "uts"),
    CGROUP("cgroup", 0x02000000L, "cgroup"),
    TIME("time", 0x00000080L, "time"),
    MOUNT("mount", 0x00020000L, "mnt");

    private final String specName;
    private final long cloneFlag;
    private final String procName;

    NamespaceType(String specName, long cloneFlag, String procName) {
        this.specName = specName;
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    public String specName() {
        return specName;
    }

    public long cloneFlag() {
        return cloneFlag;
    }

    /** The name under /proc/PID/ns/ and in the helper's SETNS op. */
    public String procName() {
        return procName;
    }

    public static NamespaceType fromSpecName(String name) {
        for (NamespaceType t : values()) {
            if (t.specName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
