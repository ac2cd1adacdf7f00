package io.javarun.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config.json `spec` writes: runc's template (libcontainer/specconv.Example), field for field
 * and in the same order, with /proc/timer_list among the masked paths and, as runc does, a cgroup
 * namespace only on a cgroup v2 host. The rootless variant is
 * runc's ToRootless: user namespace with the caller's ids mapped, no network namespace, /sys
 * bind-mounted, no gid= options on devpts/mqueue.
 */
public final class DefaultSpec {
    private DefaultSpec() {}

    public static Map<String, Object> create(String ociVersion, boolean rootless, long uid, long gid,
            boolean cgroupNamespace) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", ociVersion);
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("terminal", true);
        process.put("user", map("uid", 0L, "gid", 0L));
        process.put("args", list("sh"));
        process.put("env", list("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"));
        process.put("cwd", "/");
        List<Object> caps = list("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");
        process.put("capabilities", map("bounding", caps, "effective", new ArrayList<>(caps),
                "permitted", new ArrayList<>(caps), "ambient", new ArrayList<>(caps)));
        process.put("rlimits", list(map("type", "RLIMIT_NOFILE", "hard", 1024L, "soft", 1024L)));
        process.put("noNewPrivileges", true);
        spec.put("process", process);
        spec.put("root", map("path", "rootfs", "readonly", true));
        spec.put("hostname", "runc");
        List<Object> mounts = list(
                mount("/proc", "proc", "proc", null),
                mount("/dev", "tmpfs", "tmpfs", list("nosuid", "strictatime", "mode=755", "size=65536k")),
                mount("/dev/pts", "devpts", "devpts", rootless
                        ? list("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")
                        : list("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                mount("/dev/shm", "tmpfs", "shm", list("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
                mount("/dev/mqueue", "mqueue", "mqueue", list("nosuid", "noexec", "nodev")),
                rootless
                        ? mount("/sys", "none", "/sys", list("rbind", "nosuid", "noexec", "nodev", "ro"))
                        : mount("/sys", "sysfs", "sysfs", list("nosuid", "noexec", "nodev", "ro")),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", list("nosuid", "noexec", "nodev", "relatime", "ro")));
        spec.put("mounts", mounts);
        Map<String, Object> linux = new LinkedHashMap<>();
        if (rootless) {
            linux.put("uidMappings", list(map("containerID", 0L, "hostID", uid, "size", 1L)));
            linux.put("gidMappings", list(map("containerID", 0L, "hostID", gid, "size", 1L)));
        } else {
            linux.put("resources", map("devices", list(map("allow", false, "access", "rwm"))));
        }
        List<Object> namespaces = list(map("type", "pid"));
        if (!rootless) {
            namespaces.add(map("type", "network"));
        }
        namespaces.add(map("type", "ipc"));
        namespaces.add(map("type", "uts"));
        namespaces.add(map("type", "mount"));
        if (cgroupNamespace) {
            namespaces.add(map("type", "cgroup"));
        }
        if (rootless) {
            namespaces.add(map("type", "user"));
        }
        linux.put("namespaces", namespaces);
        linux.put("maskedPaths", list("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
                "/sys/firmware", "/proc/scsi"));
        linux.put("readonlyPaths", list("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"));
        spec.put("linux", linux);
        return spec;
    }

    private static Map<String, Object> mount(String dest, String type, String source, List<Object> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        if (options != null) {
            m.put("options", options);
        }
        return m;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<Object> list(Object... items) {
        return new ArrayList<>(List.of(items));
    }
}
