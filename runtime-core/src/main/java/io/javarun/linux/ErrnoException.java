package io.javarun.linux;

/** A failed system call: the call's name, the errno and the C library's text for it. */
public final class ErrnoException extends Exception {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno, String text) {
        super(call + ": " + text);
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** The C library's text alone, e.g. "No such file or directory". */
    public String reason() {
        String m = getMessage();
        return m.substring(call.length() + 2);
    }
}
