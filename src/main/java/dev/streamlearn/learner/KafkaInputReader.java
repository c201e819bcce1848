package dev.streamlearn.learner;

import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.TopicAdmin;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** {@link InputReader} on a group-less read_committed consumer and an admin client, opened for each call. */
final class KafkaInputReader implements InputReader {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private final Properties clientProperties;
    private final String groupId;

    KafkaInputReader(Properties clientProperties, String groupId) {
        this.clientProperties = clientProperties;
        this.groupId = groupId;
    }

    @Override
    public OptionalLong committedOffset(String topic, int partition) {
        try (TopicAdmin admin = new TopicAdmin(clientProperties)) {
            return admin.committedOffset(groupId, topic, partition);
        }
    }

    @Override
    public void read(String topic, int partition, long from, long to, Consumer<InputRecord> each) {
        PartitionReader.read(clientProperties, topic, partition, new ByteArrayDeserializer(),
                new ByteArrayDeserializer(), from, to, TIMEOUT, record -> each.accept(new InputRecord(record.key(), record.value(), topic, partition,
                        record.offset(), record.timestamp())));
    }
}
