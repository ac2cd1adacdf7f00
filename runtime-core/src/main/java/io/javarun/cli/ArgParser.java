package io.javarun.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a command line the way runc's (urfave/cli over Go's flag package) does: a flag may be
 * written -name or --name, a value as "--name value" or "--name=value", a boolean flag takes no
 * separate value (but accepts =true/=false), "--" ends the flags, and -h/--help asks for help.
 * Commands that run a process (run, exec) stop at their first positional so that the process's
 * own flags are passed through; the others accept flags after positionals too.
 *
 * <p>Hand-written because it runs on every CLI call: picocli's model building alone cost more
 * than the JVM's own start-up here (see the README's benchmark notes).
 */
final class ArgParser {
    private ArgParser() {}

    /**
     * A flag: its names without dashes (first is the canonical one), whether it takes a value,
     * and whether it may be given several times (--env a --env b).
     */
    record Flag(List<String> names, boolean takesValue, String defaultValue, String usage, boolean repeatable) {
        Flag(List<String> names, boolean takesValue, String defaultValue, String usage) {
            this(names, takesValue, defaultValue, usage, false);
        }

        String name() {
            return names.get(0);
        }
    }

    /** A command's grammar. maxArgs < 0: unbounded. */
    record Command(String name, String usage, String argsUsage, List<Flag> flags, int minArgs, int maxArgs,
            boolean stopAtFirstArg) {
        Flag flag(String name) {
            for (Flag f : flags) {
                if (f.names().contains(name)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** What the user typed: flag values by canonical name, positionals, whether help was asked. */
    static final class Parsed {
        final Command command;
        final Map<String, String> values = new HashMap<>();
        final Map<String, List<String>> lists = new HashMap<>();
        final Set<String> set = new HashSet<>();
        final List<String> args = new ArrayList<>();
        boolean help;

        Parsed(Command command) {
            this.command = command;
        }

        /** The flag's value, or its default when not given. */
        String value(String name) {
            String v = values.get(name);
            return v != null ? v : command.flag(name).defaultValue();
        }

        /** Every value of a repeatable flag, in order (empty when not given). */
        List<String> all(String name) {
            List<String> l = lists.get(name);
            return l == null ? List.of() : l;
        }

        boolean bool(String name) {
            return "true".equals(values.get(name));
        }

        boolean isSet(String name) {
            return set.contains(name);
        }

        String arg(int i, String dflt) {
            return i < args.size() ? args.get(i) : dflt;
        }
    }

    /** A usage error: exit status 1 with the message, as runc's "Incorrect Usage". */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses {@code argv[from..]} against {@code cmd}. For the global command parsing stops at the
     * first positional (the command name), whose index is returned in {@link Parsed#args}.
     */
    static Parsed parse(Command cmd, List<String> argv, boolean stopAtFirstArg) throws UsageException {
        Parsed p = new Parsed(cmd);
        boolean flagsDone = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (flagsDone || !a.startsWith("-") || a.equals("-")) {
                p.args.add(a);
                if (stopAtFirstArg || cmd.stopAtFirstArg()) {
                    flagsDone = true;
                }
                continue;
            }
            if (a.equals("--")) {
                flagsDone = true;
                continue;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String name = body;
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            }
            if (name.equals("h") || name.equals("help")) {
                p.help = true;
                continue;
            }
            Flag f = cmd.flag(name);
            if (f == null) {
                throw new UsageException("flag provided but not defined: -" + name);
            }
            if (f.takesValue()) {
                if (value == null) {
                    if (i + 1 >= argv.size()) {
                        throw new UsageException("flag needs an argument: -" + name);
                    }
                    value = argv.get(++i);
                }
            } else if (value == null) {
                value = "true";
            } else if (!value.equals("true") && !value.equals("false")) {
                throw new UsageException("invalid boolean value \"" + value + "\" for -" + name);
            }
            p.values.put(f.name(), value);
            p.set.add(f.name());
            if (f.repeatable()) {
                List<String> l = p.lists.get(f.name());
                if (l == null) {
                    l = new ArrayList<>();
                    p.lists.put(f.name(), l);
                }
                l.add(value);
            }
        }
        return p;
    }

    /** Checks the positional count (after help has had its chance). */
    static void checkArgs(Parsed p) throws UsageException {
        Command c = p.command;
        int n = p.args.size();
        if (n < c.minArgs() || (c.maxArgs() >= 0 && n > c.maxArgs())) {
            String want;
            if (c.minArgs() == c.maxArgs()) {
                want = "exactly " + c.minArgs() + " argument(s)";
            } else if (c.maxArgs() < 0) {
                want = "a minimum of " + c.minArgs() + " argument(s)";
            } else {
                want = "between " + c.minArgs() + " and " + c.maxArgs() + " argument(s)";
            }
            throw new UsageException("\"" + c.name() + "\" requires " + want);
        }
    }
}
