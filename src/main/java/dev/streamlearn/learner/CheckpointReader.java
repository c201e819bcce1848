package dev.streamlearn.learner;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.OnlineTrainer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Finds a checkpoint on the checkpoint topic (read_committed) by step, or the latest. */
public final class CheckpointReader {
    private CheckpointReader() {
    }

    /**
     * @param step the checkpoint's step, or -1 for the latest
     */
    public static Optional<Checkpoint> find(Properties clientProperties, Topic<Long, Checkpoint> topic, long step) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        Checkpoint found = null;
        try (KafkaConsumer<Long, Checkpoint> consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<Long, Checkpoint> record : consumer.poll(Duration.ofMillis(500))) {
                    if (step < 0 || record.value().getStep() == step) {
                        found = record.value();
                    }
                }
            }
        }
        return Optional.ofNullable(found);
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
