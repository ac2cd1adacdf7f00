package io.javarun.container;

/**
 * A failed operation on a container. The message says which operation, which container and
 * why: {@code create c1: mount proc at /proc: permission denied}.
 */
public final class OperationException extends Exception {
    private final String detail;

    public OperationException(String op, String id, String cause) {
        this(op, id, cause, null);
    }

    public OperationException(String op, String id, String cause, String detail) {
        super(id.isEmpty() ? op + ": " + cause : op + " " + id + ": " + cause);
        this.detail = detail;
    }

    /** Low-level detail for --debug (the exact call the helper made), or null. */
    public String detail() {
        return detail;
    }
}
