package io.javarun.spec;

import java.util.List;
import java.util.Map;

/**
 * {@code linux.resources}: the cgroup limits of a container. A null member (or field) is "not set":
 * nothing is written for it, as runc writes nothing for its zero values.
 *
 * <p>{@code unified} is kept here and refused on a cgroup v1 host when the resources are applied,
 * as runc does.
 */
public record Resources(
        List<LinuxSpec.DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIO blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, String> unified,
        Map<String, Rdma> rdma) {

    /** No resources at all: what a config without linux.resources gets (no parsing, no writes). */
    public static final Resources NONE = new Resources(List.of(), null, null, null, null, List.of(), null, Map.of());

    /** Without rdma limits. */
    public Resources(List<LinuxSpec.DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIO blockIO,
            List<HugepageLimit> hugepageLimits, Network network, Map<String, String> unified) {
        this(devices, memory, cpu, pids, blockIO, hugepageLimits, network, unified, Map.of());
    }

    /** True when nothing but device rules is set: the common case, which writes no limit file. */
    public boolean onlyDevices() {
        return memory == null && cpu == null && pids == null && blockIO == null && hugepageLimits.isEmpty()
                && network == null && unified.isEmpty() && rdma.isEmpty();
    }

    /** {@code rdma.<device>}: HCA handle and object limits (uint32; null: not limited). */
    public record Rdma(Long hcaHandles, Long hcaObjects) {
    }

    /** {@code memory}: bytes, -1 = unlimited. kernel and kernelTCP are ignored with a warning, as runc 1.1 does. */
    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTCP, Long swappiness,
            Boolean disableOOMKiller, Boolean useHierarchy) {
    }

    /** {@code cpu}: shares, CFS quota/period (us), RT runtime/period (us), cpuset lists, idle. */
    public record Cpu(Long shares, Long quota, Long period, Long realtimeRuntime, Long realtimePeriod, String cpus,
            String mems, Long idle) {
    }

    /** {@code pids.limit}: 0 or less is "max". */
    public record Pids(long limit) {
    }

    /** {@code blockIO}: weights (10-1000) and per-device weights and throttles. */
    public record BlockIO(Integer weight, Integer leafWeight, List<WeightDevice> weightDevice,
            List<ThrottleDevice> throttleReadBpsDevice, List<ThrottleDevice> throttleWriteBpsDevice,
            List<ThrottleDevice> throttleReadIOPSDevice, List<ThrottleDevice> throttleWriteIOPSDevice) {
    }

    /** {@code blockIO.weightDevice[]}. */
    public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {
    }

    /** {@code blockIO.throttle*Device[]}: rate in bytes or operations per second. */
    public record ThrottleDevice(long major, long minor, long rate) {
    }

    /** {@code hugepageLimits[]}: pageSize as the kernel names it ("2MB", "1GB"). */
    public record HugepageLimit(String pageSize, long limit) {
    }

    /** {@code network}: net_cls class id and net_prio interface priorities. */
    public record Network(Long classID, List<InterfacePriority> priorities) {
    }

    /** {@code network.priorities[]}. */
    public record InterfacePriority(String name, long priority) {
    }
}
