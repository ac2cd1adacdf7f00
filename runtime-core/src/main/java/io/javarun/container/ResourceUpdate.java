package io.javarun.container;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code update} changes, as a runtime-spec LinuxResources JSON object (the shape of
 * {@code --resources FILE}), built from runc's flags with runc's parsing: memory sizes through
 * go-units' RAMInBytes ("64m", "1.5g", "-1"), the rest as Go's strconv would. A zero value means
 * "leave as it is", as in runc.
 */
public final class ResourceUpdate {
    private ResourceUpdate() {}

    /** Flag values by runc's flag name (absent: not given). */
    public static Map<String, Object> fromFlags(Map<String, String> flags) {
        Map<String, Object> r = new LinkedHashMap<>();
        String weight = flags.get("blkio-weight");
        if (weight != null) {
            long w = goInt("blkio-weight", weight);
            if (w != 0) {
                obj(r, "blockIO").put("weight", w & 0xFFFF);
            }
        }
        putString(r, "cpu", "cpus", flags.get("cpuset-cpus"));
        putString(r, "cpu", "mems", flags.get("cpuset-mems"));
        putUnsigned(r, "cpu", "period", "cpu-period", flags.get("cpu-period"));
        putUnsigned(r, "cpu", "realtimePeriod", "cpu-rt-period", flags.get("cpu-rt-period"));
        putUnsigned(r, "cpu", "shares", "cpu-share", flags.get("cpu-share"));
        putSigned(r, "cpu", "quota", "cpu-quota", flags.get("cpu-quota"));
        putSigned(r, "cpu", "realtimeRuntime", "cpu-rt-runtime", flags.get("cpu-rt-runtime"));
        putMemory(r, "limit", "memory", flags.get("memory"));
        putMemory(r, "swap", "memory-swap", flags.get("memory-swap"));
        putMemory(r, "kernel", "kernel-memory", flags.get("kernel-memory"));
        putMemory(r, "kernelTCP", "kernel-memory-tcp", flags.get("kernel-memory-tcp"));
        putMemory(r, "reservation", "memory-reservation", flags.get("memory-reservation"));
        String pids = flags.get("pids-limit");
        if (pids != null) {
            long p = goInt("pids-limit", pids);
            if (p != 0) {
                obj(r, "pids").put("limit", p);
            }
        }
        return r;
    }

    private static final String[][] UPDATABLE = {
        {"memory", "limit", "reservation", "swap", "kernel", "kernelTCP"},
        {"cpu", "shares", "quota", "period", "realtimeRuntime", "realtimePeriod", "cpus", "mems"},
        {"blockIO", "weight"},
        {"pids", "limit"},
    };

    /**
     * The part of a --resources document that update changes (runc's update copies only these
     * fields, and unified); the names of the others, which are left as they are, go to {@code ignored}.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> updatable(Map<String, Object> doc, java.util.List<String> ignored) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            String key = e.getKey();
            if (key.equals("unified")) {
                out.put(key, e.getValue());
                continue;
            }
            String[] allowed = null;
            for (String[] u : UPDATABLE) {
                if (u[0].equals(key)) {
                    allowed = u;
                }
            }
            if (allowed == null || !(e.getValue() instanceof Map<?, ?> group)) {
                if (!isZero(e.getValue())) {
                    ignored.add(key);
                }
                continue;
            }
            Map<String, Object> kept = new LinkedHashMap<>();
            for (Map.Entry<?, ?> f : group.entrySet()) {
                boolean ok = false;
                for (int i = 1; i < allowed.length; i++) {
                    ok |= allowed[i].equals(f.getKey());
                }
                if (ok) {
                    kept.put((String) f.getKey(), f.getValue());
                } else if (!isZero(f.getValue()) && !Boolean.FALSE.equals(f.getValue())) {
                    ignored.add(key + "." + f.getKey());
                }
            }
            out.put(key, kept);
        }
        return out;
    }

    /** go-units RAMInBytes: a decimal number, an optional space, an optional k/m/g/t/p (binary), optional i and b. */
    public static long ramInBytes(String s) {
        int i = 0;
        int n = s.length();
        int start = i;
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        String num = s.substring(start, i);
        if (num.isEmpty() || !Character.isDigit(num.charAt(0)) || num.endsWith(".") || num.contains("..")) {
            throw invalidSize(s);
        }
        if (i < n && s.charAt(i) == ' ') {
            i++;
        }
        long mult = 1;
        if (i < n) {
            switch (Character.toLowerCase(s.charAt(i))) {
                case 'k': mult = 1L << 10; i++; break;
                case 'm': mult = 1L << 20; i++; break;
                case 'g': mult = 1L << 30; i++; break;
                case 't': mult = 1L << 40; i++; break;
                case 'p': mult = 1L << 50; i++; break;
                default: break;
            }
        }
        if (i < n && Character.toLowerCase(s.charAt(i)) == 'i') {
            i++;
        }
        if (i < n && Character.toLowerCase(s.charAt(i)) == 'b') {
            i++;
        }
        if (i != n) {
            throw invalidSize(s);
        }
        double size;
        try {
            size = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw invalidSize(s);
        }
        return (long) (size * mult);
    }

