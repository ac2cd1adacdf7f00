package io.javarun.it;

import java.util.ArrayList;
import java.util.List;

/** Parses the table `list` prints: a header line, then one whitespace-separated row per container. */
public final class Tables {
    private Tables() {}

    public static List<String> header(String listOutput) {
        String[] lines = listOutput.split("\n");
        return List.of(lines[0].trim().split("\\s+"));
    }

    /** Rows after the header, each split on whitespace (no column holds a space in these tests). */
    public static List<List<String>> rows(String listOutput) {
        List<List<String>> rows = new ArrayList<>();
        String[] lines = listOutput.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                rows.add(List.of(lines[i].trim().split("\\s+")));
            }
        }
        return rows;
    }

    /** The row of container {@code id}, or null. */
    public static List<String> row(String listOutput, String id) {
        for (List<String> r : rows(listOutput)) {
            if (r.get(0).equals(id)) {
                return r;
            }
        }
        return null;
    }
}
