package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrainingPipelineTest {
    private static final Topics TOPICS = new Topics("");
    private static final String TOPIC = TOPICS.train().name();
    /** Several rings' worth, so the ring wraps and the feeder waits for room many times. */
    private static final int RECORDS = 5 * TrainingPipeline.CAPACITY + 123;

    private static LearnerConfig config() {
        return LearnerConfig.builder("pipeline-test", TOPICS, ModelConfig.preset("M2").build())
                .snapshotInterval(1000).evaluationInterval(0).checkpointInterval(2000).build();
    }

    private static RecordTrainer recordTrainer(Supplier<TestSet> heldOut, int evaluationInterval) {
        LearnerConfig config = config();
        TrainingLoop loop = new TrainingLoop(new OnlineTrainer(config.model()), config.summaryInterval(),
                new SummaryFactory(config.applicationId(), TOPIC, config.histogramBins()),
                new TrainingLoop.HeldOut(heldOut, evaluationInterval));
        return new RecordTrainer(config, loop);
    }

    /** Samples with a record that is not Avro every 97th offset, so dead letters are interleaved with summaries. */
    private static List<byte[]> records() {
        SeededRandom random = new SeededRandom(5);
        List<byte[]> values = new ArrayList<>();
        for (int offset = 0; offset < RECORDS; offset++) {
            values.add(offset % 97 == 13 ? new byte[] {1, 2, 3}
                    : Topics.SAMPLE_SERDE.encode(LearnerTopologyTest.syntheticSample(offset, random)));
        }
        return values;
    }

    /** What an emission says, without its wall-clock fields: the sinks in order, the offset, the stored snapshot. */
    private static String describe(RecordTrainer.Emission emission) {
        StringBuilder text = new StringBuilder("@" + emission.offset());
        for (RecordTrainer.Forward forward : emission.forwards()) {
            text.append(' ').append(forward.sink()).append(':').append(forward.key());
        }
        return text.append(emission.storeCheckpoint() == null ? "" : " +snapshot").toString();
    }

    @Test
    @DisplayName("through the ring, records train in order: same emissions and bitwise the same weights as inline")
    void sameAsTrainingInline() {
        List<byte[]> values = records();
        RecordTrainer inline = recordTrainer(() -> null, 0);
        List<String> expected = new ArrayList<>();
        for (int offset = 0; offset < values.size(); offset++) {
            RecordTrainer.Emission emission = inline.train(null, values.get(offset), TOPIC, 0, offset, offset, true);
            if (emission != null) {
                expected.add(describe(emission));
            }
        }

        RecordTrainer piped = recordTrainer(() -> null, 0);
        List<String> actual = new ArrayList<>();
        try (TrainingPipeline pipeline = new TrainingPipeline(piped, "pipeline-test")) {
            for (int offset = 0; offset < values.size(); offset++) {
                pipeline.submit(null, values.get(offset), TOPIC, 0, offset, offset, true);
                if (offset % 1000 == 0) {
                    drainInto(pipeline, actual);
                }
            }
            pipeline.awaitIdle();
            drainInto(pipeline, actual);
        }
        assertEquals(expected, actual);
        assertTrue(actual.contains("@13 dead-letters:13"), actual.toString());
        assertTrue(actual.stream().anyMatch(text -> text.endsWith("summaries:2000 checkpoints:2000 +snapshot")),
                actual.toString());
        assertEquals(inline.loop().trainer().updates(), piped.loop().trainer().updates());
        assertArrayEquals(inline.loop().trainer().network().parameters().get(0).toArray(),
                piped.loop().trainer().network().parameters().get(0).toArray());
    }

    private static void drainInto(TrainingPipeline pipeline, List<String> out) {
        for (RecordTrainer.Emission emission = pipeline.pollEmission(); emission != null;
             emission = pipeline.pollEmission()) {
            out.add(describe(emission));
        }
    }

    @Test
    @DisplayName("records re-applied without emitting change the model and send nothing")
    void silentRecordsSendNothing() {
        RecordTrainer piped = recordTrainer(() -> null, 0);
        List<byte[]> values = records();
        try (TrainingPipeline pipeline = new TrainingPipeline(piped, "pipeline-test")) {
            for (int offset = 0; offset < 300; offset++) {
                pipeline.submit(null, values.get(offset), TOPIC, 0, offset, offset, false);
            }
            pipeline.awaitIdle();
            assertNull(pipeline.pollEmission());
        }
        assertEquals(297, piped.loop().trainer().updates());
    }

    @Test
    @DisplayName("a failure on the training thread is thrown on the feeding thread, naming the thread and cause")
    void failureReachesTheFeeder() {
        IllegalStateException boom = new IllegalStateException("held-out set unreadable");
        RecordTrainer failing = recordTrainer(() -> {
            throw boom;
        }, 100);
        List<byte[]> values = records();
        TrainingPipeline pipeline = new TrainingPipeline(failing, "pipeline-test-failing");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
            for (int offset = 0; offset < values.size(); offset++) {
                pipeline.submit(null, values.get(offset), TOPIC, 0, offset, offset, true);
            }
            pipeline.awaitIdle();
        });
        assertSame(boom, thrown.getCause());
        assertTrue(thrown.getMessage().contains("pipeline-test-failing"), thrown.getMessage());
        assertThrows(IllegalStateException.class, pipeline::close);
    }
}
