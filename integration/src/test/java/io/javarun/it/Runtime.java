package io.javarun.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runtime CLI (runc, or javarun from the build tree) with a private {@code --root}. Every call
 * runs the real binary, with stdin from /dev/null and stdout/stderr captured in files.
 */
public final class Runtime {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger CALLS = new AtomicInteger();

    private final Kind kind;
    private final Path root;
    private final Path ioDir;

    Runtime(Kind kind, Path root, Path ioDir) {
        this.kind = kind;
        this.root = root;
        this.ioDir = ioDir;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isJavarun() {
        return kind == Kind.JAVARUN;
    }

    /** The --root state directory of this runtime instance. */
    public Path root() {
        return root;
    }

    /** The command that runs the CLI, without arguments. */
    public static List<String> baseCommand(Kind kind) {
        List<String> cmd = new ArrayList<>();
        if (kind == Kind.RUNC) {
            cmd.add(Repo.runc().toString());
            return cmd;
        }
        Path jar = Repo.javarunJar();
        Path libexec = Repo.nativeBuild();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("javarun is not built: " + jar + " is missing (run `mvn -B package` at the repository root)");
        }
        if (!Files.isRegularFile(libexec.resolve("javarun-helper")) || !Files.isRegularFile(libexec.resolve("libjavarun.so"))) {
            throw new AssertionError("javarun's native parts are not built: " + libexec + " must hold javarun-helper and libjavarun.so");
        }
        cmd.addAll(List.of(Repo.java().toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djavarun.libexec=" + libexec, "-cp", jar.toString(), "io.javarun.cli.Main"));
        return cmd;
    }

    /** Runs {@code <runtime> --root ROOT args...} and waits for it. */
    public Result exec(String... args) {
        return start(null, true, List.of(args)).await(DEFAULT_TIMEOUT);
    }

    /** Runs {@code <runtime> --root ROOT args...} in the directory {@code cwd}. */
    public Result execIn(Path cwd, String... args) {
        return start(cwd, true, List.of(args)).await(DEFAULT_TIMEOUT);
    }

    /** Runs {@code <runtime> args...} with no --root (for --version, --help, spec). */
    public Result execNoRoot(Path cwd, String... args) {
        return start(cwd, false, List.of(args)).await(DEFAULT_TIMEOUT);
    }

    /** Starts {@code <runtime> --root ROOT args...} and returns at once (e.g. a foreground run). */
    public Call startCall(String... args) {
        return start(null, true, List.of(args));
    }

    private Call start(Path cwd, boolean withRoot, List<String> args) {
        List<String> cmd = baseCommand(kind);
        if (withRoot) {
            cmd.add("--root");
            cmd.add(root.toString());
        }
        cmd.addAll(args);
        int n = CALLS.incrementAndGet();
        try {
            Files.createDirectories(ioDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path out = ioDir.resolve(n + ".out");
        Path err = ioDir.resolve(n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        try {
            return new Call(cmd, pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
    }

    /** A runtime process that was started and may still be running. */
    public static final class Call {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;

        Call(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Waits for the call to end; on timeout kills it (it is our own child) and fails. */
        public Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    Result partial = new Result(command, -1, out, err);
                    throw new AssertionError("timed out after " + timeout.toSeconds() + "s: " + partial);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted while waiting for " + command, e);
            }
            return new Result(command, process.exitValue(), out, err);
        }

        /** Kills the call if it is still running (it is our own child). */
        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
