package io.javarun.mount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a container path against a rootfs on the host the way the kernel will inside the
 * container: symlinks are followed with the rootfs as "/", so an absolute link target stays
 * inside the rootfs. A relative target whose ".." climbs above the rootfs is refused: no image
 * needs one, and it points at the host when read from outside the container.
 *
 * <p>This is the validation-time view. The helper resolves again at mount time with
 * openat2(RESOLVE_IN_ROOT), so a rootfs changed in between still cannot make a mount escape.
 */
public final class RootfsPaths {
    private static final int MAX_LINKS = 40;

    private RootfsPaths() {}

    /** The rootfs was left through a symlink. */
    public static final class EscapeException extends Exception {
        public EscapeException(String message) {
            super(message);
        }
    }

    /**
     * The host path that container path {@code path} names below {@code rootfs}, every symlink on
     * the way resolved (missing trailing components are kept as they are).
     */
    public static Path resolve(Path rootfs, String path) throws EscapeException {
        Deque<String> todo = new ArrayDeque<>();
        // The path as written is cleaned lexically first, as runc does ("/../x" is "/x"): only
        // a ".." that comes out of a symlink can try to leave the root.
        String clean = Path.of("/" + path).normalize().toString();
        pushComponents(todo, clean);
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (resolved.isEmpty()) {
                    throw new EscapeException("\"" + path + "\" leaves the rootfs through a symlink");
                }
                resolved.remove(resolved.size() - 1);
                continue;
            }
            Path here = join(rootfs, resolved).resolve(c);
            if (Files.isSymbolicLink(here)) {
                if (++links > MAX_LINKS) {
                    throw new EscapeException("\"" + path + "\": too many levels of symbolic links");
                }
                String target;
                try {
                    target = Files.readSymbolicLink(here).toString();
                } catch (IOException e) {
                    throw new EscapeException("\"" + path + "\": cannot read symlink " + here + ": " + e.getMessage());
                }
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                pushComponents(todo, target);
            } else {
                resolved.add(c);
                if (!Files.exists(here, LinkOption.NOFOLLOW_LINKS)) {
                    // Nothing below a missing component can be a symlink: keep the rest as is.
                    while (!todo.isEmpty()) {
                        String rest = todo.pollFirst();
                        if (rest.equals("..")) {
                            if (resolved.isEmpty()) {
                                throw new EscapeException("\"" + path + "\" leaves the rootfs through a symlink");
                            }
                            resolved.remove(resolved.size() - 1);
                        } else if (!rest.isEmpty() && !rest.equals(".")) {
                            resolved.add(rest);
                        }
                    }
                }
            }
        }
        return join(rootfs, resolved);
    }

    private static void pushComponents(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }

    private static Path join(Path rootfs, List<String> parts) {
        Path p = rootfs;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}
