package dev.streamlearn.model;

/**
 * Summary statistics of a tensor: moments, extremes, L2 norm, zero fraction, non-finite count and a histogram with
 * equal-width bins between the finite minimum and maximum. Non-finite elements are counted, not binned.
 */
public record TensorStatistics(double mean, double std, double min, double max, double l2Norm, double zeroFraction,
                               long nonFiniteCount, float[] edges, long[] counts) {

    public static TensorStatistics of(FloatTensor tensor, int bins) {
        if (bins <= 0) {
            throw new IllegalArgumentException("histogram bins is " + bins + ", expected > 0");
        }
        int n = tensor.length();
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long zeros = 0;
        long nonFinite = 0;
        for (int i = 0; i < n; i++) {
            float v = tensor.get(i);
            if (!Float.isFinite(v)) {
                nonFinite++;
                continue;
            }
            sum += v;
            squares += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v == 0f) {
                zeros++;
            }
        }
        long finite = n - nonFinite;
        if (finite == 0) {
            return new TensorStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, nonFinite,
                    new float[] {0f, 0f}, new long[1]);
        }
        double mean = sum / finite;
        double std = Math.sqrt(Math.max(0, squares / finite - mean * mean));
        float[] edges = new float[bins + 1];
        double width = (max - min) / bins;
        for (int b = 0; b <= bins; b++) {
            edges[b] = (float) (min + b * width);
        }
        long[] counts = new long[bins];
        for (int i = 0; i < n; i++) {
            float v = tensor.get(i);
            if (Float.isFinite(v)) {
                int bin = width == 0 ? 0 : (int) ((v - min) / width);
                counts[Math.min(bins - 1, Math.max(0, bin))]++;
            }
        }
        return new TensorStatistics(mean, std, min, max, Math.sqrt(squares), (double) zeros / n, nonFinite, edges,
                counts);
    }
}
