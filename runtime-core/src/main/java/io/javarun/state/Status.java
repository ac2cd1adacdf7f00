package io.javarun.state;

/** The runtime spec's container statuses, spelt as state prints them. */
public enum Status {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
