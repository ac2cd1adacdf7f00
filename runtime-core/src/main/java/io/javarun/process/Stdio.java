package io.javarun.process;

/**
 * The fds a container process gets as its stdin, stdout and stderr. The CLI hands on its own
 * (0, 1, 2); the shim gives pipes it copies to containerd's FIFOs, or /dev/null.
 */
public record Stdio(int in, int out, int err) {
    public static final Stdio INHERIT = new Stdio(0, 1, 2);

    /** The spawn fd map (source, target pairs): these three onto 0-2, then {@code extra} onto its slot. */
    int[] fdMap(int extra, int extraTarget) {
        if (in == 0 && out == 1 && err == 2) {
            // The caller's own stdio: inherited as it is.
            return new int[] {extra, extraTarget};
        }
        return new int[] {in, 0, out, 1, err, 2, extra, extraTarget};
    }
}
