package io.javarun.shim.task;

import io.javarun.state.StateException;
import io.javarun.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What the daemon leaves in the bundle for a later {@code delete} command, which runs as a new
 * process after the daemon is gone (killed, crashed): the state root it used, and the init's
 * exit status once known, so that delete reports the real status instead of guessing 137.
 */
public final class BundleFiles {
    private static final String ROOT = "javarun-root";
    private static final String INIT_EXIT = "init.exit";

    private BundleFiles() {}

    static void writeRoot(Path bundle, Path root) throws StateException {
        StateStore.writeAtomically(bundle.resolve(ROOT), root.toString());
    }

    /** The state root the task used; {@code fallback} if none was recorded. */
    public static Path root(Path bundle, Path fallback) {
        try {
            return Path.of(Files.readString(bundle.resolve(ROOT)).trim());
        } catch (IOException e) {
            return fallback;
        }
    }

    static void writeInitExit(Path bundle, int status, Instant at) throws StateException {
        StateStore.writeAtomically(bundle.resolve(INIT_EXIT), status + " " + at.getEpochSecond() + " " + at.getNano());
    }

    /** The init's exit as the daemon recorded it. */
    public record InitExit(int status, Instant at) {}

    /** The init's recorded exit, or null if it never was recorded. */
    public static InitExit initExit(Path bundle) {
        try {
            String[] p = Files.readString(bundle.resolve(INIT_EXIT)).trim().split(" ");
            return new InitExit(Integer.parseInt(p[0]), Instant.ofEpochSecond(Long.parseLong(p[1]), Long.parseLong(p[2])));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
