package io.javarun.spec;

/**
 * config.json is invalid or asks for something javarun does not do. The message names the file,
 * the field and the reason: {@code config.json: process.args: expected an array of strings, got string}.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException field(String field, String reason) {
        return new ConfigException("config.json: " + field + ": " + reason);
    }

    public static ConfigException notSupportedYet(String field) {
        return new ConfigException("config.json: " + field + ": not supported yet");
    }
}
