package io.javarun.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where things are: the repository (system property {@code javarun.repo}) and the build outputs. */
public final class Repo {
    private Repo() {}

    public static Path root() {
        String repo = System.getProperty("javarun.repo");
        if (repo == null || repo.isBlank()) {
            throw new IllegalStateException("system property javarun.repo is not set (run the tests with mvn from the repository)");
        }
        try {
            return Path.of(repo).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("javarun.repo=" + repo + " is not a directory", e);
        }
    }

    /** Scratch space of the suite: bundles, runtime roots, captured output. Removed per test. */
    public static Path work() {
        Path dir = root().resolve("integration/target/it");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static Path runDir;

    /**
     * The directory of this test run (one JVM): work/run-PID. Nothing of one run is mistaken for,
     * or disturbed by, another run's (an earlier one, or one running at the same time). Removed
     * when the JVM exits, unless something is still mounted in it.
     */
    public static synchronized Path runDir() {
        if (runDir == null) {
            Path dir = work().resolve("run-" + ProcessHandle.current().pid());
            Procs.run(Path.of("/"), "rm", "-rf", "--one-file-system", dir.toString());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            java.lang.Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (Leftovers.mountsUnder(dir).isEmpty()) {
                    Procs.runUnchecked(Path.of("/"), "rm", "-rf", "--one-file-system", dir.toString());
                }
            }));
            runDir = dir;
        }
        return runDir;
    }

    public static Path javarunJar() {
        return root().resolve("runtime-core/target/javarun.jar");
    }

    /** The directory holding javarun-helper and libjavarun.so (-Djavarun.libexec). */
    public static Path nativeBuild() {
        return root().resolve("native/build");
    }

    public static Path rootfsScript() {
        return root().resolve("integration/rootfs/build-busybox-rootfs.sh");
    }

    public static Path runc() {
        return Path.of("/usr/sbin/runc");
    }

    /** The java launcher of the JVM running the tests (JDK 17+). */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The suite needs root: it creates namespaces, mounts and cgroups. Fails (never skips) otherwise. */
    public static void requireRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    List<String> ids = List.of(line.substring(4).trim().split("\\s+"));
                    if (!ids.get(1).equals("0")) {
                        throw new AssertionError("the integration tests must run as root (effective uid is "
                                + ids.get(1) + "): run `sudo mvn -B verify` or as root");
                    }
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("cannot read the effective uid from /proc/self/status");
    }
}
