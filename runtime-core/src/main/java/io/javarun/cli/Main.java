package io.javarun.cli;

import io.javarun.container.ContainerView;
import io.javarun.container.ExecRequest;
import io.javarun.container.Containers;
import io.javarun.container.OperationException;
import io.javarun.container.RuntimeFeatures;
import io.javarun.container.RuntimeVersion;
import io.javarun.json.Json;
import io.javarun.linux.LinuxNative;
import io.javarun.process.Signals;
import io.javarun.spec.DefaultSpec;
import io.javarun.state.StateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The `javarun` command: runc's CLI on top of runtime-core. Parses, calls one operation, prints
 * what runc prints, and exits with runc's codes (1 on error, the container's code for run).
 */
public final class Main {
    private final PrintStream out = System.out;
    private Log log;
    private boolean debug;

    private Main() {}

    public static void main(String[] args) {
        System.exit(new Main().execute(args));
    }

    int execute(String[] args) {
        ArgParser.Parsed global;
        ArgParser.Parsed cmd;
        try {
            global = ArgParser.parse(Commands.GLOBAL, List.of(args), true);
            if (global.bool("version")) {
                out.print(versionText());
                return 0;
            }
            if (global.args.isEmpty()) {
                out.print(Commands.help(Commands.GLOBAL));
                return 0;
            }
            ArgParser.Command c = Commands.find(global.args.get(0));
            if (c == null) {
                throw new ArgParser.UsageException("'" + global.args.get(0) + "' is not a javarun command");
            }
            cmd = ArgParser.parse(c, global.args.subList(1, global.args.size()), false);
            if (cmd.help || global.help) {
                out.print(Commands.help(c));
                return 0;
            }
            ArgParser.checkArgs(cmd);
        } catch (ArgParser.UsageException e) {
            System.err.println("javarun: " + e.getMessage());
            System.err.println("Run 'javarun --help' for usage.");
            return 1;
        }
        debug = global.bool("debug");
        String format = global.value("log-format");
        log = new Log(global.value("log"), format, debug);
        if (!format.equals("text") && !format.equals("json")) {
            return fail("invalid log format: " + format + " (text or json)");
        }
        String name = cmd.command.name();
        if (global.bool("systemd-cgroup") && (name.equals("create") || name.equals("run"))) {
            // Accepted everywhere (tools pass it on every call); only making cgroups needs the driver.
            // systemd's own test for "booted with systemd" (sd_booted), as runc makes it.
            if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
                return fail(name + " " + cmd.arg(0, "") + ": --systemd-cgroup: systemd not running on this host,"
                        + " cannot use systemd cgroups manager");
            }
            return fail(name + " " + cmd.arg(0, "") + ": --systemd-cgroup: the systemd cgroup driver is not supported yet");
        }
        StateStore store = new StateStore(Path.of(global.value("root")));
        Containers containers = new Containers(store, log);
        try {
            return dispatch(cmd, containers);
        } catch (OperationException e) {
            if (debug && e.detail() != null) {
                log.debug(e.detail());
            }
            return fail(e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return fail(cmd.command.name() + ": " + e.getMessage());
        }
    }

    private int dispatch(ArgParser.Parsed c, Containers containers) throws OperationException {
        switch (c.command.name()) {
            case "spec":
                return spec(c);
            case "create":
                containers.create(createOptions(c));
                return 0;
            case "run":
                return containers.run(createOptions(c), c.bool("detach"), c.bool("keep"), new SignalRelay(),
                        new TerminalProxy.Factory());
            case "start":
                containers.start(id(c), notifySocket());
                return 0;
            case "state":
                out.println(Json.writeIndented(containers.state(id(c)).toJson(""), "  "));
                return 0;
            case "list":
                return list(c, containers.list());
            case "kill": {
                String raw = c.arg(1, "SIGTERM");
                int sig;
                try {
                    sig = Signals.parse(raw);
                } catch (IllegalArgumentException e) {
                    throw new OperationException("kill", id(c), e.getMessage());
                }
                containers.kill(id(c), sig, c.bool("all"));
                return 0;
            }
            case "delete":
                return delete(c, containers);
            case "features":
                out.println(Json.writeIndented(RuntimeFeatures.describe(), "    "));
                return 0;
            case "exec":
                return containers.exec(execRequest(c), new SignalRelay(), new TerminalProxy.Factory());
            case "pause":
                containers.pause(id(c));
                return 0;
            case "resume":
                containers.resume(id(c));
                return 0;
            case "update":
                return update(c, containers);
            case "ps":
                return ps(c, containers);
            case "events":
                return events(c, containers);
            default:
                return fail(c.command.name() + ": not supported yet");
        }
    }

