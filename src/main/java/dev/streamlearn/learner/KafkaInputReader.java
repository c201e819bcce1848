package dev.streamlearn.learner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** {@link InputReader} on a group-less read_committed consumer, opened for each read. */
final class KafkaInputReader implements InputReader {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private final Properties clientProperties;

    KafkaInputReader(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public List<InputRecord> read(String topic, int partition, long from, long to) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        List<InputRecord> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(topicPartition));
            consumer.seek(topicPartition, from);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(topicPartition) < to) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("re-reading " + topic + "-" + partition + " [" + from + ", " + to
                            + ") took longer than " + TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < to) {
                        records.add(new InputRecord(record.offset(), record.timestamp(), record.key(),
                                record.value()));
                    }
                }
            }
        }
        return records;
    }
}
