package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The time namespace and linux.timeOffsets (OCI 1.1): javarun only. runc 1.1.5 does not know the
 * namespace type: {@code runc run failed: namespace {"time" ""} does not exist}.
 */
class TimeNamespaceTest extends ItBase {

    private static double hostUptime() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    /** A boottime offset of one day shows in the container's /proc/uptime; the host's clocks are untouched. */
    @Test
    void javarunAppliesTimeOffsets() throws Exception {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().namespace("time", null);
        ObjectNode offsets = b.linux().putObject("timeOffsets");
        offsets.putObject("boottime").put("secs", 86400).put("nanosecs", 0);
        offsets.putObject("monotonic").put("secs", 3600).put("nanosecs", 0);
        double before = hostUptime();
        Result r = h.sh(b, "cut -d' ' -f1 /proc/uptime; cat /proc/self/timens_offsets; readlink /proc/self/ns/time").ok();
        double after = hostUptime();
        List<String> lines = List.of(r.stdout().strip().split("\n"));
        double inside = Double.parseDouble(lines.get(0));
        // The container read its uptime between the host's two readings (1/100 s resolution).
        assertTrue(inside >= before + 86400 - 0.01 && inside <= after + 86400 + 0.01,
                "uptime inside " + inside + " is the host's (" + before + " .. " + after + ") + 86400: " + r);
        assertTrue(hostUptime() < before + 86400, "the host's uptime is unchanged");
        assertEquals(List.of("monotonic", "3600", "0"), List.of(lines.get(1).trim().split("\\s+")), r.toString());
        assertEquals(List.of("boottime", "86400", "0"), List.of(lines.get(2).trim().split("\\s+")), r.toString());
        assertNotEquals(Procs.readLink(Path.of("/proc/self/ns/time")).orElseThrow(), lines.get(3), "a time namespace of its own");
    }

    /** Offsets need a new time namespace to apply to: refused, naming the field. */
    @Test
    void javarunRefusesTimeOffsetsWithoutATimeNamespace() {
        Harness h = harness(Kind.JAVARUN);
        Bundle b = h.newBundle().args("true");
        b.linux().putObject("timeOffsets").putObject("boottime").put("secs", 86400).put("nanosecs", 0);
        String id = h.newId("timeoffs");
        Result r = h.create(b, id).failed();
        h.assertNothingLeft(id, b);
        assertTrue(r.stderr().contains(id) && r.stderr().contains("linux.timeOffsets") && r.stderr().contains("time namespace"),
                r.toString());
    }
}
