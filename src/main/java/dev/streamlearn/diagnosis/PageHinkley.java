package dev.streamlearn.diagnosis;

/**
 * The Page-Hinkley test for an increase in the mean of a stream (E. S. Page, "Continuous inspection schemes",
 * Biometrika 41, 1954; as in Gama et al., "A survey on concept drift adaptation", ACM Computing Surveys 46, 2014, and
 * River's {@code drift.PageHinkley}): with x-bar the running mean of the values since the last change,
 * {@code m_t = alpha * m_(t-1) + (x_t - x-bar_t - delta)} and {@code M_t = min(M_1..M_t)}; a change is signalled when,
 * after {@code minInstances} values, {@code m_t - M_t > lambda}, and the test starts afresh. On a prequential error
 * stream it says the model has become worse than it was: the concept has drifted.
 *
 * <p>Deterministic and small: its whole state is a few numbers ({@link State}), kept in the learner's snapshot, so a
 * restored learner detects at the same step as one never stopped.
 *
 * @param delta the magnitude of change tolerated, in the stream's units
 * @param lambda the threshold on the cumulative deviation: larger is fewer false alarms and later detection
 * @param alpha the fading factor of the cumulative deviation, (0, 1]
 * @param minInstances values seen before a change can be signalled
 */
public record PageHinkley(double delta, double lambda, double alpha, int minInstances) {
    /**
     * For a prequential 0/1 error stream: tolerate 0.05, signal at 75, fade by 0.5% per value (a sustained rise of e
     * adds up to about 200 e, so a rise must exceed about 0.4 and last some tens of values), wait 30 values. Chosen
     * on real MNIST error streams (ConceptDriftTest): labels permuted at sample 30,000 are signalled within 60 (M2)
     * and 90 (M4) samples, once, and three stationary epochs signal nothing. River's defaults (0.005, 50, fading
     * 1e-4) signalled 3 to 8 changes in the stationary epochs (the error of a model still learning wanders by more
     * than that over stretches of harder samples), and with fading 1e-3 M4 relearned the permuted labels before the
     * deviation reached the threshold. Numeric heads feed it their {@link ScaledError}, on the same [0, 1] scale, with
     * the same parameters (what that detects is in the README).
     */
    public static final PageHinkley DEFAULT = new PageHinkley(0.05, 75, 0.995, 30);

    /**
     * The weight of each new value in the moving average reported as the stream's level after a change: the last ~32
     * values, about the span a signal takes on a large rise, so it reads the new level rather than the old.
     */
    static final double RECENT_WEIGHT = 1.0 / 32;

    /**
     * The weight of each new value in the slower moving average reported as the stream's level before a change: the
     * last ~256 values, long enough to be steady, short enough to have forgotten how a model that was still learning
     * erred (the mean since the last change would count its first steps). Until 256 values have been seen it is their
     * mean.
     */
    static final double LEVEL_WEIGHT = 1.0 / 256;

    /**
     * The level is marked every this many values, and a change reports the mark before the last: the level 64 to 128
     * values before the signal, which a large rise (signalled within a hundred values) has not reached yet. The value
     * at the cumulative deviation's minimum would not do: with fading, that minimum is often set while the model was
     * still learning and never undercut again.
     */
    static final int MARK_EVERY = 64;

    public PageHinkley {
        if (!(delta >= 0) || !(lambda > 0) || !(alpha > 0 && alpha <= 1) || minInstances < 1) {
            throw new IllegalArgumentException("Page-Hinkley needs delta >= 0, lambda > 0, alpha in (0, 1] and "
                    + "minInstances >= 1, not " + delta + ", " + lambda + ", " + alpha + ", " + minInstances);
        }
    }

    /**
     * Where the test stands: values and their mean since the last change, the cumulative deviation and its minimum,
     * a moving average of the last few hundred values ({@link #LEVEL_WEIGHT}) and its last two marks ({@link
     * #MARK_EVERY}), and a moving average of the last few dozen values (the stream as it is now,
     * {@link #RECENT_WEIGHT}).
     */
    public record State(long count, double mean, double cumulative, double minimum, double level, double lastMark,
                        double previousMark, double recent) {
        public static final State START = new State(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * A change: the stream's level before it began to rise, and as it is now.
     *
     * @param before the slow moving average of the values 64 to 128 values before the signal
     * @param after the fast moving average of the values at the signal
     */
    public record Change(double before, double after) {
    }

    /** A test running on one stream, from the start. */
    public Running start() {
        return new Running();
    }

    /**
     * The test as it runs on one stream, a value at a time: its state is kept in fields, so a value allocates nothing
     * (it is fed once per training step).
     */
    public final class Running {
        private long count;
        private double mean;
        private double cumulative;
        private double minimum;
        private double level;
        private double lastMark;
        private double previousMark;
        private double recent;

        private Running() {
        }

        /** Takes one more value; true when it signals a change ({@link #change()} then describes it). */
        public boolean observe(double value) {
            count++;
            mean += (value - mean) / count;
            cumulative = alpha * cumulative + (value - mean - delta);
            recent = count == 1 ? value : recent + RECENT_WEIGHT * (value - recent);
            level += Math.max(1.0 / count, LEVEL_WEIGHT) * (value - level);
            if (count % MARK_EVERY == 0) {
                previousMark = lastMark;
                lastMark = level;
            } else if (count < MARK_EVERY) {
                previousMark = level;
                lastMark = level;
            }
            if (count == 1 || cumulative < minimum) {
                minimum = cumulative;
            }
            return count >= minInstances && cumulative - minimum > lambda;
        }

        /** The change the last signal describes. */
        public Change change() {
            return new Change(previousMark, recent);
        }

        /** Starts afresh, as after a change. */
        public void reset() {
            restore(State.START);
        }

        public State state() {
            return new State(count, mean, cumulative, minimum, level, lastMark, previousMark, recent);
        }

        /** Goes on from a saved state. */
        public void restore(State state) {
            count = state.count();
            mean = state.mean();
            cumulative = state.cumulative();
            minimum = state.minimum();
            level = state.level();
            lastMark = state.lastMark();
            previousMark = state.previousMark();
            recent = state.recent();
        }
    }
}
