package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import dev.streamlearn.serving.ModelFollower;
import dev.streamlearn.serving.PredictionServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner publishing model versions through a real broker, a follower swapping them in, and HTTP answers from the
 * newest: the versions seen only move forward, and the last one answers exactly as the learner's own model does.
 */
class ServeIntegrationTest {
    private static final int SAMPLES = 6_000;

    @TempDir
    Path work;

    @Test
    @DisplayName("a learner's versions reach an HTTP client in order, the last answering as the learner's model")
    void servesTheLearnersVersions() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            Topics topics = new Topics("serve.");
            try (TopicAdmin admin = new TopicAdmin(broker.client())) {
                admin.createAll(topics, (short) 1);
            }
            SampleProducer producer = new SampleProducer(broker.client());
            producer.produce(topics.train(), train, new ProduceOptions(SAMPLES / 2, false, 0, 1, 0, 0), sent -> { });
            LearnerConfig config = LearnerConfig.builder("serve-learner", topics, ModelConfig.preset("M2").build())
                    .evaluationInterval(0).publishInterval(Duration.ofMillis(100)).build();
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            String image = image(train, 0);
            List<Long> steps = new ArrayList<>();
            try (ModelFollower follower = new ModelFollower(broker.client(), topics.models(), null, -1, 1);
                 PredictionServer server = PredictionServer.start(new java.net.InetSocketAddress("127.0.0.1", 0),
                         follower);
                 TopicAdmin admin = new TopicAdmin(broker.client());
                 Learner learner = new Learner(broker.client(), config, work.resolve("streams"))) {
                learner.start();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while ((steps.isEmpty() || steps.get(steps.size() - 1) < SAMPLES) && System.nanoTime() < deadline) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                            .POST(HttpRequest.BodyPublishers.ofString(image)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        steps.add(json.readTree(response.body()).get("step").asLong());
                        if (steps.get(steps.size() - 1) == SAMPLES / 2 && !steps.subList(0, steps.size() - 1)
                                .contains((long) SAMPLES / 2)) {
                            // The first half is served: the second half makes the next version.
                            producer.produce(topics.train(), train, new ProduceOptions(SAMPLES, false, 0, 1, 0,
                                    SAMPLES / 2), sent -> { });
                        }
                    }
                    Thread.sleep(10);
                }
                assertTrue(learner.awaitCommitted(admin, SAMPLES, new CountDownLatch(1)));
                assertEquals(SAMPLES, steps.get(steps.size() - 1), "the last version is the final model: " + steps);
                for (int i = 1; i < steps.size(); i++) {
                    assertTrue(steps.get(i) >= steps.get(i - 1), "versions only move forward: " + steps);
                }
                assertTrue(steps.contains((long) SAMPLES / 2), "the first half's version was served: " + steps);
                OnlineTrainer live = learner.liveModel().trainer().orElseThrow();
                JsonNode answer = json.readTree(http.send(HttpRequest.newBuilder(server.uri().resolve("/predict"))
                        .POST(HttpRequest.BodyPublishers.ofString(image)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                float[] expected = live.network().answer(pixels(train, 0));
                float[] served = new float[10];
                for (int c = 0; c < 10; c++) {
                    served[c] = answer.get("probabilities").get(c).floatValue();
                }
                assertArrayEquals(expected, served, "the served version answers as the learner's model");
            }
        }
    }

    private static float[] pixels(Mnist train, int index) {
        byte[] image = train.image(index);
        float[] input = new float[image.length];
        dev.streamlearn.model.Pixels.scale(image, input, 0);
        return input;
    }

    /** An MNIST image as the body of POST /predict. */
    static String image(Mnist train, int index) {
        StringBuilder text = new StringBuilder("{\"pixels\": [");
        byte[] image = train.image(index);
        for (int i = 0; i < image.length; i++) {
            text.append(i == 0 ? "" : ",").append(image[i] & 0xff);
        }
        return text.append("]}").toString();
    }
}
