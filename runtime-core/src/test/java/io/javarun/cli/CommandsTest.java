package io.javarun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandsTest {

    /** The global flags and the command, parsed as Main does (help is not checked here). */
    private record Line(ArgParser.Parsed global, ArgParser.Parsed cmd) {
    }

    private static Line parse(String... args) throws ArgParser.UsageException {
        ArgParser.Parsed g = ArgParser.parse(Commands.GLOBAL, List.of(args), true);
        if (g.args.isEmpty()) {
            return new Line(g, null);
        }
        ArgParser.Command c = Commands.find(g.args.get(0));
        if (c == null) {
            throw new ArgParser.UsageException("unknown command " + g.args.get(0));
        }
        ArgParser.Parsed p = ArgParser.parse(c, g.args.subList(1, g.args.size()), false);
        if (!p.help) {
            ArgParser.checkArgs(p);
        }
        return new Line(g, p);
    }

    private static ArgParser.Parsed cmd(String... args) throws ArgParser.UsageException {
        return parse(args).cmd();
    }

    private static void refused(String... args) {
        assertThrows(ArgParser.UsageException.class, () -> parse(args));
    }

    @Test
    void globalOptionsComeBeforeTheCommand() throws Exception {
        Line l = parse("--root", "/tmp/state", "--log", "/tmp/log.json", "--log-format", "json", "--debug",
                "state", "c1");
        assertEquals("/tmp/state", l.global().value("root"));
        assertEquals("/tmp/log.json", l.global().value("log"));
        assertEquals("json", l.global().value("log-format"));
        assertTrue(l.global().bool("debug"));
        assertEquals("state", l.cmd().command.name());
        assertEquals("c1", l.cmd().arg(0, ""));
    }

    @Test
    void goStyleSingleDashLongFlagsAndEqualsValuesWork() throws Exception {
        // Go's flag package (runc) accepts -root as well as --root, and --x=v.
        Line l = parse("-root", "/tmp/a", "--log-format=json", "list", "-format=json");
        assertEquals("/tmp/a", l.global().value("root"));
        assertEquals("json", l.global().value("log-format"));
        assertEquals("json", l.cmd().value("format"));
    }

    @Test
    void globalOptionsAfterTheCommandAreRefusedAsRuncDoes() {
        refused("list", "--root", "/tmp/state");
    }

    @Test
    void withoutGlobalOptionsTheDefaultsApply() throws Exception {
        Line l = parse("list");
        assertEquals(Commands.DEFAULT_ROOT, l.global().value("root"));
        assertFalse(l.global().bool("debug"));
        assertEquals("text", l.global().value("log-format"));
    }

    @Test
    void deleteTakesSeveralIds() throws Exception {
        ArgParser.Parsed sub = cmd("delete", "-f", "a", "b", "c");
        assertEquals("delete", sub.command.name());
        assertEquals(List.of("a", "b", "c"), sub.args);
        assertTrue(sub.bool("force"));
        ArgParser.Parsed one = cmd("delete", "only");
        assertEquals(List.of("only"), one.args);
        assertFalse(one.bool("force"));
        // Flags after the ids are still flags for commands that do not run a process.
        assertTrue(cmd("delete", "a", "--force").bool("force"));
    }

    @Test
    void killTakesAnOptionalSignal() throws Exception {
        ArgParser.Parsed dflt = cmd("kill", "c1");
        assertEquals("c1", dflt.arg(0, ""));
        assertEquals("SIGTERM", dflt.arg(1, "SIGTERM"));
        ArgParser.Parsed kill = cmd("kill", "--all", "c1", "KILL");
        assertEquals("KILL", kill.arg(1, "SIGTERM"));
        assertTrue(kill.bool("all"));
        assertEquals("9", cmd("kill", "-a", "c1", "9").arg(1, "SIGTERM"));
        refused("kill", "c1", "KILL", "extra");
    }

    @Test
    void runTakesDetachAsLongOrShortFlag() throws Exception {
        ArgParser.Parsed shortFlag = cmd("run", "-d", "c1");
        assertTrue(shortFlag.bool("detach"));
        assertEquals("c1", shortFlag.arg(0, ""));
        ArgParser.Parsed longFlag = cmd("run", "--detach", "--bundle", "/b", "--keep", "c1");
        assertTrue(longFlag.bool("detach"));
        assertTrue(longFlag.bool("keep"));
        assertEquals("/b", longFlag.value("bundle"));
        assertFalse(cmd("run", "c1").bool("detach"));
    }

    @Test
    void runStopsAtItsFirstPositional() {
        // What follows the id is not javarun's: run takes exactly one argument, so it is refused
        // rather than read as javarun's own --detach.
        refused("run", "c1", "--detach");
    }

    @Test
    void createTakesRuncsFlags() throws Exception {
        ArgParser.Parsed sub = cmd("create", "-b", "/bundle", "--pid-file", "/run/c1.pid", "--console-socket",
                "/tmp/console.sock", "--no-pivot", "--no-new-keyring", "--preserve-fds", "2", "c1");
        assertEquals("/bundle", sub.value("bundle"));
        assertEquals("/run/c1.pid", sub.value("pid-file"));
        assertEquals("/tmp/console.sock", sub.value("console-socket"));
        assertTrue(sub.bool("no-pivot"));
        assertTrue(sub.bool("no-new-keyring"));
        assertEquals("2", sub.value("preserve-fds"));
        assertEquals("c1", sub.arg(0, ""));
        ArgParser.Parsed bare = cmd("create", "c1");
        assertNull(bare.value("pid-file"));
        assertEquals("", bare.value("bundle"));
        assertEquals("0", bare.value("preserve-fds"));
        refused("create", "a", "b");
    }

    @Test
    void aValueFlagWithoutItsValueIsRefused() {
        refused("create", "c1", "--bundle");
    }

    @Test
    void booleanFlagsTakeOnlyTrueOrFalse() throws Exception {
        assertFalse(cmd("delete", "--force=false", "a").bool("force"));
        refused("delete", "--force=maybe", "a");
    }

    @Test
    void listTakesFormatAndQuiet() throws Exception {
        ArgParser.Parsed sub = cmd("list", "-f", "json", "-q");
        assertEquals("json", sub.value("format"));
        assertTrue(sub.bool("quiet"));
        assertEquals("json", cmd("list", "--format=json").value("format"));
        assertEquals("table", cmd("list").value("format"));
    }

    @Test
    void specTakesBundleAndRootless() throws Exception {
        ArgParser.Parsed sub = cmd("spec", "--rootless", "-b", "/bundle");
        assertTrue(sub.bool("rootless"));
        assertEquals("/bundle", sub.value("bundle"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpIsRecognisedForTheProgramAndEachCommand(String help) throws Exception {
        assertTrue(parse(help).global().help);
        for (ArgParser.Command c : Commands.ALL) {
            // Required ids are not asked for when help is.
            assertTrue(cmd(c.name(), help).help, c.name());
            assertTrue(Commands.help(c).contains("javarun " + c.name() + " - "), c.name());
        }
    }

    @Test
    void globalHelpListsEveryCommand() {
        String help = Commands.help(Commands.GLOBAL);
        for (String name : List.of("checkpoint", "create", "delete", "events", "exec", "features", "kill", "list",
                "pause", "ps", "restore", "resume", "run", "spec", "start", "state", "update")) {
            assertTrue(help.contains("\n   " + name + " "), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-v"})
    void versionIsRecognised(String flag) throws Exception {
        assertTrue(parse(flag).global().bool("version"));
    }

    @Test
    void unknownCommandsAndOptionsAreRefused() {
        refused("frobnicate");
        refused("--frobnicate", "list");
        refused("state", "--frobnicate", "c1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"create", "run", "start", "state", "kill", "delete"})
    void aMissingIdIsRefused(String command) {
        refused(command);
    }
}
