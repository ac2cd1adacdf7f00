package io.javarun.it.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.javarun.it.Procs;
import io.javarun.protos.task.CloseIORequest;
import io.javarun.protos.task.TaskService;
import io.javarun.protos.task.UpdateTaskRequest;
import io.javarun.ttrpc.CallContext;
import io.javarun.ttrpc.TtrpcClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Task RPCs that ctr 1.6 has no verb for (Update, CloseIO), called on the shim's own socket with
 * javarun's ttrpc client, as containerd (CRI's UpdateContainerResources, an attach that ends
 * stdin) would. Side by side with runc's shim.
 */
class ShimApiTest extends ContainerdTests {

    private static TaskService.Client client(TtrpcClient c) {
        return new TaskService.Client(c);
    }

    private static Map<String, String> ns() {
        return Map.of(CallContext.NAMESPACE_KEY, ctd.namespace());
    }

    private static TtrpcClient connect(String id) throws Exception {
        String address = Files.readString(ctd.dir().resolve("state/io.containerd.runtime.v2.task")
                .resolve(ctd.namespace()).resolve(id).resolve("address")).trim();
        return TtrpcClient.connect(Path.of(address.substring("unix://".length())));
    }

    /** Update with LinuxResources JSON, as CRI sends it: the memory limit changes live. */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.RUNC, Containerd.JAVARUN})
    void updateChangesTheMemoryLimit(String runtime) throws Exception {
        String id = "upd-" + runtime.hashCode();
        ctd.ctr("run", "-d", "--runtime", runtime, Containerd.IMAGE, id, "sleep", "300").ok();
        try (TtrpcClient c = connect(id)) {
            String json = "{\"memory\":{\"limit\":67108864}}";
            client(c).update(UpdateTaskRequest.newBuilder().setId(id).setResources(Any.newBuilder()
                    .setTypeUrl("types.containerd.io/opencontainers/runtime-spec/1/LinuxResources")
                    .setValue(ByteString.copyFromUtf8(json))).build(), ns(), Duration.ofSeconds(10));
        }
        int pid = Integer.parseInt(ctd.ctr("tasks", "ls").text().lines().filter(l -> l.startsWith(id + " "))
                .findFirst().orElseThrow().trim().split("\\s+")[1]);
        String memoryLine = Procs.read(Path.of("/proc/" + pid + "/cgroup")).orElseThrow().lines()
                .filter(l -> l.split(":")[1].equals("memory")).findFirst().orElseThrow();
        assertEquals("67108864", Files.readString(Path.of("/sys/fs/cgroup/memory" + memoryLine.split(":", 3)[2],
                "memory.limit_in_bytes")).trim());
        ctd.ctr("tasks", "kill", "-s", "KILL", id).ok();
        for (int i = 0; i < 100 && !ctd.ctr("tasks", "ls").text().matches("(?s).*" + id + "\\s+\\d+\\s+STOPPED.*"); i++) {
            Thread.sleep(100);
        }
        ctd.ctr("tasks", "rm", id).ok();
        ctd.ctr("containers", "rm", id).ok();
    }

    /**
     * CloseIO on stdin ends the process's stdin at once, even while a client still holds the FIFO
     * (javarun's only: runc's shim ends it only when the client has closed its end too).
     */
    @ParameterizedTest
    @ValueSource(strings = {Containerd.JAVARUN})
    void closeIoEndsStdin(String runtime) throws Exception {
        String id = "cio-" + runtime.hashCode();
        Path out = ctd.dir().resolve("closeio-" + runtime + ".out");
        ProcessBuilder pb = new ProcessBuilder("ctr", "-a", ctd.dir().resolve("c.sock").toString(), "-n",
                ctd.namespace(), "run", "--rm", "--runtime", runtime, Containerd.IMAGE, id, "sh", "-c",
                "cat; echo stdin-closed").redirectErrorStream(true).redirectOutput(out.toFile());
        Process ctr = pb.start(); // its stdin: a pipe this test keeps open
        try {
            for (int i = 0; i < 100 && !ctd.ctr("tasks", "ls").text().matches("(?s).*" + id + "\\s+\\d+\\s+RUNNING.*"); i++) {
                Thread.sleep(100);
            }
            ctr.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            ctr.getOutputStream().flush();
            Thread.sleep(300);
            try (TtrpcClient c = connect(id)) {
                client(c).closeIO(CloseIORequest.newBuilder().setId(id).setStdin(true).build(), ns(),
                        Duration.ofSeconds(10));
            }
            assertTrue(ctr.waitFor(20, TimeUnit.SECONDS), "the task ended after CloseIO: " + Files.readString(out));
            assertEquals("hello\nstdin-closed\n", Files.readString(out).replace("\r", ""));
        } finally {
            ctr.destroyForcibly();
            ctd.ctr("tasks", "kill", "-s", "KILL", id);
            ctd.ctr("tasks", "rm", "-f", id);
            ctd.ctr("containers", "rm", id);
        }
    }
}