    private static final String[] UPDATE_FLAGS = {"blkio-weight", "cpu-period", "cpu-quota", "cpu-share",
        "cpu-rt-period", "cpu-rt-runtime", "cpuset-cpus", "cpuset-mems", "kernel-memory", "kernel-memory-tcp", "memory",
        "memory-reservation", "memory-swap", "pids-limit"};

    /** runc's update: --resources FILE (or - for stdin) or the flags; Intel RDT is refused (see HostSecurity). */
    @SuppressWarnings("unchecked")
    private int update(ArgParser.Parsed c, Containers containers) throws OperationException {
        String id = id(c);
        for (String rdt : new String[] {"l3-cache-schema", "mem-bw-schema"}) {
            if (c.value(rdt) != null && !c.value(rdt).isEmpty()) {
                throw new OperationException("update", id, "--" + rdt + ": " + (io.javarun.linux.HostSecurity.probe()
                        .resctrl() ? "Intel RDT is not supported yet" : "Intel RDT: resctrl is not mounted on this host"));
            }
        }
        Map<String, Object> update;
        String resources = c.value("resources");
        if (resources != null && !resources.isEmpty()) {
            String text;
            try {
                text = resources.equals("-") ? new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        : Files.readString(Path.of(resources));
            } catch (IOException e) {
                throw new OperationException("update", id, "read " + resources + ": " + e.getMessage());
            }
            Object doc;
            try {
                doc = Json.parse(text);
            } catch (io.javarun.json.JsonException e) {
                throw new OperationException("update", id, "decode " + resources + ": invalid JSON: " + e.getMessage());
            }
            if (!(doc instanceof Map)) {
                throw new OperationException("update", id, "decode " + resources + ": expected a JSON object");
            }
            update = (Map<String, Object>) doc;
        } else {
            Map<String, String> flags = new HashMap<>();
            for (String f : UPDATE_FLAGS) {
                if (c.value(f) != null) {
                    flags.put(f, c.value(f));
                }
            }
            try {
                update = io.javarun.container.ResourceUpdate.fromFlags(flags);
            } catch (IllegalArgumentException e) {
                throw new OperationException("update", id, e.getMessage());
            }
        }
        containers.update(id, update);
        return 0;
    }

    /** runc's ps: json prints the pids; table runs the host's ps (default -ef) and keeps the container's rows. */
    private int ps(ArgParser.Parsed c, Containers containers) throws OperationException {
        String id = id(c);
        String format = c.value("format");
        if (!format.equals("table") && !format.equals("json")) {
            return fail("ps " + id + ": invalid format option");
        }
        List<Integer> pids = containers.processes(id);
        if (format.equals("json")) {
            List<Object> all = new ArrayList<>();
            for (int p : pids) {
                all.add((long) p);
            }
            out.println(Json.write(all));
            return 0;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("ps");
        if (c.args.size() > 1) {
            cmd.addAll(c.args.subList(1, c.args.size()));
        } else {
            cmd.add("-ef");
        }
        String output;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                return fail("ps " + id + ": exit status " + rc + ": " + output);
            }
        } catch (IOException e) {
            return fail("ps " + id + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("ps " + id + ": interrupted");
        }
        try {
            out.print(io.javarun.container.PsTable.filter(output, pids));
        } catch (IllegalArgumentException e) {
            return fail("ps " + id + ": " + e.getMessage());
        }
        return 0;
    }

