package io.javarun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Expected outputs are runc 1.1.5's `runc list` output (text/tabwriter, minwidth 12, tabwidth 1,
 * padding 3, padchar ' '), captured from the binary.
 */
class TableTest {

    private static Table header() {
        Table t = new Table();
        t.add("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
        return t;
    }

    @Test
    void headerAloneUsesTheMinimumWidth() {
        assertEquals("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n", header().render());
    }

    @Test
    void headerAndOneRowMatchRuncList() {
        Table t = header();
        t.add("test-container", "0", "stopped", "/run/bundles/test-container", "2024-05-06T07:08:09.123456789Z", "root");
        assertEquals(
                "ID               PID         STATUS      BUNDLE                        CREATED                          OWNER\n"
                + "test-container   0           stopped     /run/bundles/test-container   2024-05-06T07:08:09.123456789Z   root\n",
                t.render());
    }

    @Test
    void theWidestCellOfEachColumnSetsItsWidthAndTheLastColumnIsNotPadded() {
        Table t = header();
        t.add("a", "1", "running", "/b", "c", "someone-with-a-long-name");
        t.add("abcdefghij", "123456789012", "created", "/b", "c", "root");
        // ID: 10 + 3 = 13; PID: 12 + 3 = 15; the others stay at 12.
        assertEquals(
                "ID           PID            STATUS      BUNDLE      CREATED     OWNER\n"
                + "a            1              running     /b          c           someone-with-a-long-name\n"
                + "abcdefghij   123456789012   created     /b          c           root\n",
                t.render());
    }

    @Test
    void aCellOfNineCharactersStillFitsTheMinimumWidth() {
        Table t = header();
        t.add("123456789", "1", "paused", "/b", "c", "root");
        assertEquals(
                "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n"
                + "123456789   1           paused      /b          c           root\n",
                t.render());
    }
}
