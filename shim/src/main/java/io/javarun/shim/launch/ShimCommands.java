package io.javarun.shim.launch;

import io.javarun.container.RuntimeVersion;
import io.javarun.protos.task.DeleteResponse;
import io.javarun.state.Rfc3339;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The three actions of the shim binary: {@code start} and {@code delete} as containerd calls
 * them, and {@code daemon}, which start launches. Failures go to stderr with a non-zero exit;
 * containerd shows that output in its error.
 */
public final class ShimCommands {
    /** Where task state lives by default, per namespace (runc's shim: /run/containerd/runc). */
    static final Path STATE_BASE = Path.of("/run/containerd/javarun");
    /** Short, so that console socket paths stay under the 108-byte limit. */
    static final Path CONSOLE_DIR = Path.of("/run/containerd/javarun/pty");

    private ShimCommands() {}

    public static int run(String[] args) {
        ShimFlags f;
        try {
            f = ShimFlags.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (f.version()) {
            System.out.println("containerd-shim-javarun-v2:\n  Version:  " + RuntimeVersion.VERSION + "\n  Revision: "
                    + RuntimeVersion.COMMIT + "\n  Go version: none (Java " + Runtime.version() + ")");
            return 0;
        }
        Consumer<String> log = logger(f.action().equals("daemon") ? "warning" : "error");
        try {
            switch (f.action()) {
                case "start" -> {
                    requireFlags(f, true);
                    System.out.print(StartCommand.run(f));
                    System.out.flush();
                    return 0;
                }
                case "delete" -> {
                    requireFlags(f, false);
                    DeleteResponse r = DeleteCommand.run(f, STATE_BASE, log);
                    r.writeTo(System.out);
                    System.out.flush();
                    return 0;
                }
                case "daemon" -> {
                    Daemon.run(f, STATE_BASE, CONSOLE_DIR, log);
                    return 0;
                }
                default -> {
                    System.err.println("containerd-shim-javarun-v2: unknown action \"" + f.action()
                            + "\" (expected start or delete)");
                    return 2;
                }
            }
        } catch (Exception e) {
            System.err.println("containerd-shim-javarun-v2 " + f.action() + " " + f.id() + ": " + e.getMessage());
            return 1;
        }
    }

    private static void requireFlags(ShimFlags f, boolean start) throws IOException {
        if (f.namespace().isEmpty() || f.id().isEmpty() || (start && f.address().isEmpty())) {
            throw new IOException("-namespace, -id" + (start ? " and -address" : "") + " are required");
        }
    }

    /** logrus's text format, which containerd copies from the log FIFO into its own log. */
    private static Consumer<String> logger(String level) {
        return msg -> System.err.println("time=\"" + Rfc3339.now() + "\" level=" + level + " msg=\""
                + msg.replace("\\", "\\\\").replace("\"", "\\\"") + "\" runtime=io.containerd.javarun.v2");
    }
}
