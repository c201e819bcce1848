package dev.streamlearn.model;

/**
 * Summary statistics of a tensor for monitoring: L2 norm and non-finite count over every element; mean, std, min,
 * max, zero fraction and an equal-width histogram over an evenly strided sample of at most {@link #SAMPLE_LIMIT}
 * elements (every element of smaller tensors). The sample keeps a summary of a 200k-weight layer at ~20 us, so
 * summaries every 100 steps cost a few percent of training; a histogram of 4k draws shows the same shape.
 */
public record TensorStatistics(double mean, double std, double min, double max, double l2Norm, double zeroFraction,
                               long nonFiniteCount, float[] edges, long[] counts) {

    /** Largest number of elements the sampled statistics read. */
    public static final int SAMPLE_LIMIT = 4_096;

    /** Statistics of a parameter tensor; its norm comes from BLAS over every element. */
    public static TensorStatistics of(FloatTensor tensor, int bins) {
        double norm = Blas.norm(tensor);
        long nonFinite = Double.isFinite(norm) ? 0 : countNonFinite(tensor.toArray());
        int stride = stride(tensor.length());
        return sampled(tensor.sample(stride, samples(tensor.length(), stride)), bins, norm, nonFinite);
    }

    /** Statistics of a gradient of the given length, sampled from its factors without materialising it. */
    public static TensorStatistics of(Gradient gradient, int length, int bins) {
        double norm = Math.sqrt(gradient.sumOfSquares());
        int stride = stride(length);
        long nonFinite = gradient.isFinite() ? 0 : countNonFinite(gradient.sample(1, length));
        return sampled(gradient.sample(stride, samples(length, stride)), bins, norm, nonFinite);
    }

    private static long countNonFinite(float[] values) {
        long count = 0;
        for (float value : values) {
            if (!Float.isFinite(value)) {
                count++;
            }
        }
        return count;
    }

    /** How many elements a strided sample of a tensor reads. */
    static int samples(int length, int stride) {
        return (length + stride - 1) / stride;
    }

    /** The stride that spreads at most SAMPLE_LIMIT reads evenly over a tensor of the given length. */
    static int stride(int length) {
        return (length + SAMPLE_LIMIT - 1) / SAMPLE_LIMIT;
    }

    private static TensorStatistics sampled(float[] sample, int bins, double l2Norm, long nonFinite) {
        if (bins <= 0) {
            throw new IllegalArgumentException("histogram bins is " + bins + ", expected > 0");
        }
        double[] values = new double[sample.length];
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long zeros = 0;
        int finite = 0;
        for (float element : sample) {
            double v = element;
            if (!Double.isFinite(v)) {
                continue;
            }
            values[finite++] = v;
            sum += v;
            squares += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v == 0) {
                zeros++;
            }
        }
        if (finite == 0) {
            return new TensorStatistics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, l2Norm, 0, nonFinite,
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
        for (int i = 0; i < finite; i++) {
            int bin = width == 0 ? 0 : (int) ((values[i] - min) / width);
            counts[Math.min(bins - 1, Math.max(0, bin))]++;
        }
        return new TensorStatistics(mean, std, min, max, l2Norm, (double) zeros / finite, nonFinite, edges, counts);
    }
}
