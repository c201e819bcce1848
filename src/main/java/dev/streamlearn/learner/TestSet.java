package dev.streamlearn.learner;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.model.ModelConfig;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A held-out split of images read whole from its topic (read_committed), ready for batched evaluation. A record the
 * model could not train on (undecodable, null, the wrong size, a label its head cannot score), and any record that is
 * not a labelled image, is skipped and counted: one bad record on the test topic must not stop evaluation.
 *
 * @param pixels every accepted sample's pixels, sample after sample
 * @param labels their labels
 * @param skipped records refused
 */
public record TestSet(byte[] pixels, int[] labels, long skipped) {

    public int size() {
        return labels.length;
    }

    /** Reads every committed record of partition 0 of topic, from the beginning to the end offset seen at start. */
    public static TestSet read(Properties clientProperties, Topic<Long, Sample> topic, ModelConfig model,
                               Duration timeout) {
        List<byte[]> values = new ArrayList<>();
        PartitionReader.read(clientProperties, topic.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                -1, -1, timeout, record -> values.add(record.value()));
        return of(values, model);
    }

    /** The samples among these record values that the model could train on. */
    static TestSet of(List<byte[]> values, ModelConfig model) {
        SampleValidator validator = new SampleValidator(model);
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        List<Integer> labels = new ArrayList<>();
        long skipped = 0;
        for (byte[] value : values) {
            SampleValidator.Checked checked = validator.check(value);
            if (!checked.accepted() || checked.input().kind != TrainingInput.Kind.PIXELS) {
                skipped++;
                continue;
            }
            pixels.writeBytes(checked.input().pixels);
            labels.add(checked.input().label);
        }
        return new TestSet(pixels.toByteArray(), labels.stream().mapToInt(Integer::intValue).toArray(), skipped);
    }
}
