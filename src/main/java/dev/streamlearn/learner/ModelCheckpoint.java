package dev.streamlearn.learner;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A learner's whole state at an input position, as one {@link Checkpoint}: the model snapshot, the learner state
 * outside the model, and the offset of the next input record neither has seen. The checkpoint topic and the
 * learner's changelogged model store hold the same record, so the store's changelog decodes with the .avsc files as
 * every other topic does.
 */
final class ModelCheckpoint {
    /** The first two bytes of Avro's single-object encoding; the store's values before it held a big-endian offset. */
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = 0x01;

    private ModelCheckpoint() {
    }

    static Checkpoint take(String applicationId, String topic, int partition, long nextOffset, TrainingLoop loop) {
        Checkpoint checkpoint = version(applicationId, topic, partition, nextOffset, loop.trainer());
        checkpoint.setLearnerState(loop.state());
        checkpoint.setAveraging(loop.averaging());
        return checkpoint;
    }

    /** A model version: the model alone (no learner state), as serving needs it. */
    static Checkpoint version(String applicationId, String topic, int partition, long nextOffset,
                              OnlineTrainer trainer) {
        return Checkpoint.newBuilder().setApplicationId(applicationId).setStep(trainer.updates()).setInputTopic(topic)
                .setInputPartition(partition).setNextOffset(nextOffset).setTakenAt(Instant.now())
                .setModelConfig(ModelSnapshot.configJson(trainer.config()))
                .setSnapshot(ByteBuffer.wrap(ModelSnapshot.write(trainer))).setLearnerState(null).build();
    }

    static byte[] toBytes(Checkpoint checkpoint) {
        return Topics.CHECKPOINT_SERDE.encode(checkpoint);
    }

    /**
     * Reads a model store value: a checkpoint, or what the release before learner state kept there (the next offset,
     * then the snapshot), which reads as a checkpoint without learner state.
     */
    static Checkpoint fromBytes(byte[] stored, String applicationId, String topic, int partition) {
        if (stored.length >= 2 && stored[0] == MARKER_0 && stored[1] == MARKER_1) {
            try {
                return Topics.CHECKPOINT_SERDE.decode(stored);
            } catch (IOException e) {
                throw new IllegalStateException("the model store of " + applicationId + " holds an unreadable "
                        + "checkpoint: " + e.getMessage(), e);
            }
        }
        ByteBuffer in = ByteBuffer.wrap(stored);
        long nextOffset = in.getLong();
        byte[] snapshot = new byte[in.remaining()];
        in.get(snapshot);
        OnlineTrainer trainer = ModelSnapshot.read(snapshot);
        return Checkpoint.newBuilder().setApplicationId(applicationId).setStep(trainer.updates()).setInputTopic(topic)
                .setInputPartition(partition).setNextOffset(nextOffset).setTakenAt(Instant.EPOCH)
                .setModelConfig(ModelSnapshot.configJson(trainer.config())).setSnapshot(ByteBuffer.wrap(snapshot))
                .setLearnerState(null).build();
    }
}
