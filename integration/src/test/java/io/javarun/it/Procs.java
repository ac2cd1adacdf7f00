package io.javarun.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Host-side helpers: running host tools, and reading /proc. */
public final class Procs {
    private Procs() {}

    /** Runs a host command in {@code cwd}; fails with its output if it exits non-zero. Returns stdout. */
    public static String run(Path cwd, String... cmd) {
        Out out = runUnchecked(cwd, cmd);
        if (out.exitCode != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed with exit code " + out.exitCode + ": " + out.text);
        }
        return out.text;
    }

    /** A host command's exit code and merged output. */
    public record Out(int exitCode, String text) {}

    public static Out runUnchecked(Path cwd, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + String.join(" ", cmd));
            }
            return new Out(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** All pids in /proc now. */
    public static List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /** Field 22 of /proc/PID/stat (start time in clock ticks), to tell a pid from a reused one. */
    public static Optional<Long> startTime(int pid) {
        return stat(pid).map(f -> Long.parseLong(f.get(19)));
    }

    /** The state letter (R, S, Z, ...) of a process, if it exists. */
    public static Optional<String> state(int pid) {
        return stat(pid).map(f -> f.get(0));
    }

    /** Fields of /proc/PID/stat after the command name: index 0 is field 3 (state). */
    private static Optional<List<String>> stat(int pid) {
        try {
            String s = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            String rest = s.substring(s.lastIndexOf(')') + 2).trim();
            return Optional.of(List.of(rest.split(" ")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** True if the process exists and is not a zombie. */
    public static boolean alive(int pid) {
        return state(pid).map(s -> !s.equals("Z")).orElse(false);
    }

    public static Optional<String> readLink(Path link) {
        try {
            return Optional.of(Files.readSymbolicLink(link).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    public static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** SIGKILL to pid, only if it is still the process that had {@code startTime}. */
    public static void killIfSame(int pid, long startTime) {
        if (startTime(pid).map(t -> t == startTime).orElse(false)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
