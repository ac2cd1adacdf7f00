package io.javarun.it;

/** The runtimes the suite drives: runc as the reference, javarun as the one under test. */
public enum Kind {
    RUNC("runc"),
    JAVARUN("javarun");

    private final String cliName;

    Kind(String cliName) {
        this.cliName = cliName;
    }

    /** The name the runtime gives itself (`runc version ...`, `javarun version ...`). */
    public String cliName() {
        return cliName;
    }

    /** The runtimes named by -Djavarun.it.runtimes=runc,javarun (default: both). */
    public static java.util.List<Kind> selected() {
        String names = System.getProperty("javarun.it.runtimes", "").trim();
        if (names.isEmpty()) {
            return java.util.List.of(values());
        }
        java.util.List<Kind> out = new java.util.ArrayList<>();
        for (String n : names.split(",")) {
            out.add(valueOf(n.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        return out;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
