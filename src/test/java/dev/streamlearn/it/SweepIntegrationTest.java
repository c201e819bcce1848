package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.monitor.SummaryTail;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sweeps on a real broker: {@code learn --sweep} as a child process SIGKILLed mid-run and restarted, and {@code run
 * --sweep} with its report.
 */
class SweepIntegrationTest {
    private static final int SAMPLES = 20_000;
    private static final List<String> RATES = List.of("0.05", "0.01");
    private static final List<String> OPTIMISERS = List.of("sgd", "momentum");

    @TempDir
    Path work;

    @Test
    @DisplayName("a sweep of four variants SIGKILLed mid-run and restarted: every variant's export is bitwise a model "
            + "trained alone with its settings on the same records, and each variant's summaries come once each")
    void sweepSurvivesSigkill() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            Topics topics = new Topics("sweep.");
            try (TopicAdmin admin = new TopicAdmin(broker.client())) {
                admin.createAll(topics, (short) 1);
            }
            new SampleProducer(broker.client()).produce(topics.train(), train,
                    new ProduceOptions(SAMPLES, false, 0, 1, 0, 0), sent -> { });
            Files.writeString(work.resolve("empty.properties"), "");
            Map<String, List<Long>> stepsOf = new HashMap<>();
            try (SummaryTail tail = SummaryTail.follow(broker.client(), topics.monitor(), summary -> {
                synchronized (stepsOf) {
                    stepsOf.computeIfAbsent(summary.getApplicationId().toString(), id -> new ArrayList<>())
                            .add(summary.getLastStep());
                }
            })) {
                Process first = learner(broker);
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (tail.lastStep() < 2_000 && first.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                first.destroyForcibly().waitFor();
                long killedAt = tail.lastStep();
                assertTrue(killedAt >= 2_000 && killedAt < SAMPLES, "killed mid-run, at step " + killedAt);
                Process second = learner(broker);
                assertTrue(second.waitFor(5, TimeUnit.MINUTES), "the restarted learner did not finish");
                assertEquals(0, second.exitValue(), () -> read(work.resolve("learner.log")));
                assertTrue(tail.awaitStep(SAMPLES, RATES.size() * OPTIMISERS.size(), Duration.ofSeconds(30)));
            }
            List<Sample> samples = new ArrayList<>();
            PartitionReader.read(broker.client(), topics.train().name(), 0, new ByteArrayDeserializer(),
                    topics.train().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                    (ConsumerRecord<byte[], Sample> record) -> samples.add(record.value()));
            for (String rate : RATES) {
                for (String optimiser : OPTIMISERS) {
                    String name = "lr=" + rate + ",optimizer=" + optimiser;
                    OnlineTrainer alone = new OnlineTrainer(ModelConfig.preset("M2")
                            .learningRate(Double.parseDouble(rate)).optimizer(OptimizerSpec.of(optimiser, Map.of()))
                            .build());
                    samples.forEach(sample -> alone.step(sample.getPixels().array(), sample.getLabel()));
                    assertExported(alone, work.resolve("sweep-" + name + ".npz"), name);
                    List<Long> steps = stepsOf.get("sweep-learner/" + name);
                    List<Long> once = new ArrayList<>();
                    for (long step = 100; step <= SAMPLES; step += 100) {
                        once.add(step);
                    }
                    assertEquals(once, steps, name + ": every summary once, in order");
                }
            }
            assertEquals(4, stepsOf.size(), "summaries of four variants: " + stepsOf.keySet());
        }
    }

    @Test
    @DisplayName("run --sweep: each variant exported bitwise as trained alone on the same records, and the report's "
            + "leaderboard holds every variant's steps, prequential and held-out accuracy, best first")
    void runSweepReportsALeaderboard() throws Exception {
        int samples = 3_000;
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        Mnist test = EndToEndScenario.mnist(Mnist.Split.TEST);
        Path report = work.resolve("report.json");
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            String[] args = {"run", "--bootstrap-servers", broker.bootstrapServers(), "--model", "M2", "--sweep",
                    "lr=" + String.join(",", RATES), "--train-samples", String.valueOf(samples), "--http", "off",
                    "--print-every", "0", "--state-dir", work.resolve("streams").toString(), "--report",
                    report.toString(), "--export", work.resolve("run.npz").toString()};
            assertEquals(0, StreamlearnCommand.commandLine(args).execute(args));
        }
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals(samples, json.get("trainSamples").asLong());
        assertEquals(test.count(), json.get("testSamples").asLong());
        JsonNode rows = json.get("leaderboard");
        assertEquals(RATES.size(), rows.size(), rows::toString);
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode row : rows) {
            String name = row.get("variant").asText();
            OnlineTrainer alone = new OnlineTrainer(ModelConfig.preset("M2")
                    .learningRate(Double.parseDouble(name.substring("lr=".length()))).build());
            byte[] image = new byte[train.pixelsPerImage()];
            for (int i = 0; i < samples; i++) {
                System.arraycopy(train.pixels(), i * image.length, image, 0, image.length);
                alone.step(image, train.labels()[i]);
            }
            assertExported(alone, work.resolve("run-" + name + ".npz"), name);
            assertEquals(samples, row.get("steps").asLong(), name);
            double accuracy = row.get("accuracy").asDouble();
            assertEquals(alone.window().cumulativeAccuracy(), accuracy, 1e-12, name + ": prequential accuracy");
            assertEquals(alone.window().cumulativeLossMean(), row.get("loss").asDouble(), 1e-12,
                    name + ": prequential loss");
            assertEquals(new BatchEvaluator(alone.network(), 1000).accuracy(test.pixels(), test.labels()),
                    row.get("testAccuracy").asDouble(), 1e-12, name + ": held-out accuracy");
            assertTrue(row.get("windowAccuracy").asDouble() > 0, name + ": the last window's accuracy");
            assertTrue(accuracy <= previous, "best first: " + rows);
            previous = accuracy;
        }
    }

    /** The export at file holds the parameters of the model trained alone, bit for bit. */
    private static void assertExported(OnlineTrainer alone, Path file, String name) throws IOException {
        OnlineTrainer exported = new OnlineTrainer(alone.config());
        Npz.load(exported.network(), file);
        BitwiseAssertions.assertSameTensors(BitwiseAssertions.parameters(alone),
                BitwiseAssertions.parameters(exported), name + " parameter");
    }

    private Process learner(Broker broker) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"), StreamlearnCommand.class.getName(),
                "learn", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", "sweep.", "--config",
                work.resolve("empty.properties").toString(), "--model", "M2", "--sweep", "lr=" + String.join(",", RATES),
                "--sweep", "optimizer=" + String.join(",", OPTIMISERS), "--application-id", "sweep-learner",
                "--evaluation-interval", "0", "--snapshot-interval", "3000", "--state-dir",
                work.resolve("streams").toString(), "--stop-at-end", "--export", work.resolve("sweep.npz").toString(),
                "--kafka-property", "commit.interval.ms=200"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("learner.log").toFile())).start();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
