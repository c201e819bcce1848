package dev.streamlearn.learner;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.Topic;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** A held-out split read whole from its topic (read_committed), ready for batched evaluation. */
public record TestSet(byte[] pixels, int[] labels) {

    public int size() {
        return labels.length;
    }

    /** Reads every committed sample of partition 0 of topic, from the beginning to the end offset seen at start. */
    public static TestSet read(Properties clientProperties, Topic<Long, Sample> topic, Duration timeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        try (KafkaConsumer<Long, Sample> consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic.name() + " took longer than " + timeout);
                }
                for (ConsumerRecord<Long, Sample> record : consumer.poll(Duration.ofMillis(500))) {
                    var buffer = record.value().getPixels().duplicate();
                    byte[] image = new byte[buffer.remaining()];
                    buffer.get(image);
                    pixels.writeBytes(image);
                    labels.add(record.value().getLabel());
                }
            }
        }
        return new TestSet(pixels.toByteArray(), labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
