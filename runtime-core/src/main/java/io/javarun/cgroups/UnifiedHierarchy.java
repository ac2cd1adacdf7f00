package io.javarun.cgroups;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What is particular to the cgroup v2 (unified) hierarchy: making a cgroup with its controllers
 * enabled from the root down, the facts that decide the file plan, cgroup.freeze and
 * cgroup.events, cgroup.kill and the OOM kill counter of memory.events.
 */
final class UnifiedHierarchy {
    private UnifiedHierarchy() {}

    /**
     * Makes {@code dir} below the cgroup2 mount {@code mount}, as runc's fs2 CreateCgroupPath:
     * each directory on the way is made if missing (and recorded in {@code created}), refused if
     * the kernel put it in a threaded or invalid mode (domain controllers cannot work there), and
     * every one above the leaf gets all the root's controllers in cgroup.subtree_control; when
     * the write of all at once fails, each one alone is tried, and what still fails shows later
     * as the missing file of a limit that was asked for.
     */
    static void create(Path mount, Path dir, List<Path> created) throws CgroupException {
        if (!dir.startsWith(mount) || dir.equals(mount)) {
            throw new CgroupException("cgroup " + dir + " is not below the cgroup2 mount " + mount);
        }
        // One space between names (no regex on the create path).
        String[] controllers = CgroupFiles.read(mount.resolve("cgroup.controllers")).trim().split(" ");
        StringBuilder all = new StringBuilder();
        for (String c : controllers) {
            if (!c.isEmpty()) {
                all.append(all.length() == 0 ? "+" : " +").append(c);
            }
        }
        Path current = mount;
        Path relative = mount.relativize(dir);
        for (int i = 0; i <= relative.getNameCount(); i++) {
            if (i > 0) {
                current = current.resolve(relative.getName(i - 1));
                try {
                    Files.createDirectory(current);
                    created.add(current);
                } catch (FileAlreadyExistsException e) {
                    // Joined as it is.
                } catch (IOException e) {
                    throw new CgroupException("create cgroup " + current + ": " + CgroupFiles.reason(e));
                }
                String type = readTrimmed(current.resolve("cgroup.type"));
                if (type != null && !type.equals("domain")) {
                    throw new CgroupException("cannot enter cgroup v2 " + current + " with domain controllers:"
                            + " it is in " + type + " mode");
                }
            }
            if (i < relative.getNameCount() && all.length() > 0) {
                Path control = current.resolve("cgroup.subtree_control");
                if (CgroupFiles.tryWrite(control, all.toString()) != null) {
                    for (String c : controllers) {
                        if (!c.isEmpty()) {
                            CgroupFiles.tryWrite(control, "+" + c);
                        }
                    }
                }
            }
        }
    }

    /** The facts {@link UnifiedWritePlan} needs, read from the container's directory. */
    static UnifiedWritePlan.Host host(Path dir) {
        boolean swap = Files.exists(dir.resolve("memory.swap.max"));
        String bfq = readTrimmed(dir.resolve("io.bfq.weight"));
        // Before kernel 5.4 io.bfq.weight holds the one default weight; since, "default N" and
        // "major:minor weight" lines, which is what per-device weights need.
        boolean bfqDevices = bfq != null && !isNumber(bfq);
        return new UnifiedWritePlan.Host(swap, bfq != null, bfqDevices);
    }

    /**
     * Why a {@code unified} key could not be written, in runc's words where the file is absent
     * or not writable: the key is not CONTROLLER.PARAMETER, or the controller is not enabled.
     */
    static String unifiedFailure(Path dir, CgroupWritePlan.Write w, String err) {
        String key = w.file();
        if (err.equals("permission denied") || err.equals("no such file or directory")) {
            int dot = key.indexOf('.');
            if (dot <= 0 || dot == key.length() - 1) {
                return "unified resource \"" + key + "\" must be in the form CONTROLLER.PARAMETER";
            }
            String controller = key.substring(0, dot);
            String available = readTrimmed(dir.resolve("cgroup.controllers"));
            if (!controller.equals("cgroup") && (available == null
                    || !(" " + available + " ").contains(" " + controller + " "))) {
                return "unified resource \"" + key + "\" can't be set: controller \"" + controller + "\" not available";
            }
        }
        return "unable to set unified resource \"" + key + "\": write \"" + w.value() + "\" to "
                + dir.resolve(key) + ": " + err;
    }

    /**
     * Freezes or thaws through cgroup.freeze and waits (10 s at most) until cgroup.events says
     * "frozen 1" (or 0): the write only starts it, and tasks in the kernel stop at their next
     * return to user space.
     */
    static void freeze(Path dir, boolean frozen) throws CgroupException {
        Path file = dir.resolve("cgroup.freeze");
        CgroupFiles.write(file, frozen ? "1" : "0");
        String wanted = frozen ? "frozen 1" : "frozen 0";
        for (int i = 0; i < 1000; i++) {
            String events = CgroupFiles.read(dir.resolve("cgroup.events"));
            if (events.contains(wanted)) {
                return;
            }
            ContainerCgroups.sleep(i < 10 ? 1 : 10);
        }
        if (frozen) {
            CgroupFiles.tryWrite(file, "0");
        }
        throw new CgroupException("unable to " + (frozen ? "freeze" : "thaw") + ": " + dir.resolve("cgroup.events")
                + " did not report \"" + wanted + "\" within 10 s");
    }

    /** cgroup.freeze is "1": asked to be frozen (what runc reports as paused). */
    static boolean isFrozen(Path dir) {
        return "1".equals(readTrimmed(dir.resolve("cgroup.freeze")));
    }

    /**
     * SIGKILL to every process of the cgroup and its descendants in one write (cgroup.kill,
     * kernel 5.14); false when the file is not there.
     */
    static boolean kill(Path dir) throws CgroupException {
        Path file = dir.resolve("cgroup.kill");
        if (!Files.exists(file)) {
            return false;
        }
        CgroupFiles.write(file, "1");
        return true;
    }

    /** memory.events' oom_kill counter, or -1 when the file is gone (the cgroup was removed). */
    static long oomKills(Path dir) {
        String events = readTrimmed(dir.resolve("memory.events"));
        if (events == null) {
            return -1;
        }
        for (String line : events.split("\n")) {
            if (line.startsWith("oom_kill ")) {
                return Long.parseLong(line.substring(9).trim());
            }
        }
        return 0;
    }

    private static boolean isNumber(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** The file's text trimmed, or null when it cannot be read (absent, or the controller is off). */
    static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
