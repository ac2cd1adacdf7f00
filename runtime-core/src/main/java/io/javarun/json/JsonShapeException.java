package io.javarun.json;

/** A JSON value of the wrong type or range at a named field path. */
public final class JsonShapeException extends Exception {
    private final String field;

    public JsonShapeException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
