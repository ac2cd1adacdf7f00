package io.javarun.ttrpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds bytes from the reference doc's notation: hex pairs and "quoted ASCII" */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c == '"') {
                int end = spec.indexOf('"', i + 1);
                out.writeBytes(spec.substring(i + 1, end).getBytes(StandardCharsets.US_ASCII));
                i = end + 1;
            } else if (Character.digit(c, 16) >= 0) {
                out.write(Integer.parseInt(spec.substring(i, i + 2), 16));
                i += 2;
            } else {
                i++; // spaces and | separators
            }
        }
        return out.toByteArray();
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x & 0xff));
        }
        return sb.toString().trim();
    }
}
