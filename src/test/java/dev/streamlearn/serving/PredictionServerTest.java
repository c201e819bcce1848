package dev.streamlearn.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Objective;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.SeededRandom;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** POST /predict and GET /model on a version held in memory: answers, refusals with reasons, atomic swaps. */
class PredictionServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** An M2 model after some steps on random images, served as the given step. */
    private static ServedModel m2(long step, int steps) {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").build());
        SeededRandom random = new SeededRandom(step);
        byte[] image = new byte[784];
        for (int s = 0; s < steps; s++) {
            for (int i = 0; i < image.length; i++) {
                image[i] = (byte) random.uniform(0, 255);
            }
            trainer.step(image, s % 10);
        }
        return new ServedModel("learner-x", step, Instant.now(), trainer.network());
    }

    private static String pixels(int value) {
        StringBuilder text = new StringBuilder("{\"pixels\": [");
        for (int i = 0; i < 784; i++) {
            text.append(i == 0 ? "" : ",").append(i % 7 == 0 ? value : 0);
        }
        return text.append("]}").toString();
    }

    private static float[] scaled(int value) {
        float[] input = new float[784];
        for (int i = 0; i < 784; i += 7) {
            input[i] = value * (1f / 255f);
        }
        return input;
    }

    private HttpResponse<String> post(URI server, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.resolve("/predict")).POST(HttpRequest.BodyPublishers
                .ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("an image and an array of them are answered with the model's class, probabilities and step")
    void answers() throws Exception {
        ServedModel model = m2(7, 50);
        try (PredictionServer server = PredictionServer.start(new java.net.InetSocketAddress("127.0.0.1", 0), key -> Optional.of(model))) {
            JsonNode one = JSON.readTree(post(server.uri(), pixels(200)).body());
            float[] expected = model.answer(scaled(200));
            assertEquals(7, one.get("step").asLong());
            for (int c = 0; c < 10; c++) {
                assertEquals(expected[c], one.get("probabilities").get(c).floatValue());
            }
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = expected[c] > expected[best] ? c : best;
            }
            assertEquals(best, one.get("class").asInt());
            JsonNode two = JSON.readTree(post(server.uri(), "[" + pixels(200) + "," + pixels(30) + "]").body());
            assertEquals(2, two.size());
            assertEquals(one, two.get(0));
            JsonNode about = JSON.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/model")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("learner-x", about.get("learner").asText());
            assertEquals(7, about.get("step").asLong());
            assertEquals("M2", about.get("config").get("name").asText());
        }
    }

    @Test
    @DisplayName("a numeric head answers with its estimate")
    void numbers() throws Exception {
        OnlineTrainer trainer = new OnlineTrainer(ModelConfig.preset("M2").layers(List.of(2, 1)).loss(Objective.MSE)
                .outputScale(2).build());
        ServedModel model = new ServedModel("regression", 3, Instant.now(), trainer.network());
        try (PredictionServer server = PredictionServer.start(new java.net.InetSocketAddress("127.0.0.1", 0), key -> Optional.of(model))) {
            JsonNode answer = JSON.readTree(post(server.uri(), "{\"features\": [0.5, -1]}").body());
            assertEquals(model.answer(new float[] {0.5f, -1f})[0], answer.get("value").floatValue());
        }
    }

    @Test
    @DisplayName("malformed bodies, wrong sizes and bad values are 400 with the reason, oversize 413, no model 503")
    void refusals() throws Exception {
        ServedModel model = m2(1, 0);
        AtomicReference<ServedModel> served = new AtomicReference<>();
        try (PredictionServer server = PredictionServer.start(new java.net.InetSocketAddress("127.0.0.1", 0), key -> Optional.ofNullable(served.get()))) {
            HttpResponse<String> none = post(server.uri(), pixels(1));
            assertEquals(503, none.statusCode());
            served.set(model);
            assertRefused(server, "{\"features\": [1, 2, 3]}", 400, "the request has 3 features, the model takes 784");
            assertRefused(server, "{\"oops\": 1}", 400, "no \"features\" (or \"pixels\") array");
            assertRefused(server, "{\"key\": 1.5, \"features\": []}", 400, "key 1.5 is not a string or a whole number");
            assertRefused(server, "[1, 2]", 400, "each request is a JSON object with \"features\" or \"pixels\"");
            assertRefused(server, "{\"pixels\": [" + "300,".repeat(783) + "300]}", 400,
                    "pixel 0 is 300, expected 0 to 255");
            assertTrue(JSON.readTree(post(server.uri(), "{nope").body()).get("error").asText()
                    .startsWith("the body is not JSON"));
            assertEquals(413, post(server.uri(), "[" + " ".repeat(PredictionServer.MAX_BODY_BYTES) + "]")
                    .statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(server.uri().resolve("/predict")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    private void assertRefused(PredictionServer server, String body, int status, String reason) throws Exception {
        HttpResponse<String> response = post(server.uri(), body);
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(reason, JSON.readTree(response.body()).get("error").asText());
    }

    @Test
    @DisplayName("versions swapped while four clients ask: every answer is wholly one version's, with its step")
    void atomicSwap() throws Exception {
        ServedModel first = m2(1, 20);
        ServedModel second = m2(2, 200);
        float[] input = scaled(120);
        List<float[]> expected = List.of(first.answer(input), second.answer(input));
        AtomicReference<ServedModel> served = new AtomicReference<>(first);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        try (PredictionServer server = PredictionServer.start(new java.net.InetSocketAddress("127.0.0.1", 0), key -> Optional.of(served.get()))) {
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread client = new Thread(() -> {
                    try {
                        for (int r = 0; r < 100; r++) {
                            JsonNode answer = JSON.readTree(post(server.uri(), pixels(120)).body());
                            float[] wanted = expected.get((int) answer.get("step").asLong() - 1);
                            for (int k = 0; k < 10; k++) {
                                if (answer.get("probabilities").get(k).floatValue() != wanted[k]) {
                                    wrong.add(answer.toString());
                                }
                            }
                        }
                    } catch (Exception e) {
                        wrong.add(e.toString());
                    }
                });
                clients.add(client);
                client.start();
            }
            for (int swap = 0; clients.stream().anyMatch(Thread::isAlive); swap++) {
                served.set(swap % 2 == 0 ? second : first);
                Thread.sleep(1);
            }
        }
        assertEquals(List.of(), List.copyOf(wrong));
    }

    @Test
    @DisplayName("GET /model with one model per partition lists each partition's version, and ?key=K names the one "
            + "that answers K")
    void modelsOfPartitions() throws Exception {
        ServedModel first = m2(11, 5);
        ServedModel second = m2(22, 5);
        Versions partitions = new Versions() {
            @Override
            public Optional<ServedModel> forKey(byte[] key) {
                return key == null ? Optional.empty() : Optional.of(new String(key, StandardCharsets.UTF_8)
                        .equals("b") ? second : first);
            }

            @Override
            public Map<Integer, ServedModel> all() {
                return Map.of(0, first, 1, second);
            }
        };
        try (PredictionServer server = PredictionServer.start(new java.net.InetSocketAddress("127.0.0.1", 0),
                partitions)) {
            JsonNode all = JSON.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/model")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("learner-x", all.get("learner").asText());
            assertEquals(2, all.get("partitions").size());
            assertEquals(0, all.get("partitions").get(0).get("partition").asInt());
            assertEquals(11, all.get("partitions").get(0).get("step").asLong());
            assertEquals(22, all.get("partitions").get(1).get("step").asLong());
            JsonNode keyed = JSON.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/model?key=b"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(22, keyed.get("step").asLong());
        }
    }
}
