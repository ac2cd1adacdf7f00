package io.javarun.ttrpc;

/**
 * A failed ttrpc call, carrying a gRPC status code. On the server a handler throws it to choose
 * the Response status; on the client it reports the status the server sent (or a local failure).
 * containerd strips a trailing ": not found" style suffix, hence the "<context>: not found" helpers.
 */
public final class TtrpcException extends Exception {
    private static final long serialVersionUID = 1L;

    /** gRPC status codes, numbered as on the wire. */
    public enum Code {
        OK(0), CANCELLED(1), UNKNOWN(2), INVALID_ARGUMENT(3), DEADLINE_EXCEEDED(4), NOT_FOUND(5),
        ALREADY_EXISTS(6), PERMISSION_DENIED(7), RESOURCE_EXHAUSTED(8), FAILED_PRECONDITION(9),
        ABORTED(10), OUT_OF_RANGE(11), UNIMPLEMENTED(12), INTERNAL(13), UNAVAILABLE(14),
        DATA_LOSS(15), UNAUTHENTICATED(16);

        private final int value;

        Code(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        /** The code for a wire value; unknown values map to UNKNOWN. */
        public static Code of(int value) {
            Code[] all = values();
            return value >= 0 && value < all.length ? all[value] : UNKNOWN;
        }
    }

    private final Code code;

    public TtrpcException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public TtrpcException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public static TtrpcException notFound(String context) {
        return new TtrpcException(Code.NOT_FOUND, context + ": not found");
    }

    public static TtrpcException alreadyExists(String context) {
        return new TtrpcException(Code.ALREADY_EXISTS, context + ": already exists");
    }

    public static TtrpcException invalidArgument(String context) {
        return new TtrpcException(Code.INVALID_ARGUMENT, context + ": invalid argument");
    }

    public static TtrpcException failedPrecondition(String context) {
        return new TtrpcException(Code.FAILED_PRECONDITION, context + ": failed precondition");
    }

    public static TtrpcException unavailable(String context) {
        return new TtrpcException(Code.UNAVAILABLE, context + ": unavailable");
    }

    public static TtrpcException notImplemented(String context) {
        return new TtrpcException(Code.UNIMPLEMENTED, context + ": not implemented");
    }

    @Override
    public String toString() {
        return "ttrpc " + code + ": " + getMessage();
    }
}
