package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.InputFormat;
import dev.streamlearn.model.FloatTensor;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import dev.streamlearn.serving.InferenceConfig;
import dev.streamlearn.serving.ModelFollower;
import dev.streamlearn.serving.PredictionServer;
import dev.streamlearn.serving.StreamingInference;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code learn --partitioning per-partition} on a 2-partition training topic of a real broker. */
class PartitionedLearnerIntegrationTest {
    private static final int SAMPLES = 4_000;

    @TempDir
    Path work;

    @Test
    @DisplayName("one model per partition: each export, each last model version and each partition's summaries are "
            + "those of a model trained on that partition's records alone, bit for bit; serve answers each record, "
            + "streamed or over HTTP by its key, with its partition's model")
    void oneModelPerPartition() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            Topics topics = new Topics("pp.");
            try (Admin admin = Admin.create(broker.client());
                 TopicAdmin topicAdmin = new TopicAdmin(broker.client())) {
                admin.createTopics(List.of(new NewTopic(topics.train().name(), 2, (short) 1))).all().get();
                topicAdmin.createAll(topics, (short) 1);
            }
            new SampleProducer(broker.client()).produce(topics.train(), train,
                    new ProduceOptions(SAMPLES, false, 0, 1, 0, 0), sent -> { });
            Path export = work.resolve("m.npz");
            int exit = StreamlearnCommand.commandLine().execute("learn", "--bootstrap-servers",
                    broker.bootstrapServers(), "--topic-prefix", "pp.", "--config", work.resolve("none").toString(),
                    "--model", "M2", "--partitioning", "per-partition", "--application-id", "pp-learner",
                    "--evaluation-interval", "0", "--state-dir", work.resolve("streams").toString(), "--stop-at-end",
                    "--export", export.toString());
            assertEquals(0, exit);

