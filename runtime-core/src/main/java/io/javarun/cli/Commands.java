package io.javarun.cli;

import io.javarun.cli.ArgParser.Command;
import io.javarun.cli.ArgParser.Flag;
import java.util.List;

/**
 * runc's command line: its commands, flags, defaults and help texts. Commands of later work
 * items (checkpoint, restore) are declared already, so that --help describes them and a
 * call says plainly that they are not supported yet.
 */
final class Commands {
    static final String DEFAULT_ROOT = "/run/javarun";

    /** The global command: its flags come before the command name. */
    static final Command GLOBAL = new Command("javarun", "Open Container Initiative runtime, in Java (runc-compatible)",
            "command [command options] [arguments...]", List.of(
                    value("root", DEFAULT_ROOT, "root directory for storage of container state (this should be located in tmpfs)"),
                    value("log", "", "set the log file to write javarun logs to (default is '/dev/stderr')"),
                    value("log-format", "text", "set the log format ('text' (default), or 'json')"),
                    bool("debug", "enable debug logging"),
                    bool("systemd-cgroup", "enable systemd cgroup support (not available yet)"),
                    value("rootless", "auto", "ignore cgroup permission errors ('true', 'false', or 'auto')"),
                    value("criu", "criu", "path to the criu binary used for checkpoint and restore"),
                    new Flag(List.of("version", "v"), false, null, "print the version")),
            0, -1, true);

    private static final List<Flag> CREATE_FLAGS = List.of(
            new Flag(List.of("bundle", "b"), true, "", "path to the root of the bundle directory, defaults to the current directory"),
            value("console-socket", null, "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal"),
            value("pid-file", null, "specify the file to write the process id to"),
            bool("no-pivot", "do not use pivot root to jail process inside rootfs"),
            bool("no-new-keyring", "do not create a new session keyring for the container"),
            value("preserve-fds", "0", "pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)"));

    static final List<Command> ALL = List.of(
            new Command("checkpoint", "checkpoint a running container (not supported yet)", "<container-id>", List.of(), 1, 1, false),
            new Command("create", "create a container", "<container-id>", CREATE_FLAGS, 1, 1, false),
            new Command("delete", "delete any resources held by the container often used with detached containers",
                    "<container-id> [container-id...]",
                    List.of(new Flag(List.of("force", "f"), false, null, "Forcibly deletes the container if it is still running (uses SIGKILL)")),
                    1, -1, false),
            new Command("events", "display container events such as OOM notifications, cpu, memory, and IO usage statistics",
                    "<container-id>", List.of(value("interval", "5s", "set the stats collection interval"),
                            bool("stats", "display the container's stats then exit")), 1, 1, false),
            new Command("exec", "execute new process inside the container",
                    "<container-id> <command> [command options]  ||  -p process.json <container-id>", List.of(
                            value("console-socket", null, "path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal"),
                            value("cwd", null, "current working directory in the container"),
                            new Flag(List.of("env", "e"), true, null, "set environment variables", true),
                            new Flag(List.of("tty", "t"), false, null, "allocate a pseudo-TTY"),
                            new Flag(List.of("user", "u"), true, null, "UID (format: <uid>[:<gid>])"),
                            new Flag(List.of("additional-gids", "g"), true, null, "additional gids", true),
                            new Flag(List.of("process", "p"), true, null, "path to the process.json"),
                            new Flag(List.of("detach", "d"), false, null, "detach from the container's process"),
                            value("pid-file", null, "specify the file to write the process id to"),
                            value("process-label", null, "set the asm process label for the process commonly used with selinux"),
                            value("apparmor", null, "set the apparmor profile for the process"),
                            bool("no-new-privs", "set the no new privileges value for the process"),
                            new Flag(List.of("cap", "c"), true, null, "add a capability to the bounding set for the process", true),
                            value("preserve-fds", "0", "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total)"),
                            new Flag(List.of("cgroup"), true, null, "run the process in an (existing) sub-cgroup(s)", true),
                            bool("ignore-paused", "allow exec in a paused container")),
                    1, -1, true),
            new Command("features", "show the enabled features", "", List.of(), 0, 0, false),
            new Command("kill", "kill sends the specified signal (default: SIGTERM) to the container's init process",
                    "<container-id> [signal]",
                    List.of(new Flag(List.of("all", "a"), false, null, "send the specified signal to all processes inside the container")),
                    1, 2, false),
            new Command("list", "lists containers started by javarun with the given root", "", List.of(
                    new Flag(List.of("format", "f"), true, "table", "select one of: table or json (default: \"table\")"),
                    new Flag(List.of("quiet", "q"), false, null, "display only container IDs")), 0, 0, false),
            new Command("pause", "pause suspends all processes inside the container", "<container-id>", List.of(), 1, 1, false),
            new Command("ps", "ps displays the processes running inside a container",
                    "<container-id> [ps options]", List.of(value("format", "table", "select one of: table or json")), 1, -1, true),
            new Command("restore", "restore a container from a previous checkpoint (not supported yet)", "<container-id>", List.of(), 1, 1, false),
            new Command("resume", "resumes all processes that have been previously paused", "<container-id>", List.of(), 1, 1, false),
            new Command("run", "create and run a container", "<container-id>", concat(CREATE_FLAGS,
                    new Flag(List.of("detach", "d"), false, null, "detach from the container's process"),
                    bool("keep", "do not delete the container after it exits")), 1, 1, true),
            new Command("spec", "create a new specification file", "", List.of(
                    new Flag(List.of("bundle", "b"), true, "", "path to the root of the bundle directory"),
                    bool("rootless", "generate a configuration for a rootless container")), 0, 0, false),
            new Command("start", "executes the user defined process in a created container", "<container-id>", List.of(), 1, 1, false),
            new Command("state", "output the state of a container", "<container-id>", List.of(), 1, 1, false),
            new Command("update", "update container resource constraints", "<container-id>", List.of(
                    new Flag(List.of("resources", "r"), true, null, "path to the file containing the resources to update or '-' to read from the standard input"),
                    value("blkio-weight", "0", "Specifies per cgroup weight, range is from 10 to 1000"),
                    value("cpu-period", null, "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default"),
                    value("cpu-quota", null, "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period"),
                    new Flag(List.of("cpu-share", "cpu-shares"), true, null, "CPU shares (relative weight vs. other containers)"),
                    value("cpu-rt-period", null, "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default"),
                    value("cpu-rt-runtime", null, "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period"),
                    value("cpuset-cpus", null, "CPU(s) to use"),
                    value("cpuset-mems", null, "Memory node(s) to use"),
                    value("kernel-memory", null, "(obsoleted; do not use)"),
                    value("kernel-memory-tcp", null, "(obsoleted; do not use)"),
                    value("memory", null, "Memory limit (in bytes)"),
                    value("memory-reservation", null, "Memory reservation or soft_limit (in bytes)"),
                    value("memory-swap", null, "Total memory usage (memory + swap); set '-1' to enable unlimited swap"),
                    value("pids-limit", "0", "Maximum number of pids allowed in the container"),
                    value("l3-cache-schema", null, "The string of Intel RDT/CAT L3 cache schema"),
                    value("mem-bw-schema", null, "The string of Intel RDT/MBA memory bandwidth schema")),
                    1, 1, false));

