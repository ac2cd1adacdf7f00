package io.javarun.shim.task;

import io.javarun.container.Containers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A task the shim serves: its init, its execs by id, and the rootfs mounts it made for it. */
final class ShimContainer {
    final String id;
    final Path bundle;
    /** runtime-core over the state root this task's options chose. */
    final Containers runtime;
    final ShimProcess init;
    final Map<String, ShimProcess> execs = new ConcurrentHashMap<>();
    /** Mount targets under bundle/rootfs, innermost last: unmounted in reverse at delete. */
    final List<Path> mounts;
    /** Whether the container has its own pid namespace: if not, its processes outlive the init. */
    final boolean ownPidNamespace;
    /** Whether its cgroup is on the unified (v2) hierarchy: Stats then answers with v2 Metrics. */
    final boolean unifiedCgroup;

    ShimContainer(String id, Path bundle, Containers runtime, ShimProcess init, List<Path> mounts, boolean ownPidNamespace,
            boolean unifiedCgroup) {
        this.id = id;
        this.bundle = bundle;
        this.runtime = runtime;
        this.init = init;
        this.mounts = mounts;
        this.ownPidNamespace = ownPidNamespace;
        this.unifiedCgroup = unifiedCgroup;
    }

    /** The init for "", else the exec; null if there is no such process. */
    ShimProcess process(String execId) {
        return execId.isEmpty() ? init : execs.get(execId);
    }
}
