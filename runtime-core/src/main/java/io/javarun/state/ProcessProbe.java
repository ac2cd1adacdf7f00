package io.javarun.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/PID/stat: whether a pid is still the process it was, and its start time. */
public final class ProcessProbe {
    private ProcessProbe() {}

    /**
     * Field 22 (starttime, clock ticks since boot) of /proc/PID/stat, or -1 when the process is
     * gone or a zombie (a zombie has exited; only its parent's wait is missing).
     */
    public static long startTime(int pid) {
        if (pid <= 0) {
            return -1;
        }
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return -1;
        }
        // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] f = stat.substring(close + 2).split(" ");
        // f[0] is field 3 (state); starttime is field 22, so f[19].
        if (f.length < 20 || f[0].equals("Z") || f[0].equals("X")) {
            return -1;
        }
        return Long.parseLong(f[19]);
    }

    /** True while pid is alive and is the process that had that start time. */
    public static boolean isSame(int pid, long startTime) {
        long now = startTime(pid);
        return now >= 0 && now == startTime;
    }
}
