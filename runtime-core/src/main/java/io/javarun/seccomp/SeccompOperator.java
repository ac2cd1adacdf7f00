package io.javarun.seccomp;

/** The argument comparisons of linux.seccomp, with libseccomp's enum scmp_compare numbers. */
public enum SeccompOperator implements SpecNamed {
    NE("SCMP_CMP_NE", 1),
    LT("SCMP_CMP_LT", 2),
    LE("SCMP_CMP_LE", 3),
    EQ("SCMP_CMP_EQ", 4),
    GE("SCMP_CMP_GE", 5),
    GT("SCMP_CMP_GT", 6),
    MASKED_EQ("SCMP_CMP_MASKED_EQ", 7);

    private final String specName;
    private final int code;

    SeccompOperator(String specName, int code) {
        this.specName = specName;
        this.code = code;
    }

    @Override
    public String specName() {
        return specName;
    }

    /** libseccomp's number for it, what the helper's SECCOMP op takes. */
    public int code() {
        return code;
    }

    /** The operator of that name, or null. */
    public static SeccompOperator named(String name) {
        return SpecNamed.find(values(), name);
    }
}
