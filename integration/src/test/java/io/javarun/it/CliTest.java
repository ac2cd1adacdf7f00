package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CLI itself: spec, --version, --help. */
class CliTest extends ItBase {
    /** runc 1.1's commands (runc --help), which javarun implements under the same names. */
    static final List<String> COMMANDS = List.of("checkpoint", "create", "delete", "events", "exec", "kill", "list",
            "pause", "ps", "restore", "resume", "run", "spec", "start", "state", "update", "features");

    private static ObjectNode spec(Harness h, String... flags) throws Exception {
        Path dir = h.hostDir("spec" + String.join("", flags).replace("-", ""));
        String[] args = Stream.concat(Stream.of("spec"), Stream.of(flags)).toArray(String[]::new);
        Result r = h.rt().execNoRoot(dir, args).ok();
        assertEquals("", r.stdout(), "spec writes the file, prints nothing");
        return Json.parseObject(Files.readString(dir.resolve("config.json")));
    }

    /**
     * javarun's spec is runc's template but for: its own ociVersion, /proc/timer_list in maskedPaths
     * (newer runc has it too) and no /dev/fuse device.
     */
    @Test
    void javarunSpecIsRuncsTemplate() throws Exception {
        compareSpecs();
    }

    @Test
    void javarunRootlessSpecIsRuncsRootlessTemplate() throws Exception {
        compareSpecs("--rootless");
    }

    private void compareSpecs(String... flags) throws Exception {
        ObjectNode runc = spec(harness(Kind.RUNC), flags);
        Harness h = harness(Kind.JAVARUN);
        ObjectNode javarun = spec(h, flags);

        String version = h.rt().execNoRoot(null, "--version").ok().stdout();
        assertTrue(version.contains("\nspec: " + javarun.get("ociVersion").asText() + "\n"),
                "ociVersion is the spec version javarun implements: " + javarun.get("ociVersion") + " / " + version);
        assertTrue(Json.strings(javarun.at("/linux/maskedPaths")).contains("/proc/timer_list"), javarun.toString());
        assertFalse(Json.write(javarun).contains("/dev/fuse"), "no /dev/fuse: " + javarun);

        normalise(runc);
        normalise(javarun);
        assertEquals(Json.write(runc), Json.write(javarun));
    }

    private static void normalise(ObjectNode spec) {
        spec.remove("ociVersion");
        Json.removeIf((ArrayNode) spec.at("/linux/maskedPaths"), p -> p.asText().equals("/proc/timer_list"));
        for (String ptr : List.of("/linux/devices", "/linux/resources/devices")) {
            JsonNode devices = spec.at(ptr);
            if (devices.isArray()) {
                Json.removeIf((ArrayNode) devices, d -> d.path("path").asText().equals("/dev/fuse")
                        || (d.path("major").asInt() == 10 && d.path("minor").asInt() == 229));
            }
        }
    }

    /** spec refuses to overwrite an existing config.json. */
    @BothRuntimes
    void specDoesNotOverwrite(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path dir = h.hostDir("spec");
        Files.writeString(dir.resolve("config.json"), "mine\n");
        Result r = h.rt().execNoRoot(dir, "spec").failed();
        assertTrue(r.stderr().contains("config.json exists"), "runc: \"File config.json exists. Remove it first\": " + r);
        assertEquals("mine\n", Files.readString(dir.resolve("config.json")));
    }

    /** spec --bundle DIR writes DIR/config.json. */
    @BothRuntimes
    void specBundleFlag(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path dir = h.hostDir("bundle");
        h.rt().execNoRoot(null, "spec", "--bundle", dir.toString()).ok();
        assertEquals("sh", Json.parseObject(Files.readString(dir.resolve("config.json"))).at("/process/args/0").asText());
    }

    /** {@code NAME version X}, {@code commit: ...}, {@code spec: 1.x.y}, for --version and -v. */
    @BothRuntimes
    void versionFormat(Kind kind) {
        Harness h = harness(kind);
        for (String flag : List.of("--version", "-v")) {
            Result r = h.rt().execNoRoot(null, flag).ok();
            List<String> lines = List.of(r.stdout().strip().split("\n"));
            assertTrue(lines.get(0).matches(kind.cliName() + " version \\S+"), r.toString());
            assertTrue(lines.get(1).matches("commit: \\S+"), r.toString());
            assertTrue(lines.get(2).matches("spec: 1\\.\\d+\\.\\d+(-dev)?"), r.toString());
            assertEquals("", r.stderr());
        }
    }

    static Stream<Arguments> commands() {
        return Kind.selected().stream().flatMap(k -> COMMANDS.stream().map(c -> Arguments.of(k, c)));
    }

    /** Every command answers --help with exit 0 and its own usage ("runc spec ...", "javarun spec ..."), on stdout. */
    @ParameterizedTest(name = "[{0}] {1} --help")
    @MethodSource("commands")
    void commandHelp(Kind kind, String command) {
        Harness h = harness(kind);
        Result r = h.rt().execNoRoot(null, command, "--help").ok();
        assertTrue(r.stdout().toLowerCase().contains("usage"), r.toString());
        assertTrue(r.stdout().contains(kind.cliName() + " " + command + " "), "the usage of " + command + ", not the global one: " + r);
    }

    /** The global --help lists every command. */
    @BothRuntimes
    void globalHelpListsCommands(Kind kind) {
        Harness h = harness(kind);
        Result r = h.rt().execNoRoot(null, "--help").ok();
        for (String c : COMMANDS) {
            assertTrue(r.stdout().matches("(?s).*\\n\\s+" + c + "[ ,].*"), "lists " + c + ": " + r);
        }
    }

    /** An unknown command fails with a message naming it. */
    @BothRuntimes
    void unknownCommand(Kind kind) {
        Harness h = harness(kind);
        Result r = h.rt().execNoRoot(null, "frobnicate").failed();
        assertTrue((r.stdout() + r.stderr()).contains("frobnicate"), r.toString());
    }
}
