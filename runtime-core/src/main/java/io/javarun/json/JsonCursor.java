package io.javarun.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A position in a parsed JSON document that knows its own path ({@code process.user.uid},
 * {@code mounts[2].destination}), so that a wrong type is reported where it is.
 */
public final class JsonCursor {
    private final Object value;
    private final String path;

    public JsonCursor(Object value, String path) {
        this.value = value;
        this.path = path;
    }

    public static JsonCursor root(Object value) {
        return new JsonCursor(value, "");
    }

    public String path() {
        return path;
    }

    public Object value() {
        return value;
    }

    public boolean isNull() {
        return value == null;
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private Map<?, ?> map() throws JsonShapeException {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw wrongType("an object");
    }

    /** The member {@code key}; a cursor on null when absent (or when this is null). */
    public JsonCursor get(String key) throws JsonShapeException {
        if (value == null) {
            return new JsonCursor(null, childPath(key));
        }
        return new JsonCursor(map().get(key), childPath(key));
    }

    public boolean has(String key) throws JsonShapeException {
        return value != null && map().get(key) != null;
    }

    /** The members of an object (empty for null), in document order. */
    public Map<String, JsonCursor> members() throws JsonShapeException {
        if (value == null) {
            return Collections.emptyMap();
        }
        Map<String, JsonCursor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map().entrySet()) {
            String k = String.valueOf(e.getKey());
            out.put(k, new JsonCursor(e.getValue(), childPath(k)));
        }
        return out;
    }

    /** The elements of an array (empty for null). */
    public List<JsonCursor> elements() throws JsonShapeException {
        if (value == null) {
            return Collections.emptyList();
        }
        if (!(value instanceof List<?> list)) {
            throw wrongType("an array");
        }
        List<JsonCursor> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(new JsonCursor(list.get(i), path + "[" + i + "]"));
        }
        return out;
    }

    public String asString(String dflt) throws JsonShapeException {
        if (value == null) {
            return dflt;
        }
        if (value instanceof String s) {
            return s;
        }
        throw wrongType("a string");
    }

    public String asString() throws JsonShapeException {
        if (value == null) {
            throw new JsonShapeException(path, "is required");
        }
        return asString(null);
    }

    public boolean asBoolean(boolean dflt) throws JsonShapeException {
        if (value == null) {
            return dflt;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType("a boolean");
    }

    /** An integer in [min, max]; null stays null. */
    public Long asLong(long min, long max) throws JsonShapeException {
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            if (l < min || l > max) {
                throw new JsonShapeException(path, "value " + l + " out of range [" + min + ", " + max + "]");
            }
            return l;
        }
        throw wrongType("an integer");
    }

    /**
     * An unsigned 64-bit integer (rlimits, memory sizes), returned in a long's bits: values up to
     * 2^64-1 are allowed, as Go's uint64 does.
     */
    public Long asUnsigned64() throws JsonShapeException {
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            if (l < 0) {
                throw new JsonShapeException(path, "value " + l + " must not be negative");
            }
            return l;
        }
        if (value instanceof BigInteger b) {
            if (b.signum() < 0 || b.bitLength() > 64) {
                throw new JsonShapeException(path, "value " + b + " out of range for an unsigned 64-bit integer");
            }
            return b.longValue();
        }
        throw wrongType("an integer");
    }

    public List<String> asStringList() throws JsonShapeException {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof List<?> list)) {
            throw wrongType("an array of strings");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new JsonShapeException(path + "[" + i + "]", "expected a string, got " + typeName(list.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    /** String values of an object of strings (annotations, sysctl). */
    public Map<String, String> asStringMap() throws JsonShapeException {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonCursor> e : members().entrySet()) {
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    private JsonShapeException wrongType(String expected) {
        return new JsonShapeException(path, "expected " + expected + ", got " + typeName(value));
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof List) {
            return "array";
        }
        return "object";
    }
}
