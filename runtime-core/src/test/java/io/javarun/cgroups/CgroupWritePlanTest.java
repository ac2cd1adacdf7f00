package io.javarun.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.javarun.spec.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The v1 writes computed from resources: runc's files, values and order. */
class CgroupWritePlanTest {
    private static final long UNLIMITED = 9223372036854771712L;
    private static final CgroupWritePlan.Host HOST = new CgroupWritePlan.Host(true, UNLIMITED, "blkio.bfq.weight");

    private static Resources memory(Resources.Memory m) {
        return new Resources(List.of(), m, null, null, null, List.of(), null, Map.of());
    }

    private static Resources cpu(Resources.Cpu c) {
        return new Resources(List.of(), null, c, null, null, List.of(), null, Map.of());
    }

    private static List<String> plan(Resources r, CgroupWritePlan.Host host) throws CgroupException {
        List<String> out = new ArrayList<>();
        for (CgroupWritePlan.Write w : CgroupWritePlan.v1(r, host, "linux.resources").writes()) {
            out.add(w.toString());
        }
        return out;
    }

    @Test
    void everyMemoryFileWithItsValue() throws Exception {
        CgroupWritePlan p = CgroupWritePlan.v1(memory(new Resources.Memory(67108864L, 33554432L, 134217728L, null, null,
                10L, true, true)), HOST, "linux.resources");
        assertEquals(List.of("memory/memory.limit_in_bytes=67108864", "memory/memory.memsw.limit_in_bytes=134217728",
                "memory/memory.soft_limit_in_bytes=33554432", "memory/memory.oom_control=1",
                "memory/memory.swappiness=10"), plan(p));
        assertEquals(List.of(), p.warnings());
    }

    private static List<String> plan(CgroupWritePlan p) {
        List<String> out = new ArrayList<>();
        for (CgroupWritePlan.Write w : p.writes()) {
            out.add(w.toString());
        }
        return out;
    }

    @Test
    void swapAboveTheCurrentLimitIsWrittenFirst() throws Exception {
        // Raising both above a current 32M limit: the limit may not exceed memsw in place.
        assertEquals(List.of("memory/memory.memsw.limit_in_bytes=268435456", "memory/memory.limit_in_bytes=134217728"),
                plan(memory(new Resources.Memory(134217728L, null, 268435456L, null, null, null, null, null)),
                        new CgroupWritePlan.Host(true, 33554432L, null)));
    }

    @Test
    void swapBelowTheCurrentLimitIsWrittenAfterTheLimit() throws Exception {
        // Lowering both under a current 256M limit: memsw may not go below the memory limit in place.
        assertEquals(List.of("memory/memory.limit_in_bytes=67108864", "memory/memory.memsw.limit_in_bytes=134217728"),
                plan(memory(new Resources.Memory(67108864L, null, 134217728L, null, null, null, null, null)),
                        new CgroupWritePlan.Host(true, 268435456L, null)));
    }

    @Test
    void unlimitedMemoryMakesSwapUnlimitedWhenSwapIsAccounted() throws Exception {
        Resources r = memory(new Resources.Memory(-1L, null, null, null, null, null, null, null));
        assertEquals(List.of("memory/memory.memsw.limit_in_bytes=-1", "memory/memory.limit_in_bytes=-1"), plan(r, HOST));
        assertEquals(List.of("memory/memory.limit_in_bytes=-1"),
                plan(r, new CgroupWritePlan.Host(false, UNLIMITED, null)));
    }

    @Test
    void kernelMemoryIsIgnoredWithRuncsWarning() throws Exception {
        CgroupWritePlan p = CgroupWritePlan.v1(memory(new Resources.Memory(null, null, null, 1048576L, 65536L, null,
                null, null)), HOST, "linux.resources");
        assertEquals(List.of(), plan(p));
        assertEquals(List.of("Kernel memory settings are ignored and will be removed"), p.warnings());
    }

    @Test
    void swappinessAbove100IsRefusedAsRuncDoes() {
        CgroupException e = assertThrows(CgroupException.class, () -> plan(memory(new Resources.Memory(null, null,
                null, null, null, 101L, null, null)), HOST));
        assertEquals("linux.resources.memory.swappiness: invalid memory swappiness value: 101 (valid range is 0-100)",
                e.getMessage());
    }

