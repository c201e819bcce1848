package dev.streamlearn.learner;

import dev.streamlearn.data.Mnist;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;

/** Measures what monitoring costs: one epoch with the learner's summaries and diagnosis, without Kafka. */
public final class SummaryCost {
    private SummaryCost() {
    }

    /** Samples/s of one epoch in file order with a summary (and its diagnosis) every summaryInterval steps. */
    public static double samplesPerSecond(ModelConfig config, Mnist train, int summaryInterval) {
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(config), summaryInterval,
                new SummaryFactory("bench", "mnist.train", LearnerConfig.DEFAULT_HISTOGRAM_BINS),
                TrainingLoop.HeldOut.NONE);
        byte[] image = new byte[train.pixelsPerImage()];
        long start = System.nanoTime();
        for (int i = 0; i < train.count(); i++) {
            System.arraycopy(train.pixels(), i * image.length, image, 0, image.length);
            loop.train(image, train.labels()[i], 0, i, 0);
        }
        return train.count() / ((System.nanoTime() - start) / 1e9);
    }
}
