package io.javarun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

class CommandsTest {

    private static ParseResult parse(String... args) {
        return Commands.build().parseArgs(args);
    }

    private static void refused(String... args) {
        assertThrows(CommandLine.ParameterException.class, () -> parse(args));
    }

    @Test
    void globalOptionsComeBeforeTheCommand() {
        ParseResult pr = parse("--root", "/tmp/state", "--log", "/tmp/log.json", "--log-format", "json", "--debug",
                "state", "c1");
        assertEquals("/tmp/state", pr.matchedOptionValue("--root", Commands.DEFAULT_ROOT));
        assertEquals("/tmp/log.json", pr.matchedOptionValue("--log", ""));
        assertEquals("json", pr.matchedOptionValue("--log-format", "text"));
        assertTrue(pr.matchedOptionValue("--debug", false));
        assertEquals("state", pr.subcommand().commandSpec().name());
        assertEquals("c1", pr.subcommand().matchedPositionalValue(0, ""));
    }

    @Test
    void globalOptionsAfterTheCommandAreRefusedAsRuncDoes() {
        refused("list", "--root", "/tmp/state");
    }

    @Test
    void withoutGlobalOptionsTheDefaultsApply() {
        ParseResult pr = parse("list");
        assertEquals(Commands.DEFAULT_ROOT, pr.matchedOptionValue("--root", Commands.DEFAULT_ROOT));
        assertFalse(pr.matchedOptionValue("--debug", false));
    }

    @Test
    void deleteTakesSeveralIds() {
        ParseResult sub = parse("delete", "-f", "a", "b", "c").subcommand();
        assertEquals("delete", sub.commandSpec().name());
        assertEquals(List.of("a", "b", "c"), sub.matchedPositional(0).getValue());
        assertTrue(sub.matchedOptionValue("--force", false));
        ParseResult one = parse("delete", "only").subcommand();
        assertEquals(List.of("only"), one.matchedPositional(0).getValue());
        assertFalse(one.matchedOptionValue("--force", false));
    }

    @Test
    void killTakesAnOptionalSignal() {
        ParseResult dflt = parse("kill", "c1").subcommand();
        assertEquals("c1", dflt.matchedPositionalValue(0, ""));
        assertEquals("SIGTERM", dflt.matchedPositionalValue(1, "SIGTERM"));
        ParseResult kill = parse("kill", "--all", "c1", "KILL").subcommand();
        assertEquals("KILL", kill.matchedPositionalValue(1, "SIGTERM"));
        assertTrue(kill.matchedOptionValue("--all", false));
        assertEquals("9", parse("kill", "-a", "c1", "9").subcommand().matchedPositionalValue(1, "SIGTERM"));
        refused("kill", "c1", "KILL", "extra");
    }

    @Test
    void runTakesDetachAsLongOrShortFlag() {
        ParseResult shortFlag = parse("run", "-d", "c1").subcommand();
        assertTrue(shortFlag.matchedOptionValue("--detach", false));
        assertEquals("c1", shortFlag.matchedPositionalValue(0, ""));
        ParseResult longFlag = parse("run", "--detach", "--bundle", "/b", "--keep", "c1").subcommand();
        assertTrue(longFlag.matchedOptionValue("--detach", false));
        assertTrue(longFlag.matchedOptionValue("--keep", false));
        assertEquals("/b", longFlag.matchedOptionValue("--bundle", ""));
        assertFalse(parse("run", "c1").subcommand().matchedOptionValue("--detach", false));
    }

    @Test
    void createTakesRuncsFlags() {
        ParseResult sub = parse("create", "-b", "/bundle", "--pid-file", "/run/c1.pid", "--console-socket",
                "/tmp/console.sock", "--no-pivot", "--no-new-keyring", "--preserve-fds", "2", "c1").subcommand();
        assertEquals("/bundle", sub.matchedOptionValue("--bundle", ""));
        assertEquals("/run/c1.pid", sub.matchedOptionValue("--pid-file", null));
        assertEquals("/tmp/console.sock", sub.matchedOptionValue("--console-socket", null));
        assertTrue(sub.matchedOptionValue("--no-pivot", false));
        assertTrue(sub.matchedOptionValue("--no-new-keyring", false));
        assertEquals("2", sub.matchedOptionValue("--preserve-fds", "0"));
        assertEquals("c1", sub.matchedPositionalValue(0, ""));
        ParseResult bare = parse("create", "c1").subcommand();
        assertNull(bare.matchedOptionValue("--pid-file", null));
        refused("create", "a", "b");
    }

    @Test
    void listTakesFormatAndQuiet() {
        ParseResult sub = parse("list", "-f", "json", "-q").subcommand();
        assertEquals("json", sub.matchedOptionValue("--format", "table"));
        assertTrue(sub.matchedOptionValue("--quiet", false));
        assertEquals("json", parse("list", "--format=json").subcommand().matchedOptionValue("--format", "table"));
    }

    @Test
    void specTakesBundleAndRootless() {
        ParseResult sub = parse("spec", "--rootless", "-b", "/bundle").subcommand();
        assertTrue(sub.matchedOptionValue("--rootless", false));
        assertEquals("/bundle", sub.matchedOptionValue("--bundle", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpIsRecognisedForTheProgramAndEachCommand(String help) {
        assertTrue(parse(help).isUsageHelpRequested());
        for (String cmd : List.of("spec", "create", "run", "start", "state", "list", "kill", "delete")) {
            // Required ids are not asked for when help is.
            ParseResult sub = parse(cmd, help).subcommand();
            assertTrue(sub.isUsageHelpRequested(), cmd);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-v"})
    void versionIsRecognised(String flag) {
        assertTrue(parse(flag).isVersionHelpRequested());
    }

    @Test
    void unknownCommandsAndOptionsAreRefused() {
        refused("frobnicate");
        refused("--frobnicate", "list");
        refused("state", "--frobnicate", "c1");
    }

    // Regression (found by this test, since fixed): Commands.id() (Commands.java:94) and the delete ID
    // positional (Commands.java:71) are built with arity "1"/"1..*" but without .required(true); with
    // picocli's programmatic API a positional is only required when required(true) is set, so a missing
    // id is not detected: `javarun delete` then dies with a NullPointerException in Main.delete
    // (Main.java:123, c.matchedPositional(0) is null), and `javarun start`/`kill`/`state` go on with an
    // empty id. runc refuses with `"delete" requires a minimum of 1 argument` / `"start" requires
    // exactly 1 argument(s)` and exit status 1.
    @ParameterizedTest
    @ValueSource(strings = {"create", "run", "start", "state", "kill", "delete"})
    void aMissingIdIsRefused(String command) {
        refused(command);
    }
}
