package dev.streamlearn.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.kafka.DriverProperties;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.InputFormat;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Objective;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.Pixels;
import dev.streamlearn.model.SeededRandom;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceTopologyTest {
    private static final Instant INPUT_TIME = Instant.parse("2026-01-01T00:00:00Z");
    private static final ModelConfig M2 = ModelConfig.preset("M2").build();

    @TempDir
    Path stateDir;

    private Properties properties() {
        return DriverProperties.of("inference-test", stateDir);
    }

    /** The inference topology answering with whatever version served holds. */
    private TopologyTestDriver driver(InferenceConfig config, AtomicReference<ServedModel> served) {
        return new TopologyTestDriver(InferenceTopology.buildTopology(config, key -> Optional.of(served.get())),
                properties());
    }

    private static TestOutputTopic<byte[], Prediction> predictions(TopologyTestDriver driver) {
        return driver.createOutputTopic("predictions", Serdes.ByteArray().deserializer(),
                Topics.PREDICTION_SERDE.deserializer());
    }

    private static OnlineTrainer trained(ModelConfig config, int steps) {
        OnlineTrainer trainer = new OnlineTrainer(config);
        SeededRandom random = new SeededRandom(3);
        for (int i = 0; i < steps; i++) {
            trainer.step(image(random), i % 10);
        }
        return trainer;
    }

    private static byte[] image(SeededRandom random) {
        byte[] pixels = new byte[784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) random.uniform(0, 256);
        }
        return pixels;
    }

    private static Sample sample(byte[] pixels, int label) {
        return Sample.newBuilder().setId(0).setLabel(label).setRows(28).setCols(28).setPixels(ByteBuffer.wrap(pixels))
                .setDataset("test").setEpoch(0).setProducedAt(Instant.EPOCH).build();
    }

    @Test
    @DisplayName("streaming inference: every record predicted by the version served when it arrived (a swap takes "
            + "effect at the next record), probabilities bit for bit the version's own, key and position kept; a "
            + "record the learner would refuse is a dead letter with the learner's reason")
    void predictsWithTheServedVersion() {
        AtomicReference<ServedModel> served = new AtomicReference<>(
                new ServedModel("learner-a", 0, Instant.EPOCH, trained(M2, 0).network()));
        OnlineTrainer first = trained(M2, 0);
        OnlineTrainer second = trained(M2, 40);
        InferenceConfig config = new InferenceConfig("inference-test", "features", InputFormat.AVRO, "predictions",
                "predictions.dlq", 2);
        try (TopologyTestDriver driver = driver(config, served)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic("features", Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<byte[], Prediction> predictions = predictions(driver);
            TestOutputTopic<Long, DeadLetter> deadLetters = driver.createOutputTopic("predictions.dlq",
                    Serdes.Long().deserializer(), Topics.DEAD_LETTER_SERDE.deserializer());
            SeededRandom random = new SeededRandom(8);
            for (int i = 0; i < 60; i++) {
                if (i == 30) {
                    served.set(new ServedModel("learner-a", 40, Instant.EPOCH, trained(M2, 40).network()));
                }
                byte[] key = ("k" + i).getBytes();
                if (i % 20 == 7) {
                    Sample wrongSize = sample(new byte[780], 1);
                    wrongSize.setRows(30);
                    wrongSize.setCols(26);
                    input.pipeInput(key, Topics.SAMPLE_SERDE.encode(wrongSize), INPUT_TIME);
                    TestRecord<Long, DeadLetter> letter = deadLetters.readRecord();
                    assertEquals(i, letter.key());
                    assertEquals("validate", letter.value().getStage());
                    assertEquals("sample has 780 pixels, the model takes 784", letter.value().getReason());
                    assertTrue(predictions.isEmpty());
                    continue;
                }
                byte[] pixels = image(random);
                float[] scaled = new float[784];
                Pixels.scale(pixels, scaled, 0);
                boolean unlabelled = i % 2 == 1;
                if (unlabelled) {
                    List<Float> values = new ArrayList<>();
                    for (float value : scaled) {
                        values.add(value);
                    }
                    input.pipeInput(key, Topics.FEATURES_SERDE.encode(Features.newBuilder().setValues(values).build()),
                            INPUT_TIME);
                } else {
                    input.pipeInput(key, Topics.SAMPLE_SERDE.encode(sample(pixels, 4)), INPUT_TIME);
                }
                float[] expected = (i < 30 ? first : second).network().answer(scaled);
                TestRecord<byte[], Prediction> made = predictions.readRecord();
                Prediction prediction = made.value();
                assertArrayEquals(key, made.key());
                assertEquals(INPUT_TIME, made.getRecordTime(), "the input's event time is kept");
                assertEquals(ByteBuffer.wrap(key), prediction.getKey());
                assertEquals("features", prediction.getTopic());
                assertEquals(i, prediction.getOffset());
                assertEquals("learner-a", prediction.getLearner());
                assertEquals(i < 30 ? 0 : 40, prediction.getModelStep());
                assertEquals(unlabelled ? null : 4, prediction.getLabel());
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = expected[c] > expected[best] ? c : best;
                }
                assertEquals(best, prediction.getPredictedClass());
                assertEquals(2, prediction.getTop().size());
                assertEquals(best, prediction.getTop().get(0).getLabel());
                assertEquals(Float.floatToIntBits(expected[best]),
                        Float.floatToIntBits(prediction.getTop().get(0).getProbability()));
                int runnerUp = prediction.getTop().get(1).getLabel();
                for (int c = 0; c < 10; c++) {
                    assertTrue(c == best || expected[c] <= expected[runnerUp], "class " + c + " beats the runner-up");
                }
                assertEquals(Float.floatToIntBits(expected[runnerUp]),
                        Float.floatToIntBits(prediction.getTop().get(1).getProbability()));
                assertNull(prediction.getValues());
            }
            assertTrue(predictions.isEmpty() && deadLetters.isEmpty());
        }
    }

    @Test
    @DisplayName("a regression version answers its estimates, a binary one whether the positive class wins, with "
            + "the numbers or class the input carried")
    void numericAndBinaryHeads() {
        ModelConfig regression = ModelConfig.preset("M2").layers(List.of(3, 2)).loss(Objective.MSE).build();
        ModelConfig binary = ModelConfig.preset("M2").layers(List.of(3, 1)).loss(Objective.SIGMOID_CROSS_ENTROPY)
                .positiveClass(7).build();
        AtomicReference<ServedModel> served = new AtomicReference<>(
                new ServedModel("learner-r", 1, Instant.EPOCH, new OnlineTrainer(regression).network()));
        InferenceConfig config = new InferenceConfig("inference-test", "features", InputFormat.JSON, "predictions",
                "predictions.dlq", 3);
        try (TopologyTestDriver driver = driver(config, served)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic("features", Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            TestOutputTopic<byte[], Prediction> predictions = predictions(driver);
            input.pipeInput(new byte[] {1}, "{\"features\": [0.5, -1, 2], \"target\": [1.5, 2]}".getBytes());
            float[] estimates = new OnlineTrainer(regression).network().answer(new float[] {0.5f, -1, 2});
            Prediction numbers = predictions.readValue();
            assertEquals(List.of(estimates[0], estimates[1]), numbers.getValues());
            assertEquals(List.of(1.5, 2.0), numbers.getTarget());
            assertEquals(List.of(), numbers.getTop());
            assertNull(numbers.getPredictedClass());

            served.set(new ServedModel("learner-b", 2, Instant.EPOCH, new OnlineTrainer(binary).network()));
            input.pipeInput(new byte[] {2}, "{\"features\": [0.5, -1, 2], \"label\": 7}".getBytes());
            float probability = new OnlineTrainer(binary).network().answer(new float[] {0.5f, -1, 2})[0];
            Prediction positive = predictions.readValue();
            assertEquals(probability > 0.5f, positive.getPositive());
            assertEquals(1, positive.getTop().size());
            assertEquals(7, positive.getTop().get(0).getLabel());
            assertEquals(probability, positive.getTop().get(0).getProbability());
            assertEquals(7, positive.getLabel());
            assertEquals("learner-b", positive.getLearner());
        }
    }
}
