package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.AveragingRound;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.CheckpointReader;
import dev.streamlearn.model.AveragingSchedule;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelAverage;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code learn --partitioning averaged} on a 2-partition training topic of a real broker: the model is the one the
 * averaging schedule gives on each partition's records, bit for bit, with one learner holding both partitions, and
 * with two learner processes, one of them SIGKILLed mid-run and restarted.
 */
class AveragedLearnerIntegrationTest {
    private static final int SAMPLES = 60_000;
    private static final int EVERY = 250;
    private static final List<String> MODEL = List.of("--model", "M2", "--optimizer", "adam", "--lr", "0.001");
    private static final ModelConfig CONFIG = ModelConfig.preset("M2").optimizer(OptimizerSpec.of("adam", Map.of()))
            .learningRate(0.001).build();

    @TempDir
    static Path work;
    private static Broker broker;
    private static Topics topics;
    /** The model after each round, as the schedule gives it on each partition's records; index 0 = round 1. */
    private static List<Expected> rounds;

    private record Expected(OnlineTrainer model, double[] divergence) {
    }

    @BeforeAll
    static void produce() throws Exception {
        broker = new Broker(work.resolve("kafka"));
        Files.writeString(work.resolve("empty.properties"), "");
        topics = new Topics("avg.");
        try (Admin admin = Admin.create(broker.client());
             TopicAdmin topicAdmin = new TopicAdmin(broker.client())) {
            admin.createTopics(List.of(new NewTopic(topics.train().name(), 2, (short) 1))).all().get();
            topicAdmin.createAll(topics, (short) 1);
        }
        new SampleProducer(broker.client()).produce(topics.train(), EndToEndScenario.mnist(Mnist.Split.TRAIN),
                new ProduceOptions(SAMPLES, false, 0, 1, 0, 0), sent -> { });
        rounds = expectedRounds();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** Local SGD by hand: each partition's replica trains EVERY records, then all take the average, as long as both can. */
    private static List<Expected> expectedRounds() {
        List<List<Sample>> partitions = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            List<Sample> samples = new ArrayList<>();
            PartitionReader.read(broker.client(), topics.train().name(), partition, new ByteArrayDeserializer(),
                    topics.train().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                    (ConsumerRecord<byte[], Sample> record) -> samples.add(record.value()));
            partitions.add(samples);
        }
        AveragingSchedule schedule = new AveragingSchedule(EVERY);
        long complete = Math.min(schedule.roundsIn(partitions.get(0).size()), schedule.roundsIn(partitions.get(1).size()));
        List<OnlineTrainer> replicas = List.of(new OnlineTrainer(CONFIG), new OnlineTrainer(CONFIG));
        List<Expected> expected = new ArrayList<>();
        for (int round = 0; round < complete; round++) {
            for (int p = 0; p < 2; p++) {
                for (Sample sample : partitions.get(p).subList(round * EVERY, (round + 1) * EVERY)) {
                    replicas.get(p).step(sample.getPixels().array(), sample.getLabel());
                }
            }
            ModelAverage average = ModelAverage.of(replicas);
            replicas.forEach(average::applyTo);
            OnlineTrainer copy = new OnlineTrainer(CONFIG);
            average.applyTo(copy);
            expected.add(new Expected(copy, average.divergence()));
        }
        assertTrue(expected.size() >= 10, "rounds: " + expected.size());
        return expected;
    }

    @Test
    @DisplayName("one learner holding both partitions: its export and every round's model version are the schedule's "
            + "average of that round, bit for bit, and each partition's summaries report the round and the divergence")
    void oneInstance() throws Exception {
        Path export = work.resolve("one.npz");
        int exit = StreamlearnCommand.commandLine().execute(command("avg-one", "one", "--stop-at-end",
                "--export", export.toString()).toArray(String[]::new));
        assertEquals(0, exit);
        OnlineTrainer exported = new OnlineTrainer(CONFIG);
        Npz.load(exported.network(), export);
        BitwiseAssertions.assertSameTensors(BitwiseAssertions.parameters(rounds.get(rounds.size() - 1).model()),
                BitwiseAssertions.parameters(exported), "export");
        assertVersionsAreTheRounds("avg-one");

        Map<Integer, Long> lastRoundOf = new HashMap<>();
        PartitionReader.read(broker.client(), topics.monitor().name(), topics.monitor().keySerde().deserializer(),
                topics.monitor().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                (ConsumerRecord<Long, TrainingSummary> record) -> {
                    TrainingSummary summary = record.value();
                    if (!summary.getApplicationId().toString().equals("avg-one") || summary.getAveraging() == null) {
                        return;
                    }
                    AveragingRound round = summary.getAveraging();
                    double[] expected = rounds.get((int) round.getRound() - 1).divergence();
                    assertEquals(List.of(expected[0], expected[1]), round.getDivergence(), "round " + round.getRound());
                    assertEquals(EVERY, round.getEveryRecords());
                    lastRoundOf.merge(summary.getInputPartition(), round.getRound(), Math::max);
                });
        assertEquals(2, lastRoundOf.size(), "summaries of both partitions report rounds: " + lastRoundOf);
        lastRoundOf.values().forEach(round -> assertTrue(round >= rounds.size() - 1, "last round " + round));
    }

