package dev.streamlearn.model;

/**
 * Which elements of a tensor the monitoring statistics read: all of a small tensor, or every stride-th element of a
 * large one ({@link TensorStatistics#SAMPLE_LIMIT} at most). Single elements spread over the whole tensor, not
 * contiguous blocks: a block of a first layer's weights can sit on image border pixels that are always 0, and would
 * make a learning layer look frozen. The stride is odd so it does not fall into step with a row length.
 */
record SamplePlan(int length, int stride) {

    static SamplePlan of(int length) {
        if (length <= TensorStatistics.SAMPLE_LIMIT) {
            return new SamplePlan(length, 1);
        }
        int stride = (length + TensorStatistics.SAMPLE_LIMIT - 1) / TensorStatistics.SAMPLE_LIMIT;
        return new SamplePlan(length, stride | 1);
    }

    /** Number of elements read. */
    int size() {
        return (length + stride - 1) / stride;
    }
}
