package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * How the root is switched (pivot_root, or --no-pivot's move and chroot) and mount propagation:
 * linux.rootfsPropagation and the propagation options of bind mounts, seen in the container's
 * /proc/self/mountinfo and in whether mounts travel between host and container.
 *
 * <p>Propagation depends on the source mounts' own: so the bind sources here are mounts this test
 * makes on the host under its directory, one shared (a peer group of its own) and one private,
 * whatever the host's / is. Peer group numbers differ between runs; only the kinds of tags
 * (shared, master, unbindable, or none: private) are compared.
 */
class RootfsOptionsTest extends ItBase {
    private static final Path SLASH = Path.of("/");

    /** Prints mountinfo, then the entries of / and of /.. (one per line), separated by "---". */
    @BothRuntimes
    void noPivot(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh("cat /proc/self/mountinfo; echo ---; ls -a /; echo ---; ls -a /..");
        String id = h.newId("nopivot");
        Result r = h.run(b, id, "--no-pivot").ok();
        String[] parts = r.stdout().split("---\n");
        assertEquals(3, parts.length, r.toString());
        List<MountInfo> mounts = MountInfo.parse(parts[0]);

        MountInfo root = MountInfo.at(mounts, "/");
        assertTrue(root.root().endsWith("/rootfs") && b.rootfs().toString().endsWith(root.root()),
                "/ is the bundle's rootfs " + b.rootfs() + ": " + root);
        // Nothing of the host's mount table: only / and what the config mounts (masks are under /proc and /sys).
        List<String> destinations = new ArrayList<>();
        for (JsonNode m : b.mounts()) {
            destinations.add(m.get("destination").asText());
        }
        for (MountInfo m : mounts) {
            String p = m.mountPoint();
            assertTrue(p.equals("/") || destinations.stream().anyMatch(d -> p.equals(d) || p.startsWith(d + "/")),
                    "a mount the config does not make is visible: " + m + "\n" + parts[0]);
        }
        // / lists the rootfs, and /.. is / again: the host's root is out of reach.
        List<String> expected = new ArrayList<>(List.of(".", ".."));
        try (Stream<Path> s = Files.list(b.rootfs())) {
            s.forEach(p -> expected.add(p.getFileName().toString()));
        }
        assertEquals(new TreeSet<>(expected), new TreeSet<>(List.of(parts[1].strip().split("\n"))), "ls -a /: " + r);
        assertEquals(parts[1], parts[2], "ls -a /.. is ls -a /");
        h.assertNothingLeft(id, b);
    }

    // ---- propagation ----

    /** mount point -> the kinds of its propagation tags (shared, master, propagate_from, unbindable; none: private), topmost mount. */
    private static Map<String, Set<String>> propagation(String mountinfo) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String line : mountinfo.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            List<String> f = Arrays.asList(line.split(" "));
            Set<String> kinds = new TreeSet<>();
            for (String tag : f.subList(6, f.indexOf("-"))) {
                kinds.add(tag.contains(":") ? tag.substring(0, tag.indexOf(':')) : tag);
            }
            out.put(f.get(4), kinds);
        }
        return out;
    }

    private static void assertTags(Map<String, Set<String>> p, String mountPoint, String context, String... kinds) {
        assertTrue(p.containsKey(mountPoint), context + ": no mount at " + mountPoint + " in " + p);
        assertEquals(new TreeSet<>(List.of(kinds)), p.get(mountPoint), context + ": propagation of " + mountPoint + " in " + p);
    }

    /** A host directory bind-mounted on itself, made "shared" (in a peer group of its own) or "private". */
    private static Path hostMount(Harness h, String name, String propagation) {
        Path d = h.hostDir(name);
        Procs.run(SLASH, "mount", "--bind", d.toString(), d.toString());
        Procs.run(SLASH, "mount", "--make-private", d.toString());
        if (propagation.equals("shared")) {
            Procs.run(SLASH, "mount", "--make-shared", d.toString());
        }
        return d;
    }

    private static boolean mountedOnHost(Path p) {
        return Leftovers.mountsUnder(p).contains(p.toString());
    }

    private static void addCapability(Bundle b, String cap) {
        ObjectNode caps = (ObjectNode) b.process().get("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            caps.withArrayProperty(set).add(cap);
        }
    }

    /**
     * Creates a container from {@code b} with rootfsPropagation {@code rootProp} (null: not set,
     * runc's default rslave), mounts a tmpfs on the host at {@code shared}/sub once the container's
     * mounts are made, starts it and returns what it printed (its script ends with cat
     * /proc/self/mountinfo). The host's tmpfs is unmounted again.
     */
    private static String runWithHostMount(Harness h, Bundle b, String rootProp, Path shared) throws Exception {
        if (rootProp == null) {
            b.linux().remove("rootfsPropagation");
        } else {
            b.linux().put("rootfsPropagation", rootProp);
        }
        Path sub = shared.resolve("sub");
        Files.createDirectories(sub);
        String id = h.newId("prop");
        Result create = h.create(b, id).ok();
        Procs.run(SLASH, "mount", "-t", "tmpfs", "-o", "size=1m", "jr-host", sub.toString());
        try {
            h.start(id).ok();
            h.awaitStatus(id, "stopped");
        } finally {
            Procs.run(SLASH, "umount", sub.toString());
        }
        String out = create.stdoutNow();
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
        return out;
    }

    /**
     * rslave, rprivate and runbindable binds under each rootfsPropagation runc 1.1 runs with. A slave
     * bind of the shared source receives what the host mounts there later, unless the namespace's
     * copy of the source was made private first (rootfsPropagation rprivate; "private" is not
     * recursive and leaves it shared). A private source gives private binds whatever the option.
     */
    @BothRuntimes
    void slavePrivateAndUnbindableBinds(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path shared = hostMount(h, "shared", "shared");
        Path priv = hostMount(h, "private", "private");
        Bundle b = h.newBundle()
                .mount("/s-rslave", "bind", shared.toString(), "rbind", "rslave")
                .mount("/s-rprivate", "bind", shared.toString(), "rbind", "rprivate")
                .mount("/s-runbindable", "bind", shared.toString(), "rbind", "runbindable")
                .mount("/p-rslave", "bind", priv.toString(), "rbind", "rslave")
                .mount("/p-runbindable", "bind", priv.toString(), "rbind", "runbindable")
                .sh("cat /proc/self/mountinfo");
        for (String rootProp : Arrays.asList(null, "rslave", "private", "rprivate")) {
            String context = "rootfsPropagation " + rootProp;
            Map<String, Set<String>> p = propagation(runWithHostMount(h, b, rootProp, shared));
            if ("rprivate".equals(rootProp)) {
                assertTags(p, "/", context);
                assertTags(p, "/s-rslave", context);
                assertFalse(p.containsKey("/s-rslave/sub"), context + ": the host's later mount must not reach the container: " + p);
            } else {
                assertTags(p, "/s-rslave", context, "master");
                assertTags(p, "/s-rslave/sub", context, "master");
            }
            assertTags(p, "/s-rprivate", context);
            assertTags(p, "/s-runbindable", context, "unbindable");
            assertTags(p, "/p-rslave", context);
            assertTags(p, "/p-runbindable", context, "unbindable");
            for (String m : List.of("/s-rprivate/sub", "/s-runbindable/sub", "/p-rslave/sub")) {
                assertFalse(p.containsKey(m), context + ": the host's later mount must not reach " + m + ": " + p);
            }
        }
    }

    /**
     * An rshared bind is shared inside the container: with runc's default rootfsPropagation (rslave)
     * also a slave of the host's source (shared + master: host mounts come in, the container's stay
     * in); with "private" (not recursive) a peer of the host's source, so a mount the container makes
     * there shows on the host too; with rprivate a peer group of its own.
     */
    @BothRuntimes
    void rsharedBinds(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path shared = hostMount(h, "shared", "shared");
        Path priv = hostMount(h, "private", "private");
        Path fromContainer = shared.resolve("fromct");
        Bundle b = h.newBundle()
                .mount("/s-rshared", "bind", shared.toString(), "rbind", "rshared")
                .mount("/p-rshared", "bind", priv.toString(), "rbind", "rshared")
                .sh("mkdir -p /s-rshared/fromct && mount -t tmpfs -o size=1m jr-ct /s-rshared/fromct && cat /proc/self/mountinfo");
        addCapability(b, "CAP_SYS_ADMIN");
        for (String rootProp : Arrays.asList(null, "private", "rprivate")) {
            String context = "rootfsPropagation " + rootProp;
            Map<String, Set<String>> p = propagation(runWithHostMount(h, b, rootProp, shared));
            boolean reachesHost = mountedOnHost(fromContainer);
            if (reachesHost) {
                Procs.run(SLASH, "umount", fromContainer.toString());
            }
            assertTags(p, "/p-rshared", context, "shared");
            assertTags(p, "/s-rshared/fromct", context, "shared");
            if (rootProp == null) {
                assertTags(p, "/s-rshared", context, "master", "shared");
                assertTags(p, "/s-rshared/sub", context, "master", "shared");
                assertFalse(reachesHost, context + ": a slave's mount must not reach the host");
            } else if (rootProp.equals("private")) {
                assertTags(p, "/s-rshared", context, "shared");
                assertTags(p, "/s-rshared/sub", context, "shared");
                assertTrue(reachesHost, context + ": the container's mount under the rshared bind reaches the host's " + fromContainer);
            } else {
                assertTags(p, "/s-rshared", context, "shared");
                assertFalse(p.containsKey("/s-rshared/sub"), context + ": " + p);
                assertFalse(reachesHost, context + ": the container's mount must not reach the host");
            }
        }
    }

    /**
     * rootfsPropagation shared / rshared (as Kubernetes' Bidirectional mount propagation asks): the
     * container runs, and a mount it makes under an rshared bind of a shared source shows on the host.
     * runc 1.1.5 keeps the container's / itself private (it makes the rootfs's parent mount private
     * before binding the rootfs, so that nothing of the set-up propagates out).
     */
    @BothRuntimes
    void sharedRootfsPropagation(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path shared = hostMount(h, "shared", "shared");
        Path fromContainer = shared.resolve("fromct");
        Bundle b = h.newBundle()
                .mount("/s-rshared", "bind", shared.toString(), "rbind", "rshared")
                .mount("/s-rslave", "bind", shared.toString(), "rbind", "rslave")
                .sh("mkdir -p /s-rshared/fromct && mount -t tmpfs -o size=1m jr-ct /s-rshared/fromct && cat /proc/self/mountinfo");
        addCapability(b, "CAP_SYS_ADMIN");
        for (String rootProp : List.of("shared", "rshared")) {
            String context = "rootfsPropagation " + rootProp;
            Map<String, Set<String>> p = propagation(runWithHostMount(h, b, rootProp, shared));
            boolean reachesHost = mountedOnHost(fromContainer);
            if (reachesHost) {
                Procs.run(SLASH, "umount", fromContainer.toString());
            }
            assertTags(p, "/s-rshared", context, "shared");
            assertTags(p, "/s-rshared/sub", context, "shared");
            assertTags(p, "/s-rslave", context, "master");
            assertTags(p, "/s-rslave/sub", context, "master");
            assertTrue(reachesHost, context + ": the container's mount under the rshared bind reaches the host's " + fromContainer);
        }
    }
}
