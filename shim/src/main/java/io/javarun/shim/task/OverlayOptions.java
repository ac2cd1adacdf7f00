package io.javarun.shim.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Overlay mount data longer than mount(2) takes (one page): an image of many layers. The layer
 * directories share a long parent (the snapshotter's directory), so each path is rewritten through
 * an O_PATH descriptor of that parent, {@code /proc/self/fd/N/...}, which the kernel resolves at
 * mount time. containerd's own mount code changes its working directory for the same reason; a
 * JVM cannot (the working directory is the whole process's).
 */
final class OverlayOptions {
    /** mount(2) copies at most one page of data, NUL included. */
    static final int MAX_DATA = 4095;
    private static final String[] PATH_KEYS = {"lowerdir=", "upperdir=", "workdir="};

    private OverlayOptions() {}

    /** The deepest directory containing every path in {@code data}, or null when they share only "/". */
    static String commonParent(String data) {
        String common = null;
        for (String path : paths(data)) {
            String dir = path.substring(0, Math.max(path.lastIndexOf('/'), 0));
            if (common == null) {
                common = dir;
                continue;
            }
            while (!common.isEmpty() && !(dir.equals(common) || dir.startsWith(common + "/"))) {
                common = common.substring(0, common.lastIndexOf('/'));
            }
        }
        return common == null || common.isEmpty() ? null : common;
    }

    /** {@code data} with {@code parent} replaced by {@code replacement} at the start of every path. */
    static String rewrite(String data, String parent, String replacement) {
        StringBuilder out = new StringBuilder(data.length());
        for (String option : data.split(",")) {
            if (out.length() > 0) {
                out.append(',');
            }
            String key = key(option);
            if (key == null) {
                out.append(option);
                continue;
            }
            out.append(key);
            String[] dirs = option.substring(key.length()).split(":");
            for (int i = 0; i < dirs.length; i++) {
                if (i > 0) {
                    out.append(':');
                }
                out.append(dirs[i].startsWith(parent + "/") ? replacement + dirs[i].substring(parent.length()) : dirs[i]);
            }
        }
        return out.toString();
    }

    private static List<String> paths(String data) {
        List<String> out = new ArrayList<>();
        for (String option : data.split(",")) {
            String key = key(option);
            if (key != null) {
                for (String dir : option.substring(key.length()).split(":")) {
                    out.add(dir);
                }
            }
        }
        return out;
    }

    private static String key(String option) {
        for (String k : PATH_KEYS) {
            if (option.startsWith(k)) {
                return k;
            }
        }
        return null;
    }
}
