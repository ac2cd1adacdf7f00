package io.javarun.shim.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line containerd gives a shim, in Go's flag syntax ({@code -x v}, {@code -x=v},
 * {@code --x v}, booleans bare), all before the action word: start, delete, or our own daemon.
 */
public record ShimFlags(String namespace, String id, String address, String publishBinary, String bundle,
        String socket, boolean debug, boolean version, String action, List<String> raw) {

    public static ShimFlags parse(String[] args) {
        String namespace = "";
        String id = "";
        String address = "";
        String publishBinary = "";
        String bundle = "";
        String socket = "";
        boolean debug = false;
        boolean version = false;
        String action = "";
        List<String> raw = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-") || a.equals("--")) {
                action = a.equals("--") && i + 1 < args.length ? args[i + 1] : a;
                break;
            }
            raw.add(a);
            String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("debug") || name.equals("v") || name.equals("info")) {
                boolean on = value == null || value.equals("true") || value.equals("1");
                if (name.equals("debug")) {
                    debug = on;
                } else if (name.equals("v")) {
                    version = on;
                }
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag needs an argument: -" + name);
                }
                value = args[++i];
                raw.add(value);
            }
            switch (name) {
                case "namespace" -> namespace = value;
                case "id" -> id = value;
                case "address" -> address = value;
                case "publish-binary" -> publishBinary = value;
                case "bundle" -> bundle = value;
                case "socket" -> socket = value;
                case "debug-socket" -> { } // containerd 2.x: a second socket for pprof; nothing to serve there
                default -> throw new IllegalArgumentException("flag provided but not defined: -" + name);
            }
        }
        return new ShimFlags(namespace, id, address, publishBinary, bundle, socket, debug, version, action, raw);
    }
}
