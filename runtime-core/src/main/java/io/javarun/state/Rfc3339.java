package io.javarun.state;

import java.time.Instant;

/**
 * Timestamps as Go's RFC3339Nano writes them (runc's state.json "created", logrus's "time"):
 * UTC, the fraction without trailing zeros, none when whole. Written out because
 * {@code Instant.toString()} starts java.time's formatter, 2-3 ms of every create.
 */
public final class Rfc3339 {
    private Rfc3339() {}

    public static String now() {
        Instant t = Instant.now();
        return format(t.getEpochSecond(), t.getNano());
    }

    /** The proleptic Gregorian date of the day count (H. Hinnant's civil_from_days). */
    public static String format(long epochSecond, int nano) {
        long days = Math.floorDiv(epochSecond, 86400L);
        int secs = (int) Math.floorMod(epochSecond, 86400L);
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097L);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(30);
        pad(b, year, 4).append('-');
        pad(b, month, 2).append('-');
        pad(b, day, 2).append('T');
        pad(b, secs / 3600, 2).append(':');
        pad(b, secs / 60 % 60, 2).append(':');
        pad(b, secs % 60, 2);
        if (nano > 0) {
            String digits = Integer.toString(nano + 1_000_000_000).substring(1);
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(digits, 0, end);
        }
        return b.append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
