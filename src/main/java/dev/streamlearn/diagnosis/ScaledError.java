package dev.streamlearn.diagnosis;

import java.util.Arrays;

/**
 * A numeric head's prequential error on the drift detector's scale: for each output, |estimate - target| over the
 * standard deviation of that output's targets so far, capped at 1, averaged over the outputs. A value in [0, 1] like a
 * class head's 0/1 error, so one {@link PageHinkley} serves both heads and a stream's units do not matter: an error
 * of a standard deviation or more counts as a wrong answer, and a model that tracks its targets well scores near 0.
 *
 * <p>The spread comes from the targets seen before the step (Welford's running mean and squared deviations), so the
 * step is judged as the model saw it; it keeps growing through a change rather than starting again, as the spread is
 * the stream's, not the concept's. Its state is a few numbers per output ({@link State}), kept in the learner's
 * snapshot with the detector's.
 */
public final class ScaledError {
    private long count;
    private final double[] mean;
    private final double[] squaredDeviations;

    /**
     * Where the spread stands.
     *
     * @param count steps seen
     * @param mean the running mean of each output's targets
     * @param squaredDeviations the running sum of squared deviations from that mean, per output
     */
    public record State(long count, double[] mean, double[] squaredDeviations) {
    }

    public ScaledError(int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("a numeric head has at least one output, not " + outputs);
        }
        this.mean = new double[outputs];
        this.squaredDeviations = new double[outputs];
    }

    /**
     * One step's error on the detector's scale, then its targets taken into the spread. Before two targets have been
     * seen there is no spread and the error is 0; against a spread of 0 (every target alike so far) any error is 1.
     *
     * @param estimates the step's estimates, one per output
     * @param targets its targets, one per output
     */
    public double observe(double[] estimates, double[] targets) {
        double sum = 0;
        for (int i = 0; i < mean.length; i++) {
            if (count >= 2) {
                double spread = Math.sqrt(squaredDeviations[i] / count);
                double error = Math.abs(estimates[i] - targets[i]);
                sum += spread > 0 ? Math.min(1, error / spread) : error > 0 ? 1 : 0;
            }
        }
        count++;
        for (int i = 0; i < mean.length; i++) {
            double before = targets[i] - mean[i];
            mean[i] += before / count;
            squaredDeviations[i] += before * (targets[i] - mean[i]);
        }
        return sum / mean.length;
    }

    public State state() {
        return new State(count, mean.clone(), squaredDeviations.clone());
    }

    /** Goes on from a saved state; an empty one (saved before spreads were kept) starts afresh. */
    public void restore(State state) {
        if (state.count() == 0) {
            count = 0;
            Arrays.fill(mean, 0);
            Arrays.fill(squaredDeviations, 0);
            return;
        }
        if (state.mean().length != mean.length || state.squaredDeviations().length != mean.length) {
            throw new IllegalArgumentException("the saved target spread has " + state.mean().length + " outputs, this "
                    + "head has " + mean.length);
        }
        count = state.count();
        System.arraycopy(state.mean(), 0, mean, 0, mean.length);
        System.arraycopy(state.squaredDeviations(), 0, squaredDeviations, 0, mean.length);
    }
}
