package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner training while two {@code serve} processes predict a 2-partition features topic; one is SIGKILLed half
 * way and the other takes its partition.
 */
class StreamingServeIntegrationTest {
    private static final int CHUNKS = 8;
    private static final int CHUNK = 400;
    private static final String FEATURES = "stream.features";
    private static final String PREDICTIONS = "stream.predictions";

    @TempDir
    Path work;

    @Test
    @DisplayName("two serve instances on a 2-partition topic, one SIGKILLed: every record predicted exactly once "
            + "(bad ones dead-lettered once), versions never going back within a partition, HTTP answering from the "
            + "live model")
    void twoInstancesOneKilled() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            Topics topics = new Topics("stream.");
            try (TopicAdmin admin = new TopicAdmin(broker.client());
                 Admin raw = Admin.create(broker.client())) {
                admin.createAll(topics, (short) 1);
                raw.createTopics(List.of(new NewTopic(FEATURES, 2, (short) 1))).all().get();
            }
            LearnerConfig config = LearnerConfig.builder("stream-learner", topics, ModelConfig.preset("M2").build())
                    .evaluationInterval(0).publishInterval(Duration.ofMillis(100)).build();
            SampleProducer trainingProducer = new SampleProducer(broker.client());
            Set<String> badRecords = new HashSet<>();
            int good = 0;
            try (Learner learner = new Learner(broker.client(), config, work.resolve("streams"));
                 KafkaProducer<byte[], byte[]> features = new KafkaProducer<>(broker.client(),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                learner.start();
                trainingProducer.produce(topics.train(), train, new ProduceOptions(CHUNK, false, 0, 1, 0, 0),
                        sent -> { });
                Process first = serve(broker, "first", "--http", "127.0.0.1:0");
                Process second = serve(broker, "second");
                try {
                    URI http = awaitUri(first, "first");
                    Groups.awaitOnePartitionEach(broker, "streamlearn-serve-" + PREDICTIONS);
                    HttpClient client = HttpClient.newHttpClient();
                    List<Long> httpSteps = new ArrayList<>();
                    for (int chunk = 0; chunk < CHUNKS; chunk++) {
                        if (chunk == CHUNKS / 2) {
                            awaitPredictions(broker, good);
                            second.destroyForcibly().waitFor();
                        }
                        trainingProducer.produce(topics.train(), train, new ProduceOptions((chunk + 2) * CHUNK, false,
                                0, 1, 0, (chunk + 1) * CHUNK), sent -> { });
                        for (int i = chunk * CHUNK; i < (chunk + 1) * CHUNK; i++) {
                            byte[] key = Serdes.Long().serializer().serialize(FEATURES, (long) i);
                            byte[] value = i % 101 == 50 ? ("not a sample " + i).getBytes()
                                    : Topics.SAMPLE_SERDE.encode(sample(train, 30_000 + i));
                            var metadata = features.send(new ProducerRecord<>(FEATURES, key, value)).get();
                            if (i % 101 == 50) {
                                badRecords.add(metadata.partition() + "/" + metadata.offset());
                            } else {
                                good++;
                            }
                        }
                        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(http.resolve("/predict"))
                                .POST(HttpRequest.BodyPublishers.ofString(ServeIntegrationTest.image(train, 0))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, answer.statusCode(), answer.body());
                        httpSteps.add(new ObjectMapper().readTree(answer.body()).get("step").asLong());
                        Thread.sleep(300);
                    }
                    List<ConsumerRecord<byte[], Prediction>> predictions = awaitPredictions(broker, good);
                    Map<String, Integer> seen = new HashMap<>();
                    Map<Integer, Long> lastStep = new HashMap<>();
                    Set<Long> versions = new HashSet<>();
                    for (ConsumerRecord<byte[], Prediction> record : predictions) {
                        Prediction prediction = record.value();
                        seen.merge(prediction.getPartition() + "/" + prediction.getOffset(), 1, Integer::sum);
                        assertEquals(record.partition(), prediction.getPartition(), "keyed as the input");
                        long previous = lastStep.getOrDefault(prediction.getPartition(), 0L);
                        assertTrue(prediction.getModelStep() >= previous, "partition " + prediction.getPartition()
                                + " went back from step " + previous + " to " + prediction.getModelStep());
                        lastStep.put(prediction.getPartition(), prediction.getModelStep());
                        versions.add(prediction.getModelStep());
                        assertEquals("stream-learner", prediction.getLearner());
                    }
                    assertEquals(good, predictions.size(), "one prediction per good record");
                    assertEquals(good, seen.size(), "no record predicted twice");
                    assertTrue(versions.size() > 1, "the learner's versions moved on while serving: " + versions);
                    List<ConsumerRecord<Long, DeadLetter>> letters = TopicRecords.await(broker.client(),
                            Topics.deadLetters(PREDICTIONS + ".dlq"), badRecords.size(), Duration.ofSeconds(30),
                            Duration.ofSeconds(1));
                    Set<String> lettered = new HashSet<>();
                    letters.forEach(letter -> lettered.add(letter.value().getPartition() + "/"
                            + letter.value().getOffset()));
                    assertEquals(badRecords.size(), letters.size(), "each bad record dead-lettered once");
                    assertEquals(badRecords, lettered);
                    for (int i = 1; i < httpSteps.size(); i++) {
                        assertTrue(httpSteps.get(i) >= httpSteps.get(i - 1), "HTTP versions: " + httpSteps);
                    }
                    assertTrue(httpSteps.get(httpSteps.size() - 1) > httpSteps.get(0), "HTTP versions: " + httpSteps);
                    assertTrue(first.isAlive(), () -> read("first"));
                } finally {
                    first.destroy();
                    second.destroyForcibly();
                    first.waitFor();
                }
            }
        }
    }

    private List<ConsumerRecord<byte[], Prediction>> awaitPredictions(Broker broker, int good) {
        return TopicRecords.await(broker.client(), Topics.predictions(PREDICTIONS), good, Duration.ofSeconds(90),
                Duration.ofSeconds(1));
    }

    private Process serve(Broker broker, String instance, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), StreamlearnCommand.class.getName(), "serve",
                "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", "stream.",
                "--from-topic", FEATURES, "--to-topic", PREDICTIONS, "--model-of", "stream-learner",
                "--kafka-property", "client.id=" + instance));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve(instance + ".log")
                .toFile()).start();
    }

    /** The address the instance printed it answers at. */
    private URI awaitUri(Process process, String instance) throws Exception {
        Pattern at = Pattern.compile("at (http://\\S+)predict");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            Matcher matcher = at.matcher(read(instance));
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve did not say where it answers: " + read(instance));
    }

    private String read(String instance) {
        try {
            return Files.readString(work.resolve(instance + ".log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static Sample sample(Mnist mnist, int index) {
        return Sample.newBuilder().setId(index).setLabel(mnist.labels()[index]).setRows(28).setCols(28)
                .setPixels(ByteBuffer.wrap(mnist.image(index))).setDataset("mnist-train").setEpoch(0)
                .setProducedAt(Instant.EPOCH).build();
    }
}
