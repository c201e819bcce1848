package dev.streamlearn.learner;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.model.ModelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A held-out split read whole from its topic (read_committed), ready for batched evaluation: images or feature rows
 * with the classes or numbers the model learns. A record the model could not train on (undecodable, null, the wrong
 * size, a label its head cannot score) and an unlabelled one are skipped and counted: one bad record on the test
 * topic must not stop evaluation.
 *
 * @param inputs every accepted sample's inputs as the model takes them (pixels scaled to [0, 1]), sample after sample
 * @param labels their classes, for a class head; null for a numeric head
 * @param targets their numbers, outputs per sample, for a numeric head; null for a class head
 * @param size the samples accepted
 * @param skipped records refused
 */
public record TestSet(float[] inputs, int[] labels, float[] targets, int size, long skipped) {

    /** Reads every committed record of partition 0 of topic, from the beginning to the end offset seen at start. */
    public static TestSet read(Properties clientProperties, Topic<Long, Sample> topic, ModelConfig model,
                               InputFormat format, Duration timeout) {
        List<byte[]> values = new ArrayList<>();
        PartitionReader.read(clientProperties, topic.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                -1, -1, timeout, record -> values.add(record.value()));
        return of(values, model, format);
    }

    /** The samples among these record values that the model could train on. */
    static TestSet of(List<byte[]> values, ModelConfig model, InputFormat format) {
        SampleValidator validator = new SampleValidator(model, format);
        int inputSize = model.inputSize();
        int outputs = model.outputSize();
        boolean numeric = model.loss().isNumeric();
        float[] inputs = new float[values.size() * inputSize];
        int[] labels = numeric ? null : new int[values.size()];
        float[] targets = numeric ? new float[values.size() * outputs] : null;
        int size = 0;
        long skipped = 0;
        for (byte[] value : values) {
            SampleValidator.Checked checked = validator.check(value);
            if (!checked.accepted() || !checked.input().labelled()) {
                skipped++;
                continue;
            }
            TrainingInput input = checked.input();
            System.arraycopy(input.modelInput(), 0, inputs, size * inputSize, inputSize);
            if (numeric) {
                System.arraycopy(input.targets, 0, targets, size * outputs, outputs);
            } else {
                labels[size] = input.label;
            }
            size++;
        }
        return new TestSet(java.util.Arrays.copyOf(inputs, size * inputSize),
                labels == null ? null : java.util.Arrays.copyOf(labels, size),
                targets == null ? null : java.util.Arrays.copyOf(targets, size * outputs), size, skipped);
    }
}
