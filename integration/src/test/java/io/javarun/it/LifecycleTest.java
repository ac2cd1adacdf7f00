package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The life of a container as runc's README walks through it, and run's exit codes and flags. */
class LifecycleTest extends ItBase {

    /** runc README: spec, edit, create, list (created), start, list (running), kill, list (stopped), delete. */
    @BothRuntimes
    void walkThrough(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        Files.delete(b.configFile());
        h.rt().execIn(b.dir(), "spec").ok();
        assertTrue(Files.isRegularFile(b.configFile()), "spec writes config.json in the current directory");
        // As the README says: terminal false, and a process that keeps running.
        ObjectNode config = Json.parseObject(Files.readString(b.configFile()));
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        process.set("args", Json.array("sleep", "1000"));
        Files.writeString(b.configFile(), Json.write(config));

        String id = h.newId("walk");
        // No --bundle: the bundle is the current directory.
        h.rt().execIn(b.dir(), "create", id).ok();
        String list = h.exec("list").ok().stdout();
        List<String> row = Tables.row(list, id);
        assertNotNull(row, "list shows the created container:\n" + list);
        assertEquals("created", row.get(2), list);
        assertEquals(b.dir().toString(), row.get(3), list);
        int pid = Integer.parseInt(row.get(1));
        h.recordPid(pid);
        assertTrue(pid > 0 && Procs.alive(pid), "the created container's pid is a live process: " + list);

        h.start(id).ok();
        list = h.exec("list").ok().stdout();
        assertEquals("running", Tables.row(list, id).get(2), list);
        assertEquals(Integer.toString(pid), Tables.row(list, id).get(1), "the pid stays the same after start");

        h.kill(id, "KILL").ok();
        h.awaitStatus(id, "stopped");
        list = h.exec("list").ok().stdout();
        assertEquals("stopped", Tables.row(list, id).get(2), list);

        h.delete(id).ok();
        list = h.exec("list").ok().stdout();
        assertNull(Tables.row(list, id), "deleted container still listed:\n" + list);
        h.assertNothingLeft(id, b);
    }

    /** create must leave the process waiting: it runs only on start (the exec FIFO). */
    @BothRuntimes
    void createDoesNotRunTheProcessUntilStart(Kind kind) {
        Harness h = harness(kind);
        Path shared = h.hostDir("shared");
        Bundle b = h.newBundle().bind(shared, "/shared", false).sh("echo ran > /shared/marker; echo from-the-container");
        String id = h.newId("fifo");
        Result create = h.create(b, id).ok();
        assertEquals("created", h.status(id));
        // Whatever time passes, a created container's process does not run.
        Leftovers.sleep(500);
        assertFalse(Files.exists(shared.resolve("marker")), "the process ran before start");
        assertEquals("created", h.status(id));

        Result start = h.start(id).ok();
        Harness.awaitFile(shared.resolve("marker"));
        h.awaitStatus(id, "stopped");
        // The process writes to the stdio it was created with (create's), not start's.
        assertEquals("from-the-container\n", create.stdoutNow(), create.toString());
        assertEquals("", start.stdout());
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
    }

