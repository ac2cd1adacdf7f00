package io.javarun.mount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The mount a path lives on, from /proc/self/mountinfo, and whether it is shared. pivot_root
 * refuses a rootfs whose parent mount is shared, and a bind of the rootfs would propagate to the
 * host through it: runc makes such a parent private first (rootfsParentMountPrivate).
 */
public record ParentMount(String mountPoint, boolean shared) {

    /** The mount {@code path} lives on (the longest mount point that contains it), or null. */
    public static ParentMount of(Path path) throws IOException {
        return parse(Files.readString(Path.of("/proc/self/mountinfo")), path.toRealPath().toString());
    }

    /** Pure: the entry of {@code mountinfo} that contains {@code path} (a real path). */
    static ParentMount parse(String mountinfo, String path) {
        String best = null;
        boolean shared = false;
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] f = line.substring(0, dash).split(" ");
            if (f.length < 6) {
                continue;
            }
            String mp = unescape(f[4]);
            boolean contains = mp.equals("/") || path.equals(mp) || path.startsWith(mp + "/");
            // Later lines win on ties: a mount over the same point hides the earlier one.
            if (contains && (best == null || mp.length() >= best.length())) {
                best = mp;
                shared = false;
                for (int i = 6; i < f.length; i++) {
                    shared |= f[i].startsWith("shared:");
                }
            }
        }
        return best == null ? null : new ParentMount(best, shared);
    }

    /** Mountinfo escapes space, tab, newline and backslash as three octal digits. */
    public static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
