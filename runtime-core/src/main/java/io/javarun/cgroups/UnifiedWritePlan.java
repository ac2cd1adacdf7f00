package io.javarun.cgroups;

import io.javarun.spec.Resources;
import java.util.List;
import java.util.Map;

/**
 * The cgroup v2 (unified) writes for a container's resources, with runc's fs2 conversions and
 * order: pids, memory, io, cpu, cpuset, hugetlb, rdma, then {@code unified} verbatim (last, so that
 * it can override what the other fields set). Every write goes to the container's one directory
 * (controller ""). Device rules are not files on v2: {@link io.javarun.cgroups.devices.DeviceFilter}.
 */
public final class UnifiedWritePlan {
    /** v1's "unlimited" swap is memory+swap -1; v2 writes "max". */
    private static final String MAX = "max";

    private UnifiedWritePlan() {}

    /**
     * Facts of the host's cgroup v2 files that decide what is written.
     *
     * @param swapFile memory.swap.max exists (swap accounting is on)
     * @param bfqWeight io.bfq.weight exists (the BFQ scheduler is loaded): weights go there as they are
     * @param bfqDeviceWeights io.bfq.weight takes "major:minor weight" lines (kernel 5.4 and later)
     */
    public record Host(boolean swapFile, boolean bfqWeight, boolean bfqDeviceWeights) {
    }

    /** The v2 plan; {@code field} prefixes errors ("linux.resources" or the update's source). */
    public static CgroupWritePlan of(Resources r, Host host, String field) throws CgroupException {
        CgroupWritePlan p = new CgroupWritePlan();
        if (r.pids() != null) {
            String v = limit(r.pids().limit());
            if (v != null) {
                p.add("", "pids.max", v);
            }
        }
        if (r.memory() != null) {
            memory(p, r.memory(), host, field);
        }
        if (r.blockIO() != null) {
            io(p, r.blockIO(), host, field);
        }
        Resources.Cpu cpu = r.cpu();
        if (cpu != null) {
            cpu(p, cpu, field);
            if (!cpu.cpus().isEmpty()) {
                p.add("", "cpuset.cpus", cpu.cpus());
            }
            if (!cpu.mems().isEmpty()) {
                p.add("", "cpuset.mems", cpu.mems());
            }
        }
        for (Resources.HugepageLimit h : r.hugepageLimits()) {
            p.add("", "hugetlb." + h.pageSize() + ".max", Long.toUnsignedString(h.limit()));
        }
        p.rdma("", r);
        if (r.network() != null && ((r.network().classID() != null && r.network().classID() != 0)
                || !r.network().priorities().isEmpty())) {
            p.warnings().add(field + ".network: ignored: cgroup v2 has no net_cls or net_prio controller");
        }
        for (Map.Entry<String, String> e : r.unified().entrySet()) {
            String file = e.getKey();
            // One file of the container's own directory, never a path: a "/" or ".." could reach
            // another cgroup's files (runc refuses slashes for the same reason).
            if (file.indexOf('/') >= 0 || file.isEmpty() || file.equals(".") || file.equals("..")) {
                throw new CgroupException(field + ".unified: unified resource \"" + file
                        + "\" must be a file name (no slashes)");
            }
            p.writes().add(new CgroupWritePlan.Write("", file, e.getValue(), CgroupWritePlan.Kind.UNIFIED));
        }
        return p;
    }

    /** runc's numToStr: 0 is "not set" (null), -1 "max", anything else the number. */
    private static String limit(long v) {
        if (v == 0) {
            return null;
        }
        return v == -1 ? MAX : Long.toString(v);
    }

    private static void memory(CgroupWritePlan p, Resources.Memory m, Host host, String field) throws CgroupException {
        long limit = CgroupWritePlan.orZero(m.limit());
        long swap = CgroupWritePlan.orZero(m.swap());
        long reservation = CgroupWritePlan.orZero(m.reservation());
        if (limit != 0 || swap != 0 || reservation != 0) {
            long v2swap = swapValue(swap, limit, field);
            String swapText = limit(v2swap);
            if (swapText == null && v2swap == 0 && swap > 0) {
                swapText = "0"; // memory and memory+swap equal: no swap at all
            }
            // Without swap accounting there is no file; "max" and "0" then ask for what is already so.
            if (swapText != null && (host.swapFile() || !(swapText.equals(MAX) || swapText.equals("0")))) {
                p.add("", "memory.swap.max", swapText);
            }
            String max = limit(limit);
            if (max != null) {
                p.add("", "memory.max", max);
            }
            String low = limit(reservation);
            if (low != null) {
                p.add("", "memory.low", low);
            }
        }
        if (m.kernel() != null || m.kernelTCP() != null) {
            p.warnings().add("Kernel memory settings are ignored and will be removed");
        }
        if (m.swappiness() != null) {
            p.warnings().add(field + ".memory.swappiness: ignored: cgroup v2 has no per-cgroup swappiness");
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            p.warnings().add(field + ".memory.disableOOMKiller: ignored: cgroup v2 cannot disable the OOM killer");
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            p.warnings().add(field + ".memory.useHierarchy: false is ignored: cgroup v2 always accounts hierarchically");
        }
    }

