package io.javarun.process;

/**
 * A planned step failed inside the helper or the container process: the step in words, the
 * errno, and the exact call the helper made (for --debug).
 */
public final class StepException extends Exception {
    private final int errno;
    private final String detail;

    public StepException(String step, int errno, String reason, String detail) {
        super(step + ": " + reason);
        this.errno = errno;
        this.detail = detail;
    }

    public int errno() {
        return errno;
    }

    /** The call as the helper made it, e.g. {@code mount("proc", "/proc"[fd 7], "proc", 0x0, "")}. */
    public String detail() {
        return detail;
    }
}
