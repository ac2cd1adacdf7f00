package io.javarun.container;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** javarun's version, commit and the runtime spec version it implements, from the build. */
public final class RuntimeVersion {
    private static final Properties PROPS = load();

    public static final String VERSION = PROPS.getProperty("version", "unknown");
    public static final String COMMIT = PROPS.getProperty("commit", "unknown");
    public static final String SPEC = PROPS.getProperty("spec", "unknown");

    private RuntimeVersion() {}

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = RuntimeVersion.class.getResourceAsStream("/io/javarun/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // Printed as unknown.
        }
        return p;
    }
}
