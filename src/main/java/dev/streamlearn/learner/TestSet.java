package dev.streamlearn.learner;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.Topic;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** A held-out split read whole from its topic (read_committed), ready for batched evaluation. */
public record TestSet(byte[] pixels, int[] labels) {

    public int size() {
        return labels.length;
    }

    /** Reads every committed sample of partition 0 of topic, from the beginning to the end offset seen at start. */
    public static TestSet read(Properties clientProperties, Topic<Long, Sample> topic, Duration timeout) {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        PartitionReader.read(clientProperties, topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer(), -1, -1, timeout, record -> {
                    var buffer = record.value().getPixels().duplicate();
                    byte[] image = new byte[buffer.remaining()];
                    buffer.get(image);
                    pixels.writeBytes(image);
                    labels.add(record.value().getLabel());
                });
        return new TestSet(pixels.toByteArray(), labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
