package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.DriverProperties;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearnerTopologyTest {
    private static final Topics TOPICS = new Topics("");

    @TempDir
    Path stateDir;

    /** A synthetic 28x28 sample whose bright column encodes its label, so the model can learn it. */
    static Sample syntheticSample(long id, SeededRandom random) {
        int label = (int) (id % 10);
        byte[] pixels = new byte[784];
        for (int i = 0; i < pixels.length; i++) {
            int column = i % 28;
            pixels[i] = (byte) (column == label * 2 ? 200 + (int) random.uniform(0, 55) : (int) random.uniform(0, 20));
        }
        return Sample.newBuilder().setId(id).setLabel(label).setRows(28).setCols(28)
                .setPixels(ByteBuffer.wrap(pixels)).setDataset("synthetic").setEpoch(0)
                .setProducedAt(Instant.ofEpochMilli(0)).build();
    }

    private LearnerConfig config() {
        return LearnerConfig.builder("topology-test", TOPICS, ModelConfig.preset("M2").build())
                .snapshotInterval(1000).evaluationInterval(0).checkpointInterval(0).build();
    }

    private Properties properties() {
        return DriverProperties.of("topology-test", stateDir);
    }

    /** Runs samples (and optionally bad records between them) through the topology; returns the live model. */
    private Result run(int samples, boolean withBadRecords) {
        LiveModel liveModel = new LiveModel();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                LearnerTopology.buildTopology(config(),
                new LearnerServices(liveModel, () -> null, new ListInputReader(List.of()))), properties())) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TOPICS.train().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<Long, TrainingSummary> summaries = driver.createOutputTopic(TOPICS.monitor().name(),
                    Serdes.Long().deserializer(), Topics.SUMMARY_SERDE.deserializer());
            TestOutputTopic<Long, DeadLetter> deadLetters = driver.createOutputTopic(TOPICS.deadLetter().name(),
                    Serdes.Long().deserializer(), Topics.DEAD_LETTER_SERDE.deserializer());
            SeededRandom random = new SeededRandom(11);
            for (long id = 0; id < samples; id++) {
                if (withBadRecords && id % 50 == 7) {
                    input.pipeInput(new byte[] {1}, new byte[] {0x42, 0x42, 0x42}, INPUT_TIME);
                    Sample wrongSize = syntheticSample(id, new SeededRandom(id));
                    wrongSize.setPixels(ByteBuffer.wrap(new byte[780]));
                    input.pipeInput(new byte[] {2}, Topics.SAMPLE_SERDE.encode(wrongSize), INPUT_TIME);
                }
                input.pipeInput(new byte[] {0}, Topics.SAMPLE_SERDE.encode(syntheticSample(id, random)), INPUT_TIME);
            }
            List<TestRecord<Long, TrainingSummary>> summaryRecords = summaries.readRecordsToList();
            List<TestRecord<Long, DeadLetter>> letterRecords = deadLetters.readRecordsToList();
            List<Instant> stamps = new ArrayList<>();
            summaryRecords.forEach(record -> stamps.add(record.getRecordTime()));
            letterRecords.forEach(record -> stamps.add(record.getRecordTime()));
            List<float[]> weights = new ArrayList<>();
            liveModel.trainer().orElseThrow().network().parameters().forEach(tensor -> weights.add(tensor.toArray()));
            return new Result(summaryRecords.stream().map(TestRecord::value).toList(),
                    letterRecords.stream().map(TestRecord::value).toList(), weights, stamps);
        }
    }

    private record Result(List<TrainingSummary> summaries, List<DeadLetter> deadLetters, List<float[]> weights,
                          List<Instant> outputTimes) {
    }

    /** Input records stamped long ago: older than any topic's retention. */
    private static final Instant INPUT_TIME = Instant.parse("2001-01-01T00:00:00Z");

    @Test
    @DisplayName("outputs are stamped with the time they are made, not the input's (which stays in their fields)")
    void outputsStampedWhenMade() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Result result = run(300, true);
        assertEquals(3 + 12, result.outputTimes().size());
        for (Instant stamp : result.outputTimes()) {
            assertTrue(!stamp.isBefore(before), "output stamped " + stamp + ", before the run started at " + before);
        }
        assertEquals(INPUT_TIME, result.summaries().get(0).getFirstEventTime());
        assertEquals(INPUT_TIME, result.deadLetters().get(0).getTimestamp());
    }

    @Test
    @DisplayName("N samples in give N/100 summaries out, with step and offset ranges")
    void summariesEveryHundredSteps() {
        Result result = run(500, false);
        assertEquals(5, result.summaries().size());
        TrainingSummary last = result.summaries().get(4);
        assertEquals(401, last.getFirstStep());
        assertEquals(500, last.getLastStep());
        assertEquals(400, last.getFirstOffset());
        assertEquals(499, last.getLastOffset());
        assertEquals(2, last.getTensors().size());
        assertEquals(30, last.getTensors().get(0).getValues().getHistogram().getCounts().size());
        assertTrue(last.getAccuracyWindow() > 0.9, "synthetic columns are easy: " + last.getAccuracyWindow());
        assertTrue(result.deadLetters().isEmpty());
    }

    @Test
    @DisplayName("bad records go to the dead-letter topic with a reason and leave the model bitwise unchanged")
    void badRecordsToDeadLetters() {
        Result clean = run(300, false);
        Result dirty = run(300, true);
        assertEquals(clean.weights().size(), dirty.weights().size());
        for (int t = 0; t < clean.weights().size(); t++) {
            assertArrayEquals(clean.weights().get(t), dirty.weights().get(t), "tensor " + t);
        }
        assertEquals(12, dirty.deadLetters().size());
        DeadLetter notAvro = dirty.deadLetters().get(0);
        assertEquals("decode", notAvro.getStage());
        assertArrayEquals(new byte[] {0x42, 0x42, 0x42}, notAvro.getValue().array());
        DeadLetter wrongSize = dirty.deadLetters().get(1);
        assertEquals("validate", wrongSize.getStage());
        assertTrue(wrongSize.getReason().contains("pixels has 780 bytes"), wrongSize.getReason());
        assertEquals(3, dirty.summaries().size());
        assertEquals(12, dirty.summaries().get(2).getRejectedRecords());
    }

    /** Pipes values through a learner of the model and format; returns its summaries and dead letters. */
    private Result runValues(ModelConfig model, InputFormat format, List<byte[]> values) {
        LiveModel liveModel = new LiveModel();
        LearnerConfig learner = LearnerConfig.builder("topology-test", TOPICS, model).evaluationInterval(0)
                .checkpointInterval(0).inputFormat(format).build();
        try (TopologyTestDriver driver = new TopologyTestDriver(LearnerTopology.buildTopology(learner,
                new LearnerServices(liveModel, () -> null, new ListInputReader(List.of()))), properties())) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TOPICS.train().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            values.forEach(value -> input.pipeInput(new byte[] {0}, value, INPUT_TIME));
            List<TrainingSummary> summaries = driver.createOutputTopic(TOPICS.monitor().name(),
                    Serdes.Long().deserializer(), Topics.SUMMARY_SERDE.deserializer()).readValuesToList();
            List<DeadLetter> letters = driver.createOutputTopic(TOPICS.deadLetter().name(),
                    Serdes.Long().deserializer(), Topics.DEAD_LETTER_SERDE.deserializer()).readValuesToList();
            List<float[]> weights = new ArrayList<>();
            liveModel.trainer().orElseThrow().network().parameters().forEach(t -> weights.add(t.toArray()));
            return new Result(summaries, letters, weights, List.of());
        }
    }

    @Test
    @DisplayName("Features records and Samples on one topic, told apart by fingerprint: a regression learns the "
            + "rows, an image and a wrong-sized row are dead letters (after the last summary), unlabelled rows are "
            + "counted")
    void featuresThroughTheTopology() {
        ModelConfig regression = ModelConfig.preset("M2").layers(List.of(2, 1))
                .loss(dev.streamlearn.model.Objective.MSE).learningRate(0.05).build();
        SeededRandom random = new SeededRandom(4);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            float a = (float) random.uniform(-1, 1);
            float b = (float) random.uniform(-1, 1);
            values.add(Topics.FEATURES_SERDE.encode(dev.streamlearn.avro.Features.newBuilder()
                    .setValues(List.of(a, b)).setTarget(i % 30 == 0 ? null : List.of((double) (a - b))).build()));
        }
        values.add(Topics.SAMPLE_SERDE.encode(syntheticSample(1, random)));
        values.add(Topics.FEATURES_SERDE.encode(dev.streamlearn.avro.Features.newBuilder()
                .setValues(List.of(1f, 2f, 3f)).setTarget(List.of(1.0)).build()));
        Result result = runValues(regression, InputFormat.AVRO, values);
        assertEquals(List.of("validate", "validate"), result.deadLetters().stream().map(DeadLetter::getStage).toList());
        TrainingSummary last = result.summaries().get(result.summaries().size() - 1);
        assertEquals(last.getLastOffset() / 30 + 1, last.getUnlabelledRecords(), "every 30th row, up to the summary");
        assertTrue(last.getRegression().getMaeWindow() < 0.1, "learning a - b: " + last.getRegression());
    }

    @Test
    @DisplayName("with --input-format json, JSON objects are trained and anything else is a decode dead letter")
    void jsonThroughTheTopology() {
        ModelConfig classes = ModelConfig.preset("M2").layers(List.of(2, 2)).build();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            values.add(("{\"features\": [" + (i % 2) + ", 1], \"label\": " + (i % 2) + "}").getBytes());
        }
        values.add(Topics.SAMPLE_SERDE.encode(syntheticSample(1, new SeededRandom(1))));
        Result result = runValues(classes, InputFormat.JSON, values);
        assertEquals(2, result.summaries().size());
        assertEquals(1, result.deadLetters().size());
        assertEquals("decode", result.deadLetters().get(0).getStage());
        assertTrue(result.summaries().get(1).getAccuracyWindow() > 0.9, result.summaries().get(1).toString());
    }

    @Test
    @DisplayName("model versions: one per publish interval while the model changes, none while it does not, each the "
            + "live model of its step bit for bit, keyed by application id; a replay's last record publishes its model")
    void modelVersions() {
        LiveModel liveModel = new LiveModel();
        LearnerConfig learner = LearnerConfig.builder("topology-test", TOPICS, ModelConfig.preset("M2").build())
                .evaluationInterval(0).checkpointInterval(0).publishInterval(java.time.Duration.ofSeconds(1))
                .stopOffset(250).build();
        try (TopologyTestDriver driver = new TopologyTestDriver(LearnerTopology.buildTopology(learner,
                new LearnerServices(liveModel, () -> null, new ListInputReader(List.of()))), properties())) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TOPICS.train().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<String, dev.streamlearn.avro.Checkpoint> versions = driver.createOutputTopic(
                    TOPICS.models().name(), Serdes.String().deserializer(), Topics.CHECKPOINT_SERDE.deserializer());
            SeededRandom random = new SeededRandom(2);
            List<Long> steps = new ArrayList<>();
            for (int batch = 0; batch < 3; batch++) {
                for (int i = 0; i < 70; i++) {
                    input.pipeInput(new byte[] {0}, Topics.SAMPLE_SERDE.encode(syntheticSample(batch * 70 + i, random)),
                            INPUT_TIME);
                }
                driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
                driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
                for (TestRecord<String, dev.streamlearn.avro.Checkpoint> version : versions.readRecordsToList()) {
                    assertEquals("topology-test", version.key());
                    assertEquals(version.value().getStep(), version.value().getNextOffset());
                    assertEquals(null, version.value().getLearnerState());
                    BitwiseAssertions.assertSameModel(liveModel.trainer().orElseThrow(),
                            CheckpointReader.restore(version.value()));
                    steps.add(version.value().getStep());
                }
            }
            assertEquals(List.of(70L, 140L, 210L), steps, "one version per interval with changes, none without");
            for (int i = 210; i < 260; i++) {
                input.pipeInput(new byte[] {0}, Topics.SAMPLE_SERDE.encode(syntheticSample(i, random)), INPUT_TIME);
            }
            List<dev.streamlearn.avro.Checkpoint> last = versions.readValuesToList();
            assertEquals(List.of(250L), last.stream().map(dev.streamlearn.avro.Checkpoint::getStep).toList(),
                    "the replay's end publishes its final model without waiting for the clock");
        }
    }

    @Test
    @DisplayName("learn --predictions: every accepted record predicted exactly once, by the model just before it "
            + "learned that record (probabilities bit for bit those of a reference trainer at that step), unlabelled "
            + "rows predicted and not learned, refused records not predicted, the model the same as without")
    void testThenTrainPredictions() {
        ModelConfig model = ModelConfig.preset("M2").build();
        LiveModel liveModel = new LiveModel();
        LearnerConfig learner = LearnerConfig.builder("topology-test", TOPICS, model).evaluationInterval(0)
                .checkpointInterval(0).predictionTop(3).build();
        OnlineTrainer reference = new OnlineTrainer(model);
        SeededRandom random = new SeededRandom(5);
        try (TopologyTestDriver driver = new TopologyTestDriver(LearnerTopology.buildTopology(learner,
                new LearnerServices(liveModel, () -> null, new ListInputReader(List.of()))), properties())) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TOPICS.train().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<byte[], Prediction> predictions = driver.createOutputTopic(TOPICS.predictions().name(),
                    Serdes.ByteArray().deserializer(), Topics.PREDICTION_SERDE.deserializer());
            long offset = 0;
            int predicted = 0;
            for (int id = 0; id < 250; id++) {
                byte[] key = {(byte) id, 7};
                float[] expected;
                Integer label;
                long step = reference.updates();
                if (id % 25 == 3) {
                    input.pipeInput(key, new byte[] {0x42}, INPUT_TIME);
                    offset++;
                    assertTrue(predictions.isEmpty(), "a refused record is not predicted");
                    continue;
                }
                if (id % 10 == 4) {
                    List<Float> values = new ArrayList<>();
                    float[] features = new float[784];
                    for (int i = 0; i < 784; i++) {
                        features[i] = (float) random.uniform(0, 1);
                        values.add(features[i]);
                    }
                    input.pipeInput(key, Topics.FEATURES_SERDE.encode(dev.streamlearn.avro.Features.newBuilder()
                            .setValues(values).build()), INPUT_TIME);
                    expected = reference.network().answer(features);
                    label = null;
                } else {
                    Sample sample = syntheticSample(id, random);
                    input.pipeInput(key, Topics.SAMPLE_SERDE.encode(sample), INPUT_TIME);
                    byte[] pixels = sample.getPixels().array();
                    float[] scaled = new float[784];
                    dev.streamlearn.model.Pixels.scale(pixels, scaled, 0);
                    expected = reference.network().answer(scaled);
                    reference.step(pixels, sample.getLabel());
                    label = sample.getLabel();
                }
                List<TestRecord<byte[], Prediction>> made = predictions.readRecordsToList();
                assertEquals(1, made.size(), "record " + id);
                Prediction prediction = made.get(0).value();
                assertArrayEquals(key, made.get(0).key());
                assertEquals(ByteBuffer.wrap(key), prediction.getKey());
                assertEquals(offset, prediction.getOffset());
                assertEquals(TOPICS.train().name(), prediction.getTopic());
                assertEquals(INPUT_TIME, prediction.getTimestamp());
                assertEquals("topology-test", prediction.getLearner());
                assertEquals(step, prediction.getModelStep(), "made by the model before the record's step");
                assertEquals(label, prediction.getLabel());
                assertEquals(3, prediction.getTop().size());
                List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
                order.sort((a, b) -> Float.compare(expected[b], expected[a]));
                for (int k = 0; k < 3; k++) {
                    assertEquals(order.get(k), prediction.getTop().get(k).getLabel());
                    assertEquals(Float.floatToIntBits(expected[order.get(k)]),
                            Float.floatToIntBits(prediction.getTop().get(k).getProbability()));
                }
                assertEquals(order.get(0), prediction.getPredictedClass());
                offset++;
                predicted++;
            }
            assertEquals(240, predicted, "250 records, 10 refused");
            BitwiseAssertions.assertSameModel(reference, liveModel.trainer().orElseThrow());
        }
    }
}
