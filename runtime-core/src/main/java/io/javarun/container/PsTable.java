package io.javarun.container;

import java.util.List;

/** runc's ps table: the header line of the host's ps, then the rows whose PID is the container's. */
public final class PsTable {
    private PsTable() {}

    public static String filter(String psOutput, List<Integer> pids) {
        String[] lines = psOutput.split("\n", -1);
        int pidIndex = -1;
        String[] header = fields(lines[0]);
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals("PID")) {
                pidIndex = i;
                break;
            }
        }
        if (pidIndex < 0) {
            throw new IllegalArgumentException("couldn't find PID field in ps output");
        }
        StringBuilder out = new StringBuilder(lines[0]).append('\n');
        for (int l = 1; l < lines.length; l++) {
            String line = lines[l];
            if (line.isEmpty()) {
                continue;
            }
            String[] f = fields(line);
            int pid;
            try {
                pid = Integer.parseInt(f[pidIndex]);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("unable to parse pid: " + line);
            }
            if (pids.contains(pid)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String[] fields(String line) {
        String t = line.trim();
        return t.isEmpty() ? new String[0] : t.split("\\s+");
    }
}
