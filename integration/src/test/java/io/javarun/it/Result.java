package io.javarun.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One finished runtime call: exit code, stdout, stderr. The output went to files, not pipes, so a
 * detached container holding the runtime's stdio never keeps a call from finishing; such a
 * container's later output is read with {@link #stdoutNow()}.
 */
public final class Result {
    private final List<String> command;
    private final int exitCode;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final String stdout;
    private final String stderr;

    Result(List<String> command, int exitCode, Path stdoutFile, Path stderrFile) {
        this.command = List.copyOf(command);
        this.exitCode = exitCode;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.stdout = read(stdoutFile);
        this.stderr = read(stderrFile);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int exitCode() {
        return exitCode;
    }

    public String stdout() {
        return stdout;
    }

    public String stderr() {
        return stderr;
    }

    /** stdout as it is now: includes what a detached container wrote after the call returned. */
    public String stdoutNow() {
        return read(stdoutFile);
    }

    /** Asserts exit code 0 and returns this. */
    public Result ok() {
        if (exitCode != 0) {
            throw new AssertionError("expected exit code 0 from " + this);
        }
        return this;
    }

    /** Asserts a non-zero exit code and returns this. */
    public Result failed() {
        if (exitCode == 0) {
            throw new AssertionError("expected a failure (non-zero exit code) from " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return String.join(" ", command) + "\n  exit code: " + exitCode
                + "\n  stdout: " + indent(stdout) + "\n  stderr: " + indent(stderr);
    }

    private static String indent(String s) {
        return s.isEmpty() ? "(empty)" : s.strip().replace("\n", "\n          ");
    }
}
