package io.javarun.cli;

import io.javarun.json.Json;
import io.javarun.state.Rfc3339;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * runc-style logging: `--log FILE` (default stderr) and `--log-format text|json`. JSON lines hold
 * level, msg and time, which containerd and conmon read. Nothing is opened until the first
 * message, so a call that logs nothing pays nothing.
 */
final class Log implements java.util.function.Consumer<String> {
    private final String file;
    private final boolean json;
    private final boolean debug;
    private OutputStream out;

    Log(String file, String format, boolean debug) {
        this.file = file;
        this.json = "json".equals(format);
        this.debug = debug;
    }

    boolean toFile() {
        return file != null && !file.isEmpty();
    }

    void error(String msg) {
        write("error", msg);
    }

    void warn(String msg) {
        write("warning", msg);
    }

    /** Warnings from runtime-core. */
    @Override
    public void accept(String msg) {
        warn(msg);
    }

    void debug(String msg) {
        if (debug) {
            write("debug", msg);
        }
    }

    private synchronized void write(String level, String msg) {
        String time = Rfc3339.now();
        String line;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("level", level);
            m.put("msg", msg);
            m.put("time", time);
            line = Json.write(m) + "\n";
        } else {
            line = "time=\"" + time + "\" level=" + level + " msg=" + quote(msg) + "\n";
        }
        try {
            stream().write(line.getBytes(StandardCharsets.UTF_8));
            stream().flush();
        } catch (IOException e) {
            System.err.print(line);
        }
    }

    private OutputStream stream() throws IOException {
        if (out == null) {
            out = toFile() ? new FileOutputStream(file, true) : new PrintStream(System.err, true);
        }
        return out;
    }

    /** logrus's text format quotes a message that is not a bare word. */
    private static String quote(String msg) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : msg.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c == '\n' ? ' ' : c);
        }
        return sb.append('"').toString();
    }
}