    @Test
    @DisplayName("two learner processes, one SIGKILLed mid-run and restarted: every round's model version is still the "
            + "schedule's average, bit for bit, up to the last round")
    void twoInstancesOneKilled() throws Exception {
        Process first = learner("avg-two", "first");
        Process second = learner("avg-two", "second");
        try {
            Groups.awaitOnePartitionEach(broker, "avg-two");
            awaitRound("avg-two", 2, second);
            second.destroyForcibly().waitFor();
            long roundAtKill = lastVersionRound("avg-two");
            System.out.println("second learner killed after round " + roundAtKill + " of " + rounds.size());
            assertTrue(roundAtKill < rounds.size(), "killed at round " + roundAtKill + " of " + rounds.size());
            second = learner("avg-two", "second");
            awaitRound("avg-two", rounds.size(), second);
            assertTrue(first.isAlive(), "the first learner keeps running: " + Files.readString(log("first")));
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertVersionsAreTheRounds("avg-two");
    }

    /** Each model version of a learner is the schedule's average of its round, and every round has one. */
    private static void assertVersionsAreTheRounds(String learner) {
        Map<Long, Checkpoint> versions = new HashMap<>();
        PartitionReader.read(broker.client(), topics.models().name(), topics.models().keySerde().deserializer(),
                topics.models().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                (ConsumerRecord<String, Checkpoint> version) -> {
                    if (version.key().equals(learner)) {
                        assertNotNull(version.value().getAveraging(), "a version names its round");
                        Checkpoint before = versions.put(version.value().getAveraging().getRound(), version.value());
                        assertEquals(null, before, "one version per round");
                    }
                });
        assertEquals(rounds.size(), versions.size(), "versions of rounds " + versions.keySet());
        for (int round = 1; round <= rounds.size(); round++) {
            OnlineTrainer expected = rounds.get(round - 1).model();
            OnlineTrainer version = CheckpointReader.restore(versions.get((long) round));
            BitwiseAssertions.assertSameTensors(BitwiseAssertions.parameters(expected),
                    BitwiseAssertions.parameters(version), learner + " round " + round + " parameter");
            BitwiseAssertions.assertSameTensors(expected.optimiser().saveState(), version.optimiser().saveState(),
                    learner + " round " + round + " optimiser state");
        }
    }

    private static List<String> command(String applicationId, String instance, String... extra) {
        List<String> command = new ArrayList<>(List.of("learn", "--bootstrap-servers", broker.bootstrapServers(),
                "--topic-prefix", topics.prefix(), "--config", work.resolve("empty.properties").toString(),
                "--partitioning", "averaged", "--average-every", String.valueOf(EVERY),
                "--application-id", applicationId, "--evaluation-interval", "0", "--checkpoint-interval", "0",
                "--state-dir", work.resolve("streams-" + instance).toString(),
                "--kafka-property", "client.id=" + instance));
        command.addAll(MODEL);
        command.addAll(List.of(extra));
        return command;
    }

    private static Process learner(String applicationId, String instance) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), StreamlearnCommand.class.getName()));
        command.addAll(command(applicationId, instance));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                ProcessBuilder.Redirect.appendTo(log(instance).toFile())).start();
    }

    private static Path log(String instance) {
        return work.resolve(instance + ".log");
    }

    private static long lastVersionRound(String learner) {
        long[] last = {0};
        PartitionReader.read(broker.client(), topics.models().name(), topics.models().keySerde().deserializer(),
                topics.models().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                (ConsumerRecord<String, Checkpoint> version) -> {
                    if (version.key().equals(learner)) {
                        last[0] = Math.max(last[0], version.value().getAveraging().getRound());
                    }
                });
        return last[0];
    }

    private static void awaitRound(String learner, long round, Process watched) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (lastVersionRound(learner) < round && System.nanoTime() < deadline && watched.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(lastVersionRound(learner) >= round, "round " + round + " not reached: "
                + Files.readString(log("first")) + Files.readString(log("second")));
    }
}
