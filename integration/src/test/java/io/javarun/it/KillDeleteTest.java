package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** kill's signal forms, delete's rules, and javarun's delete of several containers at once. */
class KillDeleteTest extends ItBase {

    /** KILL, SIGKILL and 9 all name SIGKILL: the container stops. */
    static Stream<Arguments> killSignals() {
        return Kind.selected().stream().flatMap(k -> Stream.of("KILL", "SIGKILL", "9").map(sig -> Arguments.of(k, sig)));
    }

    @ParameterizedTest(name = "[{0}] kill {1}")
    @MethodSource("killSignals")
    void killSignalForms(Kind kind, String signal) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("kill");
        h.run(b, id, "-d").ok();
        int pid = h.state(id).get("pid").asInt();
        h.kill(id, signal).ok();
        h.awaitStatus(id, "stopped");
        assertFalse(Procs.alive(pid), "process " + pid + " is gone after kill " + signal);
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
    }

    /** Without a signal, kill sends SIGTERM: a trap in the container sees it. */
    @BothRuntimes
    void killDefaultsToTerm(Kind kind) {
        Harness h = harness(kind);
        Path shared = h.hostDir("shared");
        Bundle b = h.newBundle().bind(shared, "/shared", false)
                .sh("trap 'echo TERM > /shared/got; exit 0' TERM; touch /shared/ready; while true; do sleep 0.1; done");
        String id = h.newId("term");
        h.run(b, id, "-d").ok();
        Harness.awaitFile(shared.resolve("ready"));
        h.kill(id).ok();
        Harness.awaitFile(shared.resolve("got"));
        h.awaitStatus(id, "stopped");
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void killOfAStoppedContainerFails(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true");
        String id = h.newId("killstopped");
        h.run(b, id, "--keep").ok();
        assertEquals("stopped", h.status(id));
        Result r = h.kill(id, "KILL").failed();
        assertTrue(r.stderr().contains("not running"), "runc says \"container not running\": " + r);
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void killOfAMissingContainerFails(Kind kind) {
        Harness h = harness(kind);
        String id = h.newId("killmissing");
        Result r = h.kill(id, "KILL").failed();
        assertTrue(r.stderr().contains("does not exist"), r.toString());
    }

    @BothRuntimes
    void killWithAnUnknownSignalFails(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("badsig");
        h.run(b, id, "-d").ok();
        Result r = h.kill(id, "SIGNOPE").failed();
        assertTrue(r.stderr().contains("SIGNOPE"), "names the bad signal: " + r);
        assertEquals("running", h.status(id), "a bad kill leaves the container alone");
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** delete of a created container (never started) removes it and its waiting process. */
    @BothRuntimes
    void deleteOfACreatedContainer(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("delcreated");
        h.create(b, id).ok();
        int pid = h.state(id).get("pid").asInt();
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
        assertFalse(Procs.alive(pid));
    }

    /** delete refuses a running container; delete -f kills and removes it. */
    @BothRuntimes
    void deleteRunningNeedsForce(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("delrun");
        h.run(b, id, "-d").ok();
        Result r = h.delete(id).failed();
        assertTrue(r.stderr().contains(id) && r.stderr().contains("running"),
                "runc: \"cannot delete container ID that is not stopped: running\": " + r);
        assertEquals("running", h.status(id));
        h.delete("--force", id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void deleteOfAMissingContainerFails(Kind kind) {
        Harness h = harness(kind);
        String id = h.newId("delmissing");
        Result r = h.delete(id).failed();
        assertTrue(r.stderr().contains("does not exist"), r.toString());
    }

    /** javarun (not runc) deletes several containers in one call: created, running (-f) and stopped ones. */
    @Test
    void javarunDeletesSeveralContainers() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().args("sleep", "1000");
        Bundle stops = h.newBundle().args("true");
        String created = h.newId("many1");
        String running = h.newId("many2");
        String stopped = h.newId("many3");
        h.create(b, created).ok();
        h.run(b, running, "-d").ok();
        h.run(stops, stopped, "--keep").ok();
        h.delete("-f", created, running, stopped).ok();
        h.assertNothingLeft(created, b);
        h.assertNothingLeft(running, b);
        h.assertNothingLeft(stopped, stops);
        assertEquals("", h.exec("list", "-q").ok().stdout());
    }

    /** Without -f, javarun deletes what it can and fails naming the running one; the others go. */
    @Test
    void javarunDeleteSeveralReportsTheOnesItCouldNotDelete() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().args("sleep", "1000");
        Bundle stops = h.newBundle().args("true");
        String running = h.newId("some1");
        String stopped = h.newId("some2");
        h.run(b, running, "-d").ok();
        h.run(stops, stopped, "--keep").ok();
        Result r = h.delete(stopped, running).failed();
        assertTrue(r.stderr().contains(running), "names the container it did not delete: " + r);
        h.assertNothingLeft(stopped, stops);
        assertEquals("running", h.status(running));
        h.delete("-f", running).ok();
        h.assertNothingLeft(running, b);
    }
}
