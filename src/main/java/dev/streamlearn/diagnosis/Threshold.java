package dev.streamlearn.diagnosis;

import java.util.Locale;

/**
 * A named constant of a rule. Its value is what the rule's condition compares against and what its explanation
 * prints (as {@code {name}} in the text), so the two cannot drift apart.
 */
public record Threshold(String name, double value) {

    /** The value as the explanation shows it: 0.1, 0.5, 2, 1e-3, 1e3. */
    public String formatted() {
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude < 1e-2 || magnitude >= 1e3)) {
            String scientific = String.format(Locale.ROOT, "%.0e", value);
            return scientific.replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        if (value == Math.rint(value)) {
            return String.valueOf((long) value);
        }
        return String.valueOf(value);
    }
}
