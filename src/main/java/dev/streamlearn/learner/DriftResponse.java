package dev.streamlearn.learner;

import java.util.Locale;

/**
 * What the learner does when its detector signals a concept drift ({@code --on-drift}): nothing (the alert only),
 * reset the optimiser's state (momentum and adaptive rates learned on the old concept), or multiply the learning rate
 * by a factor for a number of steps so the model moves to the new concept faster.
 *
 * @param kind which response
 * @param factor the learning-rate factor of a boost, > 0 (1 otherwise)
 * @param steps the steps a boost lasts, > 0 (0 otherwise)
 */
public record DriftResponse(Kind kind, double factor, long steps) {
    public enum Kind { NOTHING, RESET_OPTIMISER, BOOST_LR }

    public static final DriftResponse NOTHING = new DriftResponse(Kind.NOTHING, 1, 0);

    public DriftResponse {
        if (kind == Kind.BOOST_LR && (!(factor > 0) || !Double.isFinite(factor) || steps <= 0)) {
            throw new IllegalArgumentException("--on-drift boost-lr:" + factor + ":" + steps + ", expected a factor "
                    + "> 0 and steps > 0");
        }
    }

    /** {@code nothing}, {@code reset-optimiser} or {@code boost-lr:F:STEPS}. */
    public static DriftResponse parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("nothing")) {
            return NOTHING;
        }
        if (value.equals("reset-optimiser") || value.equals("reset-optimizer")) {
            return new DriftResponse(Kind.RESET_OPTIMISER, 1, 0);
        }
        String[] parts = value.split(":");
        if (parts.length == 3 && parts[0].equals("boost-lr")) {
            try {
                return new DriftResponse(Kind.BOOST_LR, Double.parseDouble(parts[1]), Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                // Falls through to the message below.
            }
        }
        throw new IllegalArgumentException("--on-drift is '" + text + "', expected nothing, reset-optimiser or "
                + "boost-lr:F:STEPS (e.g. boost-lr:3:2000)");
    }

    /** As the flag writes it, for summaries. */
    public String text() {
        return switch (kind) {
            case NOTHING -> "nothing";
            case RESET_OPTIMISER -> "reset-optimiser";
            case BOOST_LR -> "boost-lr:" + factor + ":" + steps;
        };
    }
}