    /**
     * runc's events: with --stats one stats object, else one every --interval while the container
     * lives, and an "oom" event whenever the OOM killer acts in it (v1 memory.oom_control).
     */
    private int events(ArgParser.Parsed c, Containers containers) throws OperationException {
        String id = id(c);
        long intervalMs;
        try {
            intervalMs = goDurationMillis(c.value("interval"));
        } catch (IllegalArgumentException e) {
            return fail("events " + id + ": invalid value \"" + c.value("interval") + "\" for flag -interval: " + e.getMessage());
        }
        if (intervalMs <= 0) {
            return fail("events " + id + ": duration interval must be greater than 0");
        }
        if (c.bool("stats")) {
            out.println(Json.write(containers.stats(id)));
            return 0;
        }
        final PrintStream o = out;
        containers.watchOom(id, new java.util.function.Consumer<Map<String, Object>>() {
            @Override
            public void accept(Map<String, Object> event) {
                synchronized (o) {
                    o.println(Json.write(event));
                    o.flush();
                }
            }
        });
        while (true) {
            Map<String, Object> stats;
            try {
                stats = containers.stats(id);
            } catch (OperationException e) {
                if (!containers.isAlive(id)) {
                    return 0;
                }
                throw e;
            }
            synchronized (out) {
                out.println(Json.write(stats));
                out.flush();
            }
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (!containers.isAlive(id)) {
                return 0;
            }
        }
    }

