package io.javarun.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
    @Test
    void writesGosRfc3339NanoInUtc() {
        assertEquals("1970-01-01T00:00:00Z", Rfc3339.format(0, 0));
        assertEquals("2026-11-23T04:02:02.12345Z", Rfc3339.format(1795406522L, 123_450_000));
        assertEquals("2000-02-29T23:59:59.000000001Z", Rfc3339.format(951868799L, 1));
        assertEquals("1969-12-31T23:59:59.5Z", Rfc3339.format(-1, 500_000_000));
    }

    @Test
    void agreesWithJavaTimeOverFourCenturies() {
        DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            long s = r.nextLong(-2_208_988_800L, 10_413_792_000L); // 1900 .. 2300
            int nano = r.nextInt(1_000_000_000);
            Instant t = Instant.ofEpochSecond(s, nano);
            String want = OffsetDateTime.ofInstant(t, ZoneOffset.UTC).format(seconds)
                    + (nano == 0 ? "" : ("." + String.format("%09d", nano)).replaceAll("0+$", "")) + "Z";
            assertEquals(want, Rfc3339.format(s, nano), t.toString());
            assertEquals(t, Instant.parse(Rfc3339.format(s, nano)), "what javarun writes, java.time reads back");
        }
    }
}
