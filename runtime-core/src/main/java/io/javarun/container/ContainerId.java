package io.javarun.container;

/** runc's container id rule: word characters, '+', '-' and '.', and never "." or "..". */
public final class ContainerId {
    private ContainerId() {}

    public static void validate(String op, String id) throws OperationException {
        if (id == null || id.isEmpty()) {
            throw new OperationException(op, "", "container id cannot be empty");
        }
        if (!isValid(id)) {
            throw new OperationException(op, id, "invalid container id format: " + id
                    + " (letters, digits, '_', '+', '-' and '.' only)");
        }
    }

    /** runc's ^[\\w+-\\.]+$ without the regex engine (its start-up cost is paid on every call). */
    static boolean isValid(String id) {
        if (id.equals(".") || id.equals("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!word && c != '+' && c != '-' && c != '.') {
                return false;
            }
        }
        return true;
    }
}
