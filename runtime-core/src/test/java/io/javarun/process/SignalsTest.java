package io.javarun.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "9, 9", "KILL, 9", "SIGKILL, 9", "kill, 9", "sigkill, 9", "Kill, 9",
        "15, 15", "TERM, 15", "SIGTERM, 15", "HUP, 1", "INT, 2", "QUIT, 3", "USR1, 10", "USR2, 12",
        "SIGCHLD, 17", "CONT, 18", "STOP, 19", "WINCH, 28", "SIGSYS, 31", "1, 1", "64, 64",
        // Real-time signals as bash's kill -l names them (glibc's SIGRTMIN is 34).
        "RTMIN, 34", "SIGRTMIN, 34", "RTMIN+2, 36", "SIGRTMIN+1, 35", "RTMAX, 64", "RTMAX-1, 63", "rtmin+30, 64",
    })
    void parsesNumbersAndNames(String raw, int expected) {
        assertEquals(expected, Signals.parse(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "65", "-9", "FOO", "SIGFOO", "SIG", "RTMIN+31", "RTMIN-1", "RTMAX+1", "RTMINx",
            "9x", "KILL9"})
    void refusesAnythingElse(String raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Signals.parse(raw));
        assertEquals("unknown signal \"" + raw + "\"", e.getMessage());
    }
}
