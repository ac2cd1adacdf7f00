package io.javarun.shim.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShimFlagsTest {
    @Test
    void containerdsStartCommandLine() {
        ShimFlags f = ShimFlags.parse(new String[] {"-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock",
            "-publish-binary", "/usr/bin/containerd", "-id", "c1", "-debug", "start"});
        assertEquals("k8s.io", f.namespace());
        assertEquals("c1", f.id());
        assertEquals("/run/containerd/containerd.sock", f.address());
        assertTrue(f.debug());
        assertEquals("start", f.action());
        // Handed on to the daemon as they came (the action word is not part of them).
        assertEquals(List.of("-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock", "-publish-binary",
                "/usr/bin/containerd", "-id", "c1", "-debug"), f.raw());
    }

    @Test
    void goFlagSpellings() {
        ShimFlags f = ShimFlags.parse(new String[] {"--namespace=ns", "-id=x", "--bundle", "/b", "-debug=false", "delete"});
        assertEquals("ns", f.namespace());
        assertEquals("x", f.id());
        assertEquals("/b", f.bundle());
        assertEquals(false, f.debug());
        assertEquals("delete", f.action());
    }

    @Test
    void unknownAndIncompleteFlagsAreRefused() {
        assertEquals("flag provided but not defined: -bogus",
                assertThrows(IllegalArgumentException.class, () -> ShimFlags.parse(new String[] {"-bogus", "x", "start"}))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShimFlags.parse(new String[] {"-id"}));
    }

    /** containerd's own address rule: sha256 of address/namespace/group (checked with sha256sum). */
    @Test
    void socketAddressIsContainerds() {
        assertEquals(Path.of("/run/containerd/s/203e2a8bcc43faffc0cfc248beea84ee3e46e9902d1260ec12c34ce928a2ad92"),
                ShimSocket.path("/run/containerd/containerd.sock", "k8s.io", "sandbox1"));
    }

    @Test
    void groupIsTheRuncGroupThenTheSandboxThenTheId() {
        assertEquals("g", ShimSocket.group("c1", Map.of(ShimSocket.GROUP_ANNOTATION, "g",
                ShimSocket.SANDBOX_ANNOTATION, "s")));
        assertEquals("s", ShimSocket.group("c1", Map.of(ShimSocket.SANDBOX_ANNOTATION, "s")));
        assertEquals("c1", ShimSocket.group("c1", Map.of()));
        assertEquals("c1", ShimSocket.group("c1", null));
    }
}
