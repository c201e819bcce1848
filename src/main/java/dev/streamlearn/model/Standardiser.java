package dev.streamlearn.model;

/**
 * Online standardisation of the input: a running mean and variance per feature (Welford's algorithm, in float64), and
 * each input mapped to (x - mean) / std by the statistics of the inputs trained on before it. A sample is observed
 * only once its step has been applied, so a refused step leaves the statistics, like the weights, untouched; the
 * statistics are part of the model's snapshot, so replay stays bitwise.
 */
public final class Standardiser {
    private long count;
    private final double[] mean;
    private final double[] m2;

    Standardiser(int features) {
        this.mean = new double[features];
        this.m2 = new double[features];
    }

    /** Adds one input to the statistics. */
    void observe(float[] x) {
        count++;
        for (int i = 0; i < mean.length; i++) {
            double delta = x[i] - mean[i];
            mean[i] += delta / count;
            m2[i] += delta * (x[i] - mean[i]);
        }
    }

    /**
     * Writes the standardised input into out and returns its mean |value|. Before any input was observed, and for a
     * feature that has not varied, the scale is 1.
     */
    double apply(float[] x, float[] out) {
        double absSum = 0;
        for (int i = 0; i < mean.length; i++) {
            double std = std(i);
            out[i] = (float) ((x[i] - mean[i]) / std);
            absSum += Math.abs(out[i]);
        }
        return absSum / mean.length;
    }

    private double std(int i) {
        double variance = count == 0 ? 0 : m2[i] / count;
        return variance > 0 ? Math.sqrt(variance) : 1;
    }

    public long count() {
        return count;
    }

    /** The running means, as the model applies them. */
    public double[] means() {
        return mean.clone();
    }

    /** The scales the model divides by (1 where a feature has not varied). */
    public double[] stds() {
        double[] stds = new double[mean.length];
        for (int i = 0; i < stds.length; i++) {
            stds[i] = std(i);
        }
        return stds;
    }

    double[] m2() {
        return m2.clone();
    }

    void restore(long observed, double[] means, double[] m2s) {
        if (means.length != mean.length || m2s.length != m2.length) {
            throw new IllegalArgumentException("standardiser state of " + means.length + " features, the model takes "
                    + mean.length);
        }
        count = observed;
        System.arraycopy(means, 0, mean, 0, mean.length);
        System.arraycopy(m2s, 0, m2, 0, m2.length);
    }

    public int features() {
        return mean.length;
    }
}
