package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.monitor.SummaryConsumer;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner in a child JVM, killed with SIGKILL three times mid-run and restarted: its final weights are bitwise
 * those of uninterrupted training on the same samples, and every summary step is on the monitor topic exactly once.
 */
class ExactlyOnceIntegrationTest {
    private static final int SAMPLES = 20_000;
    private static final List<String> MODEL = List.of("--model", "M4", "--optimizer", "adam", "--lr", "0.001");

    @TempDir
    static Path work;

    private static Broker broker;

    @BeforeAll
    static void startBroker() {
        broker = new Broker(work.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Properties client() {
        return broker.client();
    }

    private static Process learner(Topics topics, Path export) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), StreamlearnCommand.class.getName(), "learn",
                "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", topics.prefix(),
                "--application-id", "killed-learner", "--state-dir", work.resolve("streams").toString(),
                "--evaluation-interval", "0", "--kafka-property", "commit.interval.ms=200", "--stop-at-end",
                "--export", export.toString()));
        command.addAll(MODEL);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("learner.log").toFile()).start();
    }

    @Test
    @DisplayName("SIGKILL three times mid-run: final weights bitwise equal, every summary step exactly once")
    void survivesSigkill() throws Exception {
        Topics topics = new Topics("eos.");
        try (TopicAdmin admin = new TopicAdmin(client())) {
            admin.createAll(topics, (short) 1);
        }
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        new SampleProducer(client()).produce(topics.train(), train,
                new ProduceOptions(SAMPLES, false, 0, 1, 0, 0), sent -> { });

        Map<Long, Integer> stepCounts = new LinkedHashMap<>();
        SummaryConsumer monitor = new SummaryConsumer(client(), topics.monitor(), true);
        Thread monitorThread = new Thread(() -> monitor.run(summary -> {
            synchronized (stepCounts) {
                stepCounts.merge(summary.getLastStep(), 1, Integer::sum);
            }
        }));
        monitorThread.start();

        Path export = work.resolve("killed.npz");
        Random random = new Random(2026);
        int kills = 0;
        long progressBeforeLastRun = 0;
        while (kills < 3) {
            Process process = learner(topics, export);
            long seenBefore = maxStep(stepCounts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (process.isAlive() && maxStep(stepCounts) <= seenBefore && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(process.isAlive(), "the learner finished before it could be killed; see learner.log");
            Thread.sleep(random.nextInt(400));
            process.destroyForcibly().waitFor();
            kills++;
            progressBeforeLastRun = maxStep(stepCounts);
        }
        assertTrue(progressBeforeLastRun > 0 && progressBeforeLastRun < SAMPLES, "killed mid-run, at step "
                + progressBeforeLastRun);
        Process last = learner(topics, export);
        assertTrue(last.waitFor(5, TimeUnit.MINUTES), "the last run did not finish");
        assertEquals(0, last.exitValue(), () -> "learner failed: " + read(work.resolve("learner.log")));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (maxStep(stepCounts) < SAMPLES && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        monitor.stop();
        monitorThread.join();
        monitor.close();
        List<Long> expected = new ArrayList<>();
        for (long step = 100; step <= SAMPLES; step += 100) {
            expected.add(step);
        }
        assertEquals(expected, new ArrayList<>(stepCounts.keySet()), "every summary step, in order");
        assertTrue(stepCounts.values().stream().allMatch(count -> count == 1), "each exactly once: " + stepCounts);

        OnlineTrainer uninterrupted = new OnlineTrainer(ModelConfig.preset("M4").optimizer("adam")
                .learningRate(0.001).build());
        for (int i = 0; i < SAMPLES; i++) {
            uninterrupted.step(train.image(i), train.labels()[i]);
        }
        Path reference = work.resolve("uninterrupted.npz");
        Npz.export(uninterrupted.network(), reference);
        Map<String, float[]> killed = Npz.read(export, new LinkedHashMap<>());
        Map<String, float[]> expectedWeights = Npz.read(reference, new LinkedHashMap<>());
        assertEquals(expectedWeights.keySet(), killed.keySet());
        for (String name : expectedWeights.keySet()) {
            assertArrayEquals(expectedWeights.get(name), killed.get(name), name + " differs bitwise");
        }
    }

    private static long maxStep(Map<Long, Integer> stepCounts) {
        synchronized (stepCounts) {
            return stepCounts.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (java.io.IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
