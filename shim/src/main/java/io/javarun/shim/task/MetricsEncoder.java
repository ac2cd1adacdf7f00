package io.javarun.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.javarun.protos.cgroups.v1.CPUStat;
import io.javarun.protos.cgroups.v1.CPUUsage;
import io.javarun.protos.cgroups.v1.HugetlbStat;
import io.javarun.protos.cgroups.v1.MemoryEntry;
import io.javarun.protos.cgroups.v1.MemoryStat;
import io.javarun.protos.cgroups.v1.Metrics;
import io.javarun.protos.cgroups.v1.PidsStat;
import io.javarun.protos.cgroups.v1.Throttle;
import java.util.List;
import java.util.Map;

/**
 * runtime-core's stats (runc's JSON shape: cpu, memory with raw memory.stat, pids, hugetlb) as
 * containerd's Metrics, the type CRI reads: io.containerd.cgroups.v1.Metrics on a v1 host, v2's
 * on a unified one (memory.stat's own key names there).
 */
final class MetricsEncoder {
    static final String V1 = "io.containerd.cgroups.v1.Metrics";
    static final String V2 = "io.containerd.cgroups.v2.Metrics";

    /** memory.stat names whose Metrics field is spelled differently. */
    private static final Map<String, String> V1_RENAMES = Map.of(
            "pgpgin", "pg_pg_in", "pgpgout", "pg_pg_out", "pgfault", "pg_fault", "pgmajfault", "pg_maj_fault",
            "total_pgpgin", "total_pg_pg_in", "total_pgpgout", "total_pg_pg_out", "total_pgfault", "total_pg_fault",
            "total_pgmajfault", "total_pg_maj_fault", "hierarchical_memsw_limit", "hierarchical_swap_limit");

    private MetricsEncoder() {}

    static Any encode(Map<String, Object> event, boolean unified) {
        Map<String, Object> data = map(event.get("data"));
        return unified ? Any.newBuilder().setTypeUrl(V2).setValue(v2(data).toByteString()).build()
                : Any.newBuilder().setTypeUrl(V1).setValue(v1(data).toByteString()).build();
    }

    static Metrics v1(Map<String, Object> data) {
        Metrics.Builder m = Metrics.newBuilder();
        Map<String, Object> cpu = map(data.get("cpu"));
        Map<String, Object> usage = map(cpu.get("usage"));
        CPUUsage.Builder u = CPUUsage.newBuilder().setTotal(num(usage.get("total"))).setKernel(num(usage.get("kernel")))
                .setUser(num(usage.get("user")));
        for (Object v : list(usage.get("percpu"))) {
            u.addPerCpu(num(v));
        }
        Map<String, Object> thr = map(cpu.get("throttling"));
        m.setCpu(CPUStat.newBuilder().setUsage(u).setThrottling(Throttle.newBuilder()
                .setPeriods(num(thr.get("periods"))).setThrottledPeriods(num(thr.get("throttledPeriods")))
                .setThrottledTime(num(thr.get("throttledTime")))));
        Map<String, Object> mem = map(data.get("memory"));
        MemoryStat.Builder ms = MemoryStat.newBuilder();
        setByName(ms, map(mem.get("raw")), V1_RENAMES);
        ms.setUsage(entry(map(mem.get("usage")))).setSwap(entry(map(mem.get("swap"))))
                .setKernel(entry(map(mem.get("kernel")))).setKernelTcp(entry(map(mem.get("kernelTCP"))));
        m.setMemory(ms);
        Map<String, Object> pids = map(data.get("pids"));
        m.setPids(PidsStat.newBuilder().setCurrent(num(pids.get("current"))).setLimit(num(pids.get("limit"))));
        for (Map.Entry<String, Object> h : map(data.get("hugetlb")).entrySet()) {
            Map<String, Object> e = map(h.getValue());
            m.addHugetlb(HugetlbStat.newBuilder().setPagesize(h.getKey()).setUsage(num(e.get("usage")))
                    .setMax(num(e.get("max"))).setFailcnt(num(e.get("failcnt"))));
        }
        return m.build();
    }

    static io.javarun.protos.cgroups.v2.Metrics v2(Map<String, Object> data) {
        io.javarun.protos.cgroups.v2.Metrics.Builder m = io.javarun.protos.cgroups.v2.Metrics.newBuilder();
        Map<String, Object> cpu = map(data.get("cpu"));
        Map<String, Object> usage = map(cpu.get("usage"));
        Map<String, Object> thr = map(cpu.get("throttling"));
        m.setCpu(io.javarun.protos.cgroups.v2.CPUStat.newBuilder()
                .setUsageUsec(num(usage.get("total")) / 1000).setUserUsec(num(usage.get("user")) / 1000)
                .setSystemUsec(num(usage.get("kernel")) / 1000).setNrPeriods(num(thr.get("periods")))
                .setNrThrottled(num(thr.get("throttledPeriods"))).setThrottledUsec(num(thr.get("throttledTime")) / 1000));
        Map<String, Object> mem = map(data.get("memory"));
        io.javarun.protos.cgroups.v2.MemoryStat.Builder ms = io.javarun.protos.cgroups.v2.MemoryStat.newBuilder();
        setByName(ms, map(mem.get("raw")), Map.of());
        Map<String, Object> memUsage = map(mem.get("usage"));
        ms.setUsage(num(memUsage.get("usage"))).setUsageLimit(num(memUsage.get("limit")));
        // runtime-core reports swap as runc does, memory and swap together (v1's memsw): v2's
        // Metrics want swap alone.
        Map<String, Object> swap = map(mem.get("swap"));
        long swapLimit = num(swap.get("limit"));
        ms.setSwapUsage(Math.max(0, num(swap.get("usage")) - num(memUsage.get("usage"))))
                .setSwapLimit(swapLimit == -1 ? -1 : Math.max(0, swapLimit - num(memUsage.get("limit"))));
        m.setMemory(ms);
        Map<String, Object> pids = map(data.get("pids"));
        m.setPids(io.javarun.protos.cgroups.v2.PidsStat.newBuilder().setCurrent(num(pids.get("current")))
                .setLimit(num(pids.get("limit"))));
        return m.build();
    }

    private static MemoryEntry entry(Map<String, Object> e) {
        return MemoryEntry.newBuilder().setLimit(num(e.get("limit"))).setUsage(num(e.get("usage")))
                .setMax(num(e.get("max"))).setFailcnt(num(e.get("failcnt"))).build();
    }

    /** Sets each uint64 field named like a memory.stat key (after {@code renames}); unknown keys are skipped. */
    private static void setByName(Message.Builder b, Map<String, Object> raw, Map<String, String> renames) {
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String name = renames.getOrDefault(e.getKey(), e.getKey());
            FieldDescriptor f = b.getDescriptorForType().findFieldByName(name);
            if (f != null && f.getType() == FieldDescriptor.Type.UINT64 && !f.isRepeated()) {
                b.setField(f, num(e.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
