package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** pause and resume with the v1 freezer: the processes stop, the status says paused, as runc. */
class PauseTest extends ItBase {

    private static String freezerState(int pid) throws Exception {
        return Files.readString(ResourcesTest.hostCgroup(pid, "freezer").resolve("freezer.state")).strip();
    }

    @BothRuntimes
    void pauseStopsTheProcessesAndResumeRestartsThem(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        Path out = h.hostDir("pause");
        b.bind(out, "/out", false);
        b.sh("i=0; while true; do i=$((i+1)); echo $i > /out/n.tmp; mv /out/n.tmp /out/n; done");
        String id = h.newId("pause");
        h.run(b, id, "-d").ok();
        int pid = h.state(id).get("pid").asInt();
        Harness.awaitFile(out.resolve("n"));
        h.exec("pause", id).ok();
        assertEquals("paused", h.status(id));
        assertEquals("FROZEN", freezerState(pid));
        String list = h.exec("list").ok().stdout();
        assertTrue(list.lines().anyMatch(l -> l.startsWith(id + " ") && l.contains(" paused ")), list);
        String before = Files.readString(out.resolve("n"));
        Thread.sleep(300);
        assertEquals(before, Files.readString(out.resolve("n")), "the counter does not move while paused");
        Result again = h.exec("pause", id).failed();
        assertTrue(again.stderr().contains("container not running"), again.toString());

        h.exec("resume", id).ok();
        assertEquals("running", h.status(id));
        assertEquals("THAWED", freezerState(pid));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.readString(out.resolve("n")).equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(!Files.readString(out.resolve("n")).equals(before), "the counter moves again after resume");
        Result notPaused = h.exec("resume", id).failed();
        assertTrue(notPaused.stderr().contains("container not paused"), notPaused.toString());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** A paused container is not deleted without --force; with it, it is, frozen processes and all. */
    @BothRuntimes
    void aPausedContainerIsDeletedOnlyWithForce(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("pausedel");
        h.run(b, id, "-d").ok();
        h.state(id);
        h.exec("pause", id).ok();
        Result r = h.delete(id).failed();
        assertTrue(r.stderr().contains("paused"), r.toString());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** A created container can be paused too (runc allows it), and a stopped one cannot. */
    @BothRuntimes
    void createdCanBePausedStoppedCannot(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("true");
        String id = h.newId("pausecreated");
        h.create(b, id).ok();
        h.state(id);
        h.exec("pause", id).ok();
        assertEquals("paused", h.status(id));
        h.exec("resume", id).ok();
        assertEquals("created", h.status(id));
        h.start(id).ok();
        h.awaitStatus(id, "stopped");
        Result r = h.exec("pause", id).failed();
        assertTrue(r.stderr().contains("container not running"), r.toString());
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
    }
}
