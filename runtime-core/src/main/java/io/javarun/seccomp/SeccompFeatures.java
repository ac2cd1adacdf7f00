package io.javarun.seccomp;

import io.javarun.linux.LinuxNative;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code linux.seccomp} of {@code javarun features}, in runc 1.2's shape: the names javarun
 * accepts (sorted, as runc lists them), the flags it knows, and those this kernel has.
 */
public final class SeccompFeatures {
    /** The annotation runc gives the libseccomp version under. */
    public static final String LIBSECCOMP_ANNOTATION = "io.github.seccomp.libseccomp.version";

    private SeccompFeatures() {}

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", true);
        m.put("actions", sortedNames(SeccompAction.values()));
        m.put("operators", sortedNames(SeccompOperator.values()));
        m.put("archs", sortedNames(SeccompArch.values()));
        List<Object> known = new ArrayList<>();
        for (SeccompFlag f : SeccompFlag.values()) {
            known.add(f.specName());
        }
        m.put("knownFlags", known);
        List<Object> supported = supportedFlags();
        if (supported != null) {
            m.put("supportedFlags", supported);
        }
        return m;
    }

    /** The libseccomp version javarun-helper is built with, or null without libjavarun. */
    public static String libseccompVersion() {
        try {
            LinuxNative.load();
            return LinuxNative.libseccompVersion();
        } catch (IllegalStateException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The known flags this kernel takes, or null when libjavarun is not there to ask it. */
    private static List<Object> supportedFlags() {
        try {
            LinuxNative.load();
            List<Object> out = new ArrayList<>();
            for (SeccompFlag f : SeccompFlag.values()) {
                if (LinuxNative.seccompFlagsSupported(f.probeBits())) {
                    out.add(f.specName());
                }
            }
            return out;
        } catch (IllegalStateException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    private static List<Object> sortedNames(SpecNamed[] values) {
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].specName();
        }
        Arrays.sort(names);
        return new ArrayList<>(Arrays.asList(names));
    }
}
