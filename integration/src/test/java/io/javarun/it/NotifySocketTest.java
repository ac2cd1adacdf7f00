package io.javarun.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * NOTIFY_SOCKET (systemd's sd_notify): `run -d` in a unit of Type=notify returns once the
 * container said READY=1 (not before: it wrote a file first), and systemd hears READY=1 and the
 * container's MAINPID, as with runc. A
 * Python datagram socket plays systemd; a static C program in the rootfs plays the service.
 */
class NotifySocketTest extends ItBase {
    private static final String NOTIFIER = String.join("\n",
            "#include <stdlib.h>",
            "#include <string.h>",
            "#include <sys/socket.h>",
            "#include <sys/un.h>",
            "int main(int argc, char **argv) {",
            "    const char *p = getenv(\"NOTIFY_SOCKET\");",
            "    struct sockaddr_un a = { .sun_family = AF_UNIX };",
            "    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);",
            "    if (!p || fd < 0 || argc < 2) return 2;",
            "    strncpy(a.sun_path, p, sizeof(a.sun_path) - 1);",
            "    return sendto(fd, argv[1], strlen(argv[1]), 0, (struct sockaddr *)&a, sizeof(a)) < 0 ? 3 : 0;",
            "}",
            "");

    private static final String SYSTEMD = String.join("\n",
            "import socket, sys, os",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s.bind(sys.argv[1])",
            "s.settimeout(30)",
            "while True:",
            "    d = s.recv(4096).decode()",
            "    print(d, end='|', flush=True)",
            "    if d.startswith('MAINPID='):",
            "        break",
            "");

    @BothRuntimes
    void runDetachedWaitsForReadyAndSystemdHearsIt(Kind kind) throws Exception {
        Harness h = harness(kind);
        Path work = h.hostDir("notify");
        Files.writeString(work.resolve("sdnotify.c"), NOTIFIER);
        Bundle b = h.newBundle();
        Procs.run(work, "gcc", "-static", "-O2", "-o", b.rootfs().resolve("bin/sdnotify").toString(),
                work.resolve("sdnotify.c").toString());
        // The service: not ready at once, a status first, then READY=1; it keeps running.
        b.sh("sleep 0.3; echo $NOTIFY_SOCKET > /dev/shm/where; sdnotify STATUS=warming; sdnotify READY=1; exec sleep 1000");
        b.write();
        // Unix socket paths are limited to 108 bytes: the stand-in's socket and the runtime's state
        // (<root>/<id>/notify/notify.sock, runc's layout too) live in a short directory of their own.
        Path shortDir = Files.createTempDirectory(Path.of("/tmp"), "jrn");
        Path socket = shortDir.resolve("s.sock");
        Path root = shortDir.resolve("root");
        Files.writeString(work.resolve("systemd.py"), SYSTEMD);
        Process systemd = new ProcessBuilder("python3", work.resolve("systemd.py").toString(), socket.toString())
                .redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 500 && !Files.exists(socket); i++) {
                Thread.sleep(10);
            }
            assertTrue(Files.exists(socket), "the stand-in for systemd is listening");
            String id = h.newId("notify");
            List<String> cmd = new java.util.ArrayList<>(List.of("env", "NOTIFY_SOCKET=" + socket));
            cmd.addAll(Runtime.baseCommand(kind));
            cmd.addAll(List.of("--root", root.toString()));
            List<String> run = new java.util.ArrayList<>(cmd);
            run.addAll(List.of("run", "-d", "--bundle", b.dir().toString(), id));
            // Output to files: the detached container inherits the runtime's stdio, so a pipe
            // would never reach end of file while it runs.
            Process runtime = new ProcessBuilder(run).redirectErrorStream(true)
                    .redirectOutput(work.resolve("run.out").toFile()).start();
            assertTrue(runtime.waitFor(30, TimeUnit.SECONDS), "run -d returned");
            assertEquals(0, runtime.exitValue(), Files.readString(work.resolve("run.out")));
            List<String> state = new java.util.ArrayList<>(cmd);
            state.addAll(List.of("state", id));
            int pid = Json.parse(Procs.run(work, state.toArray(new String[0]))).get("pid").asInt();
            h.recordPid(pid);
            assertTrue(systemd.waitFor(10, TimeUnit.SECONDS), "systemd heard MAINPID");
            String heard = new String(systemd.getInputStream().readAllBytes());
            // runc's relay: READY=1 and MAINPID only (STATUS and the like are dropped).
            assertEquals("READY=1\n|MAINPID=" + pid + "\n|", heard);
            // run -d returned only after READY=1: the service had written its file by then.
            List<String> exec = new java.util.ArrayList<>(cmd);
            exec.addAll(List.of("exec", id, "cat", "/dev/shm/where"));
            assertEquals("/run/notify/notify.sock\n", Procs.run(work, exec.toArray(new String[0])));
            List<String> delete = new java.util.ArrayList<>(cmd);
            delete.addAll(List.of("delete", "-f", id));
            Procs.run(work, delete.toArray(new String[0]));
            h.assertNothingLeft(id, b);
            assertTrue(!Files.exists(root.resolve(id)), "the state directory is removed");
        } finally {
            systemd.destroyForcibly();
            Procs.runUnchecked(work, "rm", "-rf", "--one-file-system", shortDir.toString());
        }
    }
}
