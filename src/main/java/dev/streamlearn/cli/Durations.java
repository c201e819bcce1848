package dev.streamlearn.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations on the command line: a number and a unit (ms, s, m), or 0. */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

    private Durations() {
    }

    /** The duration an option's text says; one line naming the option when it says none. */
    static Duration parse(String option, String text) {
        Matcher parts = DURATION.matcher(text.trim());
        if (!parts.matches() || parts.group(2) == null && !parts.group(1).equals("0")) {
            throw new IllegalArgumentException(option + " is '" + text + "', expected a duration such as 500ms, 1s "
                    + "or 2m, or 0");
        }
        long amount = Long.parseLong(parts.group(1));
        return parts.group(2) == null ? Duration.ZERO : switch (parts.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
