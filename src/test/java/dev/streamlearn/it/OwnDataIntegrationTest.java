package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.Objective;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own rows through the real broker and the learner, from the command line: a CSV file of classes as Avro
 * {@code Features}, and a JSON lines file of numbers as JSON objects read with {@code --input-format json}. Each
 * learner's export is bitwise the model of training on the same rows in the same order.
 */
class OwnDataIntegrationTest {
    private static final int ROWS = 3_000;

    @TempDir
    static Path work;

    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = new Broker(work.resolve("kafka"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static void streamlearn(String... args) {
        assertEquals(0, StreamlearnCommand.commandLine(args).execute(args), () -> String.join(" ", args));
    }

    private static float[][] rows(int width, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[][] rows = new float[ROWS][width];
        for (float[] row : rows) {
            for (int f = 0; f < width; f++) {
                row[f] = Math.round((float) random.uniform(-1, 1) * 1000) / 1000f;
            }
        }
        return rows;
    }

    private static void assertExportIs(OnlineTrainer expected, Path export) throws Exception {
        Path reference = work.resolve("expected-" + export.getFileName());
        Npz.export(expected.network(), reference);
        Map<String, float[]> wanted = Npz.read(reference, new LinkedHashMap<>());
        Map<String, float[]> exported = Npz.read(export, new LinkedHashMap<>());
        assertEquals(wanted.keySet(), exported.keySet());
        wanted.forEach((name, values) -> assertArrayEquals(values, exported.get(name), name + " differs bitwise"));
    }

    @Test
    @DisplayName("a CSV file of classes, produced as Features, trains the model of its rows bit for bit")
    void csvOfClasses() throws Exception {
        float[][] rows = rows(4, 11);
        StringBuilder csv = new StringBuilder("a,b,c,d,y\n");
        int[] labels = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            labels[r] = rows[r][0] + rows[r][1] - 0.5f * rows[r][2] > 0 ? 1 : 0;
            for (float value : rows[r]) {
                csv.append(value).append(',');
            }
            csv.append(labels[r]).append('\n');
        }
        Path file = work.resolve("rows.csv");
        Files.writeString(file, csv);
        String[] kafka = {"--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", "csv."};
        streamlearn(concat(new String[] {"produce", "--csv", file.toString(), "--label-column", "y"}, kafka));
        Path export = work.resolve("csv.npz");
        streamlearn(concat(new String[] {"learn", "--application-id", "csv-learner", "--layers", "4-2",
                "--evaluation-interval", "0", "--state-dir", work.resolve("csv-state").toString(), "--stop-at-end",
                "--export", export.toString()}, kafka));

        OnlineTrainer expected = new OnlineTrainer(ModelConfig.preset("M2").layers(List.of(4, 2)).build());
        for (int r = 0; r < ROWS; r++) {
            expected.step(rows[r], labels[r]);
        }
        assertExportIs(expected, export);
        assertTrue(expected.window().cumulativeAccuracy() > 0.9, "learned: " + expected.window().cumulativeAccuracy());
    }

    @Test
    @DisplayName("a JSON lines file of numbers, produced as JSON objects, trains a regression bit for bit; the report "
            + "counts the unlabelled and the dead-lettered records")
    void jsonOfNumbers() throws Exception {
        float[][] rows = rows(2, 12);
        StringBuilder jsonl = new StringBuilder();
        float[] targets = new float[ROWS];
        for (int r = 0; r < ROWS; r++) {
            targets[r] = (float) (2.0 * rows[r][0] - rows[r][1] + 0.5);
            jsonl.append(String.format(Locale.ROOT, "{\"features\": [%s, %s], \"target\": %s}%n", rows[r][0],
                    rows[r][1], targets[r]));
        }
        Path file = work.resolve("rows.jsonl");
        Files.writeString(file, jsonl);
        String[] kafka = {"--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", "json."};
        streamlearn(concat(new String[] {"produce", "--jsonl", file.toString(), "--format", "json"}, kafka));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.client(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String extra : List.of("{\"features\": [0.1, 0.2]}", "{\"features\": [0.3, 0.4]}",
                    "{\"features\": [1, 2, 3], \"target\": 1}", "not json")) {
                producer.send(new ProducerRecord<>("json.mnist.train", extra.getBytes(StandardCharsets.UTF_8)));
            }
        }
        Path export = work.resolve("json.npz");
        Path report = work.resolve("json-report.json");
        streamlearn(concat(new String[] {"learn", "--application-id", "json-learner", "--input-format", "json",
                "--layers", "2-1", "--loss", "mse", "--lr", "0.05", "--evaluation-interval", "0", "--state-dir",
                work.resolve("json-state").toString(), "--stop-at-end", "--export", export.toString(), "--report",
                report.toString()}, kafka));
        JsonNode written = new ObjectMapper().readTree(report.toFile());
        assertEquals(ROWS, written.get("trainSamples").asLong());
        assertEquals(2, written.get("unlabelled").asLong(), "the rows without a target");
        assertEquals(2, written.get("deadLetters").asLong(), "three features, and not JSON");
        assertTrue(written.get("prequentialMae").asDouble() < 0.2, written.toString());
        assertTrue(written.get("prequentialAccuracy") == null, "no accuracy for numbers");

        OnlineTrainer expected = new OnlineTrainer(ModelConfig.preset("M2").layers(List.of(2, 1))
                .loss(Objective.MSE).learningRate(0.05).build());
        for (int r = 0; r < ROWS; r++) {
            expected.step(rows[r], new float[] {(float) Double.parseDouble(Float.toString(targets[r]))});
        }
        assertExportIs(expected, export);
        assertArrayEquals(new float[] {2f, -1f}, expected.network().parameters().get(0).toArray(), 0.01f);
    }

