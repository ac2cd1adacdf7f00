package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code process.terminal} with {@code --console-socket}: the runtime sends the pty master over an
 * AF_UNIX socket (SCM_RIGHTS), as containerd and conmon receive it. Plain Java cannot receive an
 * fd, so the receiving end is a small Python 3 script ({@code socket.recv_fds}).
 */
class TerminalTest extends ItBase {
    /**
     * console.py SOCKET LINE: listens on SOCKET, prints "listening", accepts one connection, prints
     * "fds=N name=DATA" for the message it gets, then reads the pty master until the container
     * side closes (EIO), typing LINE once the output shows a /dev/pts/ path. Prints "--- pty ---"
     * and what it read, with the terminal's \r removed. Gives up after 60 s.
     */
    private static final String CONSOLE_PY = String.join("\n",
            "import os, select, socket, sys, time",
            "path, line = sys.argv[1], sys.argv[2]",
            "srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
            "srv.bind(path)",
            "srv.listen(1)",
            "print('listening', flush=True)",
            "srv.settimeout(60)",
            "conn, _ = srv.accept()",
            "msg, fds, flags, addr = socket.recv_fds(conn, 4096, 4)",
            "conn.close()",
            "srv.close()",
            "print('fds=%d name=%s' % (len(fds), msg.decode(errors='replace')), flush=True)",
            "out = b''",
            "sent = False",
            "deadline = time.monotonic() + 60",
            "while fds and time.monotonic() < deadline:",
            "    r, _, _ = select.select([fds[0]], [], [], 1)",
            "    if not r:",
            "        continue",
            "    try:",
            "        data = os.read(fds[0], 4096)",
            "    except OSError:",
            "        break",
            "    if not data:",
            "        break",
            "    out += data",
            "    if not sent and b'/dev/pts/' in out:",
            "        os.write(fds[0], line.encode() + b'\\n')",
            "        sent = True",
            "print('--- pty ---', flush=True)",
            "sys.stdout.write(out.decode(errors='replace').replace('\\r', ''))",
            "");

    /** A console socket's receiving end: the Python script, listening; killed by {@link #close()}. */
    private static final class ConsoleReceiver implements AutoCloseable {
        private final Path tmp;
        private final Path socket;
        private final Path output;
        private final Process process;

