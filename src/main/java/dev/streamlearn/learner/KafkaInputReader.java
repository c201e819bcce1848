package dev.streamlearn.learner;

import dev.streamlearn.kafka.PartitionReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** {@link InputReader} on a group-less read_committed consumer, opened for each read. */
final class KafkaInputReader implements InputReader {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private final Properties clientProperties;

    KafkaInputReader(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    @Override
    public List<InputRecord> read(String topic, int partition, long from, long to) {
        if (partition != 0) {
            throw new IllegalArgumentException(topic + " partition " + partition + ": the training topic has one "
                    + "partition, 0");
        }
        List<InputRecord> records = new ArrayList<>();
        PartitionReader.read(clientProperties, topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), from,
                to, TIMEOUT, record -> records.add(new InputRecord(record.key(), record.value(), topic, partition,
                        record.offset(), record.timestamp())));
        return records;
    }
}
