package io.javarun.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One line of /proc/PID/mountinfo. */
public record MountInfo(String root, String mountPoint, Set<String> options, String fsType, String source, Set<String> superOptions) {

    public static List<MountInfo> parse(String text) {
        List<MountInfo> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            out.add(new MountInfo(unescape(f[3]), unescape(f[4]), Set.of(f[5].split(",")), f[dash + 1], unescape(f[dash + 2]),
                    Set.of(f[dash + 3].split(","))));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    /** The topmost mount at {@code mountPoint} (the last one listed), or throws. */
    public static MountInfo at(List<MountInfo> mounts, String mountPoint) {
        MountInfo found = null;
        for (MountInfo m : mounts) {
            if (m.mountPoint.equals(mountPoint)) {
                found = m;
            }
        }
        if (found == null) {
            throw new AssertionError("no mount at " + mountPoint + " in:\n" + mounts);
        }
        return found;
    }

    public static boolean has(List<MountInfo> mounts, String mountPoint) {
        return mounts.stream().anyMatch(m -> m.mountPoint.equals(mountPoint));
    }
}