    /** Go's time.ParseDuration for the common forms: "5s", "500ms", "1m30s", "2h", "1.5s". */
    static long goDurationMillis(String s) {
        if (s.equals("0")) {
            return 0;
        }
        double total = 0;
        int i = 0;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("invalid duration \"" + s + "\"");
        }
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            if (start == unitStart || unitStart == i) {
                throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
            }
            double v;
            try {
                v = Double.parseDouble(s.substring(start, unitStart));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("time: invalid duration \"" + s + "\"");
            }
            String unit = s.substring(unitStart, i);
            double ms;
            switch (unit) {
                case "ns": ms = v / 1e6; break;
                case "us": case "\u00b5s": ms = v / 1e3; break;
                case "ms": ms = v; break;
                case "s": ms = v * 1e3; break;
                case "m": ms = v * 60e3; break;
                case "h": ms = v * 3600e3; break;
                default: throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + s + "\"");
            }
            total += ms;
        }
        return (long) Math.ceil(total);
    }

    /** Deletes every id given, reporting each failure and going on (the seed's rc2 behaviour). */
    private int delete(ArgParser.Parsed c, Containers containers) {
        List<String> ids = c.args;
        boolean force = c.bool("force");
        int rc = 0;
        for (String id : ids) {
            try {
                containers.delete(id, force);
            } catch (OperationException e) {
                rc = fail(e.getMessage());
            }
        }
        return rc;
    }

    private int list(ArgParser.Parsed c, List<ContainerView> views) {
        String format = c.value("format");
        boolean quiet = c.bool("quiet");
        if (quiet) {
            for (ContainerView v : views) {
                out.println(v.state().id());
            }
            return 0;
        }
        Map<Integer, String> owners = new HashMap<>();
        if (format.equals("json")) {
            List<Object> all = new ArrayList<>();
            for (ContainerView v : views) {
                all.add(v.toJson(owner(owners)));
            }
            // runc encodes a nil slice: no containers is "null".
            out.println(all.isEmpty() ? "null" : Json.write(all));
            return 0;
        }
        if (!format.equals("table")) {
            return fail("invalid format option");
        }
        Table t = new Table();
        t.add("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
        for (ContainerView v : views) {
            t.add(v.state().id(), Integer.toString(v.pid()), v.status().text(), v.state().bundle(),
                    v.state().created(), owner(owners));
        }
        out.print(t.render());
        return 0;
    }

    /** The user owning the state (root for everything javarun creates as root). */
    private static String owner(Map<Integer, String> cache) {
        LinuxNative.load();
        int uid = LinuxNative.geteuid();
        String name = cache.get(uid);
        if (name == null) {
            name = "#" + uid;
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                    String[] f = line.split(":");
                    if (f.length > 2 && f[2].equals(Integer.toString(uid))) {
                        name = f[0];
                        break;
                    }
                }
            } catch (IOException e) {
                // The number stands in for the name.
            }
            cache.put(uid, name);
        }
        return name;
    }

    private int spec(ArgParser.Parsed c) {
        Path bundle = Path.of(c.value("bundle"));
        Path file = bundle.resolve("config.json");
        if (Files.exists(file)) {
            return fail("File " + file + " exists. Remove it first");
        }
        boolean rootless = c.bool("rootless");
        long uid = 0;
        long gid = 0;
        if (rootless) {
            LinuxNative.load();
            uid = LinuxNative.geteuid();
            gid = uid;
        }
        // runc adds a cgroup namespace to its template only where the host is cgroup v2.
        boolean cgroupV2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        String json = Json.writeIndented(DefaultSpec.create(RuntimeVersion.SPEC, rootless, uid, gid, cgroupV2),
                "\t");
        try {
            Files.writeString(file, json);
        } catch (IOException e) {
            return fail("spec: write " + file + ": " + e.getMessage());
        }
        return 0;
    }

    private static Containers.CreateOptions createOptions(ArgParser.Parsed c) {
        String bundle = c.value("bundle");
        String pidFile = c.value("pid-file");
        int preserve = preserveFds(c);
        return new Containers.CreateOptions(id(c), Path.of(bundle.isEmpty() ? "." : bundle),
                pidFile == null ? null : Path.of(pidFile), c.value("console-socket"),
                c.bool("no-pivot"), c.bool("no-new-keyring"), preserve, listenFds(), notifySocket());
    }

    private static ExecRequest execRequest(ArgParser.Parsed c) {
        String process = c.value("process");
        String pidFile = c.value("pid-file");
        int preserve = preserveFds(c);
        return new ExecRequest(id(c), c.args.subList(1, c.args.size()), process == null ? null : Path.of(process),
                c.value("console-socket"), c.value("cwd"), c.all("env"), c.bool("tty"), c.value("user"),
                c.all("additional-gids"), c.bool("detach"), pidFile == null ? null : Path.of(pidFile),
                c.bool("no-new-privs"), c.all("cap"), preserve, c.bool("ignore-paused"), c.all("cgroup"))
                .withLabels(c.value("apparmor"), c.value("process-label"));
    }

    /**
     * systemd socket activation: LISTEN_FDS fds from 3 on, meant for this process only when
     * LISTEN_PID names it (sd_listen_fds' rule, which runc follows). create and run only: runc's
     * exec ignores them too.
     */
    private static int listenFds() {
        String fds = System.getenv("LISTEN_FDS");
        String pid = System.getenv("LISTEN_PID");
        if (fds == null || pid == null) {
            return 0;
        }
        LinuxNative.load();
        try {
            int n = Integer.parseInt(fds.trim());
            return Integer.parseInt(pid.trim()) == LinuxNative.getpid() && n > 0 ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** --preserve-fds N of create, run and exec: a count, never negative. */
    private static int preserveFds(ArgParser.Parsed c) {
        int n;
        try {
            n = Integer.parseInt(c.value("preserve-fds"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--preserve-fds: not a number");
        }
        if (n < 0) {
            throw new IllegalArgumentException("--preserve-fds: must not be negative");
        }
        return n;
    }

    /** systemd's NOTIFY_SOCKET, when javarun runs in a unit of Type=notify; null otherwise. */
    private static String notifySocket() {
        String s = System.getenv("NOTIFY_SOCKET");
        return s == null || s.isEmpty() ? null : s;
    }

    private static String id(ArgParser.Parsed c) {
        return c.arg(0, "");
    }

    /**
     * runc's error path: the message on stderr, and, when --log names a file, the same message as
     * an error-level line there (which is what containerd and conmon read).
     */
    private int fail(String message) {
        if (log != null && log.toFile()) {
            log.error(message);
        }
        System.err.println(message);
        return 1;
    }

    static String versionText() {
        return "javarun version " + RuntimeVersion.VERSION + "\n"
                + "commit: " + RuntimeVersion.COMMIT + "\n"
                + "spec: " + RuntimeVersion.SPEC + "\n"
                + "java: " + System.getProperty("java.version") + "\n";
    }
}
