package io.javarun.spec;

import io.javarun.json.JsonCursor;
import io.javarun.json.JsonShapeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a runtime-spec LinuxResources object ({@code linux.resources} of config.json, or the file
 * of {@code update --resources}) into {@link Resources}, with the field path in every error.
 * Types follow the runtime spec's Go types (int64 for memory sizes, uint64 for shares, uint16
 * for weights).
 */
public final class ResourcesParser {
    private static final long U16_MAX = 0xFFFFL;
    private static final long U32_MAX = 0xFFFF_FFFFL;

    private ResourcesParser() {}

    public static Resources parse(JsonCursor r) throws JsonShapeException, ConfigException {
        if (r.isNull()) {
            return Resources.NONE;
        }
        if (!(r.value() instanceof Map<?, ?> m) || m.isEmpty()) {
            r.members(); // an object is required: a wrong type fails here with the path
            return Resources.NONE;
        }
        List<LinuxSpec.DeviceRule> rules = new ArrayList<>();
        for (JsonCursor d : r.get("devices").elements()) {
            rules.add(new LinuxSpec.DeviceRule(d.get("allow").asBoolean(false), d.get("type").asString("a"),
                    d.get("major").asLong(-1, U32_MAX), d.get("minor").asLong(-1, U32_MAX),
                    d.get("access").asString("rwm")));
        }
        List<Resources.HugepageLimit> huge = new ArrayList<>();
        for (JsonCursor h : r.get("hugepageLimits").elements()) {
            huge.add(new Resources.HugepageLimit(h.get("pageSize").asString(), orZero(h.get("limit").asUnsigned64())));
        }
        return new Resources(rules, memory(r.get("memory")), cpu(r.get("cpu")), pids(r.get("pids")),
                blockIO(r.get("blockIO")), huge, network(r.get("network")), r.get("unified").asStringMap(),
                rdma(r.get("rdma")));
    }

    /** {@code rdma}: device name to limits, in the config's order. */
    private static Map<String, Resources.Rdma> rdma(JsonCursor r) throws JsonShapeException {
        if (r.isNull()) {
            return Map.of();
        }
        Map<String, Resources.Rdma> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonCursor> e : r.members().entrySet()) {
            JsonCursor d = e.getValue();
            out.put(e.getKey(), new Resources.Rdma(d.get("hcaHandles").asLong(0, U32_MAX),
                    d.get("hcaObjects").asLong(0, U32_MAX)));
        }
        return out;
    }

    private static Resources.Memory memory(JsonCursor m) throws JsonShapeException {
        if (m.isNull() || m.members().isEmpty()) {
            return null;
        }
        return new Resources.Memory(int64(m.get("limit")), int64(m.get("reservation")), int64(m.get("swap")),
                int64(m.get("kernel")), int64(m.get("kernelTCP")), m.get("swappiness").asUnsigned64(),
                bool(m.get("disableOOMKiller")), bool(m.get("useHierarchy")));
    }

    private static Resources.Cpu cpu(JsonCursor c) throws JsonShapeException {
        if (c.isNull() || c.members().isEmpty()) {
            return null;
        }
        return new Resources.Cpu(c.get("shares").asUnsigned64(), int64(c.get("quota")), c.get("period").asUnsigned64(),
                int64(c.get("realtimeRuntime")), c.get("realtimePeriod").asUnsigned64(), c.get("cpus").asString(""),
                c.get("mems").asString(""), int64(c.get("idle")));
    }

    private static Resources.Pids pids(JsonCursor p) throws JsonShapeException {
        if (p.isNull() || p.members().isEmpty()) {
            return null;
        }
        Long limit = int64(p.get("limit"));
        return new Resources.Pids(limit == null ? 0 : limit);
    }

    private static Resources.BlockIO blockIO(JsonCursor b) throws JsonShapeException {
        if (b.isNull() || b.members().isEmpty()) {
            return null;
        }
        List<Resources.WeightDevice> wd = new ArrayList<>();
        for (JsonCursor d : b.get("weightDevice").elements()) {
            wd.add(new Resources.WeightDevice(orZero(d.get("major").asLong(0, Long.MAX_VALUE)),
                    orZero(d.get("minor").asLong(0, Long.MAX_VALUE)), u16(d.get("weight")), u16(d.get("leafWeight"))));
        }
        return new Resources.BlockIO(u16(b.get("weight")), u16(b.get("leafWeight")), wd,
                throttles(b.get("throttleReadBpsDevice")), throttles(b.get("throttleWriteBpsDevice")),
                throttles(b.get("throttleReadIOPSDevice")), throttles(b.get("throttleWriteIOPSDevice")));
    }

    private static List<Resources.ThrottleDevice> throttles(JsonCursor list) throws JsonShapeException {
        List<Resources.ThrottleDevice> out = new ArrayList<>();
        for (JsonCursor d : list.elements()) {
            out.add(new Resources.ThrottleDevice(orZero(d.get("major").asLong(0, Long.MAX_VALUE)),
                    orZero(d.get("minor").asLong(0, Long.MAX_VALUE)), orZero(d.get("rate").asUnsigned64())));
        }
        return out;
    }

    private static Resources.Network network(JsonCursor n) throws JsonShapeException {
        if (n.isNull() || n.members().isEmpty()) {
            return null;
        }
        List<Resources.InterfacePriority> prios = new ArrayList<>();
        for (JsonCursor p : n.get("priorities").elements()) {
            prios.add(new Resources.InterfacePriority(p.get("name").asString(), orZero(p.get("priority").asLong(0, U32_MAX))));
        }
        return new Resources.Network(n.get("classID").asLong(0, U32_MAX), prios);
    }

    private static Long int64(JsonCursor c) throws JsonShapeException {
        return c.asLong(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static Integer u16(JsonCursor c) throws JsonShapeException {
        Long v = c.asLong(0, U16_MAX);
        return v == null ? null : v.intValue();
    }

    private static Boolean bool(JsonCursor c) throws JsonShapeException {
        return c.isNull() ? null : c.asBoolean(false);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
