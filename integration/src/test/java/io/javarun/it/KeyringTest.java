package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session keyring: each container gets its own (_ses.ID), searchable by the container's user
 * (the owner's search bit without a user namespace, "other" search inside one), as runc does;
 * --no-new-keyring keeps the caller's.
 */
class KeyringTest extends ItBase {
    /** The /proc/keys line of the session keyring named {@code name}, as the container sees it. */
    private static String[] keyringLine(Result r, String name) {
        for (String line : r.stdout().split("\n")) {
            if (line.endsWith(" " + name + ": empty") || line.contains(" " + name + ":")) {
                return line.trim().split("\\s+");
            }
        }
        throw new AssertionError("no keyring " + name + " in /proc/keys: " + r);
    }

    /** A bundle whose /proc/keys is readable (the default config masks it, as runc's spec does). */
    private static Bundle unmaskKeys(Bundle b) {
        com.fasterxml.jackson.databind.node.ArrayNode masked =
                (com.fasterxml.jackson.databind.node.ArrayNode) b.linux().get("maskedPaths");
        if (masked != null) {
            for (int i = masked.size() - 1; i >= 0; i--) {
                if (masked.get(i).asText().equals("/proc/keys")) {
                    masked.remove(i);
                }
            }
        }
        return b;
    }

    /** The permission column of /proc/keys (hex). */
    private static long perm(String[] fields) {
        return Long.parseLong(fields[4], 16);
    }

    @BothRuntimes
    void eachContainerHasItsOwnSearchableSessionKeyring(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().user(1000, 1000);
        String id = h.newId("keyring");
        unmaskKeys(b).sh("cat /proc/keys");
        Result r = h.run(b, id).ok();
        String[] line = keyringLine(r, "_ses." + id);
        assertEquals("keyring", line[7], r.toString());
        assertTrue((perm(line) & 0x00080000L) != 0, "the owner (the container's user) may search it: " + r);
    }

    @BothRuntimes
    void inAUserNamespaceOthersMaySearchIt(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().userNamespace(100000, 65536);
        unmaskKeys(b).sh("cat /proc/keys");
        String id = h.newId("keyring-userns");
        Result r = h.run(b, id).ok();
        String[] line = keyringLine(r, "_ses." + id);
        assertTrue((perm(line) & 0x8L) != 0, "'other' may search it: " + r);
    }

    @BothRuntimes
    void noNewKeyringKeepsTheCallers(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        unmaskKeys(b).sh("cat /proc/keys");
        String id = h.newId("keyring-none");
        Result r = h.run(b, id, "--no-new-keyring").ok();
        assertFalse(r.stdout().contains("_ses." + id), "no keyring of its own: " + r);
    }
}
