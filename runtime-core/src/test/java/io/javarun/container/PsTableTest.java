package io.javarun.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PsTableTest {
    private static final String PS = "UID          PID    PPID  C STIME TTY          TIME CMD\n"
            + "root           1       0  0 Nov20 ?        00:00:05 /sbin/init\n"
            + "root       11776       1  0 23:38 ?        00:00:00 sleep 1000\n"
            + "root       11777   11776  0 23:38 ?        00:00:00 sh -c 11776\n";

    @Test
    void keepsTheHeaderAndTheContainersRows() {
        assertEquals("UID          PID    PPID  C STIME TTY          TIME CMD\n"
                + "root       11776       1  0 23:38 ?        00:00:00 sleep 1000\n",
                PsTable.filter(PS, List.of(11776)));
    }

    @Test
    void findsThePidColumnWhereverItIs() {
        assertEquals("COMMAND   PID\nsh      11777\n", PsTable.filter("COMMAND   PID\nsleep   11776\nsh      11777\n",
                List.of(11777)));
    }

    @Test
    void outputWithoutPidIsAnError() {
        assertEquals("couldn't find PID field in ps output",
                assertThrows(IllegalArgumentException.class, () -> PsTable.filter("COMMAND\nsleep\n", List.of(1)))
                        .getMessage());
    }
}
