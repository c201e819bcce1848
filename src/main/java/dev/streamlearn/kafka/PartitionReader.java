package dev.streamlearn.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a range of one partition as committed (read_committed, no consumer group), in offset order, within a time
 * limit: the held-out set, the checkpoints, and a restored learner's catch-up all read this way.
 */
public final class PartitionReader {
    private PartitionReader() {
    }

    /**
     * Hands each record of [from, to) of partition 0 of a topic to onRecord.
     *
     * @param from first offset, or -1 for the beginning of the partition
     * @param to end offset (exclusive), or -1 for the end of the partition when reading starts
     */
    public static <K, V> void read(Properties clientProperties, String topic, Deserializer<K> keys,
                                   Deserializer<V> values, long from, long to, Duration timeout,
                                   Consumer<ConsumerRecord<K, V>> onRecord) {
        read(clientProperties, topic, 0, keys, values, from, to, timeout, onRecord);
    }

    /** As above, on one partition of the topic. */
    public static <K, V> void read(Properties clientProperties, String topic, int partitionNumber,
                                   Deserializer<K> keys, Deserializer<V> values, long from, long to, Duration timeout,
                                   Consumer<ConsumerRecord<K, V>> onRecord) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES));
        TopicPartition partition = new TopicPartition(topic, partitionNumber);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(p, keys, values)) {
            consumer.assign(List.of(partition));
            if (from < 0) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, from);
            }
            long end = to >= 0 ? to : consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " up to offset " + end + " took longer than "
                            + timeout);
                }
                for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end) {
                        onRecord.accept(record);
                    }
                }
            }
        }
    }
}
