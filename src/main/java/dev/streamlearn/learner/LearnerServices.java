package dev.streamlearn.learner;

import java.util.function.Supplier;

/**
 * What the learner's processor needs from outside Kafka Streams: where it publishes its trainer, the held-out set
 * for periodic evaluation, and a reader of the training topic for catching up after a restore.
 */
public record LearnerServices(LiveModel liveModel, Supplier<TestSet> heldOut, InputReader inputReader) {
}
