package io.javarun.container;

import io.javarun.cgroups.ContainerCgroups;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code events --stats} from cgroup v2 files, in the shape runc's fs2 driver gives (the same JSON
 * as v1, {@link ContainerStats}): cpu from cpu.stat (microseconds as nanoseconds), memory from
 * memory.current/max/stat with swap reported as memory+swap as v1 did, pids, blkio from io.stat,
 * hugetlb from hugetlb.SIZE.current/events.
 */
final class UnifiedStats {
    /** "max" in a v2 file: Go's math.MaxUint64. */
    private static final long MAX = -1L;

    private UnifiedStats() {}

    static Map<String, Object> stats(ContainerCgroups cg) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cpu", cpu(cg));
        d.put("cpuset", ContainerStats.cpuset(cg));
        d.put("memory", memory(cg));
        Map<String, Object> pids = new LinkedHashMap<>();
        ContainerStats.putNonZero(pids, "current", value(cg, "pids.current"));
        long max = value(cg, "pids.max");
        ContainerStats.putNonZero(pids, "limit", max == MAX ? 0 : max); // runc: no limit is 0
        d.put("pids", pids);
        d.put("blkio", blkio(cg.readControl("", "io.stat")));
        d.put("hugetlb", hugetlb(cg));
        d.put("intel_rdt", new LinkedHashMap<>());
        d.put("network_interfaces", null);
        return d;
    }

    private static Map<String, Object> cpu(ContainerCgroups cg) {
        Map<String, Long> stat = ContainerStats.keyValues(cg.readControl("", "cpu.stat"));
        Map<String, Object> usage = new LinkedHashMap<>();
        ContainerStats.putNonZero(usage, "total", stat.getOrDefault("usage_usec", 0L) * 1000);
        usage.put("kernel", stat.getOrDefault("system_usec", 0L) * 1000);
        usage.put("user", stat.getOrDefault("user_usec", 0L) * 1000);
        Map<String, Object> throttling = new LinkedHashMap<>();
        ContainerStats.putNonZero(throttling, "periods", stat.getOrDefault("nr_periods", 0L));
        ContainerStats.putNonZero(throttling, "throttledPeriods", stat.getOrDefault("nr_throttled", 0L));
        ContainerStats.putNonZero(throttling, "throttledTime", stat.getOrDefault("throttled_usec", 0L) * 1000);
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("usage", usage);
        cpu.put("throttling", throttling);
        return cpu;
    }

    private static Map<String, Object> memory(ContainerCgroups cg) {
        Map<String, Long> raw = ContainerStats.keyValues(cg.readControl("", "memory.stat"));
        Map<String, Object> m = new LinkedHashMap<>();
        ContainerStats.putNonZero(m, "cache", raw.getOrDefault("file", 0L));
        long usage = value(cg, "memory.current");
        long limit = value(cg, "memory.max");
        m.put("usage", entry(limit, usage));
        long swapUsage = value(cg, "memory.swap.current");
        long swapLimit = value(cg, "memory.swap.max");
        // v1 reported memory+swap: so does runc on v2 (with Go's uint64 wrap-around when only
        // the memory is unlimited).
        m.put("swap", entry(swapLimit == MAX ? MAX : swapLimit + limit, swapUsage + usage));
        m.put("kernel", entry(0, 0));
        m.put("kernelTCP", entry(0, 0));
        if (!raw.isEmpty()) {
            m.put("raw", new TreeMap<>(raw));
        }
        return m;
    }

    private static Map<String, Object> entry(long limit, long usage) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("limit", unsigned(limit));
        if (usage != 0) {
            e.put("usage", unsigned(usage));
        }
        e.put("failcnt", 0L);
        return e;
    }

    /** io.stat lines "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." as v1's two recursive tables. */
    static Map<String, Object> blkio(String ioStat) {
        List<Object> bytes = new ArrayList<>();
        List<Object> ios = new ArrayList<>();
        if (ioStat != null) {
            for (String line : ioStat.split("\n")) {
                String[] f = line.trim().split(" ");
                int colon = f[0].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                long major = ContainerStats.num(f[0].substring(0, colon));
                long minor = ContainerStats.num(f[0].substring(colon + 1));
                for (int i = 1; i < f.length; i++) {
                    int eq = f[i].indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String key = f[i].substring(0, eq);
                    long v = ContainerStats.num(f[i].substring(eq + 1));
                    if (key.equals("rbytes") || key.equals("wbytes")) {
                        bytes.add(blkioEntry(major, minor, key.charAt(0) == 'r' ? "Read" : "Write", v));
                    } else if (key.equals("rios") || key.equals("wios")) {
                        ios.add(blkioEntry(major, minor, key.charAt(0) == 'r' ? "Read" : "Write", v));
                    }
                }
            }
        }
        Map<String, Object> b = new LinkedHashMap<>();
        if (!bytes.isEmpty()) {
            b.put("ioServiceBytesRecursive", bytes);
        }
        if (!ios.isEmpty()) {
            b.put("ioServicedRecursive", ios);
        }
        return b;
    }

    private static Map<String, Object> blkioEntry(long major, long minor, String op, long value) {
        Map<String, Object> e = new LinkedHashMap<>();
        ContainerStats.putNonZero(e, "major", major);
        ContainerStats.putNonZero(e, "minor", minor);
        e.put("op", op);
        ContainerStats.putNonZero(e, "value", value);
        return e;
    }

    /** Per page size: usage from hugetlb.SIZE.current, failcnt from the "max" count of hugetlb.SIZE.events. */
    private static Map<String, Object> hugetlb(ContainerCgroups cg) {
        Map<String, Object> h = new TreeMap<>(); // Go's JSON sorts map keys
        java.nio.file.Path dir = cg.dirs().get("");
        try (java.nio.file.DirectoryStream<java.nio.file.Path> ds
                = java.nio.file.Files.newDirectoryStream(dir, "hugetlb.*.current")) {
            for (java.nio.file.Path p : ds) {
                String name = p.getFileName().toString();
                String size = name.substring("hugetlb.".length(), name.length() - ".current".length());
                if (size.indexOf('.') >= 0) {
                    continue; // hugetlb.SIZE.rsvd.current
                }
                Map<String, Object> e = new LinkedHashMap<>();
                ContainerStats.putNonZero(e, "usage", value(cg, name));
                e.put("failcnt", ContainerStats.keyValues(cg.readControl("", "hugetlb." + size + ".events"))
                        .getOrDefault("max", 0L));
                h.put(size, e);
            }
        } catch (java.io.IOException e) {
            // No statistics for what cannot be listed.
        }
        return h;
    }

    /** A file's number, "max" as MaxUint64 (-1 in a long's bits), 0 when absent. */
    private static long value(ContainerCgroups cg, String file) {
        String v = cg.readControl("", file);
        return "max".equals(v) ? MAX : ContainerStats.num(v);
    }

    /** A uint64 for the JSON writer: above Long.MAX_VALUE as a BigInteger, as Go prints it. */
    private static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
    }
}
