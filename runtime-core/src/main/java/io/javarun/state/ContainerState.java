package io.javarun.state;

import io.javarun.json.JsonCursor;
import io.javarun.json.JsonShapeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What javarun keeps about a container in {@code <root>/<id>/state.json}: enough to answer
 * state/list, to signal the right process (pid plus its start time, so a reused pid is never
 * mistaken for the container) and to clean up (cgroup directories, the config for poststop hooks).
 *
 * @param pidStartTime field 22 of /proc/PID/stat when the init was created
 * @param cgroupPaths hierarchy name ("" for v2) to the container's cgroup directory
 * @param config config.json as it was at create time (parsed JSON value)
 */
public record ContainerState(
        String ociVersion,
        String id,
        int pid,
        long pidStartTime,
        String bundle,
        String rootfs,
        String created,
        String owner,
        Map<String, String> annotations,
        Map<String, String> cgroupPaths,
        Object config) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", ociVersion);
        m.put("id", id);
        m.put("pid", (long) pid);
        m.put("pidStartTime", pidStartTime);
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("created", created);
        m.put("owner", owner);
        m.put("annotations", new LinkedHashMap<>(annotations));
        m.put("cgroupPaths", new LinkedHashMap<>(cgroupPaths));
        m.put("config", config);
        return m;
    }

    private static Long required(Long v, String field) throws JsonShapeException {
        if (v == null) {
            throw new JsonShapeException(field, "is required (not a javarun state file?)");
        }
        return v;
    }

    public static ContainerState fromJson(Object json) throws JsonShapeException {
        JsonCursor c = JsonCursor.root(json);
        Map<String, String> cg = new LinkedHashMap<>(c.get("cgroupPaths").asStringMap());
        return new ContainerState(
                c.get("ociVersion").asString(""),
                c.get("id").asString(),
                required(c.get("pid").asLong(0, Integer.MAX_VALUE), "pid").intValue(),
                required(c.get("pidStartTime").asLong(0, Long.MAX_VALUE), "pidStartTime"),
                c.get("bundle").asString(""),
                c.get("rootfs").asString(""),
                c.get("created").asString(""),
                c.get("owner").asString(""),
                c.get("annotations").asStringMap(),
                cg,
                c.get("config").value());
    }
}
