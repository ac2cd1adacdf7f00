package io.javarun.spec;

import java.util.List;
import java.util.Map;

/** The parts of an OCI runtime-spec config.json that javarun acts on. */
public record Spec(
        String ociVersion,
        ProcessSpec process,
        Root root,
        String hostname,
        String domainname,
        List<Mount> mounts,
        Hooks hooks,
        Map<String, String> annotations,
        LinuxSpec linux) {

    /** The same config with one more mount (after the config's own). */
    public Spec withMount(Mount m) {
        java.util.List<Mount> all = new java.util.ArrayList<>(mounts);
        all.add(m);
        return new Spec(ociVersion, process, root, hostname, domainname, all, hooks, annotations, linux);
    }

    /** The same config with entries added to process.env. */
    public Spec withProcessEnv(String... entries) {
        return new Spec(ociVersion, process.withEnv(entries), root, hostname, domainname, mounts, hooks,
                annotations, linux);
    }

    /**
     * The same config with relative bind-mount sources made absolute: the runtime spec takes them
     * relative to the bundle (runc joins them to it), never to the caller's working directory.
     */
    public Spec withBindSourcesIn(java.nio.file.Path bundle) {
        java.util.List<Mount> resolved = new java.util.ArrayList<>(mounts.size());
        for (Mount m : mounts) {
            boolean relative = m.isBind() && !m.source().isEmpty() && !m.source().startsWith("/");
            resolved.add(relative
                    ? new Mount(m.destination(), m.type(), bundle.resolve(m.source()).normalize().toString(), m.options())
                    : m);
        }
        return new Spec(ociVersion, process, root, hostname, domainname, resolved, hooks, annotations, linux);
    }
}
