package dev.streamlearn.learner;

import dev.streamlearn.data.Mnist;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import java.util.Arrays;

/**
 * Measures what monitoring costs, without Kafka: two copies of the learner's loop train on the same samples in the
 * same order, one publishing a summary (with its diagnosis) every interval steps, one never. They take turns by blocks
 * of {@link #BLOCK} samples and the cost is the median ratio of their block times: on a shared 2-core machine the
 * speed drifts by 10% within seconds, more than the cost measured, and a drift hits two adjacent blocks alike.
 */
public final class SummaryCost {
    /** Samples per timed block: ten summaries at the default interval, ~25 ms of M4. */
    static final int BLOCK = 1_000;

    private SummaryCost() {
    }

    /** Monitored samples/s and the percentage of throughput the summaries cost. */
    public record Figures(double samplesPerSecond, double overheadPercent) {
    }

    /** One epoch in file order, both loops. */
    public static Figures measure(ModelConfig config, Mnist train, int summaryInterval) {
        TrainingLoop monitored = loop(config, summaryInterval);
        TrainingLoop unmonitored = loop(config, Integer.MAX_VALUE);
        byte[] image = new byte[train.pixelsPerImage()];
        double[] ratios = new double[train.count() / BLOCK];
        long monitoredNanos = 0;
        for (int block = 0; block < ratios.length; block++) {
            long withSummaries = time(monitored, train, block * BLOCK, image);
            ratios[block] = (double) withSummaries / time(unmonitored, train, block * BLOCK, image);
            monitoredNanos += withSummaries;
        }
        Arrays.sort(ratios);
        double median = ratios[ratios.length / 2];
        return new Figures(ratios.length * BLOCK / (monitoredNanos / 1e9), 100 * (median - 1));
    }

    private static TrainingLoop loop(ModelConfig config, int summaryInterval) {
        return new TrainingLoop(new OnlineTrainer(config), TrainingLoop.Cadence.summariesEvery(summaryInterval),
                new SummaryFactory("bench", "mnist.train", LearnerConfig.DEFAULT_HISTOGRAM_BINS), () -> null);
    }

    private static long time(TrainingLoop loop, Mnist train, int first, byte[] image) {
        long start = System.nanoTime();
        for (int i = first; i < first + BLOCK; i++) {
            System.arraycopy(train.pixels(), i * image.length, image, 0, image.length);
            loop.train(image, train.labels()[i], 0, i, 0);
        }
        return System.nanoTime() - start;
    }
}
