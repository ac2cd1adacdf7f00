package io.javarun.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.javarun.spec.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cgroup v2 writes computed from resources: runc's fs2 files, conversions and order. */
class UnifiedWritePlanTest {
    private static final UnifiedWritePlan.Host HOST = new UnifiedWritePlan.Host(true, false, false);

    private static Resources memory(Long limit, Long reservation, Long swap) {
        return new Resources(List.of(), new Resources.Memory(limit, reservation, swap, null, null, null, null, null),
                null, null, null, List.of(), null, Map.of());
    }

    private static Resources cpu(Long shares, Long quota, Long period, Long idle) {
        return new Resources(List.of(), null, new Resources.Cpu(shares, quota, period, null, null, "", "", idle),
                null, null, List.of(), null, Map.of());
    }

    private static Resources blockIO(Resources.BlockIO b) {
        return new Resources(List.of(), null, null, null, b, List.of(), null, Map.of());
    }

    private static List<String> plan(Resources r, UnifiedWritePlan.Host host) throws CgroupException {
        List<String> out = new ArrayList<>();
        for (CgroupWritePlan.Write w : UnifiedWritePlan.of(r, host, "linux.resources").writes()) {
            out.add(w.file() + "=" + w.value());
        }
        return out;
    }

    private static List<String> plan(Resources r) throws CgroupException {
        return plan(r, HOST);
    }

    @Test
    void memoryPlusSwapBecomesSwapAloneWrittenBeforeTheLimit() throws Exception {
        assertEquals(List.of("memory.swap.max=67108864", "memory.max=67108864", "memory.low=33554432"),
                plan(memory(67108864L, 33554432L, 134217728L)));
    }

    @Test
    void swapEqualToTheLimitMeansNoSwap() throws Exception {
        assertEquals(List.of("memory.swap.max=0", "memory.max=16777216"), plan(memory(16777216L, null, 16777216L)));
    }

    @Test
    void unlimitedMemoryWithoutSwapMakesSwapUnlimitedToo() throws Exception {
        assertEquals(List.of("memory.swap.max=max", "memory.max=max"), plan(memory(-1L, null, null)));
        assertEquals(List.of("memory.swap.max=max", "memory.max=33554432"), plan(memory(33554432L, null, -1L)));
        assertEquals(List.of("memory.max=33554432"), plan(memory(33554432L, null, null)));
    }

    @Test
    void withoutSwapAccountingMaxAndZeroAreNotWrittenButARealSwapLimitIs() throws Exception {
        UnifiedWritePlan.Host noSwap = new UnifiedWritePlan.Host(false, false, false);
        assertEquals(List.of("memory.max=max"), plan(memory(-1L, null, null), noSwap));
        assertEquals(List.of("memory.max=16777216"), plan(memory(16777216L, null, 16777216L), noSwap));
        assertEquals(List.of("memory.swap.max=1", "memory.max=16777216"), plan(memory(16777216L, null, 16777217L), noSwap));
    }

    @Test
    void impossibleSwapLimitsAreRefusedWithRuncsWords() {
        assertEquals("linux.resources.memory.swap: unable to set swap limit without memory limit",
                assertThrows(CgroupException.class, () -> plan(memory(null, null, 67108864L))).getMessage());
        assertEquals("linux.resources.memory.swap: memory+swap limit should be >= memory limit",
                assertThrows(CgroupException.class, () -> plan(memory(67108864L, null, 33554432L))).getMessage());
    }

    @Test
    void sharesBecomeWeightWithRuncsFormula() throws Exception {
        assertEquals(39, UnifiedWritePlan.cpuWeight(1024)); // 1 + 1022*9999/262142
        assertEquals(1, UnifiedWritePlan.cpuWeight(2));
        assertEquals(10000, UnifiedWritePlan.cpuWeight(262144));
        assertEquals(0, UnifiedWritePlan.cpuWeight(0));
        assertEquals(List.of("cpu.weight=79"), plan(cpu(2048L, null, null, null)));
    }

    @Test
    void quotaAndPeriodShareCpuMaxWithTheKernelsDefaultPeriod() throws Exception {
        assertEquals(List.of("cpu.max=50000 100000"), plan(cpu(null, 50000L, null, null)));
        assertEquals(List.of("cpu.max=25000 50000"), plan(cpu(null, 25000L, 50000L, null)));
        assertEquals(List.of("cpu.max=max 200000"), plan(cpu(null, null, 200000L, null)));
        assertEquals(List.of("cpu.max=max 100000"), plan(cpu(null, -1L, null, null)));
    }

    @Test
    void idleComesBeforeWeightAndMax() throws Exception {
        assertEquals(List.of("cpu.idle=1", "cpu.weight=39", "cpu.max=10000 100000"), plan(cpu(1024L, 10000L, null, 1L)));
        assertEquals(List.of("cpu.idle=0"), plan(cpu(null, null, null, 0L)));
    }

    @Test
    void blkioWeightBecomesIoWeightUnlessBfqIsThere() throws Exception {
        Resources.BlockIO b = new Resources.BlockIO(500, null, List.of(), List.of(), List.of(), List.of(), List.of());
        assertEquals(4950, UnifiedWritePlan.ioWeight(500)); // 1 + 490*9999/990
        assertEquals(1, UnifiedWritePlan.ioWeight(10));
        assertEquals(10000, UnifiedWritePlan.ioWeight(1000));
        assertEquals(List.of("io.weight=4950"), plan(blockIO(b)));
        assertEquals(List.of("io.bfq.weight=500"), plan(blockIO(b), new UnifiedWritePlan.Host(true, true, true)));
    }

