package io.javarun.cgroups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads and writes of cgroup control files, with errors that name the file and the value. */
final class CgroupFiles {
    private CgroupFiles() {}

    static void write(Path file, String value) throws CgroupException {
        // One write() per value: the kernel parses each write separately, and a buffered stream
        // could merge or split them.
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new CgroupException("write \"" + value + "\" to " + file + ": " + reason(e));
        }
    }

    /** Like {@link #write}, but returns the failure's reason ("invalid argument") instead of throwing; null on success. */
    static String tryWrite(Path file, String value) {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
            return null;
        } catch (IOException e) {
            return reason(e);
        }
    }

    static String read(Path file) throws CgroupException {
        try {
            return java.nio.file.Files.readString(file);
        } catch (IOException e) {
            throw new CgroupException("read " + file + ": " + reason(e));
        }
    }

    /** The cause in runc's words: "permission denied", "no space left on device". */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int colon = m.lastIndexOf(": ");
        String tail = colon >= 0 && m.startsWith("/") ? m.substring(colon + 2) : m;
        return tail.isEmpty() ? m : Character.toLowerCase(tail.charAt(0)) + tail.substring(1);
    }
}