    @Test
    void cpuFilesInRuncsOrderRtPeriodBeforeRuntime() throws Exception {
        List<CgroupWritePlan.Write> w = CgroupWritePlan.v1(cpu(new Resources.Cpu(512L, 50000L, 100000L, 1000L,
                1000000L, "0", "0", null)), HOST, "linux.resources").writes();
        assertEquals("[cpuset/cpuset.cpus=0, cpuset/cpuset.mems=0, cpu/cpu.shares=512, cpu/cpu.cfs_period_us=100000,"
                + " cpu/cpu.cfs_quota_us=50000, cpu/cpu.rt_period_us=1000000, cpu/cpu.rt_runtime_us=1000]", w.toString());
        assertEquals(CgroupWritePlan.Kind.SHARES, w.get(2).kind());
        // A period the kernel refuses before the quota is in place is retried after it.
        assertEquals(CgroupWritePlan.Kind.PERIOD_RETRY, w.get(3).kind());
    }

    @Test
    void periodAloneIsAPlainWriteAndZerosWriteNothing() throws Exception {
        List<CgroupWritePlan.Write> w = CgroupWritePlan.v1(cpu(new Resources.Cpu(0L, 0L, 50000L, 0L, 0L, "", "", null)),
                HOST, "linux.resources").writes();
        assertEquals(List.of(new CgroupWritePlan.Write("cpu", "cpu.cfs_period_us", "50000", CgroupWritePlan.Kind.PLAIN)), w);
    }

    @Test
    void pidsLimitAndMax() throws Exception {
        assertEquals(List.of("pids/pids.max=100"), plan(new Resources(List.of(), null, null, new Resources.Pids(100), null,
                List.of(), null, Map.of()), HOST));
        assertEquals(List.of("pids/pids.max=max"), plan(new Resources(List.of(), null, null, new Resources.Pids(-1), null,
                List.of(), null, Map.of()), HOST));
        assertEquals(List.of(), plan(new Resources(List.of(), null, null, new Resources.Pids(0), null,
                List.of(), null, Map.of()), HOST));
    }

    @Test
    void blockIOUsesTheWeightFileTheHostHas() throws Exception {
        Resources r = new Resources(List.of(), null, null, null, new Resources.BlockIO(300, null,
                List.of(new Resources.WeightDevice(8, 0, 500, null)), List.of(new Resources.ThrottleDevice(8, 0, 1048576)),
                List.of(), List.of(), List.of(new Resources.ThrottleDevice(8, 16, 100))), List.of(), null, Map.of());
        assertEquals(List.of("blkio/blkio.bfq.weight=300", "blkio/blkio.bfq.weight_device=8:0 500",
                "blkio/blkio.throttle.read_bps_device=8:0 1048576", "blkio/blkio.throttle.write_iops_device=8:16 100"),
                plan(r, HOST));
        assertEquals("blkio/blkio.weight=300", plan(r, new CgroupWritePlan.Host(true, UNLIMITED, "blkio.weight")).get(0));
        CgroupException e = assertThrows(CgroupException.class,
                () -> plan(r, new CgroupWritePlan.Host(true, UNLIMITED, null)));
        assertEquals(true, e.getMessage().startsWith("linux.resources.blockIO: weights need blkio.weight"), e.getMessage());
    }

    @Test
    void hugetlbAndNetwork() throws Exception {
        Resources r = new Resources(List.of(), null, null, null, null, List.of(new Resources.HugepageLimit("2MB", 4194304)),
                new Resources.Network(1048577L, List.of(new Resources.InterfacePriority("eth0", 5))), Map.of());
        assertEquals(List.of("hugetlb/hugetlb.2MB.limit_in_bytes=4194304", "net_cls/net_cls.classid=1048577",
                "net_prio/net_prio.ifpriomap=eth0 5"), plan(r, HOST));
    }

    @Test
    void unifiedIsRefusedOnV1AsRuncDoes() {
        Resources r = new Resources(List.of(), null, null, null, null, List.of(), null, Map.of("memory.max", "1"));
        assertEquals("linux.resources.unified: cannot use unified on cgroup v1",
                assertThrows(CgroupException.class, () -> plan(r, HOST)).getMessage());
    }
}