    @Test
    void deviceWeightsNeedBfqAndThrottlesGoToIoMax() throws Exception {
        Resources.BlockIO b = new Resources.BlockIO(null, null, List.of(new Resources.WeightDevice(8, 0, 300, null)),
                List.of(new Resources.ThrottleDevice(8, 0, 1048576)), List.of(new Resources.ThrottleDevice(8, 0, 2097152)),
                List.of(new Resources.ThrottleDevice(8, 16, 100)), List.of(new Resources.ThrottleDevice(8, 16, 200)));
        assertEquals(List.of("io.bfq.weight=8:0 300", "io.max=8:0 rbps=1048576", "io.max=8:0 wbps=2097152",
                "io.max=8:16 riops=100", "io.max=8:16 wiops=200"), plan(blockIO(b), new UnifiedWritePlan.Host(true, true, true)));
        CgroupWritePlan noBfq = UnifiedWritePlan.of(blockIO(b), HOST, "linux.resources");
        assertEquals(4, noBfq.writes().size());
        assertEquals(1, noBfq.warnings().size());
    }

    @Test
    void everyResourceInRuncsOrderWithUnifiedLast() throws Exception {
        Map<String, String> unified = new LinkedHashMap<>();
        unified.put("memory.high", "50331648");
        unified.put("pids.max", "42");
        Map<String, Resources.Rdma> rdma = new LinkedHashMap<>();
        rdma.put("mlx5_1", new Resources.Rdma(3L, 10000L));
        rdma.put("mlx4_0", new Resources.Rdma(null, 7L));
        Resources r = new Resources(List.of(), new Resources.Memory(67108864L, null, null, null, null, null, null, null),
                new Resources.Cpu(512L, 20000L, 100000L, null, null, "0-1", "0", null), new Resources.Pids(100),
                new Resources.BlockIO(100, null, List.of(), List.of(), List.of(), List.of(), List.of()),
                List.of(new Resources.HugepageLimit("2MB", 4194304)), null, unified, rdma);
        assertEquals(List.of("pids.max=100", "memory.max=67108864", "io.weight=910", "cpu.weight=20",
                "cpu.max=20000 100000", "cpuset.cpus=0-1", "cpuset.mems=0", "hugetlb.2MB.max=4194304",
                "rdma.max=mlx5_1 hca_handle=3 hca_object=10000", "rdma.max=mlx4_0 hca_object=7",
                "memory.high=50331648", "pids.max=42"), plan(r));
        CgroupWritePlan p = UnifiedWritePlan.of(r, HOST, "linux.resources");
        assertEquals(CgroupWritePlan.Kind.UNIFIED, p.writes().get(p.writes().size() - 1).kind());
        assertEquals("", p.writes().get(0).controller());
    }

    @Test
    void pidsLimitMinusOneIsMaxAndZeroIsNotSet() throws Exception {
        assertEquals(List.of("pids.max=max"), plan(new Resources(List.of(), null, null, new Resources.Pids(-1), null,
                List.of(), null, Map.of())));
        assertEquals(List.of(), plan(new Resources(List.of(), null, null, new Resources.Pids(0), null, List.of(), null,
                Map.of())));
    }

    @Test
    void unifiedKeysMustNameAFileOfTheContainersOwnCgroup() {
        for (String key : new String[] {"../memory.max", "/sys/fs/cgroup/memory.max", "..", ".", ""}) {
            CgroupException e = assertThrows(CgroupException.class, () -> plan(new Resources(List.of(), null, null, null,
                    null, List.of(), null, Map.of(key, "1"))));
            assertEquals("linux.resources.unified: unified resource \"" + key + "\" must be a file name (no slashes)",
                    e.getMessage());
        }
    }

    @Test
    void whatV2CannotDoIsAWarningNotASilentSkip() throws Exception {
        Resources r = new Resources(List.of(), new Resources.Memory(null, null, null, 1L, null, 10L, true, false),
                new Resources.Cpu(null, null, null, 950000L, 1000000L, "", "", null), null, null, List.of(),
                new Resources.Network(7L, List.of()), Map.of());
        CgroupWritePlan p = UnifiedWritePlan.of(r, HOST, "linux.resources");
        assertEquals(List.of(), p.writes());
        assertEquals(List.of("Kernel memory settings are ignored and will be removed",
                "linux.resources.memory.swappiness: ignored: cgroup v2 has no per-cgroup swappiness",
                "linux.resources.memory.disableOOMKiller: ignored: cgroup v2 cannot disable the OOM killer",
                "linux.resources.memory.useHierarchy: false is ignored: cgroup v2 always accounts hierarchically",
                "linux.resources.cpu.realtimeRuntime/realtimePeriod: ignored: cgroup v2 has no real-time group"
                        + " scheduling files",
                "linux.resources.network: ignored: cgroup v2 has no net_cls or net_prio controller"), p.warnings());
    }

    @Test
    void rdmaOnV1GoesToTheRdmaController() throws Exception {
        Resources r = new Resources(List.of(), null, null, null, null, List.of(), null, Map.of(),
                Map.of("mlx5_1", new Resources.Rdma(3L, null)));
        List<String> out = new ArrayList<>();
        for (CgroupWritePlan.Write w : CgroupWritePlan.v1(r, new CgroupWritePlan.Host(true, 0, null), "linux.resources")
                .writes()) {
            out.add(w.toString());
        }
        assertEquals(List.of("rdma/rdma.max=mlx5_1 hca_handle=3"), out);
    }
}
