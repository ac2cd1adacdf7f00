package io.javarun.spec;

import io.javarun.linux.HostSecurity;
import io.javarun.mount.RootfsPaths;
import io.javarun.process.CapabilityNames;
import io.javarun.process.RlimitType;
import io.javarun.seccomp.SeccompValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of the runtime spec (and runc's checks) that a well-typed config can still break.
 * Everything here runs before anything is created, so a refused config leaves nothing behind.
 */
public final class SpecValidator {
    private static final Set<String> PROPAGATIONS = Set.of("", "shared", "slave", "private", "unbindable",
            "rshared", "rslave", "rprivate", "runbindable");

    private final List<String> warnings = new ArrayList<>();
    private final HostSecurity host;

    private SpecValidator(HostSecurity host) {
        this.host = host;
    }

    /**
     * Validates {@code spec} for a container whose rootfs is {@code rootfs}. Returns warnings
     * (things runc also only warns about, such as unknown capability names).
     */
    public static List<String> validate(Spec spec, Path rootfs) throws ConfigException {
        return validate(spec, rootfs, null);
    }

    /** The same, with {@code host}'s LSMs instead of this host's (null: probe this host when needed). */
    public static List<String> validate(Spec spec, Path rootfs, HostSecurity host) throws ConfigException {
        SpecValidator v = new SpecValidator(host);
        v.check(spec, rootfs);
        return v.warnings;
    }

    private void check(Spec spec, Path rootfs) throws ConfigException {
        if (spec.root() == null || spec.root().path().isEmpty()) {
            throw ConfigException.field("root.path", "is required");
        }
        if (!Files.isDirectory(rootfs)) {
            throw ConfigException.field("root.path", "rootfs " + rootfs + " does not exist or is not a directory");
        }
        if (spec.process() == null) {
            throw ConfigException.field("process", "is required");
        }
        process(spec.process());
        LinuxSpec linux = spec.linux();
        namespaces(linux);
        if (!spec.hostname().isEmpty() && !linux.createsNew(NamespaceType.UTS)) {
            throw ConfigException.field("hostname", "setting the hostname needs a new uts namespace");
        }
        if (!spec.domainname().isEmpty() && !linux.createsNew(NamespaceType.UTS)) {
            throw ConfigException.field("domainname", "setting the domainname needs a new uts namespace");
        }
        for (int i = 0; i < spec.mounts().size(); i++) {
            Mount m = spec.mounts().get(i);
            String field = "mounts[" + i + "].destination";
            if (!m.destination().startsWith("/")) {
                throw ConfigException.field(field, "must be an absolute path, got \"" + m.destination() + "\"");
            }
            try {
                RootfsPaths.resolve(rootfs, m.destination());
            } catch (RootfsPaths.EscapeException e) {
                throw ConfigException.field(field, e.getMessage());
            }
            if (m.type().isEmpty() && !m.isBind()) {
                throw ConfigException.field("mounts[" + i + "].type", "is required for a mount that is not a bind mount");
            }
        }
        absolutePaths("linux.maskedPaths", linux.maskedPaths());
        absolutePaths("linux.readonlyPaths", linux.readonlyPaths());
        if (!PROPAGATIONS.contains(linux.rootfsPropagation())) {
            throw ConfigException.field("linux.rootfsPropagation",
                    "unknown propagation \"" + linux.rootfsPropagation() + "\"");
        }
        devices(linux);
        resources(linux.resources());
        sysctl(linux);
        if (!linux.timeOffsets().isEmpty() && !linux.createsNew(NamespaceType.TIME)) {
            throw ConfigException.field("linux.timeOffsets", "time offsets need a new time namespace");
        }
        for (LinuxSpec.TimeOffset t : linux.timeOffsets()) {
            if (!t.clock().equals("monotonic") && !t.clock().equals("boottime")) {
                throw ConfigException.field("linux.timeOffsets." + t.clock(), "unknown clock (monotonic or boottime)");
            }
        }
        if (linux.seccomp() != null) {
            SeccompValidator.validate(linux.seccomp(), warnings);
        }
        if (linux.confined()) {
            new ConfinementValidator(host, warnings).linux(linux);
        }
        hooks(spec.hooks());
    }

    /** The process rules alone (exec's process); returns warnings as {@link #validate} does. */
    public static List<String> validateProcess(ProcessSpec p) throws ConfigException {
        return validateProcess(p, null);
    }

    /** The same, with {@code host}'s LSMs (null: this host's). */
    public static List<String> validateProcess(ProcessSpec p, HostSecurity host) throws ConfigException {
        SpecValidator v = new SpecValidator(host);
        v.process(p);
        return v.warnings;
    }

    private void process(ProcessSpec p) throws ConfigException {
        if (p.args().isEmpty()) {
            throw ConfigException.field("process.args", "must not be empty");
        }
        if (p.cwd().isEmpty()) {
            throw ConfigException.field("process.cwd", "is required");
        }
        if (!p.cwd().startsWith("/")) {
            throw ConfigException.field("process.cwd", "must be an absolute path, got \"" + p.cwd() + "\"");
        }
        for (String e : p.env()) {
            if (e.indexOf('=') <= 0) {
                throw ConfigException.field("process.env", "\"" + e + "\" is not of the form NAME=value");
            }
        }
        for (int i = 0; i < p.rlimits().size(); i++) {
            ProcessSpec.Rlimit r = p.rlimits().get(i);
            if (RlimitType.number(r.type()) < 0) {
                throw ConfigException.field("process.rlimits[" + i + "].type", "unknown rlimit \"" + r.type() + "\"");
            }
            if (Long.compareUnsigned(r.soft(), r.hard()) > 0) {
                throw ConfigException.field("process.rlimits[" + i + "]", r.type() + ": soft limit "
                        + Long.toUnsignedString(r.soft()) + " is above the hard limit " + Long.toUnsignedString(r.hard()));
            }
        }
        if (p.confined()) {
            new ConfinementValidator(host, warnings).process(p);
        }
        ProcessSpec.Capabilities c = p.capabilities();
        if (c != null) {
            for (List<String> set : List.of(c.bounding(), c.effective(), c.inheritable(), c.permitted(), c.ambient())) {
                for (String name : set) {
                    if (CapabilityNames.number(name) < 0) {
                        warnings.add("process.capabilities: unknown capability \"" + name + "\" ignored");
                    }
                }
            }
        }
    }

    private static void namespaces(LinuxSpec linux) throws ConfigException {
        Set<NamespaceType> seen = EnumSet.noneOf(NamespaceType.class);
        for (int i = 0; i < linux.namespaces().size(); i++) {
            LinuxSpec.Namespace ns = linux.namespaces().get(i);
            if (!seen.add(ns.type())) {
                throw ConfigException.field("linux.namespaces[" + i + "]", "duplicate namespace \"" + ns.type().specName() + "\"");
            }
            if (ns.path() != null) {
                if (!ns.path().startsWith("/")) {
                    throw ConfigException.field("linux.namespaces[" + i + "].path", "must be an absolute path");
                }
                if (!Files.exists(Path.of(ns.path()))) {
                    throw ConfigException.field("linux.namespaces[" + i + "].path", ns.path() + " does not exist");
                }
            }
        }
        boolean newUser = linux.createsNew(NamespaceType.USER);
        if (newUser && linux.uidMappings().isEmpty()) {
            throw ConfigException.field("linux.uidMappings", "a new user namespace needs uid mappings");
        }
        if (newUser && linux.gidMappings().isEmpty()) {
            throw ConfigException.field("linux.gidMappings", "a new user namespace needs gid mappings");
        }
        if (!newUser && !linux.uidMappings().isEmpty()) {
            throw ConfigException.field("linux.uidMappings", "set, but the config creates no user namespace");
        }
        if (!newUser && !linux.gidMappings().isEmpty()) {
            throw ConfigException.field("linux.gidMappings", "set, but the config creates no user namespace");
        }
    }

    /**
     * Values that become part of a cgroup file's name (hugetlb page sizes) or a one-line write
     * (interface names, cpuset lists) must be what the kernel names them: a page size of
     * "../x" would otherwise name another file.
     */
    private static void resources(Resources r) throws ConfigException {
        if (r.onlyDevices()) {
            return;
        }
        for (int i = 0; i < r.hugepageLimits().size(); i++) {
            String size = r.hugepageLimits().get(i).pageSize();
            int n = size.length();
            boolean ok = n >= 3 && size.charAt(n - 1) == 'B' && "KMG".indexOf(size.charAt(n - 2)) >= 0
                    && onlyChars(size.substring(0, n - 2), "0123456789") && size.charAt(0) != '0';
            if (!ok) {
                throw ConfigException.field("linux.resources.hugepageLimits[" + i + "].pageSize",
                        "must be a page size as the kernel names it (2MB, 1GB, 64KB), got \"" + size + "\"");
            }
        }
        if (r.cpu() != null) {
            if (!onlyChars(r.cpu().cpus(), "0123456789,-")) {
                throw ConfigException.field("linux.resources.cpu.cpus", "must be a cpu list such as 0-2,4, got \""
                        + r.cpu().cpus() + "\"");
            }
            if (!onlyChars(r.cpu().mems(), "0123456789,-")) {
                throw ConfigException.field("linux.resources.cpu.mems", "must be a node list such as 0-1, got \""
                        + r.cpu().mems() + "\"");
            }
        }
        if (r.network() != null) {
            for (int i = 0; i < r.network().priorities().size(); i++) {
                String name = r.network().priorities().get(i).name();
                boolean ok = !name.isEmpty() && name.length() < 16 && !name.equals(".") && !name.equals("..");
                for (int c = 0; ok && c < name.length(); c++) {
                    char ch = name.charAt(c);
                    ok = ch > ' ' && ch != '/' && ch != ':' && ch < 0x7f;
                }
                if (!ok) {
                    throw ConfigException.field("linux.resources.network.priorities[" + i + "].name",
                            "must be a network interface name, got \"" + name + "\"");
                }
            }
        }
    }

    private static void devices(LinuxSpec linux) throws ConfigException {
        for (int i = 0; i < linux.devices().size(); i++) {
            LinuxSpec.Device d = linux.devices().get(i);
            String field = "linux.devices[" + i + "]";
            if (!Path.of(d.path()).normalize().toString().startsWith("/dev/")) {
                throw ConfigException.field(field + ".path", "must be an absolute path under /dev, got \"" + d.path() + "\"");
            }
            if (!Set.of("c", "b", "u", "p").contains(d.type())) {
                throw ConfigException.field(field + ".type", "must be one of c, b, u, p, got \"" + d.type() + "\"");
            }
        }
        for (int i = 0; i < linux.deviceRules().size(); i++) {
            LinuxSpec.DeviceRule r = linux.deviceRules().get(i);
            String field = "linux.resources.devices[" + i + "]";
            if (!Set.of("a", "c", "b").contains(r.type())) {
                throw ConfigException.field(field + ".type", "must be one of a, c, b, got \"" + r.type() + "\"");
            }
            if (r.access().isEmpty() || r.access().length() > 3 || !onlyChars(r.access(), "rwm")) {
                throw ConfigException.field(field + ".access", "must be made of r, w and m, got \"" + r.access() + "\"");
            }
        }
    }

    /** runc's rule: a sysctl may only be set when it belongs to a namespace the container owns. */
    private static void sysctl(LinuxSpec linux) throws ConfigException {
        for (Map.Entry<String, String> e : linux.sysctl().entrySet()) {
            String key = e.getKey();
            String field = "linux.sysctl[\"" + key + "\"]";
            NamespaceType needs;
            if (key.startsWith("fs.mqueue.") || key.startsWith("kernel.msg") || key.startsWith("kernel.shm")
                    || key.equals("kernel.sem") || key.equals("kernel.shm_rmid_forced")) {
                needs = NamespaceType.IPC;
            } else if (key.startsWith("net.")) {
                needs = NamespaceType.NETWORK;
            } else if (key.equals("kernel.hostname") || key.equals("kernel.domainname")) {
                needs = NamespaceType.UTS;
            } else {
                throw ConfigException.field(field, "not in a namespace the container owns: it would change the host");
            }
            if (!linux.createsNew(needs) && linux.namespace(needs) == null) {
                throw ConfigException.field(field, "needs a " + needs.specName() + " namespace of the container's own");
            }
            if (key.contains("..") || key.contains("/")) {
                throw ConfigException.field(field, "is not a sysctl name");
            }
        }
    }

    private static boolean onlyChars(String s, String allowed) {
        for (int i = 0; i < s.length(); i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void absolutePaths(String field, List<String> paths) throws ConfigException {
        for (int i = 0; i < paths.size(); i++) {
            if (!paths.get(i).startsWith("/")) {
                throw ConfigException.field(field + "[" + i + "]", "must be an absolute path, got \"" + paths.get(i) + "\"");
            }
        }
    }

    private static void hooks(Hooks hooks) throws ConfigException {
        List<List<Hooks.Hook>> all = List.of(hooks.prestart(), hooks.createRuntime(), hooks.createContainer(),
                hooks.startContainer(), hooks.poststart(), hooks.poststop());
        for (List<Hooks.Hook> list : all) {
            for (Hooks.Hook h : list) {
                if (!h.path().startsWith("/")) {
                    throw ConfigException.field("hooks", "hook path must be absolute, got \"" + h.path() + "\"");
                }
            }
        }
    }
}
