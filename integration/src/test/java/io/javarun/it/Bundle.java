package io.javarun.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An OCI bundle: a private copy of the busybox rootfs and a config.json that starts as runc's own
 * template ({@code runc spec}) with {@code process.terminal} false, edited with Jackson. The base
 * config never comes from javarun, so runc and javarun are compared on the same input.
 */
public final class Bundle {
    private static Path rootfsTemplate;
    private static String runcSpec;

    private final Path dir;
    private final ObjectNode config;

    private Bundle(Path dir, ObjectNode config) {
        this.dir = dir;
        this.config = config;
    }

    /** A new bundle in a new directory under {@code parent}. */
    static Bundle create(Path parent, String name) {
        Path dir = parent.resolve(name);
        try {
            Files.createDirectories(dir);
            Procs.run(Path.of("/"), "cp", "-a", template().toString(), dir.resolve("rootfs").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode config = Json.parseObject(runcTemplate());
        ((ObjectNode) config.get("process")).put("terminal", false);
        Bundle b = new Bundle(dir, config);
        b.write();
        return b;
    }

    /** The rootfs built once per test run by integration/rootfs/build-busybox-rootfs.sh. */
    static synchronized Path template() {
        if (rootfsTemplate == null) {
            Path t = Repo.runDir().resolve("rootfs-template");
            Procs.run(Path.of("/"), "rm", "-rf", "--one-file-system", t.toString());
            Procs.run(Path.of("/"), Repo.rootfsScript().toString(), t.toString());
            rootfsTemplate = t;
        }
        return rootfsTemplate;
    }

    /** runc's config.json template, as {@code runc spec} writes it. */
    static synchronized String runcTemplate() {
        if (runcSpec == null) {
            Path tmp = Repo.runDir().resolve("runc-spec");
            try {
                Procs.run(Path.of("/"), "rm", "-rf", "--one-file-system", tmp.toString());
                Files.createDirectories(tmp);
                Procs.run(tmp, Repo.runc().toString(), "spec");
                runcSpec = Files.readString(tmp.resolve("config.json"));
                Procs.run(Path.of("/"), "rm", "-rf", "--one-file-system", tmp.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return runcSpec;
    }

    public Path dir() {
        return dir;
    }

    public Path rootfs() {
        return dir.resolve("rootfs");
    }

    public Path configFile() {
        return dir.resolve("config.json");
    }

    /** The config as a tree, to edit freely; {@link #write()} is called before every create/run. */
    public ObjectNode config() {
        return config;
    }

    public ObjectNode process() {
        return (ObjectNode) config.get("process");
    }

    public ObjectNode linux() {
        return config.withObjectProperty("linux");
    }

    public Bundle write() {
        try {
            Files.writeString(configFile(), Json.write(config), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Overwrites config.json with raw text (for malformed input); later writes replace it again. */
    public Bundle writeRaw(String text) {
        try {
            Files.writeString(configFile(), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Bundle args(String... args) {
        process().set("args", Json.array(args));
        return this;
    }

    /** {@code sh -c script}. */
    public Bundle sh(String script) {
        return args("sh", "-c", script);
    }

    public Bundle env(String... entries) {
        ArrayNode env = (ArrayNode) process().get("env");
        for (String e : entries) {
            String name = e.substring(0, e.indexOf('=') + 1);
            Json.removeIf(env, v -> v.asText().startsWith(name));
            env.add(e);
        }
        return this;
    }

    public Bundle cwd(String cwd) {
        process().put("cwd", cwd);
        return this;
    }

    public Bundle user(int uid, int gid, int... additionalGids) {
        ObjectNode user = process().putObject("user");
        user.put("uid", uid);
        user.put("gid", gid);
        if (additionalGids.length > 0) {
            ArrayNode a = user.putArray("additionalGids");
            for (int g : additionalGids) {
                a.add(g);
            }
        }
        return this;
    }

    public Bundle hostname(String hostname) {
        config.put("hostname", hostname);
        return this;
    }

    public Bundle readonlyRoot(boolean readonly) {
        ((ObjectNode) config.get("root")).put("readonly", readonly);
        return this;
    }

    public ArrayNode mounts() {
        return (ArrayNode) config.get("mounts");
    }

    public Bundle mount(String destination, String type, String source, String... options) {
        ObjectNode m = mounts().addObject();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        if (options.length > 0) {
            m.set("options", Json.array(options));
        }
        return this;
    }

    /** A bind mount of a host path ({@code rbind}, read-only when {@code readonly}). */
    public Bundle bind(Path host, String destination, boolean readonly) {
        return readonly
                ? mount(destination, "bind", host.toString(), "rbind", "ro")
                : mount(destination, "bind", host.toString(), "rbind", "rw");
    }

    public ArrayNode namespaces() {
        return (ArrayNode) linux().get("namespaces");
    }

    public boolean hasNamespace(String type) {
        for (JsonNode ns : namespaces()) {
            if (ns.get("type").asText().equals(type)) {
                return true;
            }
        }
        return false;
    }

    public Bundle removeNamespace(String type) {
        Json.removeIf(namespaces(), ns -> ns.get("type").asText().equals(type));
        return this;
    }

    /** Adds (or replaces) a namespace entry; {@code path} null means a new namespace. */
    public Bundle namespace(String type, String path) {
        removeNamespace(type);
        ObjectNode ns = namespaces().addObject();
        ns.put("type", type);
        if (path != null) {
            ns.put("path", path);
        }
        return this;
    }

    /** Adds a user namespace mapping container ids 0..size-1 to host ids from {@code hostId}. */
    public Bundle userNamespace(int hostId, int size) {
        namespace("user", null);
        for (String key : List.of("uidMappings", "gidMappings")) {
            ArrayNode maps = linux().putArray(key);
            ObjectNode m = maps.addObject();
            m.put("containerID", 0);
            m.put("hostID", hostId);
            m.put("size", size);
        }
        return this;
    }

    public ArrayNode rlimits() {
        return process().withArrayProperty("rlimits");
    }

    public Bundle rlimit(String type, long soft, long hard) {
        ArrayNode rl = rlimits();
        Json.removeIf(rl, r -> r.get("type").asText().equals(type));
        ObjectNode r = rl.addObject();
        r.put("type", type);
        r.put("hard", hard);
        r.put("soft", soft);
        return this;
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
