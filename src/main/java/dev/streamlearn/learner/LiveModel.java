package dev.streamlearn.learner;

import dev.streamlearn.model.OnlineTrainer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle on the trainer the learner's processor is using, for the code that started the learner in the same JVM
 * (export the weights when it stops, evaluate on the test split). Read it only after the learner has stopped or
 * while holding no expectation that the weights stand still.
 */
public final class LiveModel {
    private final AtomicReference<OnlineTrainer> trainer = new AtomicReference<>();

    void publish(OnlineTrainer current) {
        trainer.set(current);
    }

    public Optional<OnlineTrainer> trainer() {
        return Optional.ofNullable(trainer.get());
    }
}
