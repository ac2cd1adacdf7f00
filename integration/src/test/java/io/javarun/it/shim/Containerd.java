package io.javarun.it.shim;

import io.javarun.it.Procs;
import io.javarun.it.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real containerd (Debian's) on private paths: its own root, state, sockets and namespace, with
 * containerd-shim-javarun-v2 on its PATH pointing at this build. The busybox image is imported
 * from an OCI archive built offline. {@link #close()} stops it and removes everything it made.
 */
public final class Containerd implements AutoCloseable {
    public static final String IMAGE = "docker.io/javarun/busybox:test";
    public static final String JAVARUN = "io.containerd.javarun.v2";
    public static final String RUNC = "io.containerd.runc.v2";
    /** Where the shim keeps task state by default (as runc's shim uses /run/containerd/runc). */
    public static final Path SHIM_STATE = Path.of("/run/containerd/javarun");
    /** Where in a namespace's state javarun keeps the seccomp programs it built (SeccompCache). */
    public static final String SECCOMP_CACHE = "@seccomp-cache";

    private final Path dir;
    private final String namespace;
    private Process process;

    private Containerd(Path dir, String namespace, Process process) {
        this.dir = dir;
        this.namespace = namespace;
        this.process = process;
    }

    /** Starts containerd and imports the test image. */
    public static Containerd start() throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        // Short: containerd's sockets and the shim's must stay under 108 bytes.
        Path dir = Path.of("/tmp/jrit-" + pid);
        Procs.runUnchecked(Path.of("/"), "rm", "-rf", "--one-file-system", dir.toString());
        Files.createDirectories(dir.resolve("bin"));
        // The shim's class-data archives: made by its first runs, as in an installed shim.
        Files.createDirectories(dir.resolve("cds"));
        writeLauncher(dir.resolve("bin/containerd-shim-javarun-v2"));
        Files.writeString(dir.resolve("config.toml"), "version = 2\n"
                + "root = \"" + dir.resolve("root") + "\"\n"
                + "state = \"" + dir.resolve("state") + "\"\n"
                + "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
                + "[grpc]\n  address = \"" + dir.resolve("c.sock") + "\"\n"
                + "[ttrpc]\n  address = \"" + dir.resolve("c.sock.ttrpc") + "\"\n");
        Containerd c = new Containerd(dir, "jrit" + pid, launch(dir));
        c.awaitSocket();
        Path image = dir.resolve("busybox.tar");
        Procs.run(Path.of("/"), Repo.root().resolve("integration/image/build-busybox-image.sh").toString(),
                image.toString(), IMAGE);
        c.ctr("images", "import", image.toString()).ok();
        return c;
    }

    private static Process launch(Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("containerd.log").toFile()));
        pb.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        // A shim daemon with nothing to serve waits this long for the next pod before it exits.
        pb.environment().put("JAVARUN_SHIM_LINGER", "2");
        return pb.start();
    }

    private void awaitSocket() throws IOException, InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(dir.resolve("c.sock")); i++) {
            Thread.sleep(50);
        }
        if (!Files.exists(dir.resolve("c.sock"))) {
            close();
            throw new AssertionError("containerd did not start: " + Files.readString(dir.resolve("containerd.log")));
        }
    }

    /**
     * Stops containerd (SIGTERM, as a service manager does) and starts it again on the same
     * state: running tasks' shims are found again through their bundles' address files.
     */
    public void restart() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("containerd did not stop on SIGTERM");
        }
        Files.deleteIfExists(dir.resolve("c.sock"));
        process = launch(dir);
        awaitSocket();
    }

    /** The launcher as install.sh writes it, but over this build's jar and native parts. */
    private static void writeLauncher(Path file) throws IOException {
        Path repo = Repo.root();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String text = Files.readString(repo.resolve("shim/src/main/sh/containerd-shim-javarun-v2.in"))
                .replace("@JAVA@", java)
                .replace("@JAVA_MAJOR@", Integer.toString(Runtime.version().feature()))
                .replace("@CDS_DIR@", file.getParent().resolveSibling("cds").toString())
                .replace("@JAR@", repo.resolve("shim/target/containerd-shim-javarun-v2.jar").toString())
                .replace("@LIBEXEC@", repo.resolve("native/build").toString())
                .replace("@JVM_FLAGS@", "-XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto");
        Files.writeString(file, text);
        file.toFile().setExecutable(true);
    }

    private String manyLayers;

    /** An image of {@code layers} layers (built and imported once). */
    public synchronized String manyLayerImage(int layers) {
        String name = "docker.io/javarun/busybox:layers" + layers;
        if (!name.equals(manyLayers)) {
            Path image = dir.resolve("busybox-layers.tar");
            Procs.run(Path.of("/"), Repo.root().resolve("integration/image/build-busybox-image.sh").toString(),
                    image.toString(), name, Integer.toString(layers));
            ctr("images", "import", image.toString()).ok();
            manyLayers = name;
        }
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public Path dir() {
        return dir;
    }

    /** The task state the shim keeps for this namespace. */
    public Path shimState() {
        return SHIM_STATE.resolve(namespace);
    }

    /** The control socket of the shim daemon serving our namespace (the shim's own naming rule). */
    public Path shimControlSocket() {
        String joined = dir.resolve("c.sock") + "/" + namespace;
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte x : d) {
                hex.append(String.format("%02x", x));
            }
            return SHIM_STATE.resolve("d-" + hex);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** One ctr call in our namespace; output captured, at most 60 s. */
    public Out ctr(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", dir.resolve("c.sock").toString(), "-n", namespace));
        cmd.addAll(List.of(args));
        return Out.of(cmd, null);
    }

    /** One ctr call with {@code stdin} as its standard input. */
    public Out ctrWithInput(Path stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", dir.resolve("c.sock").toString(), "-n", namespace));
        cmd.addAll(List.of(args));
        return Out.of(cmd, stdin);
    }

    /** A ctr call with a pseudo-terminal as its stdio (script(1)), for -t. */
    public Out ctrOnTty(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", dir.resolve("c.sock").toString(), "-n", namespace));
        cmd.addAll(List.of(args));
        StringBuilder line = new StringBuilder();
        for (String a : cmd) {
            line.append('\'').append(a.replace("'", "'\\''")).append("' ");
        }
        return Out.of(List.of("script", "-qec", line.toString(), "/dev/null"), null);
    }

    /** A long-running ctr (events): its output goes to {@code out}. */
    public Process ctrInBackground(Path out, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ctr", "-a", dir.resolve("c.sock").toString(), "-n", namespace));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("containerd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * Stops containerd (the process we started), removes whatever tasks, containers and shims of
     * our namespace are left, their cgroups (containerd's default path: /NAMESPACE/ID) and our
     * directories, never across a mount.
     */
    @Override
    public void close() {
        for (String id : ctr("tasks", "ls", "-q").text().split("\n")) {
            if (!id.isBlank()) {
                ctr("tasks", "kill", "-s", "KILL", id.trim());
                ctr("tasks", "rm", "-f", id.trim());
            }
        }
        for (String id : ctr("containers", "ls", "-q").text().split("\n")) {
            if (!id.isBlank()) {
                ctr("containers", "rm", id.trim());
            }
        }
        ctr("images", "rm", IMAGE);
        if (manyLayers != null) {
            ctr("images", "rm", manyLayers);
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (String mount : mountsUnder(dir)) {
            Procs.runUnchecked(Path.of("/"), "umount", "-l", mount);
        }
        Procs.runUnchecked(Path.of("/"), "rm", "-rf", "--one-file-system", dir.toString());
        // Our namespace's own: its seccomp programs go with it.
        Procs.runUnchecked(Path.of("/"), "rm", "-rf", "--one-file-system", shimState().resolve(SECCOMP_CACHE).toString());
        try {
            Files.deleteIfExists(shimState());
        } catch (IOException e) {
            // Not empty: a test's assertion reports what is left.
        }
        for (Path controller : cgroupControllers()) {
            Path ours = controller.resolve(namespace);
            if (Files.isDirectory(ours)) {
                Procs.runUnchecked(Path.of("/"), "find", ours.toString(), "-depth", "-type", "d", "-exec", "rmdir",
                        "{}", ";");
            }
        }
    }

    /** Mount points under {@code dir}, deepest first. */
    static List<String> mountsUnder(Path dir) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String target = line.split(" ")[4];
                if (target.startsWith(dir + "/")) {
                    out.add(0, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Path> cgroupControllers() {
        List<Path> out = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(Path.of("/sys/fs/cgroup"))) {
            for (Path p : ds) {
                if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A finished command: exit code and merged output. */
    public record Out(List<String> command, int exitCode, String text) {
        static Out of(List<String> cmd, Path stdin) {
            try {
                // Output to a file, not a pipe: a hanging call then still times out (readAllBytes
                // on a pipe would wait for it forever).
                Path output = Files.createTempFile("ctr", ".out");
                try {
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(
                                    stdin == null ? new java.io.File("/dev/null") : stdin.toFile())).start();
                    if (!p.waitFor(60, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                        throw new AssertionError("timed out after 60s: " + String.join(" ", cmd) + "\n  output: "
                                + Files.readString(output));
                    }
                    return new Out(cmd, p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
                } finally {
                    Files.deleteIfExists(output);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        public Out ok() {
            if (exitCode != 0) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\n  exit code: " + exitCode + "\n  output: " + text;
        }
    }
}
