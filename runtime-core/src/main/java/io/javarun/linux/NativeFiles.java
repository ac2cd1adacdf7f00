package io.javarun.linux;

import java.nio.file.Path;

/** Where the native parts are installed: the helper binary and the JNI library. */
public final class NativeFiles {
    /** The install layout's default; the launcher passes -Djavarun.libexec explicitly. */
    private static final String DEFAULT_LIBEXEC = "/usr/local/libexec/javarun";

    private NativeFiles() {}

    public static Path libexecDir() {
        return Path.of(System.getProperty("javarun.libexec", DEFAULT_LIBEXEC));
    }

    public static Path helper() {
        return libexecDir().resolve("javarun-helper");
    }
}
