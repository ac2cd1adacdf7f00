package io.javarun.container;

import io.javarun.cgroups.ContainerCgroups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's resource usage read from its cgroup v1 files, in the JSON shape of runc's
 * {@code events --stats} ({@code types.Stats}: cpu, cpuset, memory, pids, blkio, hugetlb), with
 * Go's omitempty rules where runc's struct tags have them. cgroup v2's files are read by
 * {@link UnifiedStats} into the same shape.
 */
public final class ContainerStats {
    private static final long CLOCK_TICKS = 100;
    private static final String[] BLKIO_KEYS = {
        "ioServiceBytesRecursive", "blkio.throttle.io_service_bytes_recursive",
        "ioServicedRecursive", "blkio.throttle.io_serviced_recursive",
    };

    private ContainerStats() {}

    /** The "stats" event: {"type":"stats","id":ID,"data":{...}}. */
    public static Map<String, Object> event(String id, ContainerCgroups cg) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("type", "stats");
        e.put("id", id);
        e.put("data", stats(cg));
        return e;
    }

    static Map<String, Object> stats(ContainerCgroups cg) {
        if (cg.isUnified()) {
            return UnifiedStats.stats(cg);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cpu", cpu(cg));
        d.put("cpuset", cpuset(cg));
        d.put("memory", memory(cg));
        Map<String, Object> pids = new LinkedHashMap<>();
        putNonZero(pids, "current", num(cg.readControl("pids", "pids.current")));
        String max = cg.readControl("pids", "pids.max");
        putNonZero(pids, "limit", max == null || max.equals("max") ? 0 : num(max));
        d.put("pids", pids);
        d.put("blkio", blkio(cg));
        d.put("hugetlb", hugetlb(cg));
        d.put("intel_rdt", new LinkedHashMap<>());
        d.put("network_interfaces", null);
        return d;
    }

    private static Map<String, Object> cpu(ContainerCgroups cg) {
        Map<String, Object> usage = new LinkedHashMap<>();
        putNonZero(usage, "total", num(cg.readControl("cpuacct", "cpuacct.usage")));
        putList(usage, "percpu", cg.readControl("cpuacct", "cpuacct.usage_percpu"));
        putList(usage, "percpu_kernel", cg.readControl("cpuacct", "cpuacct.usage_percpu_sys"));
        putList(usage, "percpu_user", cg.readControl("cpuacct", "cpuacct.usage_percpu_user"));
        Map<String, Long> stat = keyValues(cg.readControl("cpuacct", "cpuacct.stat"));
        usage.put("kernel", stat.getOrDefault("system", 0L) * 1_000_000_000L / CLOCK_TICKS);
        usage.put("user", stat.getOrDefault("user", 0L) * 1_000_000_000L / CLOCK_TICKS);
        Map<String, Object> throttling = new LinkedHashMap<>();
        Map<String, Long> cpuStat = keyValues(cg.readControl("cpu", "cpu.stat"));
        // runc's types.Throttling tags are camelCase, unlike the other fields.
        putNonZero(throttling, "periods", cpuStat.getOrDefault("nr_periods", 0L));
        putNonZero(throttling, "throttledPeriods", cpuStat.getOrDefault("nr_throttled", 0L));
        putNonZero(throttling, "throttledTime", cpuStat.getOrDefault("throttled_time", 0L));
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("usage", usage);
        cpu.put("throttling", throttling);
        return cpu;
    }

    static Map<String, Object> cpuset(ContainerCgroups cg) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Long> cpus = ranges(cg.readControl("cpuset", "cpuset.cpus"));
        if (!cpus.isEmpty()) {
            m.put("cpus", cpus);
        }
        m.put("cpu_exclusive", num(cg.readControl("cpuset", "cpuset.cpu_exclusive")));
        List<Long> mems = ranges(cg.readControl("cpuset", "cpuset.mems"));
        if (!mems.isEmpty()) {
            m.put("mems", mems);
        }
        String[] rest = {"mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page", "memory_spread_slab",
            "memory_pressure", "sched_load_balance", "sched_relax_domain_level"};
        for (String k : rest) {
            m.put(k, num(cg.readControl("cpuset", "cpuset." + k)));
        }
        return m;
    }

    private static Map<String, Object> memory(ContainerCgroups cg) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Long> raw = keyValues(cg.readControl("memory", "memory.stat"));
        putNonZero(m, "cache", raw.getOrDefault("cache", 0L));
        m.put("usage", memoryEntry(cg, "memory."));
        m.put("swap", memoryEntry(cg, "memory.memsw."));
        m.put("kernel", memoryEntry(cg, "memory.kmem."));
        m.put("kernelTCP", memoryEntry(cg, "memory.kmem.tcp."));
        if (!raw.isEmpty()) {
            m.put("raw", new java.util.TreeMap<>(raw));
        }
        return m;
    }

    private static Map<String, Object> memoryEntry(ContainerCgroups cg, String prefix) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("limit", num(cg.readControl("memory", prefix + "limit_in_bytes")));
        putNonZero(e, "usage", num(cg.readControl("memory", prefix + "usage_in_bytes")));
        putNonZero(e, "max", num(cg.readControl("memory", prefix + "max_usage_in_bytes")));
        e.put("failcnt", num(cg.readControl("memory", prefix + "failcnt")));
        return e;
    }

    private static Map<String, Object> blkio(ContainerCgroups cg) {
        Map<String, Object> b = new LinkedHashMap<>();
        for (int i = 0; i < BLKIO_KEYS.length; i += 2) {
            String text = cg.readControl("blkio", BLKIO_KEYS[i + 1]);
            List<Object> entries = new ArrayList<>();
            if (text != null) {
                for (String line : text.split("\n")) {
                    String[] f = line.trim().split(" ");
                    if (f.length != 3 || f[0].indexOf(':') < 0) {
                        continue; // the "Total N" line
                    }
                    Map<String, Object> entry = new LinkedHashMap<>();
                    String[] mm = f[0].split(":");
                    putNonZero(entry, "major", num(mm[0]));
                    putNonZero(entry, "minor", num(mm[1]));
                    entry.put("op", f[1]);
                    putNonZero(entry, "value", num(f[2]));
                    entries.add(entry);
                }
            }
            if (!entries.isEmpty()) {
                b.put(BLKIO_KEYS[i], entries);
            }
        }
        return b;
    }

    private static Map<String, Object> hugetlb(ContainerCgroups cg) {
        Map<String, Object> h = new LinkedHashMap<>();
        java.nio.file.Path dir = cg.controllerDir("hugetlb");
        if (dir == null) {
            return h;
        }
        try (java.nio.file.DirectoryStream<java.nio.file.Path> ds = java.nio.file.Files.newDirectoryStream(dir, "hugetlb.*.limit_in_bytes")) {
            for (java.nio.file.Path p : ds) {
                String name = p.getFileName().toString();
                String size = name.substring("hugetlb.".length(), name.length() - ".limit_in_bytes".length());
                Map<String, Object> e = new LinkedHashMap<>();
                putNonZero(e, "usage", num(cg.readControl("hugetlb", "hugetlb." + size + ".usage_in_bytes")));
                putNonZero(e, "max", num(cg.readControl("hugetlb", "hugetlb." + size + ".max_usage_in_bytes")));
                e.put("failcnt", num(cg.readControl("hugetlb", "hugetlb." + size + ".failcnt")));
                h.put(size, e);
            }
        } catch (java.io.IOException e) {
            // No statistics for what cannot be listed.
        }
        return h;
    }

    static void putNonZero(Map<String, Object> m, String key, long v) {
        if (v != 0) {
            m.put(key, v);
        }
    }

    private static void putList(Map<String, Object> m, String key, String text) {
        if (text == null || text.isBlank()) {
            return;
        }
        List<Long> out = new ArrayList<>();
        for (String f : text.trim().split("\\s+")) {
            out.add(num(f));
        }
        m.put(key, out);
    }

    /** A number from a cgroup file; unsigned 64-bit values above Long.MAX_VALUE keep their bits. */
    static long num(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(s.trim());
        } catch (NumberFormatException e) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e2) {
                return 0;
            }
        }
    }

    /** "key value" lines (memory.stat, cpu.stat, cpuacct.stat). */
    static Map<String, Long> keyValues(String text) {
        Map<String, Long> m = new LinkedHashMap<>();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                m.put(line.substring(0, sp), num(line.substring(sp + 1)));
            }
        }
        return m;
    }

    /** A cpuset list ("0-2,4") as its members. */
    static List<Long> ranges(String text) {
        List<Long> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.trim().split(",")) {
            int dash = part.indexOf('-');
            if (dash < 0) {
                out.add(Long.parseLong(part));
            } else {
                for (long i = Long.parseLong(part.substring(0, dash)); i <= Long.parseLong(part.substring(dash + 1)); i++) {
                    out.add(i);
                }
            }
        }
        return out;
    }
}
