package dev.streamlearn.learner;

import java.util.Locale;

/** How the training topic's records are written: Avro single-object encoding (Sample or Features), or JSON objects. */
public enum InputFormat {
    AVRO, JSON;

    public static InputFormat parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "avro" -> AVRO;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("input format is '" + text + "', expected avro or json");
        };
    }
}
