package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Bad input: each create fails, leaves nothing behind, and says why. runc's wording is asserted for
 * runc (it is the reference a user compares with); for javarun the message must name the
 * container, the field or file, and the cause (its wording is its own).
 */
class BadInputTest extends ItBase {

    /**
     * Asserts a failed create of {@code id}: non-zero exit, nothing left, and the message: runc's
     * holds every fragment of {@code runcSays} (logrus escapes quotes, so fragments avoid them);
     * javarun's names the container and matches every regex of {@code javarunMentions}.
     */
    private static Result failedCreate(Harness h, Bundle b, String id, String[] runcSays, String... javarunMentions) {
        Result r = h.create(b, id).failed();
        h.assertNothingLeft(id, b);
        if (h.rt().isJavarun()) {
            assertMentions(r, Pattern.quote(id));
            assertMentions(r, javarunMentions);
        } else {
            for (String fragment : runcSays) {
                assertTrue(r.stderr().contains(fragment), "runc says \"" + fragment + "\": " + r);
            }
        }
        return r;
    }

    private static String[] runc(String... fragments) {
        return fragments;
    }

    /** Each entry is a regex (case-insensitive) that must be found in stderr. */
    private static void assertMentions(Result r, String... regexes) {
        for (String re : regexes) {
            assertTrue(Pattern.compile(re, Pattern.CASE_INSENSITIVE).matcher(r.stderr()).find(),
                    "the error should mention /" + re + "/: " + r);
        }
    }

    @BothRuntimes
    void malformedJson(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.newId("badjson");
        b.writeRaw("{\"ociVersion\": \"1.0.2\", bad}");
        Result r = h.rt().exec("create", "--bundle", b.dir().toString(), id).failed();
        h.assertNothingLeft(id, b);
        if (h.rt().isJavarun()) {
            assertMentions(r, Pattern.quote(id), "config\\.json", "json|parse|syntax|unexpected");
        } else {
            assertTrue(r.stderr().contains("invalid character"), r.toString());
        }
    }

    @BothRuntimes
    void wrongTypeOfAField(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        b.process().put("args", "sh");
        failedCreate(h, b, h.newId("wrongtype"), runc("cannot unmarshal string into Go struct field Process.process.args"),
                "config\\.json", "process\\.args", "array|list|string");
    }

    @BothRuntimes
    void emptyArgs(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args();
        failedCreate(h, b, h.newId("noargs"), runc("args must not be empty"), "process\\.args", "empty");
    }

    @BothRuntimes
    void unknownNamespaceType(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        b.namespaces().addObject().put("type", "bogus");
        failedCreate(h, b, h.newId("badns"), runc("namespace {", "bogus", "} does not exist"), "namespace", "bogus");
    }

    @BothRuntimes
    void namespacePathThatDoesNotExist(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().namespace("network", "/proc/999999999/ns/net").args("true");
        failedCreate(h, b, h.newId("badnspath"), runc("/proc/999999999/ns/net: no such file or directory"),
                "/proc/999999999/ns/net", "no such file|does not exist|not found");
    }

    @BothRuntimes
    void relativeCwd(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().cwd("relative/dir");
        failedCreate(h, b, h.newId("relcwd"), runc("Cwd must be an absolute path"), "cwd", "absolute");
    }

