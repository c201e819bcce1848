package dev.streamlearn.learner;

import java.util.function.Supplier;

/**
 * What the learner's processor needs from outside Kafka Streams: where it publishes its trainer, the held-out set
 * for periodic evaluation, a reader of the training topic for catching up after a restore, and, with averaged
 * partitioning, the board where the replicas' rounds meet (null otherwise).
 */
public record LearnerServices(LiveModel liveModel, Supplier<TestSet> heldOut, InputReader inputReader,
                              RoundBoard rounds) {

    /** The services of a learner that does not average. */
    public LearnerServices(LiveModel liveModel, Supplier<TestSet> heldOut, InputReader inputReader) {
        this(liveModel, heldOut, inputReader, null);
    }
}
