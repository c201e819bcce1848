package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.MnistFetcher;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.learner.InputFormat;
import dev.streamlearn.learner.TestSet;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.monitor.SummaryTail;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * The end-to-end slice against whatever broker the properties name: 5,000 real MNIST samples through producer,
 * learner and monitor. Shared by the embedded-broker test and the Testcontainers test.
 */
final class EndToEndScenario {
    static final Path MNIST_DIR = Path.of("data", "mnist");
    static final int TRAIN_SAMPLES = 5_000;

    private EndToEndScenario() {
    }

    static Mnist mnist(Mnist.Split split) throws IOException, InterruptedException {
        MnistFetcher.fetch(MNIST_DIR);
        return Mnist.load(MNIST_DIR, split);
    }

    static void run(Properties client, Path stateDir) throws Exception {
        Topics topics = new Topics("it-" + UUID.randomUUID() + ".");
        String applicationId = "it-learner-" + UUID.randomUUID();
        try (TopicAdmin admin = new TopicAdmin(client)) {
            admin.createAll(topics, (short) 1);
            SampleProducer producer = new SampleProducer(client);
            assertEquals(TRAIN_SAMPLES, producer.produce(topics.train(), mnist(Mnist.Split.TRAIN),
                    new ProduceOptions(TRAIN_SAMPLES, false, 0, 1, 0, 0), sent -> { }).sent());
            producer.produce(topics.test(), mnist(Mnist.Split.TEST), ProduceOptions.all(), sent -> { });

            List<TrainingSummary> summaries = new ArrayList<>();
            SummaryTail monitor = SummaryTail.follow(client, topics.monitor(), summary -> {
                synchronized (summaries) {
                    summaries.add(summary);
                }
            });

            LearnerConfig config = LearnerConfig.builder(applicationId, topics, ModelConfig.preset("M2").build())
                    .snapshotInterval(1000).evaluationInterval(5_000).checkpointInterval(0).build();
            OnlineTrainer trainer;
            try (Learner learner = new Learner(client, config, stateDir)) {
                learner.start();
                assertTrue(learner.awaitCommitted(admin, TRAIN_SAMPLES, new CountDownLatch(1)),
                        () -> "learner stopped early: " + learner.failure());
                trainer = learner.liveModel().trainer().orElseThrow();
            }
            monitor.awaitStep(TRAIN_SAMPLES, 1, Duration.ofSeconds(30));
            monitor.close();

            assertEquals(TRAIN_SAMPLES, trainer.updates());
            List<Long> steps = summaries.stream().map(TrainingSummary::getLastStep).toList();
            List<Long> expected = new ArrayList<>();
            for (long step = 100; step <= TRAIN_SAMPLES; step += 100) {
                expected.add(step);
            }
            assertEquals(expected, steps, "every summary step exactly once, in order");
            Double heldOut = summaries.get(summaries.size() - 1).getTestAccuracy();
            assertTrue(heldOut != null && heldOut > 0.85, "held-out accuracy in the last summary: " + heldOut);
            double prequential = trainer.window().cumulativeAccuracy();
            assertTrue(prequential > 0.80, "prequential accuracy " + prequential);
            TestSet test = TestSet.read(client, topics.test(), config.model(), InputFormat.AVRO,
                    Duration.ofMinutes(1));
            assertEquals(10_000, test.size());
            double testAccuracy = new BatchEvaluator(trainer.network(), 1000).accuracy(test.inputs(), test.labels());
            assertTrue(testAccuracy > 0.85, "test accuracy " + testAccuracy);
        }
    }
}
