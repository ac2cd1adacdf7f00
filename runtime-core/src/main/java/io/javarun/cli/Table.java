package io.javarun.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter as runc's list uses it (minwidth 12, padding 3, spaces): every column but
 * the last padded to the widest cell plus 3, at least 12.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    void add(String... cells) {
        rows.add(cells);
    }

    String render() {
        int cols = rows.isEmpty() ? 0 : rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols - 1; i++) {
                width[i] = Math.max(width[i], Math.max(12, r[i].length() + 3));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length()));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