    private Commands() {}

    static Command find(String name) {
        for (Command c : ALL) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static Flag bool(String name, String usage) {
        return new Flag(List.of(name), false, null, usage);
    }

    private static Flag value(String name, String dflt, String usage) {
        return new Flag(List.of(name), true, dflt, usage);
    }

    private static List<Flag> concat(List<Flag> base, Flag... more) {
        List<Flag> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    /** urfave/cli's help layout, which runc users know. */
    static String help(Command c) {
        StringBuilder sb = new StringBuilder();
        boolean global = c == GLOBAL;
        sb.append("NAME:\n   ").append(global ? "javarun" : "javarun " + c.name()).append(" - ").append(c.usage()).append("\n\n");
        sb.append("USAGE:\n   ").append(global ? "javarun [global options] " : "javarun " + c.name() + " [command options] ")
                .append(c.argsUsage()).append("\n\n");
        if (global) {
            sb.append("COMMANDS:\n");
            for (Command sub : ALL) {
                sb.append(String.format("   %-11s%s%n", sub.name(), sub.usage()));
            }
            sb.append('\n');
        }
        if (!c.flags().isEmpty()) {
            sb.append(global ? "GLOBAL OPTIONS:\n" : "OPTIONS:\n");
            for (Flag f : c.flags()) {
                StringBuilder names = new StringBuilder();
                for (String n : f.names()) {
                    if (names.length() > 0) {
                        names.append(", ");
                    }
                    names.append(n.length() == 1 ? "-" : "--").append(n).append(f.takesValue() ? " value" : "");
                }
                String dflt = f.takesValue() && f.defaultValue() != null && !f.defaultValue().isEmpty()
                        ? " (default: \"" + f.defaultValue() + "\")" : "";
                sb.append(String.format("   %-30s %s%s%n", names, f.usage(), dflt));
            }
            sb.append(String.format("   %-30s %s%n", "--help, -h", "show help"));
        }
        return sb.toString();
    }
}
