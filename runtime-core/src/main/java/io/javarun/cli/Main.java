package io.javarun.cli;

import io.javarun.container.ContainerView;
import io.javarun.container.Containers;
import io.javarun.container.OperationException;
import io.javarun.json.Json;
import io.javarun.linux.LinuxNative;
import io.javarun.process.Signals;
import io.javarun.spec.DefaultSpec;
import io.javarun.state.StateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

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
        CommandLine cl = Commands.build();
        ParseResult pr;
        try {
            pr = cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("javarun: " + e.getMessage());
            System.err.println("Run 'javarun --help' for usage.");
            return 1;
        }
        if (pr.isVersionHelpRequested()) {
            out.print(versionText());
            return 0;
        }
        if (pr.isUsageHelpRequested() || pr.subcommand() == null) {
            cl.usage(out);
            return 0;
        }
        ParseResult sub = pr.subcommand();
        if (sub.isUsageHelpRequested()) {
            sub.commandSpec().commandLine().usage(out);
            return 0;
        }
        debug = pr.matchedOptionValue("--debug", false);
        log = new Log(pr.matchedOptionValue("--log", ""), pr.matchedOptionValue("--log-format", "text"), debug);
        String format = pr.matchedOptionValue("--log-format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            return fail("invalid log format: " + format + " (text or json)");
        }
        if (pr.matchedOptionValue("--systemd-cgroup", false)) {
            return fail("--systemd-cgroup: the systemd cgroup driver is not supported yet");
        }
        StateStore store = new StateStore(Path.of(pr.matchedOptionValue("--root", Commands.DEFAULT_ROOT)));
        Containers containers = new Containers(store, log::warn);
        try {
            return dispatch(sub, containers);
        } catch (OperationException e) {
            if (debug && e.detail() != null) {
                log.debug(e.detail());
            }
            return fail(e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return fail(sub.commandSpec().name() + ": " + e.getMessage());
        }
    }

    private int dispatch(ParseResult c, Containers containers) throws OperationException {
        switch (c.commandSpec().name()) {
            case "spec":
                return spec(c);
            case "create":
                containers.create(createOptions(c));
                return 0;
            case "run":
                return containers.run(createOptions(c), c.matchedOptionValue("--detach", false),
                        c.matchedOptionValue("--keep", false), new SignalRelay());
            case "start":
                containers.start(id(c));
                return 0;
            case "state":
                out.println(Json.writeIndented(containers.state(id(c)).toJson(""), "  "));
                return 0;
            case "list":
                return list(c, containers.list());
            case "kill": {
                String raw = c.matchedPositionalValue(1, "SIGTERM");
                int sig;
                try {
                    sig = Signals.parse(raw);
                } catch (IllegalArgumentException e) {
                    throw new OperationException("kill", id(c), e.getMessage());
                }
                containers.kill(id(c), sig, c.matchedOptionValue("--all", false));
                return 0;
            }
            case "delete":
                return delete(c, containers);
            default:
                return fail("unknown command " + c.commandSpec().name());
        }
    }

    /** Deletes every id given, reporting each failure and going on (the seed's rc2 behaviour). */
    private int delete(ParseResult c, Containers containers) {
        List<String> ids = c.matchedPositional(0).getValue();
        boolean force = c.matchedOptionValue("--force", false);
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

    private int list(ParseResult c, List<ContainerView> views) {
        String format = c.matchedOptionValue("--format", "table");
        boolean quiet = c.matchedOptionValue("--quiet", false);
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
        return cache.computeIfAbsent(uid, u -> {
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                    String[] f = line.split(":");
                    if (f.length > 2 && f[2].equals(Integer.toString(u))) {
                        return f[0];
                    }
                }
            } catch (IOException e) {
                // Falls back to the number below.
            }
            return "#" + u;
        });
    }

    private int spec(ParseResult c) {
        Path bundle = Path.of(c.matchedOptionValue("--bundle", ""));
        Path file = bundle.resolve("config.json");
        if (Files.exists(file)) {
            return fail("File " + file + " exists. Remove it first");
        }
        boolean rootless = c.matchedOptionValue("--rootless", false);
        long uid = 0;
        long gid = 0;
        if (rootless) {
            LinuxNative.load();
            uid = LinuxNative.geteuid();
            gid = uid;
        }
        String json = Json.writeIndented(DefaultSpec.create(version().getProperty("spec"), rootless, uid, gid), "\t");
        try {
            Files.writeString(file, json);
        } catch (IOException e) {
            return fail("spec: write " + file + ": " + e.getMessage());
        }
        return 0;
    }

    private static Containers.CreateOptions createOptions(ParseResult c) {
        String bundle = c.matchedOptionValue("--bundle", "");
        String pidFile = c.matchedOptionValue("--pid-file", null);
        int preserve;
        try {
            preserve = Integer.parseInt(c.matchedOptionValue("--preserve-fds", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--preserve-fds: not a number");
        }
        if (preserve < 0) {
            throw new IllegalArgumentException("--preserve-fds: must not be negative");
        }
        return new Containers.CreateOptions(id(c), Path.of(bundle.isEmpty() ? "." : bundle),
                pidFile == null ? null : Path.of(pidFile), c.matchedOptionValue("--console-socket", null),
                c.matchedOptionValue("--no-pivot", false), c.matchedOptionValue("--no-new-keyring", false), preserve);
    }

    private static String id(ParseResult c) {
        return c.matchedPositionalValue(0, "");
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

    private static Properties version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/io/javarun/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Unknown version: printed as such.
        }
        return p;
    }

    static String versionText() {
        Properties p = version();
        return "javarun version " + p.getProperty("version", "unknown") + "\n"
                + "commit: " + p.getProperty("commit", "unknown") + "\n"
                + "spec: " + p.getProperty("spec", "unknown") + "\n"
                + "java: " + System.getProperty("java.version") + "\n";
    }
}
