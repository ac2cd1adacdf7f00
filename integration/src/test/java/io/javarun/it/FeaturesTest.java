package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `javarun features`: runc's JSON shape, true to this host and to what javarun accepts. */
class FeaturesTest extends ItBase {

    @Test
    void featuresMatchTheHostAndTheRuntime() throws Exception {
        Harness h = harness(Kind.JAVARUN);
        JsonNode f = Json.parse(h.exec("features").ok().stdout());
        String version = h.exec("--version").ok().stdout();
        assertTrue(version.contains("\nspec: " + f.get("ociVersionMax").asText() + "\n"), version);
        for (JsonNode ns : f.get("linux").get("namespaces")) {
            String proc = ns.asText().replace("mount", "mnt").replace("network", "net");
            assertTrue(Files.exists(Path.of("/proc/self/ns", proc)), "listed namespace missing on this host: " + ns);
        }
        int last = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0).trim());
        assertEquals(last + 1, f.get("linux").get("capabilities").size(), "every capability of this kernel");
        // runc's shape: the same top-level and linux keys.
        JsonNode runc = Json.parse(harness(Kind.RUNC).exec("features").ok().stdout());
        for (String key : List.of("ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations")) {
            assertTrue(f.has(key) && runc.has(key), key);
        }
        for (String key : List.of("namespaces", "capabilities", "cgroup", "seccomp", "apparmor", "selinux")) {
            assertTrue(f.get("linux").has(key), key);
        }
    }

    /** A mount option features lists is one a real create accepts. */
    @Test
    void aListedMountOptionIsAccepted() {
        Harness h = harness(Kind.JAVARUN);
        JsonNode f = Json.parse(h.exec("features").ok().stdout());
        Bundle b = h.newBundle();
        StringBuilder opts = new StringBuilder();
        for (JsonNode o : f.get("mountOptions")) {
            String name = o.asText();
            // Options that change what a tmpfs is or where it propagates are left out of one mount.
            if (List.of("bind", "rbind", "remount", "ro", "shared", "rshared", "slave", "rslave", "private",
                    "rprivate", "unbindable", "runbindable", "mand", "nosymfollow").contains(name)) {
                continue;
            }
            opts.append(name).append(',');
        }
        String[] options = opts.toString().split(",");
        b.mount("/features", "tmpfs", "tmpfs", options);
        b.sh("grep ' /features ' /proc/self/mountinfo");
        Result r = h.run(b, h.newId("features")).ok();
        assertTrue(r.stdout().contains(" /features "), r.toString());
    }
}
