package io.javarun.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceUpdateTest {

    @Test
    void ramInBytesAsGoUnits() {
        assertEquals(64L << 20, ResourceUpdate.ramInBytes("64m"));
        assertEquals(64L << 20, ResourceUpdate.ramInBytes("64MB"));
        assertEquals(64L << 20, ResourceUpdate.ramInBytes("64 MiB"));
        assertEquals(1536L << 20, ResourceUpdate.ramInBytes("1.5g"));
        assertEquals(1000, ResourceUpdate.ramInBytes("1000"));
        assertEquals(2048, ResourceUpdate.ramInBytes("2k"));
        for (String bad : new String[] {"32x", "", "m", "1.2.3m", "-5", "5 m b"}) {
            assertEquals("invalid size: '" + bad + "'",
                    assertThrows(IllegalArgumentException.class, () -> ResourceUpdate.ramInBytes(bad)).getMessage());
        }
    }

    @Test
    void flagsBecomeALinuxResourcesObject() {
        Map<String, String> flags = new HashMap<>();
        flags.put("memory", "32m");
        flags.put("memory-swap", "-1");
        flags.put("cpu-share", "300");
        flags.put("cpu-quota", "-1");
        flags.put("cpuset-cpus", "0");
        flags.put("pids-limit", "20");
        flags.put("blkio-weight", "0");
        assertEquals("{cpu={cpus=0, shares=300, quota=-1}, memory={limit=33554432, swap=-1}, pids={limit=20}}",
                ResourceUpdate.fromFlags(flags).toString());
    }

    @Test
    void badNumbersAreReportedAsRuncDoes() {
        assertEquals("invalid value for cpu-share: strconv.ParseUint: parsing \"abc\": invalid syntax",
                assertThrows(IllegalArgumentException.class, () -> ResourceUpdate.fromFlags(Map.of("cpu-share", "abc")))
                        .getMessage());
        assertEquals("invalid value for memory: invalid size: '32x'",
                assertThrows(IllegalArgumentException.class, () -> ResourceUpdate.fromFlags(Map.of("memory", "32x")))
                        .getMessage());
    }

    @Test
    void onlyWhatUpdateChangesIsKeptAndTheRestIsNamed() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("memory", new LinkedHashMap<>(Map.of("limit", 5L)));
        ((Map<String, Object>) doc.get("memory")).put("swappiness", 5L);
        doc.put("hugepageLimits", List.of(Map.of("pageSize", "2MB", "limit", 1L)));
        List<String> ignored = new ArrayList<>();
        assertEquals("{memory={limit=5}}", ResourceUpdate.updatable(doc, ignored).toString());
        assertEquals(List.of("memory.swappiness", "hugepageLimits"), ignored);
    }

    @Test
    void mergeReplacesNonZeroValuesAndKeepsTheRest() {
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> linux = new LinkedHashMap<>();
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("devices", List.of("rule"));
        res.put("memory", new LinkedHashMap<>(Map.of("limit", 64L)));
        res.put("pids", new LinkedHashMap<>(Map.of("limit", 10L)));
        linux.put("resources", res);
        config.put("linux", linux);
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("memory", new LinkedHashMap<>(Map.of("limit", 32L, "swap", 0L)));
        update.put("cpu", new LinkedHashMap<>(Map.of("shares", 300L)));
        Object merged = ResourceUpdate.mergeIntoConfig(config, update);
        assertEquals("{linux={resources={devices=[rule], memory={limit=32}, pids={limit=10}, cpu={shares=300}}}}",
                merged.toString());
        assertEquals("{linux={resources={devices=[rule], memory={limit=64}, pids={limit=10}}}}", config.toString(),
                "the original is not changed");
    }
}
