package io.javarun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.javarun.json.Json;
import io.javarun.json.JsonShapeException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerStateTest {
    @Test
    void roundTripsThroughJson() throws Exception {
        ContainerState s = new ContainerState("1.2.0", "c1", 42, 777L, "/b", "/b/rootfs", "2026-01-01T00:00:00Z", "",
                Map.of("a", "b"), new LinkedHashMap<>(Map.of("memory", "/sys/fs/cgroup/memory/c1")), Map.of());
        assertEquals(s, ContainerState.fromJson(Json.parse(Json.write(s.toJson()))));
    }

    /** Another runtime's state.json (runc's has no pid field) is refused by name, not with an NPE. */
    @Test
    void aStateWithoutPidIsRefusedClearly() throws Exception {
        Object runcLike = Json.parse("{\"id\":\"c1\",\"init_process_pid\":42}");
        JsonShapeException e = assertThrows(JsonShapeException.class, () -> ContainerState.fromJson(runcLike));
        assertEquals("pid", e.field());
    }
}
