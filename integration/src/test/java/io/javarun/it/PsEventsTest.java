package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** ps (the container's processes) and events --stats / the stats stream, in runc's formats. */
class PsEventsTest extends ItBase {

    private static String twoSleeps(Harness h, Bundle b) {
        b.sh("sleep 1000 & exec sleep 1001");
        b.linux().withObjectProperty("resources").putObject("memory").put("limit", 64L << 20);
        ((com.fasterxml.jackson.databind.node.ObjectNode) b.linux().get("resources")).putObject("pids").put("limit", 50);
        String id = h.newId("psev");
        h.run(b, id, "-d").ok();
        h.state(id);
        return id;
    }

    private static List<Integer> jsonPids(Harness h, String id) {
        List<Integer> pids = new ArrayList<>();
        for (JsonNode n : Json.parse(h.exec("ps", "--format", "json", id).ok().stdout())) {
            pids.add(n.asInt());
        }
        return pids;
    }

    @BothRuntimes
    void psListsTheContainersProcesses(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = twoSleeps(h, b);
        int init = h.state(id).get("pid").asInt();
        // The background sleep may take a moment to be forked.
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Integer> pids = jsonPids(h, id);
        while (pids.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            pids = jsonPids(h, id);
        }
        assertEquals(2, pids.size(), pids.toString());
        assertTrue(pids.contains(init), pids + " holds the init " + init);

        String table = h.exec("ps", id).ok().stdout();
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).contains("PID") && lines.get(0).contains("CMD"), table);
        assertEquals(3, lines.size(), table);
        assertTrue(table.contains("sleep 1000") && table.contains("sleep 1001"), table);

        String custom = h.exec("ps", id, "-o", "pid,comm").ok().stdout();
        List<String> rows = custom.lines().toList();
        assertEquals("PID COMMAND", rows.get(0).strip().replaceAll("\\s+", " "), custom);
        assertEquals(3, rows.size(), custom);
        for (String row : rows.subList(1, 3)) {
            assertTrue(pids.contains(Integer.parseInt(row.strip().split("\\s+")[0])), custom);
        }
        Result bad = h.exec("ps", "--format", "xml", id).failed();
        assertTrue(bad.stderr().contains("invalid format option"), bad.toString());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void eventsStatsPrintsOneStatsObject(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = twoSleeps(h, b);
        Result r = h.exec("events", "--stats", id).ok();
        assertEquals(1, r.stdout().lines().count(), r.toString());
        JsonNode e = Json.parse(r.stdout());
        assertEquals("stats", e.path("type").asText());
        assertEquals(id, e.path("id").asText());
        JsonNode d = e.path("data");
        assertEquals(64L << 20, d.path("memory").path("usage").path("limit").asLong(), r.stdout());
        assertTrue(d.path("memory").path("usage").path("usage").asLong() > 0, r.stdout());
        assertEquals(0, d.path("memory").path("usage").path("failcnt").asLong(), r.stdout());
        assertEquals(50, d.path("pids").path("limit").asInt(), r.stdout());
        assertTrue(d.path("pids").path("current").asInt() >= 1, r.stdout());
        assertTrue(d.path("cpu").path("usage").path("total").asLong() > 0, r.stdout());
        for (String key : new String[] {"cpu", "cpuset", "memory", "pids", "blkio", "hugetlb"}) {
            assertTrue(d.has(key), key + " in " + r.stdout());
        }
        h.delete("-f", id).ok();
        Result gone = h.exec("events", "--stats", id).failed();
        assertTrue(gone.stderr().contains("does not exist"), gone.toString());
        h.assertNothingLeft(id, b);
    }

    /** Without --stats: one stats object per --interval until stopped. */
    @BothRuntimes
    void eventsStreamsStatsEveryInterval(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        String id = twoSleeps(h, b);
        Runtime.Call call = h.startWrapped(List.of("timeout", "4"), "events", "--interval", "500ms", id);
        Result r = call.await(java.time.Duration.ofSeconds(30));
        List<String> lines = r.stdout().lines().toList();
        assertTrue(lines.size() >= 3, r.toString());
        for (String line : lines) {
            JsonNode e = Json.parse(line);
            assertEquals("stats", e.path("type").asText(), line);
            assertEquals(64L << 20, e.path("data").path("memory").path("usage").path("limit").asLong(), line);
        }
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }

    /** The events stream reports the OOM killer acting in the container as runc's {"type":"oom"}. */
    @BothRuntimes
    void eventsReportsOom(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        b.linux().withObjectProperty("resources").putObject("memory").put("limit", 16L << 20).put("swap", 16L << 20);
        // Waits for the events call to register, then needs 64 MiB (tail keeps a newline-free line).
        b.sh("sleep 3; head -c 67108864 /dev/zero | tail -n1 > /dev/null; exec sleep 1000");
        String id = h.newId("oomev");
        h.run(b, id, "-d").ok();
        h.state(id);
        Runtime.Call call = h.startWrapped(List.of("timeout", "7"), "events", "--interval", "10s", id);
        Result r = call.await(java.time.Duration.ofSeconds(30));
        boolean oom = false;
        for (String line : r.stdout().lines().toList()) {
            JsonNode e = Json.parse(line);
            if (e.path("type").asText().equals("oom")) {
                assertEquals(id, e.path("id").asText(), line);
                oom = true;
            }
        }
        assertTrue(oom, "an oom event: " + r);
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }
}
