package dev.streamlearn.learner;

import dev.streamlearn.kafka.PartitionReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
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
        TopicPartition input = new TopicPartition(topic, partition);
        try (Admin admin = Admin.create(clientProperties)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(
                            Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(List.of(input))),
                            new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(groupId).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            OffsetAndMetadata committed = offsets.get(input);
            return committed == null ? OptionalLong.empty() : OptionalLong.of(committed.offset());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the committed offset of " + groupId + " on " + input + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the committed offset of " + groupId, e);
        }
    }

    @Override
    public void read(String topic, int partition, long from, long to, Consumer<InputRecord> each) {
        if (partition != 0) {
            throw new IllegalArgumentException(topic + " partition " + partition + ": the training topic has one "
                    + "partition, 0");
        }
        PartitionReader.read(clientProperties, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), from,
                to, TIMEOUT, record -> each.accept(new InputRecord(record.key(), record.value(), topic, partition,
                        record.offset(), record.timestamp())));
    }
}
