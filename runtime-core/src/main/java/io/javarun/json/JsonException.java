package io.javarun.json;

/** Malformed JSON: the message says what and where (line and column). */
public final class JsonException extends Exception {
    public JsonException(String message) {
        super(message);
    }
}
