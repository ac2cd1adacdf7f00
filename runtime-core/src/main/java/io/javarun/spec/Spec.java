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
}
