package dev.streamlearn.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.DriverProperties;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.Initialiser;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.model.SeededRandom;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep of three variants through the learner's topology: each trains as if it were alone. */
class SweepTopologyTest {
    private static final Topics TOPICS = new Topics("");
    private static final int SAMPLES = 450;

    @TempDir
    Path stateDir;

    @Test
    @DisplayName("three variants (learning rates, an initialiser, an optimiser) on one stream: each variant's weights "
            + "and optimiser state are bitwise those of a model trained alone with its settings; each has its own "
            + "summaries, versions and dead letters under its own id")
    void eachVariantAsIfAlone() throws Exception {
        ModelConfig base = ModelConfig.preset("M3").build();
        List<Variant> variants = List.of(
                new Variant("lr=0.05", ModelConfig.preset("M3").learningRate(0.05).build()),
                new Variant("init=xavier-uniform", ModelConfig.preset("M3").weightInit(new Initialiser.Xavier(true))
                        .build()),
                new Variant("optimizer=adam", ModelConfig.preset("M3").optimizer(OptimizerSpec.of("adam", Map.of()))
                        .learningRate(0.001).build()));
        LearnerConfig config = LearnerConfig.builder("sweep-test", TOPICS, base).snapshotInterval(100)
                .evaluationInterval(0).checkpointInterval(0).publishInterval(Duration.ofSeconds(1)).build();
        List<LiveModel> live = List.of(new LiveModel(), new LiveModel(), new LiveModel());
        List<LearnerServices> services = live.stream()
                .map(model -> new LearnerServices(model, () -> null, new ListInputReader(List.of()))).toList();
        List<OnlineTrainer> alone = variants.stream().map(variant -> new OnlineTrainer(variant.model())).toList();
        Map<String, Integer> summariesOf = new HashMap<>();
        Map<String, Integer> deadLettersOf = new HashMap<>();
        List<String> versionKeys = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(LearnerTopology.buildTopology(config, variants,
                services), DriverProperties.of("sweep-test", stateDir))) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(TOPICS.train().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            SeededRandom random = new SeededRandom(21);
            byte[] pixels = new byte[784];
            for (long id = 0; id < SAMPLES; id++) {
                Sample sample = LearnerTopologyTest.syntheticSample(id, random);
                input.pipeInput(new byte[] {0}, Topics.SAMPLE_SERDE.encode(sample));
                sample.getPixels().duplicate().get(pixels);
                for (OnlineTrainer trainer : alone) {
                    trainer.step(pixels, sample.getLabel());
                }
                if (id % 100 == 50) {
                    input.pipeInput(new byte[] {1}, new byte[] {0x42});
                }
            }
            driver.advanceWallClockTime(Duration.ofSeconds(2));
            TestOutputTopic<Long, TrainingSummary> summaries = driver.createOutputTopic(TOPICS.monitor().name(),
                    Serdes.Long().deserializer(), Topics.SUMMARY_SERDE.deserializer());
            summaries.readValuesToList().forEach(s -> summariesOf.merge(s.getApplicationId().toString(), 1,
                    Integer::sum));
            TestOutputTopic<Long, DeadLetter> deadLetters = driver.createOutputTopic(TOPICS.deadLetter().name(),
                    Serdes.Long().deserializer(), Topics.DEAD_LETTER_SERDE.deserializer());
            deadLetters.readValuesToList().forEach(d -> deadLettersOf.merge(String.valueOf(d.getLearner()), 1,
                    Integer::sum));
            TestOutputTopic<String, Checkpoint> versions = driver.createOutputTopic(TOPICS.models().name(),
                    Serdes.String().deserializer(), Topics.CHECKPOINT_SERDE.deserializer());
            versions.readKeyValuesToList().forEach(version -> versionKeys.add(version.key));
        }
        for (int v = 0; v < variants.size(); v++) {
            BitwiseAssertions.assertSameModel(alone.get(v), live.get(v).trainer().orElseThrow());
            String id = "sweep-test/" + variants.get(v).name();
            assertEquals(SAMPLES / 100, summariesOf.get(id), "summaries of " + id);
        }
        assertEquals(Map.of("null", SAMPLES / 100), deadLettersOf, "each bad record dead-lettered once, for what it holds");
        assertEquals(3, summariesOf.size());
        assertEquals(Set.of("sweep-test/lr=0.05", "sweep-test/init=xavier-uniform",
                "sweep-test/optimizer=adam"), Set.copyOf(versionKeys), "a version of each variant, under its id");
    }
}
