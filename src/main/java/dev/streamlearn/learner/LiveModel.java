package dev.streamlearn.learner;

import dev.streamlearn.model.OnlineTrainer;
import java.util.Optional;

/**
 * A handle on the trainer the learner's processor is using, for the code that started the learner in the same JVM
 * (export the weights when it stops, evaluate on the test split). It is published once the processor has restored
 * and caught up, so from then on it holds at least every committed record. Read the weights only after the learner
 * has stopped or while holding no expectation that they stand still.
 */
public final class LiveModel {
    private volatile OnlineTrainer trainer;

    void publish(OnlineTrainer current) {
        trainer = current;
    }

    public Optional<OnlineTrainer> trainer() {
        return Optional.ofNullable(trainer);
    }
}
