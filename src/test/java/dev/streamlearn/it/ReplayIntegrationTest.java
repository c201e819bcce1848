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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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
        learnUntil("live", topics, endOffset);
    }

    private static void learnUntil(String applicationId, Topics topics, long endOffset) throws Exception {
        LearnerConfig config = LearnerConfig.builder(applicationId, topics, ModelConfig.preset("M3").build())
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

    /** Runs a command that must be refused; returns what it printed on stderr. */
    private static String refused(String... args) {
        CommandLine commandLine = StreamlearnCommand.commandLine(Map.of(), args);
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err));
        assertEquals(2, commandLine.execute(args), () -> String.join(" ", args) + ": " + err);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        return err.toString().strip();
    }

    private static Topics topicsWith(String prefix, int samples) {
        Topics topics = new Topics(prefix);
        try (TopicAdmin admin = new TopicAdmin(client())) {
            admin.createAll(topics, (short) 1);
        }
        produce(topics, 0, samples);
        return topics;
    }

    @Test
    @DisplayName("learn --stop-at-end --export on a topic it has wholly committed, from a new state directory, "
            + "exports the model of every committed sample, not its last snapshot")
    void exportAfterEverythingIsCommitted() throws Exception {
        Topics topics = topicsWith("committed-it.", 2500);
        learnUntil("committed-learner", topics, 2500);
        Path export = work.resolve("committed.npz");
        streamlearn("learn", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", topics.prefix(),
                "--application-id", "committed-learner", "--model", "M3", "--snapshot-interval", "1000",
                "--checkpoint-interval", "1000", "--evaluation-interval", "0", "--state-dir",
                work.resolve("fresh-state").toString(), "--stop-at-end", "--export", export.toString());
        assertSameWeights(modelOnly(2500), weights(export));
    }

    @Test
    @DisplayName("replay edge cases: the same replay twice gives the same model, from == to exports the starting "
            + "model, and a start past the topic is refused in one line, exit 2")
    void replayEdgeCases() throws Exception {
        Topics topics = topicsWith("edges-it.", 1500);
        String bootstrap = broker.bootstrapServers();
        String[] replay = {"replay", "--bootstrap-servers", bootstrap, "--topic-prefix", topics.prefix(), "--model",
                "M3", "--state-dir", work.resolve("edges-state").toString()};
        Path first = work.resolve("edges-first.npz");
        Path second = work.resolve("edges-second.npz");
        for (Path export : List.of(first, second)) {
            streamlearn(concat(replay, "--from-offset", "0", "--to-offset", "1200", "--application-id", "edges-twice",
                    "--export", export.toString()));
        }
        assertSameWeights(modelOnly(1200), weights(first));
        assertSameWeights(modelOnly(1200), weights(second));

        Path empty = work.resolve("edges-empty.npz");
        streamlearn(concat(replay, "--from-offset", "700", "--to-offset", "700", "--application-id", "edges-empty",
                "--export", empty.toString()));
        assertSameWeights(modelOnly(0), weights(empty));

        String future = Instant.now().plus(Duration.ofDays(1)).toString();
        assertEquals("streamlearn replay: --from-timestamp " + future + ": no record of edges-it.mnist.train was produced at or after it",
                refused(concat(replay, "--from-timestamp", future)));
        assertEquals("streamlearn replay: cannot replay offsets [1600, 1500) of edges-it.mnist.train: it holds offsets below 1500",
                refused(concat(replay, "--from-offset", "1600")));
        assertEquals("streamlearn replay: cannot replay offsets [0, 1600) of edges-it.mnist.train: it holds offsets below 1500",
                refused(concat(replay, "--from-offset", "0", "--to-offset", "1600")));
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
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

    @Test
    @DisplayName("replay --sweep, the what-if tool: the recorded stream under two learning rates at once, each "
            + "variant's export bit for bit a model trained alone with its rate on those records")
    void sweepReplaysEachVariant() throws Exception {
        Topics topics = topicsWith("whatif.", 2000);
        Path export = work.resolve("whatif.npz");
        streamlearn("replay", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", topics.prefix(),
                "--model", "M2", "--sweep", "lr=0.05,0.002", "--from-offset", "0", "--to-offset", "1500",
                "--application-id", "whatif", "--state-dir", work.resolve("whatif-state").toString(), "--export",
                export.toString());
        for (String rate : List.of("0.05", "0.002")) {
            OnlineTrainer alone = new OnlineTrainer(ModelConfig.preset("M2").learningRate(Double.parseDouble(rate))
                    .build());
            for (int i = 0; i < 1500; i++) {
                alone.step(train.image(i), train.labels()[i]);
            }
            Path expected = work.resolve("whatif-alone-" + rate + ".npz");
            Npz.export(alone.network(), expected);
            assertSameWeights(weights(expected), weights(work.resolve("whatif-lr=" + rate + ".npz")));
        }
    }
}