    /** start of a container that is not in the created state fails. */
    @BothRuntimes
    void startTwiceFails(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("start2");
        h.create(b, id).ok();
        h.start(id).ok();
        Result again = h.start(id).failed();
        assertTrue(again.stderr().contains(id) || again.stderr().contains("not in created state")
                || again.stderr().contains("running"), "says why: " + again);
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void runExitCodes(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String ok = h.newId("exit0");
        assertEquals(0, h.run(b.sh("exit 0"), ok).exitCode());
        h.assertNothingLeft(ok, b);

        String three = h.newId("exit3");
        Result r = h.run(b.sh("exit 3"), three);
        assertEquals(3, r.exitCode(), r.toString());
        h.assertNothingLeft(three, b);

        // Without a pid namespace sh is not pid 1, so SIGKILL to itself kills it: 128 + 9.
        b.removeNamespace("pid");
        String killed = h.newId("exit137");
        r = h.run(b.sh("kill -9 $$"), killed);
        assertEquals(137, r.exitCode(), r.toString());
        h.assertNothingLeft(killed, b);
    }

    /** A foreground run whose container is killed from outside exits 128+9 and cleans up. */
    @BothRuntimes
    void runKilledFromOutsideExits137(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("fgkill");
        Runtime.Call run = h.runAsync(b, id);
        h.awaitStatus(id, "running");
        h.kill(id, "KILL").ok();
        Result r = run.await(Runtime.DEFAULT_TIMEOUT);
        assertEquals(137, r.exitCode(), r.toString());
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void runPassesStdoutAndStderrThrough(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = h.newId("stdio");
        Result r = h.run(b.sh("echo to-stdout; echo to-stderr >&2"), id).ok();
        assertEquals("to-stdout\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("to-stderr\n"), r.toString());
        assertFalse(r.stdout().contains("to-stderr"), r.toString());
    }

    @BothRuntimes
    void runDetachedWithPidFile(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("detach");
        Path pidFile = h.dir().resolve("container.pid");
        Result r = h.run(b, id, "-d", "--pid-file", pidFile.toString()).ok();
        JsonNode state = h.state(id);
        assertEquals("running", state.get("status").asText(), r.toString());
        int pid = state.get("pid").asInt();
        assertTrue(Procs.alive(pid), "state's pid " + pid + " is alive");
        assertEquals(Integer.toString(pid), Files.readString(pidFile).strip(), "--pid-file holds the pid state shows");
        // start returns once the process is released; its execve of sleep follows a moment later
        // (with runc as with javarun): wait for it, bounded.
        Path cmdline = Path.of("/proc", Integer.toString(pid), "cmdline");
        for (int i = 0; i < 200 && !Procs.read(cmdline).orElse("").startsWith("sleep\0"); i++) {
            Thread.sleep(10);
        }
        assertTrue(Procs.read(cmdline).orElse("").startsWith("sleep\0"), "the pid is the container's process (sleep)");

        Result del = h.delete(id).failed();
        assertTrue(del.stderr().contains("running") || del.stderr().contains("not stopped"), "delete says why: " + del);
        assertTrue(Procs.alive(pid), "a failed delete leaves the container running");
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
        assertFalse(Procs.alive(pid), "delete -f killed the process");
    }

    /** Without --keep, run deletes the container once it exits; with --keep it stays, stopped. */
    @BothRuntimes
    void runKeep(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true");
        String gone = h.newId("nokeep");
        h.run(b, gone).ok();
        assertNull(Tables.row(h.exec("list").ok().stdout(), gone));
        h.exec("state", gone).failed();
        h.assertNothingLeft(gone, b);

        String kept = h.newId("keep");
        h.run(b, kept, "--keep").ok();
        JsonNode state = h.state(kept);
        assertEquals("stopped", state.get("status").asText());
        assertEquals(0, state.get("pid").asInt(), "a stopped container's pid is 0");
        h.delete(kept).ok();
        h.assertNothingLeft(kept, b);
    }

    /** state prints the OCI state with runc's fields. */
    @BothRuntimes
    void stateFields(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        b.config().putObject("annotations").put("org.example.key", "value");
        String id = h.newId("state");
        long before = System.currentTimeMillis();
        h.create(b, id).ok();
        JsonNode s = h.state(id);
        // runc 1.1: ociVersion, id, pid, status, bundle, rootfs, created, annotations, owner.
        assertEquals(List.of("annotations", "bundle", "created", "id", "ociVersion", "owner", "pid", "rootfs", "status"),
                Json.fieldNames(s).stream().sorted().toList(), s.toString());
        assertEquals(id, s.get("id").asText());
        assertEquals("created", s.get("status").asText());
        assertTrue(s.get("pid").isInt() && Procs.alive(s.get("pid").asInt()), s.toString());
        assertEquals(b.dir().toString(), s.get("bundle").asText());
        assertEquals(b.rootfs().toString(), s.get("rootfs").asText());
        assertEquals("value", s.get("annotations").get("org.example.key").asText());
        assertEquals("", s.get("owner").asText(), "runc leaves owner empty in state");
        // created: RFC 3339 with nanoseconds in UTC, e.g. 2024-01-02T03:04:05.123456789Z
        String created = s.get("created").asText();
        assertTrue(created.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?Z"), created);
        long createdMs = java.time.Instant.parse(created).toEpochMilli();
        assertTrue(createdMs >= before - 2000 && createdMs <= System.currentTimeMillis() + 2000, "created is now: " + created);
        // ociVersion: the spec version the runtime implements, as its --version prints it.
        String version = h.rt().execNoRoot(null, "--version").ok().stdout();
        assertTrue(version.contains("\nspec: " + s.get("ociVersion").asText() + "\n") || version.endsWith("\nspec: " + s.get("ociVersion").asText()),
                "state's ociVersion is the runtime's spec version:\n" + s + "\n" + version);

        // Without annotations the field is left out (as runc's omitempty).
        Bundle plain = h.newBundle().args("sleep", "1000");
        String id2 = h.newId("state2");
        h.create(plain, id2).ok();
        assertFalse(h.state(id2).has("annotations"), h.state(id2).toString());

        h.delete("-f", id).ok();
        h.delete("-f", id2).ok();
        h.assertNothingLeft(id, b);
        h.assertNothingLeft(id2, plain);
    }

    @BothRuntimes
    void stateOfAMissingContainerFails(Kind kind) {
        Harness h = harness(kind);
        String id = h.newId("missing");
        Result r = h.exec("state", id).failed();
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("does not exist"), "runc says \"container does not exist\": " + r);
        assertEquals("", r.stdout());
    }

    @BothRuntimes
    void listFormats(Kind kind) {
        Harness h = harness(kind);
        Result empty = h.exec("list").ok();
        assertEquals(List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"), Tables.header(empty.stdout()));
        assertTrue(Tables.rows(empty.stdout()).isEmpty(), empty.toString());
        assertEquals("", h.exec("list", "-q").ok().stdout());
        // runc prints JSON null (not []) when there is no container.
        assertEquals("null", h.exec("list", "-f", "json").ok().stdout().strip());

        Bundle b = h.newBundle().args("sleep", "1000");
        String a = h.newId("lista");
        String c = h.newId("listb");
        h.create(b, a).ok();
        h.run(b, c, "-d").ok();

        String table = h.exec("list").ok().stdout();
        assertEquals(List.of("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"), Tables.header(table));
        assertEquals(2, Tables.rows(table).size(), table);
        assertEquals("created", Tables.row(table, a).get(2), table);
        assertEquals("running", Tables.row(table, c).get(2), table);
        assertEquals("root", Tables.row(table, a).get(5), "OWNER is the user name: " + table);
        assertEquals(h.state(a).get("created").asText(), Tables.row(table, a).get(4), table);

        List<String> quiet = List.of(h.exec("list", "-q").ok().stdout().strip().split("\n"));
        assertEquals(List.of(a, c).stream().sorted().toList(), quiet.stream().sorted().toList());

        JsonNode json = Json.parse(h.exec("list", "--format", "json").ok().stdout());
        assertTrue(json.isArray() && json.size() == 2, json.toString());
        for (JsonNode entry : json) {
            JsonNode st = h.state(entry.get("id").asText());
            assertEquals(st.get("pid"), entry.get("pid"));
            assertEquals(st.get("status"), entry.get("status"));
            assertEquals(st.get("bundle"), entry.get("bundle"));
            assertEquals(st.get("rootfs"), entry.get("rootfs"));
            assertEquals(st.get("created"), entry.get("created"));
            assertEquals("root", entry.get("owner").asText());
            assertEquals(st.get("ociVersion"), entry.get("ociVersion"));
        }
        h.delete("-f", a).ok();
        h.delete("-f", c).ok();
        h.assertNothingLeft(a, b);
        h.assertNothingLeft(c, b);
    }
}
