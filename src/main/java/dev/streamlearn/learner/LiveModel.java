package dev.streamlearn.learner;

import dev.streamlearn.model.OnlineTrainer;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A handle on the trainer the learner's processor is using, and on the counts around it, for the code that started
 * the learner in the same JVM (export the weights when it stops, report on the job, evaluate on the test split). It is
 * published once the processor has restored and caught up, so from then on it holds at least every committed record.
 * Read it only after the learner has stopped or while holding no expectation that it stands still.
 */
public final class LiveModel {
    private volatile OnlineTrainer trainer;
    private volatile Supplier<Progress> progress;
    private volatile long versionStep = -1;

    /**
     * What became of the records besides the steps, since training began, and the alerts active now.
     *
     * @param rejected records refused (dead letters)
     * @param skipped updates not applied because they were not finite (dead letters too)
     * @param unlabelled records with no target: counted, not trained
     * @param activeAlerts the rules whose alerts are raised, in rule order
     */
    public record Progress(long rejected, long skipped, long unlabelled, List<String> activeAlerts) {
    }

    void publish(OnlineTrainer current, Supplier<Progress> currentProgress) {
        progress = currentProgress;
        trainer = current;
    }

    public Optional<OnlineTrainer> trainer() {
        return Optional.ofNullable(trainer);
    }

    void versionSent(long step) {
        versionStep = step;
    }

    /** The step of the last model version sent to the models topic (committed with the next commit), or -1. */
    public long versionStep() {
        return versionStep;
    }

    public Optional<Progress> progress() {
        Supplier<Progress> source = progress;
        return source == null ? Optional.empty() : Optional.of(source.get());
    }
}
