package io.javarun.cgroups;

import java.nio.file.Path;
import java.util.List;

/**
 * One mounted cgroup hierarchy: v1 (one or more controllers, or a named one such as
 * name=systemd) or the v2 unified one.
 *
 * @param name the v1 mount's controller list as the kernel shows it ("cpu,cpuacct",
 *     "name=systemd"), "" for v2
 * @param controllers the controllers it carries (empty for named and v2 hierarchies)
 * @param mountPoint where the host mounted it
 * @param mountRoot the cgroup the mount shows as its root (mountinfo's root field), "/" normally
 * @param v2 true for the unified hierarchy
 */
public record Hierarchy(String name, List<String> controllers, Path mountPoint, String mountRoot, boolean v2) {
    /** The key in /proc/PID/cgroup lines: the controller list, "name=x", or "" for v2. */
    public String procKey() {
        return name;
    }

    // Written out: the record's generated equals/hashCode bootstrap through invokedynamic, a
    // cost every CLI call would pay, and hierarchies are map keys. The name identifies one.
    @Override
    public boolean equals(Object o) {
        return o instanceof Hierarchy h && h.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** The directory name runc uses for this hierarchy under a container's /sys/fs/cgroup. */
    public String containerDirName() {
        return name.startsWith("name=") ? name.substring(5) : name;
    }
}
