package io.javarun.shim.task;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runtime options of a task: containerd's runc Options (ctr --runc-* flags, or a runtime
 * configured as io.containerd.runc.v2-style), or Kubernetes' runtimeoptions (ConfigPath /
 * ConfigBody naming a javarun config file of {@code key = value} lines:
 * {@code root}, {@code no_pivot_root}, {@code no_new_keyring}, {@code systemd_cgroup}).
 */
record ShimOptions(boolean noPivot, boolean noNewKeyring, String root, boolean systemdCgroup) {
    static final ShimOptions DEFAULTS = new ShimOptions(false, false, "", false);
    static final String RUNC_OPTIONS = "containerd.runc.v1.Options";
    static final String RUNTIME_OPTIONS = "runtimeoptions.v1.Options";

    /** Options from Create's Any (bare type URLs, as containerd 1.6 sends them). */
    static ShimOptions from(Any any) throws IOException {
        if (any == null || any.getTypeUrl().isEmpty()) {
            return DEFAULTS;
        }
        String type = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
        try {
            if (type.equals(RUNC_OPTIONS)) {
                io.javarun.protos.runc.Options o = io.javarun.protos.runc.Options.parseFrom(any.getValue());
                return new ShimOptions(o.getNoPivotRoot(), o.getNoNewKeyring(), o.getRoot(), o.getSystemdCgroup());
            }
            if (type.equals(RUNTIME_OPTIONS)) {
                io.javarun.protos.runtimeoptions.Options o =
                        io.javarun.protos.runtimeoptions.Options.parseFrom(any.getValue());
                if (!o.getConfigBody().isEmpty()) {
                    return parseConfig(o.getConfigBody(), "ConfigBody");
                }
                if (!o.getConfigPath().isEmpty()) {
                    return parseConfig(Files.readString(Path.of(o.getConfigPath())), o.getConfigPath());
                }
                return DEFAULTS;
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("runtime options " + type + ": cannot decode: " + e.getMessage());
        }
        throw new IOException("runtime options of type " + any.getTypeUrl() + " are not understood (expected "
                + RUNC_OPTIONS + " or " + RUNTIME_OPTIONS + ")");
    }

    /** javarun's config file: {@code key = value} lines, # comments, TOML's quoting of strings. */
    static ShimOptions parseConfig(String text, String source) throws IOException {
        boolean noPivot = false;
        boolean noNewKeyring = false;
        boolean systemd = false;
        String root = "";
        int lineNo = 0;
        for (String raw : text.split("\n")) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("[")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IOException(source + ":" + lineNo + ": expected key = value");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            switch (key) {
                case "root" -> root = unquote(value);
                case "no_pivot_root", "NoPivotRoot" -> noPivot = bool(value, source, lineNo);
                case "no_new_keyring", "NoNewKeyring" -> noNewKeyring = bool(value, source, lineNo);
                case "systemd_cgroup", "SystemdCgroup" -> systemd = bool(value, source, lineNo);
                default -> throw new IOException(source + ":" + lineNo + ": unknown setting \"" + key
                        + "\" (known: root, no_pivot_root, no_new_keyring, systemd_cgroup)");
            }
        }
        return new ShimOptions(noPivot, noNewKeyring, root, systemd);
    }

    private static boolean bool(String v, String source, int line) throws IOException {
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new IOException(source + ":" + line + ": expected true or false, got " + v);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))
                ? v.substring(1, v.length() - 1) : v;
    }
}
