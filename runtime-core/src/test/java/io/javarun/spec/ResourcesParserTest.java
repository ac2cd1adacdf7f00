package io.javarun.spec;

import static io.javarun.testing.Fixtures.list;
import static io.javarun.testing.Fixtures.map;
import static io.javarun.testing.Fixtures.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.testing.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcesParserTest {

    private static Resources parse(String key, Object value) throws ConfigException {
        Map<String, Object> doc = Fixtures.runcSpec();
        obj(doc, "linux", "resources").put(key, value);
        return Fixtures.spec(doc).linux().resources();
    }

    private static String refused(String key, Object value) {
        return assertThrows(ConfigException.class, () -> parse(key, value)).getMessage();
    }

    @Test
    void noResourcesIsTheSharedEmptyValue() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        obj(doc, "linux").remove("resources");
        assertSame(Resources.NONE, Fixtures.spec(doc).linux().resources());
        assertTrue(Resources.NONE.onlyDevices());
    }

    @Test
    void runcTemplateHasOnlyItsDenyAllDeviceRule() throws Exception {
        Resources r = Fixtures.spec(Fixtures.runcSpec()).linux().resources();
        assertTrue(r.onlyDevices());
        assertEquals(List.of(new LinuxSpec.DeviceRule(false, "a", null, null, "rwm")), r.devices());
    }

    @Test
    void memoryKeepsEveryField() throws Exception {
        Resources.Memory m = parse("memory", map("limit", 67108864L, "reservation", 33554432L, "swap", -1L,
                "kernel", 1L, "kernelTCP", 2L, "swappiness", 10L, "disableOOMKiller", true, "useHierarchy", false)).memory();
        assertEquals(new Resources.Memory(67108864L, 33554432L, -1L, 1L, 2L, 10L, true, false), m);
    }

    @Test
    void cpuKeepsEveryField() throws Exception {
        Resources.Cpu c = parse("cpu", map("shares", 512L, "quota", -1L, "period", 100000L, "realtimeRuntime", 1000L,
                "realtimePeriod", 1000000L, "cpus", "0-1", "mems", "0", "idle", 1L)).cpu();
        assertEquals(new Resources.Cpu(512L, -1L, 100000L, 1000L, 1000000L, "0-1", "0", 1L), c);
    }

    @Test
    void blockIOHugepagesNetworkPidsAndUnified() throws Exception {
        Map<String, Object> doc = Fixtures.runcSpec();
        Map<String, Object> res = obj(doc, "linux", "resources");
        res.put("blockIO", map("weight", 300L, "leafWeight", 200L,
                "weightDevice", list(map("major", 8L, "minor", 0L, "weight", 500L)),
                "throttleReadBpsDevice", list(map("major", 8L, "minor", 0L, "rate", 1048576L)),
                "throttleWriteIOPSDevice", list(map("major", 8L, "minor", 16L, "rate", 100L))));
        res.put("hugepageLimits", list(map("pageSize", "2MB", "limit", 2097152L)));
        res.put("network", map("classID", 1048577L, "priorities", list(map("name", "eth0", "priority", 5L))));
        res.put("pids", map("limit", 100L));
        res.put("unified", map("memory.max", "1000"));
        Resources r = Fixtures.spec(doc).linux().resources();
        assertEquals(new Resources.BlockIO(300, 200, List.of(new Resources.WeightDevice(8, 0, 500, null)),
                List.of(new Resources.ThrottleDevice(8, 0, 1048576)), List.of(), List.of(),
                List.of(new Resources.ThrottleDevice(8, 16, 100))), r.blockIO());
        assertEquals(List.of(new Resources.HugepageLimit("2MB", 2097152)), r.hugepageLimits());
        assertEquals(new Resources.Network(1048577L, List.of(new Resources.InterfacePriority("eth0", 5))), r.network());
        assertEquals(new Resources.Pids(100), r.pids());
        assertEquals(Map.of("memory.max", "1000"), r.unified());
    }

    @Test
    void emptyGroupsAreNotSet() throws Exception {
        assertNull(parse("memory", map()).memory());
        assertTrue(parse("cpu", null).onlyDevices());
    }

    @Test
    void wrongTypesNameTheField() {
        assertEquals("config.json: linux.resources.memory.limit: expected an integer, got string",
                refused("memory", map("limit", "64m")));
        assertEquals("config.json: linux.resources.cpu.shares: value -2 must not be negative",
                refused("cpu", map("shares", -2L)));
        assertEquals("config.json: linux.resources.blockIO.weight: value 70000 out of range [0, 65535]",
                refused("blockIO", map("weight", 70000L)));
        assertEquals("config.json: linux.resources.hugepageLimits[0].pageSize: is required",
                refused("hugepageLimits", list(map("limit", 1L))));
        assertEquals("config.json: linux.resources.pids: expected an object, got number", refused("pids", 5L));
    }

    @Test
    void rdmaLimitsPerDeviceInTheConfigsOrder() throws Exception {
        Resources r = parse("rdma", map("mlx5_1", map("hcaHandles", 3L), "mlx4_0", map("hcaObjects", 10000L)));
        assertEquals(List.of("mlx5_1", "mlx4_0"), List.copyOf(r.rdma().keySet()));
        assertEquals(new Resources.Rdma(3L, null), r.rdma().get("mlx5_1"));
        assertEquals(new Resources.Rdma(null, 10000L), r.rdma().get("mlx4_0"));
        assertEquals("config.json: linux.resources.rdma.mlx5_1.hcaHandles: value 4294967296 out of range [0, 4294967295]",
                refused("rdma", map("mlx5_1", map("hcaHandles", 4294967296L))));
    }
}