    private static IllegalArgumentException invalidSize(String s) {
        return new IllegalArgumentException("invalid size: '" + s + "'");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Map<String, Object> r, String key) {
        Object o = r.get(key);
        if (o == null) {
            o = new LinkedHashMap<String, Object>();
            r.put(key, o);
        }
        return (Map<String, Object>) o;
    }

    private static void putString(Map<String, Object> r, String group, String key, String v) {
        if (v != null && !v.isEmpty()) {
            obj(r, group).put(key, v);
        }
    }

    private static void putUnsigned(Map<String, Object> r, String group, String key, String flag, String v) {
        if (v == null || v.isEmpty()) {
            return;
        }
        long parsed;
        try {
            if (v.startsWith("+") || v.startsWith("-")) {
                throw new NumberFormatException();
            }
            parsed = Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for " + flag + ": strconv.ParseUint: parsing \"" + v
                    + "\": invalid syntax");
        }
        if (parsed != 0) {
            obj(r, group).put(key, parsed < 0 ? new java.math.BigInteger(Long.toUnsignedString(parsed)) : (Object) parsed);
        }
    }

    private static void putSigned(Map<String, Object> r, String group, String key, String flag, String v) {
        if (v == null || v.isEmpty()) {
            return;
        }
        long parsed;
        try {
            parsed = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value for " + flag + ": strconv.ParseInt: parsing \"" + v
                    + "\": invalid syntax");
        }
        if (parsed != 0) {
            obj(r, group).put(key, parsed);
        }
    }

    private static void putMemory(Map<String, Object> r, String key, String flag, String v) {
        if (v == null || v.isEmpty()) {
            return;
        }
        long bytes;
        if (v.equals("-1")) {
            bytes = -1;
        } else {
            try {
                bytes = ramInBytes(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid value for " + flag + ": " + e.getMessage());
            }
        }
        if (bytes != 0) {
            obj(r, "memory").put(key, bytes);
        }
    }

    /** urfave/cli's Int flag (Go's strconv.ParseInt with base 0). */
    private static long goInt(String flag, String v) {
        try {
            return Long.decode(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid value \"" + v + "\" for flag -" + flag + ": parse error");
        }
    }

    /**
     * Merges an update into the stored config's {@code linux.resources}: every non-zero value
     * replaces the stored one (zero leaves it, as runc's update does), devices are left alone.
     */
    @SuppressWarnings("unchecked")
    public static Object mergeIntoConfig(Object config, Map<String, Object> update) {
        if (!(config instanceof Map<?, ?> cm)) {
            return config;
        }
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) cm);
        Map<String, Object> linux = copy.get("linux") instanceof Map<?, ?> l
                ? new LinkedHashMap<>((Map<String, Object>) l) : new LinkedHashMap<>();
        Map<String, Object> res = linux.get("resources") instanceof Map<?, ?> rm
                ? new LinkedHashMap<>((Map<String, Object>) rm) : new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : update.entrySet()) {
            if (e.getKey().equals("devices")) {
                continue;
            }
            Object v = e.getValue();
            if (v instanceof Map<?, ?> group) {
                Map<String, Object> target = res.get(e.getKey()) instanceof Map<?, ?> t
                        ? new LinkedHashMap<>((Map<String, Object>) t) : new LinkedHashMap<>();
                for (Map.Entry<?, ?> f : group.entrySet()) {
                    if (!isZero(f.getValue())) {
                        target.put(String.valueOf(f.getKey()), f.getValue());
                    }
                }
                if (!target.isEmpty()) {
                    res.put(e.getKey(), target);
                }
            } else if (!isZero(v)) {
                res.put(e.getKey(), v);
            }
        }
        linux.put("resources", res);
        copy.put("linux", linux);
        return copy;
    }

    private static boolean isZero(Object v) {
        return v == null || (v instanceof Long l && l == 0) || "".equals(v)
                || (v instanceof java.util.List<?> list && list.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
    }
}
