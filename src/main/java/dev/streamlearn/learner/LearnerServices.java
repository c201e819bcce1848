package dev.streamlearn.learner;

import java.util.function.Supplier;

/**
 * What the learner's processor needs from outside Kafka Streams: where it publishes its trainer, the held-out set
 * for periodic evaluation, a reader of the training topic for catching up after a restore, and the owner's request
 * to flush before stopping.
 */
public record LearnerServices(LiveModel liveModel, Supplier<TestSet> heldOut, InputReader inputReader,
                              StopRequest stopRequest) {
}
