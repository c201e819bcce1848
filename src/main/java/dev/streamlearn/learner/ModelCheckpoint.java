package dev.streamlearn.learner;

import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.avro.Checkpoint;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The value kept in the learner's changelogged model store: the offset of the next input record the snapshot has
 * not seen, then the model snapshot. A restored learner knows from it which input records it must re-apply.
 */
record ModelCheckpoint(long nextOffset, byte[] snapshot) {

    static ModelCheckpoint of(OnlineTrainer trainer, long nextOffset) {
        return new ModelCheckpoint(nextOffset, ModelSnapshot.write(trainer));
    }

    byte[] toBytes() {
        return ByteBuffer.allocate(8 + snapshot.length).putLong(nextOffset).put(snapshot).array();
    }

    static ModelCheckpoint fromBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long nextOffset = in.getLong();
        byte[] snapshot = new byte[in.remaining()];
        in.get(snapshot);
        return new ModelCheckpoint(nextOffset, snapshot);
    }

    /** The record for the checkpoint topic. */
    Checkpoint toAvro(String applicationId, String topic, int partition, OnlineTrainer trainer) {
        return Checkpoint.newBuilder().setApplicationId(applicationId).setStep(trainer.updates()).setInputTopic(topic)
                .setInputPartition(partition).setNextOffset(nextOffset).setTakenAt(Instant.now())
                .setModelConfig(ModelSnapshot.configJson(trainer.config())).setSnapshot(ByteBuffer.wrap(snapshot))
                .build();
    }

    OnlineTrainer restore() {
        return ModelSnapshot.read(snapshot);
    }
}
