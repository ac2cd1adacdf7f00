package io.javarun.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCursorTest {

    private static JsonCursor doc(String json) throws JsonException {
        return JsonCursor.root(Json.parse(json));
    }

    private static void assertShape(String field, String message, org.junit.jupiter.api.function.Executable call) {
        JsonShapeException e = assertThrows(JsonShapeException.class, call);
        assertEquals(field, e.field());
        assertEquals(field + ": " + message, e.getMessage());
    }

    @Test
    void namesTheArrayElementThatHasTheWrongType() throws Exception {
        JsonCursor c = doc("{\"process\":{\"args\":[\"sh\",1]}}");
        assertShape("process.args[1]", "expected a string, got number",
                () -> c.get("process").get("args").asStringList());
    }

    @Test
    void namesNestedMembersAndElements() throws Exception {
        JsonCursor c = doc("{\"mounts\":[{\"destination\":\"/a\"},{\"destination\":true}]}");
        List<JsonCursor> mounts = c.get("mounts").elements();
        assertEquals("mounts[0]", mounts.get(0).path());
        assertEquals("mounts[1].destination", mounts.get(1).get("destination").path());
        assertEquals("/a", mounts.get(0).get("destination").asString());
        assertShape("mounts[1].destination", "expected a string, got boolean",
                () -> mounts.get(1).get("destination").asString());
    }

    @Test
    void reportsTheTypeThatWasFound() throws Exception {
        JsonCursor c = doc("{\"s\":\"x\",\"n\":1.5,\"b\":true,\"a\":[],\"o\":{},\"z\":null}");
        assertShape("s", "expected an array, got string", () -> c.get("s").elements());
        assertShape("n", "expected a string, got number", () -> c.get("n").asString(""));
        assertShape("b", "expected an integer, got boolean", () -> c.get("b").asLong(0, 10));
        assertShape("a", "expected an object, got array", () -> c.get("a").get("x"));
        assertShape("o", "expected a boolean, got object", () -> c.get("o").asBoolean(false));
        assertShape("o", "expected an array of strings, got object", () -> c.get("o").asStringList());
        assertShape("n", "expected an integer, got number", () -> c.get("n").asLong(0, 10));
    }

    @Test
    void absentAndNullMembersGiveTheDefault() throws Exception {
        JsonCursor c = doc("{\"z\":null}");
        assertTrue(c.get("missing").isNull());
        assertEquals("dflt", c.get("z").asString("dflt"));
        assertTrue(c.get("missing").asBoolean(true));
        assertNull(c.get("missing").asLong(0, 1));
        assertNull(c.get("missing").asUnsigned64());
        assertEquals(List.of(), c.get("missing").asStringList());
        assertEquals(List.of(), c.get("missing").elements());
        assertEquals(Map.of(), c.get("missing").members());
        // Walking below an absent member keeps the path for later errors.
        assertEquals("missing.deeper.still", c.get("missing").get("deeper").get("still").path());
        assertFalse(c.has("z"));
        assertFalse(c.has("missing"));
    }

    @Test
    void aRequiredStringMustBePresent() throws Exception {
        JsonCursor c = doc("{\"root\":{}}");
        assertShape("root.path", "is required", () -> c.get("root").get("path").asString());
    }

    @Test
    void integerRangesAreChecked() throws Exception {
        JsonCursor c = doc("{\"uid\":4294967296,\"ok\":4294967295,\"neg\":-1}");
        assertEquals(4294967295L, c.get("ok").asLong(0, 0xFFFF_FFFFL));
        assertShape("uid", "value 4294967296 out of range [0, 4294967295]", () -> c.get("uid").asLong(0, 0xFFFF_FFFFL));
        assertShape("neg", "value -1 out of range [0, 4294967295]", () -> c.get("neg").asLong(0, 0xFFFF_FFFFL));
    }

    @Test
    void unsigned64AcceptsTheWholeUint64Range() throws Exception {
        JsonCursor c = doc("{\"inf\":18446744073709551615,\"big\":9223372036854775808,\"small\":1024,"
                + "\"over\":18446744073709551616,\"neg\":-1,\"str\":\"1\"}");
        // Returned in a long's bits: RLIM_INFINITY is all ones.
        assertEquals(-1L, c.get("inf").asUnsigned64());
        assertEquals("18446744073709551615", Long.toUnsignedString(c.get("inf").asUnsigned64()));
        assertEquals(Long.MIN_VALUE, c.get("big").asUnsigned64());
        assertEquals(1024L, c.get("small").asUnsigned64());
        assertShape("over", "value 18446744073709551616 out of range for an unsigned 64-bit integer",
                () -> c.get("over").asUnsigned64());
        assertShape("neg", "value -1 must not be negative", () -> c.get("neg").asUnsigned64());
        assertShape("str", "expected an integer, got string", () -> c.get("str").asUnsigned64());
    }

    @Test
    void membersKeepDocumentOrderAndTheirPaths() throws Exception {
        JsonCursor c = doc("{\"linux\":{\"sysctl\":{\"net.b\":\"1\",\"kernel.a\":\"2\"}}}");
        Map<String, JsonCursor> m = c.get("linux").get("sysctl").members();
        assertEquals(List.of("net.b", "kernel.a"), new ArrayList<>(m.keySet()));
        assertEquals("linux.sysctl.kernel.a", m.get("kernel.a").path());
        assertEquals(Map.of("net.b", "1", "kernel.a", "2"), c.get("linux").get("sysctl").asStringMap());
        assertEquals(List.of("net.b", "kernel.a"),
                new ArrayList<>(c.get("linux").get("sysctl").asStringMap().keySet()));
    }

    @Test
    void stringMapValuesMustBeStrings() throws Exception {
        JsonCursor c = doc("{\"annotations\":{\"a\":\"x\",\"b\":2}}");
        assertShape("annotations.b", "expected a string, got number", () -> c.get("annotations").asStringMap());
        JsonCursor nullValue = doc("{\"annotations\":{\"a\":null}}");
        assertShape("annotations.a", "is required", () -> nullValue.get("annotations").asStringMap());
    }
}
