package io.javarun.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command line, runc's names, flags and defaults, built with picocli's programmatic API:
 * no annotation scanning or reflection at start-up, which every CLI call would pay for.
 * Global flags come before the command, as with runc.
 */
final class Commands {
    static final String DEFAULT_ROOT = "/run/javarun";

    private Commands() {}

    static CommandLine build() {
        CommandSpec root = command("javarun", "Open Container Initiative runtime, in Java (runc-compatible)");
        root.addOption(flag("Print the version", "-v", "--version").toBuilder().versionHelp(true).build());
        root.addOption(value("--root", "DIR", DEFAULT_ROOT, "root directory for storage of container state (this should be located in tmpfs)"));
        root.addOption(value("--log", "FILE", "", "set the log file to write javarun logs to (default is '/dev/stderr')"));
        root.addOption(value("--log-format", "FORMAT", "text", "set the log format ('text' (default), or 'json')"));
        root.addOption(flag("enable debug logging", "--debug"));
        root.addOption(flag("enable systemd cgroup support (not available yet)", "--systemd-cgroup"));
        root.addOption(value("--rootless", "VALUE", "auto", "ignore cgroup permission errors ('true', 'false', or 'auto')"));
        root.addOption(value("--criu", "PATH", "criu", "path to the criu binary used for checkpoint and restore"));
        CommandLine cl = new CommandLine(root);

        CommandSpec spec = command("spec", "create a new specification file");
        spec.addOption(value("--bundle", "DIR", "", "path to the root of the bundle directory", "-b"));
        spec.addOption(flag("generate a configuration for a rootless container", "--rootless"));
        cl.addSubcommand("spec", spec);

        CommandSpec create = command("create", "create a container");
        createFlags(create);
        create.addPositional(id());
        cl.addSubcommand("create", create);

        CommandSpec run = command("run", "create and run a container");
        createFlags(run);
        run.addOption(flag("detach from the container's process", "-d", "--detach"));
        run.addOption(flag("do not delete the container after it exits", "--keep"));
        run.addPositional(id());
        run.parser().stopAtPositional(true);
        cl.addSubcommand("run", run);

        CommandSpec start = command("start", "executes the user defined process in a created container");
        start.addPositional(id());
        cl.addSubcommand("start", start);

        CommandSpec state = command("state", "output the state of a container");
        state.addPositional(id());
        cl.addSubcommand("state", state);

        CommandSpec list = command("list", "lists containers started by javarun with the given root");
        list.addOption(value("--format", "FORMAT", "table", "select one of: table or json", "-f"));
        list.addOption(flag("display only container IDs", "-q", "--quiet"));
        cl.addSubcommand("list", list);

        CommandSpec kill = command("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process");
        kill.addOption(flag("send the specified signal to all processes inside the container", "-a", "--all"));
        kill.addPositional(id());
        kill.addPositional(PositionalParamSpec.builder().paramLabel("SIGNAL").index("1").arity("0..1")
                .type(String.class).description("signal name or number (default: SIGTERM)").build());
        cl.addSubcommand("kill", kill);

        CommandSpec delete = command("delete", "delete any resources held by the container(s), often used with detached containers");
        delete.addOption(flag("forcibly delete the container if it is still running (uses SIGKILL)", "-f", "--force"));
        delete.addPositional(PositionalParamSpec.builder().paramLabel("ID").arity("1..*").required(true).type(List.class)
                .auxiliaryTypes(String.class).description("container id(s)").build());
        cl.addSubcommand("delete", delete);
        return cl;
    }

    private static void createFlags(CommandSpec c) {
        c.addOption(value("--bundle", "DIR", "", "path to the root of the bundle directory, defaults to the current directory", "-b"));
        c.addOption(value("--console-socket", "PATH", null, "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal"));
        c.addOption(value("--pid-file", "FILE", null, "specify the file to write the process id to"));
        c.addOption(flag("do not use pivot root to jail process inside rootfs", "--no-pivot"));
        c.addOption(flag("do not create a new session keyring for the container", "--no-new-keyring"));
        c.addOption(value("--preserve-fds", "N", "0", "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)"));
    }

    private static CommandSpec command(String name, String description) {
        CommandSpec c = CommandSpec.create().name(name);
        c.usageMessage().description(description);
        c.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show help").build());
        return c;
    }

    private static PositionalParamSpec id() {
        return PositionalParamSpec.builder().paramLabel("ID").index("0").arity("1").required(true).type(String.class)
                .description("container id").build();
    }

    private static OptionSpec flag(String description, String... names) {
        return OptionSpec.builder(names).arity("0").type(boolean.class).description(description).build();
    }

    private static OptionSpec value(String name, String label, String dflt, String description, String... aliases) {
        String[] names = new String[aliases.length + 1];
        System.arraycopy(aliases, 0, names, 0, aliases.length);
        names[aliases.length] = name;
        OptionSpec.Builder b = OptionSpec.builder(names).paramLabel(label).type(String.class).description(description);
        if (dflt != null) {
            b.defaultValue(dflt);
        }
        return b.build();
    }
}
