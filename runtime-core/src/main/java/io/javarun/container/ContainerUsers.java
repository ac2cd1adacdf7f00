package io.javarun.container;

import io.javarun.mount.RootfsPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks up the container's own /etc/passwd (never the host's). */
final class ContainerUsers {
    private ContainerUsers() {}

    /** The home directory of uid in the container, "/" when it has none (runc's default). */
    static String home(Path rootfs, long uid) {
        try {
            Path passwd = RootfsPaths.resolve(rootfs, "/etc/passwd");
            if (!passwd.startsWith(rootfs) || !Files.isRegularFile(passwd)) {
                return "/";
            }
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":", -1);
                if (f.length >= 6 && f[2].equals(Long.toString(uid)) && !f[5].isEmpty()) {
                    return f[5];
                }
            }
        } catch (IOException | RootfsPaths.EscapeException | RuntimeException e) {
            // An unreadable passwd file is not an error for runc either: HOME falls back to "/".
        }
        return "/";
    }
}