        ConsoleReceiver(Harness h, String line) throws IOException {
            Path script = h.dir().resolve("console.py");
            Files.writeString(script, CONSOLE_PY, StandardCharsets.UTF_8);
            // A short path: sun_path holds 108 bytes, the harness directory can be deep.
            tmp = Files.createTempDirectory("jr-console-");
            socket = tmp.resolve("s");
            output = h.dir().resolve("console-" + System.nanoTime() + ".out");
            process = new ProcessBuilder("python3", script.toString(), socket.toString(), line)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!output().startsWith("listening\n")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the console socket helper (python3) is not listening on " + socket
                            + " after 30s: " + output());
                }
                Leftovers.sleep(20);
            }
        }

        Path socket() {
            return socket;
        }

        String output() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits for the helper to finish (the container closed its end of the pty) and returns what it printed. */
        String await() throws InterruptedException {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError("the console socket helper did not finish within 90s: " + output());
            }
            assertEquals(0, process.exitValue(), "console socket helper failed: " + output());
            return output();
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(tmp);
        }
    }

    /** Each entry is a regex (case-insensitive) that must be found in stderr. */
    private static void assertMentions(Result r, String... regexes) {
        for (String re : regexes) {
            assertTrue(Pattern.compile(re, Pattern.CASE_INSENSITIVE).matcher(r.stderr()).find(),
                    "the error should mention /" + re + "/: " + r);
        }
    }

    /**
     * create --console-socket: the socket receives one fd, the pty master (named /dev/ptmx, as runc
     * names it); the container's stdio is the pty's slave, its controlling terminal; what is typed on
     * the master reaches the process and its output comes back.
     */
    @BothRuntimes
    void consoleSocketReceivesThePtyMaster(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        b.process().put("terminal", true);
        b.sh("tty; read -r pid comm state ppid pgrp session ttynr tpgid rest < /proc/$$/stat; "
                + "echo \"stat: pid=$pid session=$session tty_nr=$ttynr pgrp=$pgrp tpgid=$tpgid\"; "
                + "echo \"stdio: $(readlink /proc/$$/fd/0) $(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)\"; "
                + "read line; echo got:$line");
        String id = h.newId("console");
        try (ConsoleReceiver console = new ConsoleReceiver(h, "hello-pty")) {
            Result create = h.create(b, id, "--console-socket", console.socket().toString()).ok();
            h.start(id).ok();
            String out = console.await();
            h.awaitStatus(id, "stopped");
            assertEquals("", create.stdoutNow(), "the process writes to the terminal, not to create's stdout");

            List<String> lines = List.of(out.split("\n"));
            assertEquals("listening", lines.get(0), out);
            assertEquals("fds=1 name=/dev/ptmx", lines.get(1), "one fd, the pty master, named as runc names it: " + out);
            String pty = out.substring(out.indexOf("--- pty ---\n") + "--- pty ---\n".length());
            List<String> ptyLines = List.of(pty.split("\n"));
            // The pty comes from the container's own devpts instance, where it is the first one.
            assertEquals("/dev/pts/0", ptyLines.get(0), "tty prints the terminal: " + out);
            // pid 1 leads its session, /dev/pts/0 (136:0) is its controlling terminal, its group the foreground one.
            assertTrue(ptyLines.contains("stat: pid=1 session=1 tty_nr=" + (136 << 8) + " pgrp=1 tpgid=1"), out);
            assertTrue(ptyLines.contains("stdio: /dev/pts/0 /dev/pts/0 /dev/pts/0"), "stdin, stdout and stderr are the pty: " + out);
            assertTrue(ptyLines.contains("hello-pty"), "the terminal echoes what is typed: " + out);
            assertTrue(ptyLines.contains("got:hello-pty"), "what is typed on the master reaches the process: " + out);
        }
        h.delete(id).ok();
        h.assertNothingLeft(id, b);
    }

    /** terminal true without --console-socket: create (and run -d) cannot hand the terminal to anyone, and refuse. */
    @BothRuntimes
    void terminalWithoutConsoleSocketIsRefused(Kind kind) {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh("echo ran");
        b.process().put("terminal", true);
        String id = h.newId("noconsole");
        Result create = h.create(b, id).failed();
        h.assertNothingLeft(id, b);
        String detached = h.newId("noconsoled");
        Result run = h.run(b, detached, "-d").failed();
        h.assertNothingLeft(detached, b);
        for (Result r : List.of(create, run)) {
            assertFalse(r.stdout().contains("ran"), "the process must not run: " + r);
            if (h.rt().isJavarun()) {
                assertMentions(r, "console[- ]socket", "terminal|tty");
            } else {
                assertTrue(r.stderr().contains("cannot allocate tty if runc will detach without setting console socket"), r.toString());
            }
        }
        if (h.rt().isJavarun()) {
            assertMentions(create, Pattern.quote(id));
        }
    }

    /** --console-socket with terminal false: nothing to send; create, run -d and run all refuse. */
    @BothRuntimes
    void consoleSocketWithoutTerminalIsRefused(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh("echo ran");
        try (ConsoleReceiver console = new ConsoleReceiver(h, "unused")) {
            String socket = console.socket().toString();
            String a = h.newId("sockonly");
            String c = h.newId("sockonlyd");
            String f = h.newId("sockonlyf");
            List<Result> results = List.of(h.create(b, a, "--console-socket", socket).failed(),
                    h.run(b, c, "-d", "--console-socket", socket).failed(),
                    h.run(b, f, "--console-socket", socket).failed());
            for (String id : List.of(a, c, f)) {
                h.assertNothingLeft(id, b);
            }
            for (Result r : results) {
                assertFalse(r.stdout().contains("ran"), "the process must not run: " + r);
                if (h.rt().isJavarun()) {
                    assertMentions(r, "console[- ]socket", "terminal|tty");
                } else {
                    assertTrue(r.stderr().contains("cannot use console socket if runc will not detach or allocate tty"), r.toString());
                }
            }
            assertEquals("listening\n", console.output(), "nothing was sent to the socket");
        }
    }

    /**
     * A foreground run has the runtime's own stdio to use: runc refuses --console-socket there
     * ("cannot use console socket if runc will not detach or allocate tty"), even with terminal true.
     */
    @BothRuntimes
    void foregroundRunWithConsoleSocketIsRefused(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().sh("echo ran");
        b.process().put("terminal", true);
        String id = h.newId("fgconsole");
        try (ConsoleReceiver console = new ConsoleReceiver(h, "unused")) {
            Result r = h.run(b, id, "--console-socket", console.socket().toString()).failed();
            h.assertNothingLeft(id, b);
            assertMentions(r, "console[- ]socket");
            assertEquals("listening\n", console.output(), "nothing was sent to the socket");
        }
    }
}