    /** javarun rejects a relative mount destination; runc 1.1 only warns and mounts it under the rootfs. */
    @Test
    void javarunRejectsARelativeMountDestination() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().mount("relative/x", "tmpfs", "tmpfs");
        failedCreate(h, b, h.newId("relmount"), runc(), "relative/x", "absolute");
        assertFalse(Files.exists(b.rootfs().resolve("relative")), "nothing created in the rootfs");
    }

    /**
     * A mount destination through a symlink pointing out of the rootfs ({@code escape -> ../../../../tmp}) must
     * never reach the host: runc resolves it inside the rootfs (the mount lands on rootfs/tmp/...);
     * a runtime may instead refuse it, naming the destination. Either way the host's /tmp is untouched.
     */
    @BothRuntimes
    void mountDestinationEscapingThroughASymlink(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        Files.createSymbolicLink(b.rootfs().resolve("escape"), Path.of("../../../../tmp"));
        String probe = "jr-escape-" + Long.toHexString(System.nanoTime());
        Path hostTarget = Path.of("/tmp", probe);
        assertFalse(Files.exists(hostTarget));
        b.mount("/escape/" + probe, "tmpfs", "tmpfs", "size=1m").sh("grep ' /tmp/" + probe + " ' /proc/self/mountinfo");
        String id = h.newId("escape");
        try {
            Result r = h.run(b, id);
            if (r.exitCode() == 0) {
                assertTrue(r.stdout().contains("tmpfs"), "the mount is inside the container, at its /tmp: " + r);
                assertTrue(Files.isDirectory(b.rootfs().resolve("tmp").resolve(probe)), "created inside the rootfs");
            } else {
                assertMentions(r, Pattern.quote("/escape/" + probe));
                if (h.rt().isJavarun()) {
                    assertMentions(r, Pattern.quote(id));
                }
            }
            assertFalse(Files.exists(hostTarget), "created " + hostTarget + " on the host");
            assertTrue(Leftovers.mountsUnder(Path.of("/tmp")).stream().noneMatch(m -> m.contains(probe)), "mounted on the host");
            h.assertNothingLeft(id, b);
        } finally {
            Files.deleteIfExists(hostTarget);
        }
    }

    @BothRuntimes
    void badContainerId(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        for (String bad : new String[] {"../x", "a/b", "", "with space"}) {
            Result r = h.create(b, bad).failed();
            if (h.rt().isJavarun()) {
                assertMentions(r, bad.isEmpty() ? "empty" : "invalid", "\\bid\\b");
                if (!bad.isEmpty()) {
                    assertMentions(r, Pattern.quote(bad));
                }
            } else {
                assertTrue(r.stderr().contains("invalid container ID format") || r.stderr().contains("container id cannot be empty"), r.toString());
            }
        }
        assertFalse(Files.exists(h.rt().root().getParent().resolve("x")), "../x escaped the root");
        assertFalse(Files.exists(h.rt().root().resolve("a")));
    }

    @BothRuntimes
    void duplicateId(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("dup");
        h.create(b, id).ok();
        int pid = h.state(id).get("pid").asInt();
        Result r = h.create(b, id).failed();
        if (h.rt().isJavarun()) {
            assertMentions(r, Pattern.quote(id), "exists");
        } else {
            assertTrue(r.stderr().contains("container with given ID already exists"), r.toString());
        }
        assertEquals(pid, h.state(id).get("pid").asInt(), "the first container is untouched");
        assertEquals("created", h.status(id));
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void missingBundleOrConfig(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path missing = h.dir().resolve("no-such-bundle");
        String id = h.newId("nobundle");
        Result r = h.exec("create", "--bundle", missing.toString(), id).failed();
        h.assertNothingLeft(id, null);
        if (h.rt().isJavarun()) {
            assertMentions(r, Pattern.quote(id), Pattern.quote(missing.toString()), "no such file|does not exist|not found");
        } else {
            assertTrue(r.stderr().contains("chdir " + missing + ": no such file or directory"), r.toString());
        }

        Bundle b = h.newBundle();
        Files.delete(b.configFile());
        String id2 = h.newId("noconfig");
        r = h.exec("create", "--bundle", b.dir().toString(), id2).failed();
        h.assertNothingLeft(id2, b);
        if (h.rt().isJavarun()) {
            assertMentions(r, Pattern.quote(id2), "config\\.json", "no such file|does not exist|not found");
        } else {
            assertTrue(r.stderr().contains("JSON specification file config.json not found"), r.toString());
        }
    }

    /** create fails at once (not at start) when process.args[0] cannot be found. */
    @BothRuntimes
    void executableNotFound(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("no-such-program", "arg");
        Result r = failedCreate(h, b, h.newId("noexec"), runc("executable file not found in $PATH"), "no-such-program");
        assertTrue(r.stderr().contains("executable file not found"), r.toString());
        assertTrue(r.stderr().contains("no-such-program"), r.toString());

        b.args("/etc/passwd");
        failedCreate(h, b, h.newId("notexec"), runc("exec: ", "/etc/passwd", ": permission denied"), "/etc/passwd", "permission denied");
    }

    /**
     * An rlimit above the hard limit cannot be set without CAP_SYS_RESOURCE (root lacks it on the
     * hosts this suite was written on); where root has it, the limit is simply set.
     */
    @BothRuntimes
    void rlimitAboveTheHardLimit(Kind kind) throws Exception {
        Harness h = harness(kind);
        long above = hardNofile() + 1000;
        Bundle b = h.newBundle().rlimit("RLIMIT_NOFILE", above, above);
        if (hasCapSysResource()) {
            assertEquals(above + "\n", h.sh(b, "ulimit -n").ok().stdout());
            return;
        }
        b.args("true");
        failedCreate(h, b, h.newId("rlimit"), runc("error setting rlimit type 7: operation not permitted"),
                "RLIMIT_NOFILE", "not permitted|hard limit|exceed");
    }

    @BothRuntimes
    void unknownRlimit(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true").rlimit("RLIMIT_BOGUS", 3, 3);
        failedCreate(h, b, h.newId("rlimitbad"), runc("wrong rlimit value: RLIMIT_BOGUS"), "RLIMIT_BOGUS");
    }

    /** Lowering oom_score_adj needs CAP_SYS_RESOURCE (see above); with it, the value is simply set. */
    @BothRuntimes
    void oomScoreAdjBelowCurrent(Kind kind) throws Exception {
        Harness h = harness(kind);
        int current = Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).strip());
        Bundle b = h.newBundle();
        b.process().put("oomScoreAdj", current - 100);
        if (hasCapSysResource()) {
            assertEquals((current - 100) + "\n", h.sh(b, "cat /proc/self/oom_score_adj").ok().stdout());
            return;
        }
        b.args("true");
        failedCreate(h, b, h.newId("oom"), runc("failed to update /proc/self/oom_score_adj: Permission denied"),
                "oomScoreAdj|oom_score_adj", Integer.toString(current - 100), "permission denied|not permitted|CAP_SYS_RESOURCE");
    }

    /** Whether this (root) process has CAP_SYS_RESOURCE (bit 24 of CapEff). */
    private static boolean hasCapSysResource() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 24)) != 0;
            }
        }
        throw new AssertionError("no CapEff in /proc/self/status");
    }

    private static long hardNofile() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                return Long.parseLong(line.substring(26).trim().split("\\s+")[1]);
            }
        }
        throw new AssertionError("no Max open files in /proc/self/limits");
    }
}
