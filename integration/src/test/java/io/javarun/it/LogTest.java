package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** --log and --log-format: where errors go and in what shape. */
class LogTest extends ItBase {

    private static List<JsonNode> jsonLines(Path log) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = Json.parse(line);
            assertTrue(n.isObject(), line);
            for (String f : List.of("level", "msg", "time")) {
                assertTrue(n.hasNonNull(f), "every log line has " + f + ": " + line);
            }
            OffsetDateTime.parse(n.get("time").asText()); // RFC 3339
            out.add(n);
        }
        return out;
    }

    @BothRuntimes
    void jsonLogOnAnError(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path log = h.dir().resolve("log.json");
        String id = h.newId("logmissing");
        Result r = h.exec("--log", log.toString(), "--log-format", "json", "state", id).failed();
        List<JsonNode> lines = jsonLines(log);
        assertTrue(lines.stream().anyMatch(n -> n.get("level").asText().equals("error")
                && n.get("msg").asText().contains("does not exist")), "an error line: " + lines);
        // runc also prints the bare message on stderr (no time=, level= decoration).
        assertTrue(r.stderr().contains("does not exist"), r.toString());
        assertFalse(r.stderr().contains("level="), r.toString());
    }

    @BothRuntimes
    void jsonLogOnAFailedCreate(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path log = h.dir().resolve("log.json");
        Bundle b = h.newBundle();
        b.namespaces().addObject().put("type", "bogus");
        String id = h.newId("logcreate");
        b.write();
        h.exec("--log", log.toString(), "--log-format", "json", "create", "--bundle", b.dir().toString(), id).failed();
        List<JsonNode> lines = jsonLines(log);
        assertTrue(lines.stream().anyMatch(n -> n.get("level").asText().equals("error") && n.get("msg").asText().contains("bogus")),
                "the error names the cause: " + lines);
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void textLogOnAnError(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path log = h.dir().resolve("log.txt");
        String id = h.newId("logtext");
        h.exec("--log", log.toString(), "state", id).failed();
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.stream().filter(l -> !l.isBlank()).count(), lines.toString());
        // logrus text format: time="RFC 3339" level=error msg="..."
        String line = lines.get(0);
        assertTrue(line.matches("time=\"[^\"]+\" level=error msg=\".*\""), line);
        OffsetDateTime.parse(line.substring(6, line.indexOf('"', 6)));
        if (h.rt().isJavarun()) {
            assertTrue(line.contains(id) && line.contains("does not exist"), "names the container and the cause: " + line);
        } else {
            assertTrue(line.endsWith("msg=\"container does not exist\""), line);
        }
    }
}
