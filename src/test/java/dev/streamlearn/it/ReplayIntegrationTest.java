package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints, export and replay: a model is a function of topic offsets, bit for bit. */
class ReplayIntegrationTest {
    @TempDir
    static Path work;

    private static Broker broker;
    private static Mnist train;

    @BeforeAll
    static void start() throws Exception {
        broker = new Broker(work.resolve("kafka"));
        train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Properties client() {
        return broker.client();
    }

    private static void produce(Topics topics, int from, int count) {
        Mnist slice = new Mnist(train.name(), train.rows(), train.cols(),
                java.util.Arrays.copyOfRange(train.pixels(), from * 784, (from + count) * 784),
                java.util.Arrays.copyOfRange(train.labels(), from, from + count));
        new SampleProducer(client()).produce(topics.train(), slice, ProduceOptions.all(), sent -> { });
    }

    /** Runs the live learner until it has committed the topic up to endOffset, then stops it cleanly. */
    private static void learnUntil(Topics topics, long endOffset) throws Exception {
        LearnerConfig config = LearnerConfig.builder("live", topics, ModelConfig.preset("M3").build())
                .snapshotInterval(1000).evaluationInterval(0).checkpointInterval(1000).build();
        try (TopicAdmin admin = new TopicAdmin(client());
             Learner learner = new Learner(client(), config, work.resolve("streams"))) {
            learner.start();
            assertTrue(learner.awaitCommitted(admin, endOffset, new CountDownLatch(1)), "learner stopped early");
        }
    }

    private static Map<String, float[]> modelOnly(int samples) throws Exception {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M3").build());
        for (int i = 0; i < samples; i++) {
            trainer.step(train.image(i), train.labels()[i]);
        }
        Path file = work.resolve("model-only-" + samples + ".npz");
        Npz.export(trainer.network(), file);
        return weights(file);
    }

    private static Map<String, float[]> weights(Path file) throws Exception {
        return Npz.read(file, new LinkedHashMap<>());
    }

    private static void assertSameWeights(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, values) -> assertArrayEquals(values, actual.get(name), name + " differs bitwise"));
    }

    private static void streamlearn(String... args) {
        assertEquals(0, StreamlearnCommand.commandLine(args).execute(args), () -> String.join(" ", args));
    }

    @Test
    @DisplayName("clean stop and restart continue exactly; replay and export equal the live checkpoints bitwise")
    void replayEqualsLive() throws Exception {
        Topics topics = new Topics("replay-it.");
        try (TopicAdmin admin = new TopicAdmin(client())) {
            admin.createAll(topics, (short) 1);
        }
        produce(topics, 0, 2000);
        learnUntil(topics, 2000);
        produce(topics, 2000, 1000);
        learnUntil(topics, 3000);

        String bootstrap = broker.bootstrapServers();
        Path live3000 = work.resolve("live-3000.npz");
        streamlearn("export", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--checkpoint",
                "latest", "--out", live3000.toString());
        assertSameWeights(modelOnly(3000), weights(live3000));

        Path live2000 = work.resolve("live-2000.npz");
        streamlearn("export", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--checkpoint",
                "2000", "--out", live2000.toString());
        assertSameWeights(modelOnly(2000), weights(live2000));

        Path replayed = work.resolve("replay-0-2000.npz");
        streamlearn("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--model", "M3",
                "--from-offset", "0", "--to-offset", "2000", "--application-id", "replay-from-0", "--state-dir",
                work.resolve("replay-state").toString(), "--export", replayed.toString());
        assertSameWeights(weights(live2000), weights(replayed));

        Path continued = work.resolve("replay-1000-3000.npz");
        streamlearn("replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(),
                "--from-checkpoint", "1000", "--application-id", "replay-from-checkpoint", "--state-dir",
                work.resolve("replay-state").toString(), "--export", continued.toString());
        assertSameWeights(weights(live3000), weights(continued));
    }
}
