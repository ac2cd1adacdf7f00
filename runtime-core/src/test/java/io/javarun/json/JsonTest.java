package io.javarun.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javarun.testing.Fixtures;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parsesEveryJsonTypeInDocumentOrder() throws Exception {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"s\":\"x\",\"i\":42,\"n\":-7,\"d\":1.5,\"e\":2e3,\"E\":-1.25E-2,"
                + "\"t\":true,\"f\":false,\"z\":null,\"a\":[1,\"two\",[],{}],\"o\":{\"k\":{}}}");
        assertEquals(List.of("s", "i", "n", "d", "e", "E", "t", "f", "z", "a", "o"), new ArrayList<>(m.keySet()));
        assertEquals("x", m.get("s"));
        assertEquals(42L, m.get("i"));
        assertEquals(-7L, m.get("n"));
        assertEquals(1.5, m.get("d"));
        assertEquals(2000.0, m.get("e"));
        assertEquals(-0.0125, m.get("E"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertTrue(m.containsKey("z"));
        assertNull(m.get("z"));
        assertEquals(List.of(1L, "two", List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", Map.of()), m.get("o"));
    }

    @Test
    void acceptsJsonWhitespaceEverywhere() throws Exception {
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] }\r\n"));
    }

    @Test
    void parsesScalarsAtTopLevel() throws Exception {
        assertEquals("x", Json.parse("\"x\""));
        assertEquals(0L, Json.parse("0"));
        assertEquals(-0.5, Json.parse("-0.5"));
        assertNull(Json.parse("null"));
        assertEquals(Boolean.FALSE, Json.parse(" false "));
    }

    @Test
    void keepsRlimInfinityAsAnExactUnsignedValue() throws Exception {
        // RLIM_INFINITY as runc and Go's uint64 write it.
        Object v = Json.parse("18446744073709551615");
        assertInstanceOf(BigInteger.class, v);
        assertEquals(new BigInteger("18446744073709551615"), v);
        assertEquals("18446744073709551615", Json.write(v));
    }

    @Test
    void integersThatFitALongAreLongs() throws Exception {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(1234567890123456789L, Json.parse("1234567890123456789"));
        assertEquals(new BigInteger("9223372036854775808"), Json.parse("9223372036854775808"));
        assertEquals(new BigInteger("-9223372036854775809"), Json.parse("-9223372036854775809"));
    }

    @Test
    void decodesEveryEscape() throws Exception {
        assertEquals("\" \\ / \b \f \n \r \t", Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\""));
        assertEquals("caf\u00e9 A \u0000", Json.parse("\"caf\\u00e9 \\u0041 \\u0000\""));
        assertEquals("\u00e9", Json.parse("\"\\u00E9\""));
        // A surrogate pair encodes one code point outside the BMP.
        String smile = (String) Json.parse("\"\\ud83d\\ude00\"");
        assertEquals(1, smile.codePointCount(0, smile.length()));
        assertEquals(0x1F600, smile.codePointAt(0));
        // Raw UTF-8 (already decoded into the Java string) is kept as it is.
        assertEquals("\u00e9t\u00e9 \u4e2d", Json.parse("\"\u00e9t\u00e9 \u4e2d\""));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "unexpected end of input at line 1, column 1"),
                Arguments.of("   ", "unexpected end of input at line 1, column 4"),
                Arguments.of("{\n  \"a\": 1,\n  \"b\": tru\n}", "unexpected character 't' at line 3, column 8"),
                Arguments.of("{\"a\":1 \"b\":2}", "expected ',' or '}' at line 1, column 8"),
                Arguments.of("[1 2]", "expected ',' or ']' at line 1, column 4"),
                Arguments.of("{\"a\":1,}", "expected a string key at line 1, column 8"),
                Arguments.of("[1,]", "unexpected character ']' at line 1, column 4"),
                Arguments.of("{'a':1}", "expected a string key at line 1, column 2"),
                Arguments.of("{\"a\" 1}", "expected ':' at line 1, column 6"),
                Arguments.of("\"abc", "unterminated string at line 1, column 5"),
                Arguments.of("\"a\nb\"", "control character in string at line 1, column 3"),
                Arguments.of("\"\\x\"", "bad escape '\\x' at line 1, column 3"),
                Arguments.of("\"\\u12G4\"", "bad unicode escape at line 1, column 4"),
                Arguments.of("\"\\u12\"", "bad unicode escape at line 1, column 4"),
                Arguments.of("{} x", "unexpected content after the JSON value at line 1, column 4"),
                Arguments.of("{}\n\n  ]", "unexpected content after the JSON value at line 3, column 3"),
                Arguments.of("-", "expected a digit at line 1, column 2"),
                Arguments.of("1.", "expected a digit at line 1, column 3"),
                Arguments.of("1e+", "expected a digit at line 1, column 4"),
                Arguments.of(".5", "unexpected character '.' at line 1, column 1"),
                Arguments.of("+1", "unexpected character '+' at line 1, column 1"),
                Arguments.of("NaN", "unexpected character 'N' at line 1, column 1"),
                Arguments.of("nul", "unexpected character 'n' at line 1, column 1"),
                Arguments.of("[", "unexpected end of input at line 1, column 2"),
                Arguments.of("{\"a\":", "unexpected end of input at line 1, column 6"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("malformed")
    void reportsWhatIsWrongAndWhere(String input, String message) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(input));
        assertEquals(message, e.getMessage());
    }

    // Regression (found by this test, since fixed): Json.escape() (Json.java, the case 'u' branch) uses
    // Integer.parseInt(..., 16), which accepts a sign: the escape backslash-u "+041" decodes to 'A' and
    // "-001" to U+FFFF. RFC 8259 (and Go, which runc uses) require exactly four hex digits.
    @ParameterizedTest
    @ValueSource(strings = {"\"\\u+041\"", "\"\\u-001\""})
    void unicodeEscapeNeedsFourHexDigits(String input) {
        assertThrows(JsonException.class, () -> Json.parse(input));
    }

    // Regression (found by this test, since fixed): Json.number() accepts leading zeros ("01", "-007"),
    // which RFC 8259 forbids and Go's encoding/json refuses ("invalid character '1' after top-level
    // value").
    @ParameterizedTest
    @ValueSource(strings = {"01", "-007", "[00]"})
    void leadingZerosAreRefused(String input) {
        assertThrows(JsonException.class, () -> Json.parse(input));
    }

    // Regression (found by this test, since fixed): Json.value()/array()/object() recurse without a
    // depth limit, so a deeply nested config.json ends in a StackOverflowError (a stack trace from the
    // CLI) instead of a JsonException. Go's decoder stops at 10000 levels with an error.
    @Test
    void deepNestingIsAJsonErrorNotAStackOverflow() {
        String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
        assertThrows(JsonException.class, () -> Json.parse(deep));
    }

    @Test
    void writesCompactJsonAsGoDoes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1L, true, false));
        m.put("b", null);
        m.put("c", Map.of());
        m.put("d", List.of());
        m.put("e", "x");
        m.put("f", 1.5);
        m.put("g", 2.0);
        m.put("h", 7);
        assertEquals("{\"a\":[1,true,false],\"b\":null,\"c\":{},\"d\":[],\"e\":\"x\",\"f\":1.5,\"g\":2,\"h\":7}",
                Json.write(m));
    }

    @Test
    void escapesHtmlCharactersAsGoDoes() {
        // Go's encoding/json escapes <, > and & by default (json.Marshal's HTML-safe output).
        assertEquals("\"\\u003cscript\\u003ea \\u0026\\u0026 b\\u003c/script\\u003e\"",
                Json.write("<script>a && b</script>"));
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"say \\\"hi\\\" C:\\\\dir\"", Json.write("say \"hi\" C:\\dir"));
        assertEquals("\"a\\nb\\rc\\td\"", Json.write("a\nb\rc\td"));
        assertEquals("\"\\u0000\\u0001\\u001f\"", Json.write("\u0000\u0001\u001f"));
        // Go escapes the JavaScript line terminators U+2028 and U+2029.
        assertEquals("\"\\u2028\\u2029\"", Json.write("\u2028\u2029"));
        // Other non-ASCII text is written as is (UTF-8 on output), and '/' is not escaped.
        assertEquals("\"caf\u00e9 /x\"", Json.write("caf\u00e9 /x"));
    }

    @Test
    void everyEscapedStringReadsBackTheSame() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("\u00e9\u2028\u2029\ud83d\ude00");
        assertEquals(all.toString(), Json.parse(Json.write(all.toString())));
    }

    @Test
    void indentsAsGoMarshalIndent() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", List.of(1L, 2L));
        m.put("b", Map.of());
        m.put("c", List.of());
        m.put("d", new LinkedHashMap<>(Map.of("e", "f")));
        // json.MarshalIndent(v, "", "\t"): empty containers stay "{}" and "[]".
        assertEquals("{\n\t\"a\": [\n\t\t1,\n\t\t2\n\t],\n\t\"b\": {},\n\t\"c\": [],\n\t\"d\": {\n\t\t\"e\": \"f\"\n\t}\n}",
                Json.writeIndented(m, "\t"));
        assertEquals("[\n  null,\n  \"x\"\n]", Json.writeIndented(java.util.Arrays.asList(null, "x"), "  "));
        assertEquals("\"\\u003c\"", Json.writeIndented("<", "\t"));
    }

    @Test
    void runcSpecOutputRoundTripsByteForByte() throws Exception {
        // runc writes config.json with json.MarshalIndent(spec, "", "\t").
        String text = Fixtures.runcSpecText();
        assertEquals(text, Json.writeIndented(Json.parse(text), "\t"));
        String rootless = Fixtures.runcRootlessSpecText();
        assertEquals(rootless, Json.writeIndented(Json.parse(rootless), "\t"));
    }

    @Test
    void compactOutputParsesBackToTheSameValue() throws Exception {
        Object doc = Json.parse(Fixtures.runcSpecText());
        assertEquals(doc, Json.parse(Json.write(doc)));
        Object big = Json.parse("{\"hard\":18446744073709551615,\"soft\":-12,\"x\":[0.25,\"<&>\"]}");
        assertEquals(big, Json.parse(Json.write(big)));
    }
}
