package io.javarun.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The runtime's own hard rlimits, from /proc/self/limits (one line per resource, in number order). */
public final class HostLimits {
    private static List<String> lines;

    private HostLimits() {}

    /** The hard limit of resource number {@code resource}, -1 for unlimited or unknown. */
    public static long hard(int resource) {
        try {
            if (lines == null) {
                lines = Files.readAllLines(Path.of("/proc/self/limits"));
            }
        } catch (IOException e) {
            return -1;
        }
        // Line 0 is the header; the name column is 26 characters wide.
        if (resource + 1 >= lines.size() || lines.get(resource + 1).length() < 26) {
            return -1;
        }
        // Columns: soft limit, hard limit, units; separated by runs of spaces.
        java.util.StringTokenizer f = new java.util.StringTokenizer(lines.get(resource + 1).substring(26));
        if (f.countTokens() < 2) {
            return -1;
        }
        f.nextToken();
        String hard = f.nextToken();
        if (hard.equals("unlimited")) {
            return -1;
        }
        try {
            return Long.parseLong(hard);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
