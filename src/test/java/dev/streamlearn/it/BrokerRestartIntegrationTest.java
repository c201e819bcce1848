package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.EmbeddedKafka;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.monitor.SummaryTail;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker stops and comes back (same data, same port) while the learner runs: training continues exactly. */
class BrokerRestartIntegrationTest {
    @TempDir
    Path work;

    @Test
    @DisplayName("a broker restart mid-run is survived: weights bitwise, every summary step exactly once")
    void survivesBrokerRestart() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path kafkaDir = work.resolve("kafka");
        EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir, port);
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        Topics topics = new Topics("restart.");
        try (TopicAdmin admin = new TopicAdmin(client)) {
            admin.createAll(topics, (short) 1);
        }
        new SampleProducer(client).produce(topics.train(), slice(train, 0, 2000), ProduceOptions.all(), sent -> { });

        List<Long> steps = new ArrayList<>();
        LearnerConfig config = LearnerConfig.builder("restart-learner", topics, ModelConfig.preset("M2").build())
                .snapshotInterval(1000).evaluationInterval(0).checkpointInterval(0).build();
        OnlineTrainer learned;
        try (Learner learner = new Learner(client, config, work.resolve("streams"))) {
            learner.start();
            try (TopicAdmin admin = new TopicAdmin(client)) {
                assertTrue(learner.awaitCommitted(admin, 2000, new CountDownLatch(1)), "before the restart");
            }
            broker.close();
            Thread.sleep(2000);
            broker = EmbeddedKafka.start(kafkaDir, port);
            new SampleProducer(client).produce(topics.train(), slice(train, 2000, 2000), ProduceOptions.all(),
                    sent -> { });
            try (TopicAdmin admin = new TopicAdmin(client)) {
                assertTrue(learner.awaitCommitted(admin, 4000, new CountDownLatch(1)),
                        () -> "after the restart: " + learner.failure());
            }
            learned = learner.liveModel().trainer().orElseThrow();
        }
        try (SummaryTail monitor = SummaryTail.follow(client, topics.monitor(), summary -> {
            synchronized (steps) {
                steps.add(summary.getLastStep());
            }
        })) {
            monitor.awaitStep(4000, 1, Duration.ofSeconds(30));
        }
        broker.close();
        List<Long> expected = new ArrayList<>();
        for (long step = 100; step <= 4000; step += 100) {
            expected.add(step);
        }
        assertEquals(expected, steps);
        OnlineTrainer clean = new OnlineTrainer(ModelConfig.preset("M2").build());
        for (int i = 0; i < 4000; i++) {
            clean.step(train.image(i), train.labels()[i]);
        }
        BitwiseAssertions.assertSameModel(clean, learned);
    }

    private static Mnist slice(Mnist train, int from, int count) {
        return new Mnist(train.name(), train.rows(), train.cols(),
                Arrays.copyOfRange(train.pixels(), from * 784, (from + count) * 784),
                Arrays.copyOfRange(train.labels(), from, from + count));
    }
}
