package io.javarun.seccomp;

/** A value config.json spells by name (SCMP_ACT_ALLOW, SCMP_CMP_EQ, ...). */
interface SpecNamed {
    String specName();

    /** The value among {@code values} spelt {@code name}, or null. */
    static <T extends SpecNamed> T find(T[] values, String name) {
        for (T v : values) {
            if (v.specName().equals(name)) {
                return v;
            }
        }
        return null;
    }

    /** The names of {@code values}, comma-separated, for an error message. */
    static String list(SpecNamed[] values) {
        StringBuilder sb = new StringBuilder();
        for (SpecNamed v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(v.specName());
        }
        return sb.toString();
    }
}