    /**
     * v1's memory+swap limit as v2's swap alone (runc's ConvertMemorySwapToCgroupV2Value): an
     * unlimited memory with no swap given is unlimited swap too; -1 and 0 stay as they are;
     * otherwise swap - limit, which needs a real limit not above it.
     */
    static long swapValue(long swap, long limit, String field) throws CgroupException {
        if (limit == -1 && swap == 0) {
            return -1;
        }
        if (swap == -1 || swap == 0) {
            return swap;
        }
        if (limit == 0 || limit == -1) {
            throw new CgroupException(field + ".memory.swap: unable to set swap limit without memory limit");
        }
        if (limit < 0) {
            throw new CgroupException(field + ".memory.limit: invalid memory value: " + limit);
        }
        if (swap < limit) {
            throw new CgroupException(field + ".memory.swap: memory+swap limit should be >= memory limit");
        }
        return swap - limit;
    }

    private static void io(CgroupWritePlan p, Resources.BlockIO b, Host host, String field) {
        if (b.weight() != null && b.weight() != 0) {
            if (host.bfqWeight()) {
                p.add("", "io.bfq.weight", Integer.toString(b.weight()));
            } else {
                p.add("", "io.weight", Long.toUnsignedString(ioWeight(b.weight())));
            }
        }
        for (Resources.WeightDevice wd : b.weightDevice()) {
            if (wd.weight() != null && wd.weight() != 0) {
                if (host.bfqDeviceWeights()) {
                    p.add("", "io.bfq.weight", wd.major() + ":" + wd.minor() + " " + wd.weight());
                } else {
                    p.warnings().add(field + ".blockIO.weightDevice: ignored: needs the BFQ I/O scheduler"
                            + " with per-device weights (io.bfq.weight)");
                }
            }
        }
        boolean leaf = b.leafWeight() != null && b.leafWeight() != 0;
        for (Resources.WeightDevice wd : b.weightDevice()) {
            leaf |= wd.leafWeight() != null && wd.leafWeight() != 0;
        }
        if (leaf) {
            p.warnings().add(field + ".blockIO.leafWeight: ignored: cgroup v2 has no leaf weights");
        }
        throttles(p, "rbps", b.throttleReadBpsDevice());
        throttles(p, "wbps", b.throttleWriteBpsDevice());
        throttles(p, "riops", b.throttleReadIOPSDevice());
        throttles(p, "wiops", b.throttleWriteIOPSDevice());
    }

    /** blkio weight (10-1000) to io.weight (1-10000), runc's ConvertBlkIOToIOWeightValue. */
    static long ioWeight(int blkioWeight) {
        if (blkioWeight == 0) {
            return 0;
        }
        // Go's uint64 arithmetic: a weight below 10 wraps around, as it does in runc.
        return 1 + Long.divideUnsigned(((long) blkioWeight - 10) * 9999, 990);
    }

    private static void throttles(CgroupWritePlan p, String key, List<Resources.ThrottleDevice> list) {
        for (Resources.ThrottleDevice t : list) {
            p.add("", "io.max", t.major() + ":" + t.minor() + " " + key + "=" + Long.toUnsignedString(t.rate()));
        }
    }

    private static void cpu(CgroupWritePlan p, Resources.Cpu c, String field) {
        if (c.idle() != null) {
            p.add("", "cpu.idle", Long.toString(c.idle()));
        }
        if (c.shares() != null && c.shares() != 0) {
            p.add("", "cpu.weight", Long.toUnsignedString(cpuWeight(c.shares())));
        }
        long quota = CgroupWritePlan.orZero(c.quota());
        long period = CgroupWritePlan.orZero(c.period());
        if (quota != 0 || period != 0) {
            // The kernel's default period when only a quota is given (cgroup-v2.rst: "max 100000").
            String text = (quota > 0 ? Long.toString(quota) : MAX) + " "
                    + Long.toUnsignedString(period == 0 ? 100000 : period);
            p.add("", "cpu.max", text);
        }
        if ((c.realtimeRuntime() != null && c.realtimeRuntime() != 0)
                || (c.realtimePeriod() != null && c.realtimePeriod() != 0)) {
            p.warnings().add(field + ".cpu.realtimeRuntime/realtimePeriod: ignored: cgroup v2 has no"
                    + " real-time group scheduling files");
        }
    }

    /**
     * cpu.shares (2-262144, default 1024) to cpu.weight (1-10000, default 100), runc's
     * ConvertCPUSharesToCgroupV2Value, with Go's unsigned wrap-around for shares below 2.
     */
    static long cpuWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + Long.divideUnsigned((shares - 2) * 9999, 262142);
    }
}
