package io.javarun.container;

import io.javarun.seccomp.SeccompHandOff;
import io.javarun.seccomp.SeccompProfile;
import io.javarun.state.ContainerState;
import io.javarun.state.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** A container's state as state and list show it: the stored state plus its current status. */
public record ContainerView(ContainerState state, Status status) {
    /** The pid shown to users: 0 once the container has stopped (runc does the same). */
    public int pid() {
        return status == Status.STOPPED ? 0 : state.pid();
    }

    /**
     * The runtime spec's state, as hooks get it on stdin (runc's field order; no pid once stopped).
     * The pid is the host's view, as the spec says, also for hooks run inside the container.
     */
    public Map<String, Object> toOciState() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", RuntimeVersion.SPEC);
        m.put("id", state.id());
        m.put("status", status.text());
        if (pid() > 0) {
            m.put("pid", (long) pid());
        }
        m.put("bundle", state.bundle());
        if (!state.annotations().isEmpty()) {
            m.put("annotations", new LinkedHashMap<>(state.annotations()));
        }
        return m;
    }

    /**
     * What takes the SECCOMP op's reports for process {@code pid} of this container: with a
     * listener, its agent gets runc's ContainerProcessState with this view's OCI state (built only
     * then: it costs reading the spec version's resource).
     */
    SeccompHandOff seccompHandOff(SeccompProfile p, int pid, Consumer<String> warnings) {
        String message = p.usesNotify()
                ? SeccompHandOff.processState(RuntimeVersion.SPEC, pid, p.listenerMetadata(), toOciState()) : "";
        return new SeccompHandOff(warnings, p.listenerPath(), message);
    }

    /**
     * runc's state JSON: the OCI state plus rootfs, created and owner. ociVersion is the version of
     * the runtime spec javarun implements (runc prints its own, not the config's).
     */
    public Map<String, Object> toJson(String owner) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", RuntimeVersion.SPEC);
        m.put("id", state.id());
        m.put("pid", (long) pid());
        m.put("status", status.text());
        m.put("bundle", state.bundle());
        m.put("rootfs", state.rootfs());
        m.put("created", state.created());
        if (!state.annotations().isEmpty()) {
            m.put("annotations", new LinkedHashMap<>(state.annotations()));
        }
        m.put("owner", owner);
        return m;
    }
}
