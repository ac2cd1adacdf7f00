package io.javarun.cgroups;

import io.javarun.spec.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * The cgroup file writes that set a container's resources. The v1 plan is made here, in runc's
 * (libcontainer/cgroups/fs) order and value formats: cpuset, memory, cpu, pids, blkio, hugetlb,
 * net_cls, net_prio, rdma; the v2 one by {@link UnifiedWritePlan}. Pure: computed from the
 * resources and a few facts about the host, then applied by {@link ContainerCgroups#applyResources}.
 */
public final class CgroupWritePlan {
    /** One write: the controller whose directory holds the file ("" for v2's one directory), the file, the value. */
    public record Write(String controller, String file, String value, Kind kind) {
        // Written out: the generated ones bootstrap through invokedynamic.
        @Override
        public String toString() {
            return controller + "/" + file + "=" + value;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Write w && w.controller.equals(controller) && w.file.equals(file)
                    && w.value.equals(value) && w.kind == kind;
        }

        @Override
        public int hashCode() {
            return file.hashCode() * 31 + value.hashCode();
        }
    }

    /**
     * How a failure is handled: PLAIN fails; SHARES is read back and compared (the kernel clamps);
     * PERIOD_RETRY may fail with EINVAL when a quota follows, and is written again after it;
     * MEMORY_LIMIT reports usage on EBUSY, as runc does; UNIFIED (a v2 {@code unified} key) says
     * which controller is missing when the file is absent or not writable.
     */
    public enum Kind { PLAIN, SHARES, PERIOD_RETRY, MEMORY_LIMIT, UNIFIED }

    /**
     * Facts of the host and of the cgroup as it is now.
     *
     * @param swapAccounting memory.memsw.limit_in_bytes exists
     * @param currentMemoryLimit memory.limit_in_bytes now (decides the limit/swap order)
     * @param blkioWeightFile "blkio.weight", "blkio.bfq.weight", or null when neither exists
     */
    public record Host(boolean swapAccounting, long currentMemoryLimit, String blkioWeightFile) {
    }

    private final List<Write> writes = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    CgroupWritePlan() {}

    public List<Write> writes() {
        return writes;
    }

    /** What is ignored, with runc's words where runc warns too. */
    public List<String> warnings() {
        return warnings;
    }

    /** The v1 plan; {@code field} prefixes errors ("linux.resources" or the update's source). */
    public static CgroupWritePlan v1(Resources r, Host host, String field) throws CgroupException {
        CgroupWritePlan p = new CgroupWritePlan();
        if (!r.unified().isEmpty()) {
            throw new CgroupException(field + ".unified: cannot use unified on cgroup v1");
        }
        Resources.Cpu cpu = r.cpu();
        if (cpu != null) {
            if (!cpu.cpus().isEmpty()) {
                p.add("cpuset", "cpuset.cpus", cpu.cpus());
            }
            if (!cpu.mems().isEmpty()) {
                p.add("cpuset", "cpuset.mems", cpu.mems());
            }
        }
        if (r.memory() != null) {
            p.memory(r.memory(), host, field);
        }
        if (cpu != null) {
            p.cpu(cpu);
        }
        if (r.pids() != null && r.pids().limit() != 0) {
            p.add("pids", "pids.max", r.pids().limit() > 0 ? Long.toString(r.pids().limit()) : "max");
        }
        if (r.blockIO() != null) {
            p.blockIO(r.blockIO(), host, field);
        }
        for (Resources.HugepageLimit h : r.hugepageLimits()) {
            p.add("hugetlb", "hugetlb." + h.pageSize() + ".limit_in_bytes", Long.toUnsignedString(h.limit()));
        }
        if (r.network() != null) {
            if (r.network().classID() != null && r.network().classID() != 0) {
                p.add("net_cls", "net_cls.classid", Long.toString(r.network().classID()));
            }
            for (Resources.InterfacePriority ip : r.network().priorities()) {
                p.add("net_prio", "net_prio.ifpriomap", ip.name() + " " + ip.priority());
            }
        }
        p.rdma("rdma", r);
        return p;
    }

    /** rdma.max, one write per device: "mlx5_1 hca_handle=3 hca_object=10000" (both versions). */
    void rdma(String controller, Resources r) {
        for (java.util.Map.Entry<String, Resources.Rdma> e : r.rdma().entrySet()) {
            StringBuilder v = new StringBuilder(e.getKey());
            if (e.getValue().hcaHandles() != null) {
                v.append(" hca_handle=").append(e.getValue().hcaHandles());
            }
            if (e.getValue().hcaObjects() != null) {
                v.append(" hca_object=").append(e.getValue().hcaObjects());
            }
            add(controller, "rdma.max", v.toString());
        }
    }

    private void memory(Resources.Memory m, Host host, String field) throws CgroupException {
        long limit = orZero(m.limit());
        long swap = orZero(m.swap());
        // runc's setMemoryAndSwap: an unlimited memory with no swap given makes swap unlimited too.
        if (limit == -1 && swap == 0 && host.swapAccounting()) {
            swap = -1;
        }
        boolean swapFirst = limit != 0 && swap != 0
                && (swap == -1 || Long.compareUnsigned(host.currentMemoryLimit(), swap) < 0);
        if (swapFirst) {
            addSwap(swap);
            addLimit(limit);
        } else {
            addLimit(limit);
            addSwap(swap);
        }
        if (m.kernel() != null || m.kernelTCP() != null) {
            warnings.add("Kernel memory settings are ignored and will be removed");
        }
        if (m.reservation() != null && m.reservation() != 0) {
            add("memory", "memory.soft_limit_in_bytes", Long.toString(m.reservation()));
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            add("memory", "memory.oom_control", "1");
        }
        if (m.swappiness() != null) {
            long s = m.swappiness();
            if (s < 0 || s > 100) {
                throw new CgroupException(field + ".memory.swappiness: invalid memory swappiness value: "
                        + Long.toUnsignedString(s) + " (valid range is 0-100)");
            }
            add("memory", "memory.swappiness", Long.toString(s));
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            warnings.add(field + ".memory.useHierarchy: false is ignored: this kernel always accounts hierarchically");
        }
    }

    private void addLimit(long limit) {
        if (limit != 0) {
            writes.add(new Write("memory", "memory.limit_in_bytes", Long.toString(limit), Kind.MEMORY_LIMIT));
        }
    }

    private void addSwap(long swap) {
        if (swap != 0) {
            add("memory", "memory.memsw.limit_in_bytes", Long.toString(swap));
        }
    }

    private void cpu(Resources.Cpu c) {
        if (c.shares() != null && c.shares() != 0) {
            writes.add(new Write("cpu", "cpu.shares", Long.toUnsignedString(c.shares()), Kind.SHARES));
        }
        long quota = orZero(c.quota());
        if (c.period() != null && c.period() != 0) {
            writes.add(new Write("cpu", "cpu.cfs_period_us", Long.toUnsignedString(c.period()),
                    quota != 0 ? Kind.PERIOD_RETRY : Kind.PLAIN));
        }
        if (quota != 0) {
            add("cpu", "cpu.cfs_quota_us", Long.toString(quota));
        }
        if (c.idle() != null) {
            add("cpu", "cpu.idle", Long.toString(c.idle()));
        }
        // Period first: a runtime is checked against the period in place.
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0) {
            add("cpu", "cpu.rt_period_us", Long.toUnsignedString(c.realtimePeriod()));
        }
        if (c.realtimeRuntime() != null && c.realtimeRuntime() != 0) {
            add("cpu", "cpu.rt_runtime_us", Long.toString(c.realtimeRuntime()));
        }
    }

    private void blockIO(Resources.BlockIO b, Host host, String field) throws CgroupException {
        boolean bfq = "blkio.bfq.weight".equals(host.blkioWeightFile());
        boolean needsWeight = (b.weight() != null && b.weight() != 0) || (b.leafWeight() != null && b.leafWeight() != 0)
                || !b.weightDevice().isEmpty();
        if (needsWeight && host.blkioWeightFile() == null) {
            throw new CgroupException(field + ".blockIO: weights need blkio.weight or blkio.bfq.weight,"
                    + " and this host's blkio controller has neither (no proportional I/O scheduler)");
        }
        if (b.weight() != null && b.weight() != 0) {
            add("blkio", host.blkioWeightFile(), Integer.toString(b.weight()));
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            add("blkio", "blkio.leaf_weight", Integer.toString(b.leafWeight()));
        }
        for (Resources.WeightDevice wd : b.weightDevice()) {
            String dev = wd.major() + ":" + wd.minor() + " ";
            if (wd.weight() != null && wd.weight() != 0) {
                add("blkio", bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", dev + wd.weight());
            }
            if (wd.leafWeight() != null && wd.leafWeight() != 0) {
                add("blkio", "blkio.leaf_weight_device", dev + wd.leafWeight());
            }
        }
        throttles("blkio.throttle.read_bps_device", b.throttleReadBpsDevice());
        throttles("blkio.throttle.write_bps_device", b.throttleWriteBpsDevice());
        throttles("blkio.throttle.read_iops_device", b.throttleReadIOPSDevice());
        throttles("blkio.throttle.write_iops_device", b.throttleWriteIOPSDevice());
    }

    private void throttles(String file, List<Resources.ThrottleDevice> list) {
        for (Resources.ThrottleDevice t : list) {
            add("blkio", file, t.major() + ":" + t.minor() + " " + Long.toUnsignedString(t.rate()));
        }
    }

    void add(String controller, String file, String value) {
        writes.add(new Write(controller, file, value, Kind.PLAIN));
    }

    static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