    /**
     * Fisher's iris, as a user would have it (a CSV file, species as names), shuffled over 30 epochs. A linear model
     * separates setosa perfectly and the other two species all but a few rows: a per-sample logistic regression on
     * standardised measurements gets ~96% of them right once trained, which is what the learner's prequential
     * accuracy over its last 1,000 samples must reach.
     */
    @Test
    @DisplayName("iris streamed as CSV (species as names), 30 shuffled epochs: softmax regression with --standardise "
            + "reaches the accuracy a per-sample logistic regression reaches on it")
    void iris() throws Exception {
        Path csv = Iris.csv();
        String[] kafka = {"--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", "iris."};
        streamlearn(concat(new String[] {"produce", "--csv", csv.toString(), "--label-column", "species",
                "--shuffle", "--seed", "3", "--epochs", "30"}, kafka));
        Path report = work.resolve("iris-report.json");
        streamlearn(concat(new String[] {"learn", "--application-id", "iris-learner", "--layers", "4-3",
                "--standardise", "--lr", "0.05", "--evaluation-interval", "0", "--state-dir",
                work.resolve("iris-state").toString(), "--stop-at-end", "--report", report.toString()}, kafka));
        List<Double> windows = new java.util.ArrayList<>();
        dev.streamlearn.kafka.Topic<Long, dev.streamlearn.avro.TrainingSummary> monitor =
                new dev.streamlearn.kafka.Topics("iris.").monitor();
        dev.streamlearn.kafka.PartitionReader.read(broker.client(), monitor.name(), monitor.keySerde().deserializer(),
                monitor.valueSerde().deserializer(), -1, -1, java.time.Duration.ofMinutes(1),
                record -> windows.add(record.value().getAccuracyWindow()));
        assertEquals(45, windows.size(), "a summary per 100 of the 4,500 samples");
        double lastThousand = windows.subList(35, 45).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(lastThousand >= 0.95, "prequential accuracy over the last 1,000 samples: " + lastThousand);
        assertEquals(4_500, new ObjectMapper().readTree(report.toFile()).get("trainSamples").asLong());
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
