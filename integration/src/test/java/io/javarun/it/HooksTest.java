package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * OCI hooks through a whole lifecycle: which run, in what order, with what state on stdin, and
 * in which namespaces (createContainer and startContainer in the container's).
 */
class HooksTest extends ItBase {

    /**
     * A hook that appends "<kind> <status> <id> <pid-namespace>" to a log: the state on stdin gives
     * status and id (busybox has no JSON tool, so sed picks the fields).
     */
    private static ObjectNode hook(String shPath, String kind, String log) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("path", shPath);
        String script = "s=$(cat); st=$(echo \"$s\" | sed -n 's/.*\"status\": *\"\\([a-z]*\\)\".*/\\1/p');"
                + " id=$(echo \"$s\" | sed -n 's/.*\"id\": *\"\\([^\"]*\\)\".*/\\1/p');"
                + " echo \"" + kind + " $st $id $(readlink /proc/self/ns/pid)\" >> " + log;
        h.set("args", Json.array("sh", "-c", script));
        return h;
    }

    @BothRuntimes
    void allSixKindsRunInOrderWithTheirState(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path logs = h.hostDir("hooks");
        Bundle b = h.newBundle().bind(logs, "/hooks", false);
        b.sh("echo process >> /hooks/log");
        Path log = logs.resolve("log");
        ObjectNode hooks = b.config().putObject("hooks");
        for (String k : List.of("prestart", "createRuntime", "createContainer", "poststart", "poststop")) {
            // Host-side paths: these hooks' path resolves in the runtime namespace.
            hooks.withArray(k).add(hook("/bin/sh", k, log.toString()));
        }
        // startContainer's path resolves in the container: its busybox sh, its /hooks bind.
        hooks.withArray("startContainer").add(hook("/bin/sh", "startContainer", "/hooks/log"));
        String id = h.newId("hooks");
        h.create(b, id).ok();
        h.recordPid(h.state(id).get("pid").asInt());
        String containerPidNs = Files.readSymbolicLink(
                Path.of("/proc", Integer.toString(h.state(id).get("pid").asInt()), "ns", "pid")).toString();
        h.start(id).ok();
        h.awaitStatus(id, "stopped");
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
        List<String> lines = Files.readAllLines(log);
        List<String> order = new ArrayList<>();
        for (String l : lines) {
            order.add(l.split(" ")[0]);
        }
        assertEquals(List.of("prestart", "createRuntime", "createContainer", "startContainer", "process", "poststart",
                "poststop"), reorderPoststart(order), String.join("\n", lines));
        String hostPidNs = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        for (String l : lines) {
            String[] f = l.split(" ");
            if (f[0].equals("process")) {
                continue;
            }
            assertEquals(id, f[2], "the state names the container: " + l);
            boolean inContainer = f[0].equals("createContainer") || f[0].equals("startContainer");
            assertEquals(inContainer ? containerPidNs : hostPidNs, f[3], "namespace of " + l);
        }
        assertEquals(statusOf(lines, "prestart"), "creating");
        assertEquals(statusOf(lines, "createRuntime"), "creating");
        assertEquals(statusOf(lines, "poststop"), "stopped");
        assertEquals(statusOf(lines, "createContainer"), "creating");
        assertEquals(statusOf(lines, "startContainer"), "created");
    }

    /** poststart runs after start returns and may land before or after the process's own line. */
    private static List<String> reorderPoststart(List<String> order) {
        List<String> out = new ArrayList<>(order);
        int ps = out.indexOf("poststart");
        int proc = out.indexOf("process");
        if (ps >= 0 && proc >= 0 && ps < proc) {
            out.remove(ps);
            out.add(out.indexOf("process") + 1, "poststart");
        }
        return out;
    }

    private static String statusOf(List<String> lines, String kind) {
        for (String l : lines) {
            if (l.startsWith(kind + " ")) {
                return l.split(" ")[1];
            }
        }
        return "(not run)";
    }

    @BothRuntimes
    void aFailingCreateRuntimeHookFailsCreateAndLeavesNothing(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        ObjectNode hook = Json.MAPPER.createObjectNode();
        hook.put("path", "/bin/sh");
        hook.set("args", Json.array("sh", "-c", "echo hook-said-no >&2; exit 5"));
        b.config().putObject("hooks").withArray("createRuntime").add(hook);
        String id = h.newId("hookfail");
        Result r = h.create(b, id).failed();
        h.assertNothingLeft(id, b);
        assertTrue(r.stderr().contains("hook-said-no") || r.stderr().contains("exit status 5"), r.toString());
    }

    @BothRuntimes
    void aCreateContainerHookThatTimesOutIsKilledAndCreateFails(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        ObjectNode hook = Json.MAPPER.createObjectNode();
        hook.put("path", "/bin/sleep");
        hook.set("args", Json.array("sleep", "30"));
        hook.put("timeout", 1);
        b.config().putObject("hooks").withArray("createContainer").add(hook);
        String id = h.newId("hooktimeout");
        long t0 = System.nanoTime();
        Result r = h.create(b, id).failed();
        assertTrue(System.nanoTime() - t0 < 25_000_000_000L, "the hook was killed at its timeout, not waited for");
        h.assertNothingLeft(id, b);
        assertTrue(r.stderr().contains("timed out") || r.stderr().contains("timeout"), r.toString());
    }
}
