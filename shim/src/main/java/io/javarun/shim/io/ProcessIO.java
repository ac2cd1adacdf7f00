package io.javarun.shim.io;

import io.javarun.linux.ErrnoException;
import io.javarun.linux.LinuxNative;
import io.javarun.process.Children;
import io.javarun.process.Stdio;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stdio of one container process, as containerd asked for it: FIFOs (the default), a
 * {@code binary://} logger, a {@code file://} or nothing (/dev/null), with or without a terminal.
 * The process gets pipes (or the file, or a pty made inside the container and handed to us over a
 * console socket); copier threads move the bytes to and from containerd's FIFOs.
 */
public final class ProcessIO implements AutoCloseable {
    private final String stdin;
    private final String stdout;
    private final String stderr;
    private final boolean terminal;
    /** Fds the process gets; ours are closed once it has them. */
    private final List<Integer> handedOver = new ArrayList<>();
    private final List<Copier> outputs = new ArrayList<>();
    private Copier input;
    private Stdio stdio;
    private Console console;
    private int master = -1;
    private int stdinFifoWriter = -1;

    private ProcessIO(String stdin, String stdout, String stderr, boolean terminal) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
    }

    /**
     * Prepares the stdio; {@code consoleDir} (a short, private directory) holds the console
     * socket of a terminal. {@code id} and {@code namespace} go to a binary logger's environment.
     */
    public static ProcessIO open(String id, String namespace, String stdin, String stdout, String stderr,
            boolean terminal, Path consoleDir) throws IOException {
        ProcessIO io = new ProcessIO(stdin, stdout, stderr, terminal);
        try {
            io.prepare(id, namespace, consoleDir);
        } catch (ErrnoException e) {
            io.close();
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            io.close();
            throw e;
        }
        return io;
    }

    private void prepare(String id, String namespace, Path consoleDir) throws IOException, ErrnoException {
        int devNull = handOver(LinuxNative.open("/dev/null", LinuxNative.O_RDWR, 0));
        if (terminal) {
            console = Console.listen(consoleDir);
            stdio = new Stdio(devNull, devNull, devNull);
            return;
        }
        URI out = uri(stdout);
        if (out != null && "binary".equals(out.getScheme())) {
            stdio = binaryLogger(id, namespace, out, devNull);
            return;
        }
        if (out != null && "file".equals(out.getScheme())) {
            Path file = Path.of(out.getPath());
            Files.createDirectories(file.getParent());
            int fd = handOver(LinuxNative.open(file.toString(),
                    LinuxNative.O_WRONLY | LinuxNative.O_CREAT | LinuxNative.O_APPEND, 0644));
            stdio = new Stdio(devNull, fd, fd);
            return;
        }
        int in = devNull;
        if (!stdin.isEmpty()) {
            int[] p = LinuxNative.pipe();
            in = handOver(p[0]);
            input = new Copier("stdin", fifoPath(stdin), p[1]);
        }
        stdio = new Stdio(in, outputPipe("stdout", stdout, devNull), outputPipe("stderr", stderr, devNull));
    }

    /** A pipe for one output stream, copied to its FIFO (opened read+write, as containerd's shims do). */
    private int outputPipe(String name, String fifo, int devNull) throws ErrnoException {
        if (fifo.isEmpty()) {
            return devNull;
        }
        int target = LinuxNative.open(fifoPath(fifo), LinuxNative.O_RDWR, 0);
        int[] p;
        try {
            p = LinuxNative.pipe();
        } catch (ErrnoException e) {
            LinuxNative.closeQuietly(target);
            throw e;
        }
        outputs.add(new Copier(name, p[0], target));
        return handOver(p[1]);
    }

    /**
     * containerd's binary logger: {@code path k v ...} with CONTAINER_ID and CONTAINER_NAMESPACE,
     * stdout's pipe on fd 3, stderr's on fd 4, and fd 5 a pipe it closes once it is ready.
     */
    private Stdio binaryLogger(String id, String namespace, URI uri, int devNull) throws ErrnoException, IOException {
        List<String> argv = new ArrayList<>();
        argv.add(uri.getPath());
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), "UTF-8");
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), "UTF-8");
                argv.add(k);
                if (!v.isEmpty()) {
                    argv.add(v);
                }
            }
        }
        int[] out = LinuxNative.pipe();
        int[] err = LinuxNative.pipe();
        int[] ready = LinuxNative.pipe();
        try {
            int logger = Children.current().spawn(uri.getPath(), argv.toArray(new String[0]),
                    new String[] {"CONTAINER_ID=" + id, "CONTAINER_NAMESPACE=" + namespace, "PATH=/usr/sbin:/usr/bin:/sbin:/bin"},
                    new int[] {devNull, 0, devNull, 1, devNull, 2, out[0], 3, err[0], 4, ready[1], 5}, false);
            // It ends when the process's output does; nobody waits for it.
            Children.current().release(logger);
        } catch (ErrnoException e) {
            LinuxNative.closeQuietly(out[0], out[1], err[0], err[1], ready[0], ready[1]);
            throw new IOException("start logging binary " + uri.getPath() + ": " + e.getMessage(), e);
        }
        LinuxNative.closeQuietly(out[0], err[0], ready[1]);
        try {
            byte[] b = new byte[1];
            while (LinuxNative.read(ready[0], b, 0, 1) > 0) {
                continue;
            }
        } finally {
            LinuxNative.closeQuietly(ready[0]);
        }
        return new Stdio(devNull, handOver(out[1]), handOver(err[1]));
    }

    private int handOver(int fd) {
        handedOver.add(fd);
        return fd;
    }

    /** The fds the process is to get as 0, 1 and 2. */
    public Stdio stdio() {
        return stdio;
    }

    /** The console socket path for a terminal, else null. */
    public String consoleSocket() {
        return console == null ? null : console.path().toString();
    }

    /**
     * The process has its stdio: close our copies of its ends (so its exit gives the copiers end
     * of file), take a terminal's master, and start copying.
     */
    public void started() throws IOException {
        for (int fd : handedOver) {
            LinuxNative.closeQuietly(fd);
        }
        handedOver.clear();
        if (console != null) {
            // Each copier closes its own fds when done: each gets its own copy of the master,
            // and ours stays open for ResizePty until close().
            try {
                master = console.takeMaster();
                if (!stdout.isEmpty()) {
                    outputs.add(new Copier("tty-out", LinuxNative.dup(master),
                            LinuxNative.open(fifoPath(stdout), LinuxNative.O_RDWR, 0)));
                }
                if (!stdin.isEmpty()) {
                    input = new Copier("tty-in", fifoPath(stdin), LinuxNative.dup(master));
                }
            } catch (ErrnoException e) {
                throw new IOException("connect the terminal to " + stdout + ": " + e.getMessage(), e);
            }
        }
        for (Copier c : outputs) {
            c.start();
        }
        if (input != null) {
            input.start();
        }
    }

    /** The pty master when a terminal was asked for, else -1 (ResizePty needs it). */
    public int master() {
        return master;
    }

    /** CloseIO: the process's stdin reaches end of file. */
    public void closeStdin() {
        if (input != null) {
            input.closeDestination();
            input.unblockOpen();
        }
    }

    /** Waits (up to {@code millis}) until everything the process wrote has been copied out. */
    public boolean awaitOutput(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        for (Copier c : outputs) {
            if (!c.awaitEnd(Math.max(1, deadline - System.currentTimeMillis()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Releases everything: ends never handed over, copies never started (a create that failed),
     * a stdin copy still waiting for its client, the console.
     */
    @Override
    public void close() {
        for (int fd : handedOver) {
            LinuxNative.closeQuietly(fd);
        }
        handedOver.clear();
        for (Copier c : outputs) {
            c.discardIfUnstarted();
        }
        if (input != null) {
            input.discardIfUnstarted();
        }
        closeStdin();
        if (console != null) {
            console.close();
        }
        if (master >= 0) {
            LinuxNative.closeQuietly(master);
            master = -1;
        }
    }

    private static URI uri(String s) throws IOException {
        if (s.isEmpty()) {
            return null;
        }
        try {
            URI u = new URI(s);
            return u.getScheme() == null ? null : u;
        } catch (URISyntaxException e) {
            // A plain FIFO path with characters a URI does not allow.
            return null;
        }
    }

    /** A FIFO given as a path or as fifo://path. */
    private static String fifoPath(String s) {
        return s.startsWith("fifo://") ? s.substring("fifo://".length()) : s;
    }
}
