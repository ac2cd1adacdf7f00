package io.javarun.mount;

import static io.javarun.mount.MountFlags.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mount's option list split the way mount(2) wants it: flags, propagation flags, and the
 * filesystem-specific rest as the data string. The table is runc's (libcontainer/specconv).
 */
public record MountOptions(long flags, long propagation, String data) {

    /** Options that set a flag (true) or clear it (false). */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("async", new long[] {0, SYNCHRONOUS}),
            Map.entry("atime", new long[] {0, NOATIME}),
            Map.entry("bind", new long[] {BIND, 0}),
            Map.entry("defaults", new long[] {0, 0}),
            Map.entry("dev", new long[] {0, NODEV}),
            Map.entry("diratime", new long[] {0, NODIRATIME}),
            Map.entry("dirsync", new long[] {DIRSYNC, 0}),
            Map.entry("exec", new long[] {0, NOEXEC}),
            Map.entry("mand", new long[] {MANDLOCK, 0}),
            Map.entry("noatime", new long[] {NOATIME, 0}),
            Map.entry("nodev", new long[] {NODEV, 0}),
            Map.entry("nodiratime", new long[] {NODIRATIME, 0}),
            Map.entry("noexec", new long[] {NOEXEC, 0}),
            Map.entry("nomand", new long[] {0, MANDLOCK}),
            Map.entry("norelatime", new long[] {0, RELATIME}),
            Map.entry("nostrictatime", new long[] {0, STRICTATIME}),
            Map.entry("nosuid", new long[] {NOSUID, 0}),
            Map.entry("nosymfollow", new long[] {NOSYMFOLLOW, 0}),
            Map.entry("rbind", new long[] {BIND | REC, 0}),
            Map.entry("relatime", new long[] {RELATIME, 0}),
            Map.entry("remount", new long[] {REMOUNT, 0}),
            Map.entry("ro", new long[] {RDONLY, 0}),
            Map.entry("rw", new long[] {0, RDONLY}),
            Map.entry("strictatime", new long[] {STRICTATIME, 0}),
            Map.entry("suid", new long[] {0, NOSUID}),
            Map.entry("sync", new long[] {SYNCHRONOUS, 0}),
            Map.entry("lazytime", new long[] {LAZYTIME, 0}),
            Map.entry("nolazytime", new long[] {0, LAZYTIME}),
            Map.entry("symfollow", new long[] {0, NOSYMFOLLOW}));

    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", PRIVATE, "rprivate", PRIVATE | REC,
            "shared", SHARED, "rshared", SHARED | REC,
            "slave", SLAVE, "rslave", SLAVE | REC,
            "unbindable", UNBINDABLE, "runbindable", UNBINDABLE | REC);

    /** runc extensions that need mount_setattr or copy-up: refused by name until implemented. */
    private static final List<String> NOT_YET = List.of("tmpcopyup", "idmap", "ridmap", "rro", "rrw",
            "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec", "rnoatime", "ratime", "rrelatime",
            "rnorelatime", "rnodiratime", "rdiratime", "rstrictatime", "rnostrictatime", "rnosymfollow",
            "rsymfollow");

    /** Thrown for an option javarun knows but does not implement yet. */
    public static final class UnsupportedOptionException extends Exception {
        public UnsupportedOptionException(String option) {
            super("mount option \"" + option + "\" is not supported yet");
        }
    }

    /** Every option name this parser recognises (flags and propagation), sorted. */
    public static List<String> recognised() {
        List<String> all = new ArrayList<>(FLAGS.keySet());
        all.addAll(PROPAGATION.keySet());
        java.util.Collections.sort(all);
        return all;
    }

    public static MountOptions parse(List<String> options) throws UnsupportedOptionException {
        long flags = 0;
        long propagation = 0;
        List<String> data = new ArrayList<>();
        for (String o : options) {
            long[] f = FLAGS.get(o);
            if (f != null) {
                flags = (flags | f[0]) & ~f[1];
            } else if (PROPAGATION.containsKey(o)) {
                propagation |= PROPAGATION.get(o);
            } else if (NOT_YET.contains(o)) {
                throw new UnsupportedOptionException(o);
            } else {
                data.add(o);
            }
        }
        return new MountOptions(flags, propagation, String.join(",", data));
    }

    /** Flags a plain bind mount ignores and a bind remount must apply (ro, nosuid, ...). */
    public long remountFlags() {
        return flags & ~(BIND | REC | REMOUNT);
    }
}
