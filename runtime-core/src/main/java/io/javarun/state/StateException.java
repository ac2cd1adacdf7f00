package io.javarun.state;

/** A state directory problem: missing or duplicate container, unreadable or unwritable state. */
public final class StateException extends Exception {
    public StateException(String message) {
        super(message);
    }

    public boolean isNotFound() {
        return getMessage().startsWith("container does not exist");
    }
}
