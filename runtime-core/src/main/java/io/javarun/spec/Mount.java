package io.javarun.spec;

import java.util.List;

/** {@code mounts[]}: one mount inside the container. */
public record Mount(String destination, String type, String source, List<String> options) {
    public boolean isBind() {
        return "bind".equals(type) || options.contains("bind") || options.contains("rbind");
    }
}
