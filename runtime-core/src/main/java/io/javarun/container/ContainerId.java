package io.javarun.container;

import java.util.regex.Pattern;

/** runc's container id rule: word characters, '+', '-' and '.', and never "." or "..". */
public final class ContainerId {
    private static final Pattern ID = Pattern.compile("^[\\w+\\-.]+$");

    private ContainerId() {}

    public static void validate(String op, String id) throws OperationException {
        if (id == null || id.isEmpty()) {
            throw new OperationException(op, "", "container id cannot be empty");
        }
        if (!ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new OperationException(op, id, "invalid container id format: " + id
                    + " (letters, digits, '_', '+', '-' and '.' only)");
        }
    }
}
