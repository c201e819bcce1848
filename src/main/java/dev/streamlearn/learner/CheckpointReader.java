package dev.streamlearn.learner;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/** Finds a checkpoint on the checkpoint topic (read_committed) by step, or the latest. */
public final class CheckpointReader {
    private CheckpointReader() {
    }

    /**
     * @param step the checkpoint's step, or -1 for the latest
     */
    public static Optional<Checkpoint> find(Properties clientProperties, Topic<Long, Checkpoint> topic, long step) {
        AtomicReference<Checkpoint> found = new AtomicReference<>();
        PartitionReader.read(clientProperties, topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer(), -1, -1, Duration.ofMinutes(2), record -> {
                    if (step < 0 || record.value().getStep() == step) {
                        found.set(record.value());
                    }
                });
        return Optional.ofNullable(found.get());
    }

    /** The trainer a checkpoint holds: parameters, optimiser state and counters, bit for bit. */
    public static OnlineTrainer restore(Checkpoint checkpoint) {
        return ModelSnapshot.read(snapshotBytes(checkpoint));
    }

    /** The snapshot bytes of a checkpoint. */
    public static byte[] snapshotBytes(Checkpoint checkpoint) {
        var buffer = checkpoint.getSnapshot().duplicate();
        byte[] snapshot = new byte[buffer.remaining()];
        buffer.get(snapshot);
        return snapshot;
    }
}
