package dev.streamlearn.learner;

import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import java.nio.ByteBuffer;

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

    OnlineTrainer restore() {
        return ModelSnapshot.read(snapshot);
    }
}
