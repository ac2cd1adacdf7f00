package io.javarun.container;

import io.javarun.spec.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * runc's {@code exec --cgroup [CONTROLLER[,CONTROLLER...]:]PATH}: the new process goes into an
 * existing sub-cgroup of the container's, for the controllers named (all of them without a
 * prefix; on cgroup v2, where there is one hierarchy, only the plain form).
 */
final class ExecCgroups {
    private ExecCgroups() {}

    /** The container's cgroup directories with the requested sub-cgroups in place. */
    static Map<String, String> apply(Map<String, String> containerPaths, List<String> specs) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>(containerPaths);
        for (String spec : specs) {
            int colon = spec.indexOf(':');
            String controllers = colon < 0 ? null : spec.substring(0, colon);
            String sub = colon < 0 ? spec : spec.substring(colon + 1);
            Path rel = Path.of(sub).normalize();
            if (sub.isEmpty() || rel.isAbsolute() || rel.startsWith("..")) {
                throw new ConfigException("--cgroup " + spec + ": the path must be relative to the container's cgroup"
                        + " and stay below it");
            }
            boolean matched = false;
            for (Map.Entry<String, String> e : containerPaths.entrySet()) {
                if (controllers != null && !names(e.getKey(), controllers)) {
                    continue;
                }
                Path dir = Path.of(e.getValue()).resolve(rel);
                if (!Files.isDirectory(dir)) {
                    throw new ConfigException("--cgroup " + spec + ": " + dir + " does not exist (create it first)");
                }
                out.put(e.getKey(), dir.toString());
                matched = true;
            }
            if (!matched) {
                throw new ConfigException("--cgroup " + spec + ": the container has no cgroup for " + controllers);
            }
        }
        return out;
    }

    /** Whether hierarchy {@code hierarchy} ("cpu,cpuacct") holds one of {@code controllers} ("cpu,memory"). */
    private static boolean names(String hierarchy, String controllers) {
        for (String c : controllers.split(",")) {
            for (String h : hierarchy.split(",")) {
                if (h.equals(c) || h.equals("name=" + c)) {
                    return true;
                }
            }
        }
        return false;
    }
}
