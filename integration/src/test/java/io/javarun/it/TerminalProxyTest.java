package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A foreground `run` (terminal true) and `exec -t` without --console-socket, from a terminal: the
 * runtime relays its own terminal to the container's pty, as runc does. A Python pty stands in for
 * the user's terminal: it sets a window size, waits for the container's first line, types a line,
 * and records everything the runtime wrote.
 */
class TerminalProxyTest extends ItBase {
    private static final String PTY_USER = String.join("\n",
            "import os, pty, sys, time, struct, fcntl, termios",
            "pid, fd = pty.fork()",
            "if pid == 0:",
            "    os.execvp(sys.argv[1], sys.argv[1:])",
            "fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 33, 111, 0, 0))",
            "out, sent, end = b'', False, time.time() + 30",
            "while time.time() < end:",
            "    try:",
            "        d = os.read(fd, 1024)",
            "    except OSError:",
            "        break",
            "    if not d:",
            "        break",
            "    out += d",
            "    if not sent and out.count(b'\\n') >= 1:",
            "        os.write(fd, b'typed\\r')",
            "        sent = True",
            "_, st = os.waitpid(pid, 0)",
            "sys.stdout.write(out.decode('utf-8', 'replace').replace('\\r', ''))",
            "sys.exit(os.waitstatus_to_exitcode(st))",
            "");

    /**
     * The size is asked after the typed line: runc sets the pty's size only after start, and a
     * `stty size` right away sometimes raced it (runc's own output then lacked the size).
     */
    private static final String SCRIPT = "tty; read x; stty size; echo got:$x; exit 5";

    private static List<String> ptyUser(Harness h) throws Exception {
        Path script = h.hostDir("pty").resolve("pty_user.py");
        Files.writeString(script, PTY_USER);
        return List.of("python3", script.toString());
    }

    @BothRuntimes
    void foregroundRunRelaysTheTerminal(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle();
        b.process().put("terminal", true);
        b.sh(SCRIPT);
        b.write();
        String id = h.newId("ttyrun");
        Result r = h.startWrapped(ptyUser(h), "run", "--bundle", b.dir().toString(), id).await(Duration.ofSeconds(40));
        assertEquals(5, r.exitCode(), r.toString());
        assertEquals("/dev/pts/0\ntyped\n33 111\ngot:typed\n", r.stdout(), r.toString());
        h.assertNothingLeft(id, b);
    }

    @BothRuntimes
    void execWithTtyRelaysTheTerminal(Kind kind) throws Exception {
        Harness h = harness(kind);
        Bundle b = h.newBundle().args("sleep", "1000");
        String id = h.newId("ttyexec");
        h.run(b, id, "-d").ok();
        h.recordPid(h.state(id).get("pid").asInt());
        Result r = h.startWrapped(ptyUser(h), "exec", "-t", id, "sh", "-c", SCRIPT).await(Duration.ofSeconds(40));
        assertEquals(5, r.exitCode(), r.toString());
        assertEquals("/dev/pts/0\ntyped\n33 111\ngot:typed\n", r.stdout(), r.toString());
        h.delete("-f", id).ok();
        h.assertNothingLeft(id, b);
    }
}
