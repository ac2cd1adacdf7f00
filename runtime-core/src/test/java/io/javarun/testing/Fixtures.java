package io.javarun.testing;

import io.javarun.json.Json;
import io.javarun.json.JsonException;
import io.javarun.spec.ConfigException;
import io.javarun.spec.Spec;
import io.javarun.spec.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared test fixtures. The config.json files under src/test/resources/runc/ are the verbatim
 * output of {@code runc spec} and {@code runc spec --rootless} of runc 1.1.5 (Debian 12), run on a
 * cgroup v1 host: that is why they have no cgroup namespace (runc adds one on cgroup v2 hosts only).
 */
public final class Fixtures {
    private Fixtures() {}

    /** The text of a classpath resource, e.g. "/runc/runc-1.1.5-spec.json". */
    public static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** `runc spec` (runc 1.1.5) verbatim. */
    public static String runcSpecText() {
        return resource("/runc/runc-1.1.5-spec.json");
    }

    /** `runc spec --rootless` (runc 1.1.5, generated as uid 0) verbatim. */
    public static String runcRootlessSpecText() {
        return resource("/runc/runc-1.1.5-spec-rootless.json");
    }

    /** The runc default config as mutable maps and lists, ready to be edited by a test. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> runcSpec() {
        try {
            return (Map<String, Object>) Json.parse(runcSpecText());
        } catch (JsonException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The object at a path of member names, e.g. obj(doc, "process", "user"). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> obj(Map<String, Object> root, String... path) {
        Map<String, Object> cur = root;
        for (String p : path) {
            cur = (Map<String, Object>) cur.get(p);
        }
        return cur;
    }

    /** The array member {@code last} of the object at {@code path}. */
    @SuppressWarnings("unchecked")
    public static List<Object> arr(Map<String, Object> root, String... path) {
        String[] parent = java.util.Arrays.copyOf(path, path.length - 1);
        return (List<Object>) obj(root, parent).get(path[path.length - 1]);
    }

    /** A mutable JSON object from key/value pairs. */
    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A mutable JSON array. */
    public static List<Object> list(Object... items) {
        return new ArrayList<>(List.of(items));
    }

    /** Removes the namespace of that type from linux.namespaces. */
    public static void removeNamespace(Map<String, Object> doc, String type) {
        arr(doc, "linux", "namespaces").removeIf(n -> type.equals(((Map<?, ?>) n).get("type")));
    }

    public static void addNamespace(Map<String, Object> doc, String type) {
        arr(doc, "linux", "namespaces").add(map("type", type));
    }

    /** Serialises the document and parses it as config.json. */
    public static Spec spec(Map<String, Object> doc) throws ConfigException {
        return SpecParser.parse(Json.write(doc));
    }
}
