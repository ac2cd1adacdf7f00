package io.javarun.spec;

import io.javarun.json.Json;
import io.javarun.json.JsonCursor;
import io.javarun.json.JsonException;
import io.javarun.json.JsonShapeException;
import io.javarun.seccomp.SeccompParser;
import io.javarun.seccomp.SeccompProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads config.json into a {@link Spec}. Types and ranges are checked here, with the field path in
 * every error; semantic rules (absolute paths, namespaces that go together) are the
 * {@link SpecValidator}'s. Fields javarun knows but does not implement yet are refused by name
 * rather than silently ignored; unknown fields are ignored, as runc does.
 */
public final class SpecParser {
    private static final long U32_MAX = 0xFFFF_FFFFL;

    /**
     * Settings of later work items: a config that uses them is refused until they are done, so
     * that a container never runs with less confinement than its config asked for.
     */
    private static final String[] NOT_YET = {
        "process.execCPUAffinity", "linux.memoryPolicy", "linux.netDevices",
    };

    private SpecParser() {}

    public static Spec parse(String text) throws ConfigException {
        Object doc;
        try {
            doc = Json.parse(text);
        } catch (JsonException e) {
            throw new ConfigException("config.json: invalid JSON: " + e.getMessage());
        }
        return fromJson(doc);
    }

