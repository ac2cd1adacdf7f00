package io.javarun.cgroups;

import io.javarun.mount.ParentMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroup hierarchies this host has mounted, read from /proc/self/mountinfo, and the cgroups
 * the calling process is in, from /proc/self/cgroup.
 *
 * <p>On a hybrid host (v1 controllers plus a cgroup2 mount with no controllers, as this project's
 * development machines have) the v1 controllers are used and the cgroup2 hierarchy is joined
 * too, as runc does, so that tools reading it see the container.
 */
public final class CgroupLayout {
    private final List<Hierarchy> hierarchies;
    private final Map<String, String> callerPaths;

    CgroupLayout(List<Hierarchy> hierarchies, Map<String, String> callerPaths) {
        this.hierarchies = hierarchies;
        this.callerPaths = callerPaths;
    }

    public static CgroupLayout detect() throws IOException {
        return parse(Files.readString(Path.of("/proc/self/mountinfo")), Files.readString(Path.of("/proc/self/cgroup")));
    }

    /** Parses mountinfo and /proc/self/cgroup text (pure, for tests). */
    public static CgroupLayout parse(String mountinfo, String procCgroup) {
        List<Hierarchy> found = new ArrayList<>();
        List<String> seenNames = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            // 36 35 0:30 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String fstype = post[0];
            String root = ParentMount.unescape(pre[3]);
            Path mountPoint = Path.of(ParentMount.unescape(pre[4]));
            if (fstype.equals("cgroup2")) {
                if (!seenNames.contains("")) {
                    seenNames.add("");
                    found.add(new Hierarchy("", List.of(), mountPoint, root, true));
                }
            } else if (fstype.equals("cgroup")) {
                List<String> controllers = new ArrayList<>();
                String named = null;
                for (String opt : post[2].split(",")) {
                    if (opt.startsWith("name=")) {
                        named = opt;
                    } else if (KNOWN_V1.contains(opt)) {
                        controllers.add(opt);
                    }
                }
                String name = named != null ? named : String.join(",", controllers);
                if (!name.isEmpty() && !seenNames.contains(name)) {
                    seenNames.add(name);
                    found.add(new Hierarchy(name, controllers, mountPoint, root, false));
                }
            }
        }
        Map<String, String> caller = new HashMap<>();
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3) {
                caller.put(f[1], f[2]);
            }
        }
        return new CgroupLayout(found, caller);
    }

    private static final List<String> KNOWN_V1 = Arrays.asList("cpuset", "cpu", "cpuacct", "blkio", "memory",
            "devices", "freezer", "net_cls", "net_prio", "perf_event", "hugetlb", "pids", "rdma", "misc");

    /** True when v1 controllers are mounted: they are used even if an (empty) cgroup2 exists. */
    public boolean isV1() {
        for (Hierarchy h : hierarchies) {
            if (!h.v2()) {
                return true;
            }
        }
        return false;
    }

    public List<Hierarchy> hierarchies() {
        return hierarchies;
    }

    /** The caller's cgroup in that hierarchy ("/" when /proc/self/cgroup does not list it). */
    public String callerPath(Hierarchy h) {
        return callerPaths.getOrDefault(h.procKey(), "/");
    }

}
