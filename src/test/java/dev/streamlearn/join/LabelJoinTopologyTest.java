package dev.streamlearn.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Label;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.DriverProperties;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.InputFormat;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelJoinTopologyTest {
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private Properties properties() {
        return DriverProperties.of("join-test", stateDir);
    }

    private static JoinConfig config(InputFormat format) {
        return new JoinConfig("join-test", "features", "labels", format, Duration.ofSeconds(5), "train",
                "unlabelled", "join.dlq");
    }

    private static byte[] unlabelledSample(int id) {
        return Topics.SAMPLE_SERDE.encode(Sample.newBuilder().setId(id).setLabel(Topics.NO_LABEL).setRows(1)
                .setCols(2).setPixels(ByteBuffer.wrap(new byte[] {(byte) id, 9})).setDataset("test").setEpoch(0)
                .setProducedAt(Instant.EPOCH).build());
    }

    private static byte[] label(int value) {
        return Topics.LABEL_SERDE.encode(Label.newBuilder().setLabel(value).build());
    }

    private final class Driver implements AutoCloseable {
        final JoinCounts counts = new JoinCounts();
        final TopologyTestDriver driver;
        final TestInputTopic<byte[], byte[]> features;
        final TestInputTopic<byte[], byte[]> labels;
        final TestOutputTopic<byte[], byte[]> train;
        final TestOutputTopic<byte[], byte[]> unlabelled;
        final TestOutputTopic<byte[], DeadLetter> deadLetters;

        Driver(InputFormat format) {
            driver = new TopologyTestDriver(LabelJoinTopology.buildTopology(config(format), counts), properties());
            features = driver.createInputTopic("features", Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            labels = driver.createInputTopic("labels", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            train = driver.createOutputTopic("train", Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            unlabelled = driver.createOutputTopic("unlabelled", Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            deadLetters = driver.createOutputTopic("join.dlq", Serdes.ByteArray().deserializer(),
                    Topics.DEAD_LETTER_SERDE.deserializer());
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static byte[] key(String name) {
        return name.getBytes();
    }

    @Test
    @DisplayName("a label after its features, and one before them, within the window: the labelled record goes to "
            + "the training topic in join order; features whose label comes after the window are unlabelled once "
            + "the window closes, and that label is counted as without features")
    void labelsWithinAndAfterTheWindow() throws Exception {
        try (Driver join = new Driver(InputFormat.AVRO)) {
            join.features.pipeInput(key("a"), unlabelledSample(1), T0);
            join.labels.pipeInput(key("a"), label(3), T0.plusSeconds(2));
            join.labels.pipeInput(key("b"), label(7), T0.plusSeconds(10));
            join.features.pipeInput(key("b"), unlabelledSample(2), T0.plusSeconds(11));
            join.features.pipeInput(key("c"), unlabelledSample(3), T0.plusSeconds(20));
            assertTrue(join.unlabelled.isEmpty(), "the window of c is still open");
            join.labels.pipeInput(key("c"), label(5), T0.plusSeconds(40));
            join.features.pipeInput(key("d"), unlabelledSample(4), T0.plusSeconds(60));

            List<KeyValue<byte[], byte[]>> trained = join.train.readKeyValuesToList();
            assertEquals(2, trained.size());
            assertEquals("a", new String(trained.get(0).key));
            Sample a = Topics.SAMPLE_SERDE.decode(trained.get(0).value);
            assertEquals(3, a.getLabel());
            assertEquals(ByteBuffer.wrap(new byte[] {1, 9}), a.getPixels(), "the features are kept as they came");
            assertEquals("b", new String(trained.get(1).key));
            assertEquals(7, Topics.SAMPLE_SERDE.decode(trained.get(1).value).getLabel(), "a label before its features");
            List<KeyValue<byte[], byte[]>> late = join.unlabelled.readKeyValuesToList();
            assertEquals(1, late.size());
            assertEquals("c", new String(late.get(0).key));
            assertEquals(3, Topics.SAMPLE_SERDE.decode(late.get(0).value).getId());
            assertEquals(2, join.counts.labelled());
            assertEquals(1, join.counts.unlabelled());
            assertEquals(1, join.counts.orphanLabels(), "c's late label");
            assertTrue(join.deadLetters.isEmpty());
        }
    }

    @Test
    @DisplayName("records the join cannot use are dead letters with their reason: undecodable features or labels, "
            + "a record without a key, a label with neither class nor numbers, numbers for an image")
    void deadLetters() {
        try (Driver join = new Driver(InputFormat.AVRO)) {
            join.features.pipeInput(key("x"), new byte[] {1, 2, 3}, T0);
            join.features.pipeInput(null, unlabelledSample(1), T0);
            join.labels.pipeInput(key("y"), Topics.LABEL_SERDE.encode(new Label()), T0);
            join.labels.pipeInput(key("z"), new byte[] {4}, T0);
            join.features.pipeInput(key("n"), unlabelledSample(5), T0);
            join.labels.pipeInput(key("n"), Topics.LABEL_SERDE.encode(Label.newBuilder().setTarget(List.of(1.5))
                    .build()), T0.plusSeconds(1));
            List<DeadLetter> letters = join.deadLetters.readValuesToList();
            assertEquals(List.of("decode", "decode", "decode", "decode", "join"),
                    letters.stream().map(DeadLetter::getStage).toList());
            assertTrue(letters.get(0).getReason().startsWith("not an Avro single-object encoded Sample or Features"),
                    letters.get(0).getReason());
            assertEquals("record has no key; features and labels are joined by key", letters.get(1).getReason());
            assertEquals("a label carries a class (\"label\") or numbers (\"target\"), exactly one of them",
                    letters.get(2).getReason());
            assertEquals("labels", letters.get(3).getTopic());
            assertTrue(letters.get(3).getReason().startsWith("not an Avro single-object encoded Label"),
                    letters.get(3).getReason());
            assertTrue(letters.get(4).getReason().startsWith("the label has numbers [1.5] and a Sample carries a "
                    + "class"), letters.get(4).getReason());
            assertEquals(5, join.counts.deadLetters());
            assertTrue(join.train.isEmpty());
        }
    }

    @Test
    @DisplayName("Features rows take a class or numbers; JSON objects get \"label\" or \"target\"")
    void featuresAndJson() throws Exception {
        try (Driver join = new Driver(InputFormat.AVRO)) {
            join.features.pipeInput(key("r"), Topics.FEATURES_SERDE.encode(Features.newBuilder()
                    .setValues(List.of(1f, 2f)).build()), T0);
            join.labels.pipeInput(key("r"), Topics.LABEL_SERDE.encode(Label.newBuilder().setTarget(List.of(0.5, 2.0))
                    .build()), T0);
            Features row = Topics.FEATURES_SERDE.decode(join.train.readValue());
            assertEquals(List.of(1f, 2f), row.getValues());
            assertEquals(List.of(0.5, 2.0), row.getTarget());
        }
        try (Driver join = new Driver(InputFormat.JSON)) {
            join.labels.pipeInput(key("j"), "{\"label\": 4}".getBytes(), T0);
            join.features.pipeInput(key("j"), "{\"features\": [0.1, 0.2], \"label\": null}".getBytes(), T0);
            join.labels.pipeInput(key("k"), "{\"target\": 2.5}".getBytes(), T0);
            join.features.pipeInput(key("k"), "{\"features\": [1]}".getBytes(), T0);
            assertEquals(List.of("{\"features\":[0.1,0.2],\"label\":4}", "{\"features\":[1],\"target\":[2.5]}"),
                    join.train.readValuesToList().stream().map(String::new).toList());
        }
    }
}