    /** Reads an already parsed config.json (Json's plain values). */
    public static Spec fromJson(Object doc) throws ConfigException {
        try {
            return read(JsonCursor.root(doc));
        } catch (JsonShapeException e) {
            throw ConfigException.field(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
    }

    private static Spec read(JsonCursor c) throws JsonShapeException, ConfigException {
        if (!(c.value() instanceof Map)) {
            throw new JsonShapeException("(top level)", "expected an object");
        }
        for (String field : NOT_YET) {
            refuseIfSet(c, field);
        }
        JsonCursor rootC = c.get("root");
        Root root = rootC.isNull() ? null
                : new Root(rootC.get("path").asString(), rootC.get("readonly").asBoolean(false));
        List<Mount> mounts = new ArrayList<>();
        for (JsonCursor m : c.get("mounts").elements()) {
            if (m.has("uidMappings") || m.has("gidMappings")) {
                throw ConfigException.notSupportedYet(m.path() + ".uidMappings");
            }
            mounts.add(new Mount(m.get("destination").asString(), m.get("type").asString(""),
                    m.get("source").asString(""), m.get("options").asStringList()));
        }
        return new Spec(
                c.get("ociVersion").asString(""),
                c.has("process") ? process(c.get("process")) : null,
                root,
                c.get("hostname").asString(""),
                c.get("domainname").asString(""),
                mounts,
                hooks(c.get("hooks")),
                c.get("annotations").asStringMap(),
                linux(c.get("linux")));
    }

    /**
     * Reads a runtime-spec Process object on its own (exec -p process.json); errors name
     * {@code file} and the field.
     */
    public static ProcessSpec parseProcess(String text, String file) throws ConfigException {
        Object doc;
        try {
            doc = Json.parse(text);
        } catch (JsonException e) {
            throw new ConfigException(file + ": invalid JSON: " + e.getMessage());
        }
        try {
            JsonCursor c = JsonCursor.root(doc);
            if (!(doc instanceof Map)) {
                throw new JsonShapeException("(top level)", "expected an object");
            }
            if (c.has("execCPUAffinity")) {
                throw new ConfigException(file + ": execCPUAffinity: not supported yet");
            }
            return process(c);
        } catch (JsonShapeException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static void refuseIfSet(JsonCursor c, String dotted) throws JsonShapeException, ConfigException {
        JsonCursor cur = c;
        for (String part : dotted.split("\\.")) {
            if (!(cur.value() instanceof Map)) {
                return;
            }
            cur = cur.get(part);
        }
        Object v = cur.value();
        boolean empty = v == null || "".equals(v) || (v instanceof Map<?, ?> m && m.isEmpty())
                || (v instanceof List<?> l && l.isEmpty());
        if (!empty) {
            throw ConfigException.notSupportedYet(dotted);
        }
    }

    private static ProcessSpec process(JsonCursor p) throws JsonShapeException {
        JsonCursor u = p.get("user");
        List<Long> gids = new ArrayList<>();
        for (JsonCursor g : u.get("additionalGids").elements()) {
            gids.add(g.asLong(0, U32_MAX));
        }
        Long umask = u.get("umask").asLong(0, 0777);
        ProcessSpec.User user = new ProcessSpec.User(
                orZero(u.get("uid").asLong(0, U32_MAX)), orZero(u.get("gid").asLong(0, U32_MAX)),
                umask == null ? null : umask.intValue(), gids);
        JsonCursor caps = p.get("capabilities");
        ProcessSpec.Capabilities capabilities = caps.isNull() ? null : new ProcessSpec.Capabilities(
                caps.get("bounding").asStringList(), caps.get("effective").asStringList(),
                caps.get("inheritable").asStringList(), caps.get("permitted").asStringList(),
                caps.get("ambient").asStringList());
        List<ProcessSpec.Rlimit> rlimits = new ArrayList<>();
        for (JsonCursor r : p.get("rlimits").elements()) {
            rlimits.add(new ProcessSpec.Rlimit(r.get("type").asString(),
                    orZero(r.get("hard").asUnsigned64()), orZero(r.get("soft").asUnsigned64())));
        }
        Long oom = p.get("oomScoreAdj").asLong(-1000, 1000);
        // Read only when present, so that a config without them loads nothing more.
        JsonCursor io = p.get("ioPriority");
        JsonCursor sched = p.get("scheduler");
        return new ProcessSpec(
                p.get("terminal").asBoolean(false),
                user,
                p.get("args").asStringList(),
                p.get("env").asStringList(),
                p.get("cwd").asString(""),
                capabilities,
                rlimits,
                p.get("noNewPrivileges").asBoolean(false),
                oom == null ? null : oom.intValue(),
                p.get("apparmorProfile").asString(""),
                p.get("selinuxLabel").asString(""),
                io.isNull() ? null : ConfinementParser.ioPriority(io),
                sched.isNull() ? null : ConfinementParser.scheduler(sched));
    }

    private static Hooks hooks(JsonCursor h) throws JsonShapeException {
        if (h.isNull()) {
            return Hooks.NONE;
        }
        return new Hooks(hookList(h.get("prestart")), hookList(h.get("createRuntime")),
                hookList(h.get("createContainer")), hookList(h.get("startContainer")),
                hookList(h.get("poststart")), hookList(h.get("poststop")));
    }

    private static List<Hooks.Hook> hookList(JsonCursor list) throws JsonShapeException {
        List<Hooks.Hook> out = new ArrayList<>();
        for (JsonCursor h : list.elements()) {
            Long timeout = h.get("timeout").asLong(1, Integer.MAX_VALUE);
            out.add(new Hooks.Hook(h.get("path").asString(), h.get("args").asStringList(),
                    h.get("env").asStringList(), timeout == null ? null : timeout.intValue()));
        }
        return out;
    }

    private static LinuxSpec linux(JsonCursor l) throws JsonShapeException, ConfigException {
        List<LinuxSpec.Namespace> namespaces = new ArrayList<>();
        for (JsonCursor n : l.get("namespaces").elements()) {
            String type = n.get("type").asString();
            NamespaceType t = NamespaceType.fromSpecName(type);
            if (t == null) {
                throw new JsonShapeException(n.get("type").path(), "unknown namespace type \"" + type + "\"");
            }
            String path = n.get("path").asString("");
            namespaces.add(new LinuxSpec.Namespace(t, path.isEmpty() ? null : path));
        }
        List<LinuxSpec.Device> devices = new ArrayList<>();
        for (JsonCursor d : l.get("devices").elements()) {
            Long mode = d.get("fileMode").asLong(0, 07777);
            devices.add(new LinuxSpec.Device(d.get("path").asString(), d.get("type").asString(),
                    orZero(d.get("major").asLong(0, U32_MAX)), orZero(d.get("minor").asLong(0, U32_MAX)),
                    mode == null ? null : mode.intValue(),
                    d.get("uid").asLong(0, U32_MAX), d.get("gid").asLong(0, U32_MAX)));
        }
        List<LinuxSpec.TimeOffset> offsets = new ArrayList<>();
        for (Map.Entry<String, JsonCursor> e : l.get("timeOffsets").members().entrySet()) {
            offsets.add(new LinuxSpec.TimeOffset(e.getKey(),
                    orZero(e.getValue().get("secs").asLong(Long.MIN_VALUE, Long.MAX_VALUE)),
                    orZero(e.getValue().get("nanosecs").asLong(0, 999_999_999))));
        }
        return new LinuxSpec(
                namespaces,
                mappings(l.get("uidMappings")),
                mappings(l.get("gidMappings")),
                l.get("sysctl").asStringMap(),
                l.get("cgroupsPath").asString(""),
                devices,
                resources(l.get("resources")),
                l.get("maskedPaths").asStringList(),
                l.get("readonlyPaths").asStringList(),
                l.get("rootfsPropagation").asString(""),
                offsets,
                seccomp(l.get("seccomp")),
                l.get("mountLabel").asString(""),
                l.get("personality").isNull() ? null : ConfinementParser.personality(l.get("personality")),
                isSet(l.get("intelRdt")));
    }

    /** linux.seccomp: likewise, a config without one does not even load the parser. */
    private static SeccompProfile seccomp(JsonCursor s) throws JsonShapeException {
        return s.isNull() ? null : SeccompParser.parse(s);
    }

    /** linux.resources: parsed only when present, so a config without it costs nothing here. */
    private static Resources resources(JsonCursor r) throws JsonShapeException, ConfigException {
        return r.isNull() ? Resources.NONE : ResourcesParser.parse(r);
    }

    private static List<LinuxSpec.IdMapping> mappings(JsonCursor list) throws JsonShapeException {
        List<LinuxSpec.IdMapping> out = new ArrayList<>();
        for (JsonCursor m : list.elements()) {
            out.add(new LinuxSpec.IdMapping(orZero(m.get("containerID").asLong(0, U32_MAX)),
                    orZero(m.get("hostID").asLong(0, U32_MAX)), orZero(m.get("size").asLong(0, U32_MAX))));
        }
        return out;
    }

    /** An object that counts as asked for unless absent, null or empty (linux.intelRdt). */
    private static boolean isSet(JsonCursor c) throws JsonShapeException {
        Object v = c.value();
        if (v != null && !(v instanceof Map)) {
            throw new JsonShapeException(c.path(), "expected an object");
        }
        return v != null && !((Map<?, ?>) v).isEmpty();
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }
}