            Map<String, Long> lastVersions = new HashMap<>();
            PartitionReader.read(broker.client(), topics.models().name(), topics.models().keySerde().deserializer(),
                    topics.models().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                    (ConsumerRecord<String, Checkpoint> version) -> lastVersions.put(version.key(),
                            version.value().getStep()));
            Map<Integer, Long> lastSummaryStep = new HashMap<>();
            PartitionReader.read(broker.client(), topics.monitor().name(), topics.monitor().keySerde().deserializer(),
                    topics.monitor().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                    (ConsumerRecord<Long, TrainingSummary> summary) -> lastSummaryStep.merge(
                            summary.value().getInputPartition(), summary.value().getLastStep(), Math::max));
            long total = 0;
            Map<Integer, Long> stepsOf = new HashMap<>();
            for (int partition = 0; partition < 2; partition++) {
                OnlineTrainer reference = new OnlineTrainer(ModelConfig.preset("M2").build());
                PartitionReader.read(broker.client(), topics.train().name(), partition, new ByteArrayDeserializer(),
                        topics.train().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                        (ConsumerRecord<byte[], Sample> record) -> reference.step(record.value().getPixels().array(),
                                record.value().getLabel()));
                long steps = reference.updates();
                stepsOf.put(partition, steps);
                total += steps;
                assertTrue(steps > SAMPLES / 4, "partition " + partition + " holds " + steps + " samples");
                OnlineTrainer exported = new OnlineTrainer(ModelConfig.preset("M2").build());
                Npz.load(exported.network(), work.resolve("m-p" + partition + ".npz"));
                List<FloatTensor> expected = reference.network().parameters();
                for (int t = 0; t < expected.size(); t++) {
                    assertArrayEquals(expected.get(t).toArray(), exported.network().parameters().get(t).toArray(),
                            "partition " + partition + ", tensor " + t);
                }
                assertEquals(steps, lastVersions.get("pp-learner/p" + partition), "last version of " + partition);
                assertEquals(steps - steps % 100, lastSummaryStep.get(partition), "summaries of " + partition);
            }
            assertEquals(SAMPLES, total);
            assertEquals(2, lastVersions.size(), "one key per partition's model: " + lastVersions.keySet());
            servesEachKeyWithItsPartitionsModel(broker, topics, train, stepsOf);
        }
    }

    /**
     * serve follows both models: streaming inference over the training topic answers each record with its own
     * partition's model, and an HTTP request with a record's key gets the same model.
     */
    private void servesEachKeyWithItsPartitionsModel(Broker broker, Topics topics, Mnist train,
                                                     Map<Integer, Long> stepsOf) throws Exception {
        InferenceConfig inference = new InferenceConfig("pp-serve", topics.train().name(), InputFormat.AVRO,
                "pp.predictions", "pp.predictions.dlq", 1);
        try (TopicAdmin admin = new TopicAdmin(broker.client())) {
            admin.createIfMissing(inference.predictionsTopic(), 2, (short) 1);
            admin.createIfMissing(inference.deadLetterTopic(), 2, (short) 1);
        }
        try (ModelFollower follower = new ModelFollower(broker.client(), topics.models(), "pp-learner", -1, 2)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!follower.ready() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(follower.ready(), "both partitions' versions arrive");
            try (StreamingInference streaming = new StreamingInference(broker.client(), inference, follower);
                 PredictionServer server = PredictionServer.start(new InetSocketAddress("127.0.0.1", 0), follower)) {
                streaming.start();
                List<ConsumerRecord<byte[], Prediction>> predictions = TopicRecords.await(broker.client(),
                        Topics.predictions(inference.predictionsTopic()), SAMPLES, Duration.ofSeconds(60),
                        Duration.ZERO);
                assertEquals(SAMPLES, predictions.size());
                for (ConsumerRecord<byte[], Prediction> record : predictions) {
                    int partition = record.value().getPartition();
                    assertEquals("pp-learner/p" + partition, record.value().getLearner());
                    assertEquals(stepsOf.get(partition), record.value().getModelStep());
                }
                HttpClient http = HttpClient.newHttpClient();
                for (long id = 0; id < 20; id++) {
                    String body = ServeIntegrationTest.image(train, (int) id).replace("{", "{\"key\": " + id + ", ");
                    JsonNode answer = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                                    server.uri().resolve("/predict")).POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.ofString()).body());
                    int partition = BuiltInPartitioner.partitionForKey(
                            Serdes.Long().serializer().serialize("", id), 2);
                    assertEquals(stepsOf.get(partition), answer.get("step").asLong(), "key " + id + ": " + answer);
                }
            }
        }
    }

    @Test
    @DisplayName("two learner processes with a standby replica each, one model per partition: SIGKILL one mid-run, the "
            + "other takes its partition over from its standby store and both partitions' models end bit for bit those "
            + "of uninterrupted training")
    void standbyTakesOverAPartition() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        List<String> model = List.of("--model", "M4", "--optimizer", "adam", "--lr", "0.001");
        ModelConfig config = ModelConfig.preset("M4").optimizer(OptimizerSpec.of("adam", Map.of()))
                .learningRate(0.001).build();
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            Topics topics = new Topics("ppsb.");
            try (TopicAdmin admin = new TopicAdmin(broker.client())) {
                admin.createAll(topics, (short) 1, 2);
            }
            new SampleProducer(broker.client()).produce(topics.train(), train,
                    new ProduceOptions(0, false, 0, 1, 0, 0), sent -> { });
            Files.writeString(work.resolve("empty.properties"), "");
            Map<String, Process> learners = new LinkedHashMap<>();
            try {
                for (String instance : List.of("learner-a", "learner-b")) {
                    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                                    "java").toString(), "-cp", System.getProperty("java.class.path"),
                            StreamlearnCommand.class.getName(), "learn", "--bootstrap-servers",
                            broker.bootstrapServers(), "--topic-prefix", topics.prefix(), "--config",
                            work.resolve("empty.properties").toString(), "--partitioning", "per-partition",
                            "--application-id", "ppsb-learner", "--evaluation-interval", "0",
                            "--state-dir", work.resolve("streams-" + instance).toString(), "--stop-at-end",
                            "--export", work.resolve(instance + ".npz").toString(),
                            "--kafka-property", "num.standby.replicas=1", "--kafka-property", "client.id=" + instance));
                    command.addAll(model);
                    learners.put(instance, new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(work.resolve(instance + ".log").toFile()).start());
                }
                Groups.awaitOnePartitionEach(broker, "ppsb-learner");
                long killedAt;
                try (TopicAdmin admin = new TopicAdmin(broker.client())) {
                    // Both models have trained and snapshotted (every 10,000 records) before the kill, so the
                    // survivor's standby store holds a model to take over.
                    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                    while (System.nanoTime() < deadline && (admin.committedOffset("ppsb-learner",
                            topics.train().name(), 0).orElse(0) < 12_000 || admin.committedOffset("ppsb-learner",
                            topics.train().name(), 1).orElse(0) < 12_000)) {
                        Thread.sleep(100);
                    }
                    learners.get("learner-b").destroyForcibly().waitFor();
                    killedAt = admin.committedOffset("ppsb-learner", topics.train().name(), 0).orElse(0)
                            + admin.committedOffset("ppsb-learner", topics.train().name(), 1).orElse(0);
                }
                assertTrue(killedAt < train.count(), "killed mid-run, " + killedAt + " records committed");
                Process survivor = learners.get("learner-a");
                assertTrue(survivor.waitFor(5, TimeUnit.MINUTES), "the survivor did not finish");
                assertEquals(0, survivor.exitValue(), () -> "the survivor failed: " + read(work.resolve("learner-a.log")));
            } finally {
                learners.values().forEach(Process::destroyForcibly);
            }
            for (int partition = 0; partition < 2; partition++) {
                OnlineTrainer reference = new OnlineTrainer(config);
                PartitionReader.read(broker.client(), topics.train().name(), partition, new ByteArrayDeserializer(),
                        topics.train().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                        (ConsumerRecord<byte[], Sample> record) -> reference.step(record.value().getPixels().array(),
                                record.value().getLabel()));
                OnlineTrainer exported = new OnlineTrainer(config);
                Npz.load(exported.network(), work.resolve("learner-a-p" + partition + ".npz"));
                List<FloatTensor> expected = reference.network().parameters();
                for (int t = 0; t < expected.size(); t++) {
                    assertArrayEquals(expected.get(t).toArray(), exported.network().parameters().get(t).toArray(),
                            "partition " + partition + ", tensor " + t);
                }
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
