package io.javarun.container;

import io.javarun.cgroups.CgroupException;
import io.javarun.cgroups.ContainerCgroups;
import io.javarun.json.JsonCursor;
import io.javarun.json.JsonShapeException;
import io.javarun.spec.ConfigException;
import io.javarun.spec.Resources;
import io.javarun.spec.ResourcesParser;
import io.javarun.spec.SpecParser;
import io.javarun.state.ContainerState;
import io.javarun.state.StateException;
import io.javarun.state.StateStore;
import io.javarun.state.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** pause, resume and update of a container's cgroups (called through {@link Containers}). */
final class ContainerResources {
    private ContainerResources() {}

    static void pause(String id, Status status, ContainerState s) throws OperationException {
        if (status != Status.RUNNING && status != Status.CREATED) {
            throw new OperationException("pause", id, "container not running");
        }
        try {
            ContainerCgroups.fromPaths(s.cgroupPaths()).freeze(true);
        } catch (CgroupException e) {
            throw new OperationException("pause", id, e.getMessage());
        }
    }

    static void resume(String id, Status status, ContainerState s) throws OperationException {
        if (status != Status.PAUSED) {
            throw new OperationException("resume", id, "container not paused");
        }
        try {
            ContainerCgroups.fromPaths(s.cgroupPaths()).freeze(false);
        } catch (CgroupException e) {
            throw new OperationException("resume", id, e.getMessage());
        }
    }

    /**
     * Applies {@code update} (a LinuxResources object; zero values leave a setting as it is) to
     * the container's cgroups, then records it in the stored config, so that later reads show it.
     */
    static void update(StateStore store, ContainerState s, Status status, Map<String, Object> update,
            Consumer<String> warnings) throws OperationException {
        final String op = "update";
        if (status == Status.STOPPED) {
            throw new OperationException(op, s.id(), "container not running");
        }
        List<String> ignored = new ArrayList<>();
        Map<String, Object> changes = ResourceUpdate.updatable(update, ignored);
        for (String field : ignored) {
            warnings.accept("update " + s.id() + ": " + field + ": not changed by update (as with runc)");
        }
        Resources r;
        try {
            r = ResourcesParser.parse(JsonCursor.root(changes));
        } catch (JsonShapeException e) {
            throw new OperationException(op, s.id(), e.getMessage());
        } catch (ConfigException e) {
            throw new OperationException(op, s.id(), e.getMessage());
        }
        if (r.memory() != null && (r.memory().kernel() != null || r.memory().kernelTCP() != null)) {
            boolean nonZero = (r.memory().kernel() != null && r.memory().kernel() != 0)
                    || (r.memory().kernelTCP() != null && r.memory().kernelTCP() != 0);
            if (!nonZero) {
                r = new Resources(r.devices(), new Resources.Memory(r.memory().limit(), r.memory().reservation(),
                        r.memory().swap(), null, null, null, null, null), r.cpu(), r.pids(), r.blockIO(),
                        r.hugepageLimits(), r.network(), r.unified());
            }
        }
        try {
            ContainerCgroups cg = ContainerCgroups.fromPaths(s.cgroupPaths());
            cg.applyResources(r, "resources", warnings);
            if (!cg.isV1()) {
                // As runc's update on cgroup v2: the device filter is loaded again from the
                // stored config and put in place of the attached one (BPF_F_REPLACE).
                cg.applyDeviceRules(ContainerCreator.deviceRules(SpecParser.fromJson(s.config())));
            }
        } catch (CgroupException e) {
            throw new OperationException(op, s.id(), e.getMessage());
        } catch (ConfigException e) {
            throw new OperationException(op, s.id(), "stored config: " + e.getMessage());
        }
        try {
            store.write(new ContainerState(s.ociVersion(), s.id(), s.pid(), s.pidStartTime(), s.bundle(), s.rootfs(),
                    s.created(), s.owner(), s.annotations(), s.cgroupPaths(),
                    ResourceUpdate.mergeIntoConfig(s.config(), changes)));
        } catch (StateException e) {
            throw new OperationException(op, s.id(), e.getMessage());
        }
    }
}
