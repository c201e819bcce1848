package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Label;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.join.JoinConfig;
import dev.streamlearn.join.LabelJoin;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.InputFormat;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Features now and labels up to a second later, joined on a real broker and learned from. */
class LateLabelsIntegrationTest {
    private static final int SAMPLES = 3_000;
    private static final Duration MAX_DELAY = Duration.ofMillis(800);

    @TempDir
    Path work;

    @Test
    @DisplayName("produce --labels-to sends every image unlabelled and its label later, keyed alike; join writes each "
            + "image once with its own label to the training topic, and the learner learns them all")
    void labelsArriveLate() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            Topics topics = new Topics("late.");
            Topic<Long, Sample> features = new Topic<>("late.features", Serdes.Long(), Topics.SAMPLE_SERDE);
            Topic<Long, byte[]> labels = new Topic<>("late.labels", Serdes.Long(), Serdes.ByteArray());
            try (TopicAdmin admin = new TopicAdmin(broker.client())) {
                admin.createAll(topics, (short) 1);
                admin.createIfMissing(features.name(), 1, (short) 1);
                admin.createIfMissing(labels.name(), 1, (short) 1);
            }
            JoinConfig config = new JoinConfig("late-join", features.name(), labels.name(), InputFormat.AVRO,
                    Duration.ofSeconds(5), topics.train().name(), "late.unlabelled", "late.join.dlq");
            LearnerConfig learnerConfig = LearnerConfig.builder("late-learner", topics,
                    ModelConfig.preset("M2").build()).evaluationInterval(0).build();
            try (LabelJoin join = new LabelJoin(broker.client(), config, work.resolve("join"));
                 Learner learner = new Learner(broker.client(), learnerConfig, work.resolve("learner"));
                 TopicAdmin admin = new TopicAdmin(broker.client())) {
                join.start();
                learner.start();
                new SampleProducer(broker.client()).produceWithLateLabels(features, SampleProducer.samples(train),
                        labels, MAX_DELAY, new ProduceOptions(SAMPLES, false, 7, 1, 3_000, 0), sent -> { });

                List<ConsumerRecord<Long, Sample>> sent = TopicRecords.await(broker.client(), features, SAMPLES,
                        Duration.ofSeconds(30), Duration.ZERO);
                List<ConsumerRecord<Long, byte[]>> late = TopicRecords.await(broker.client(), labels, SAMPLES,
                        Duration.ofSeconds(30), Duration.ZERO);
                Map<Long, Long> sentAt = new HashMap<>();
                for (ConsumerRecord<Long, Sample> record : sent) {
                    assertEquals(Topics.NO_LABEL, record.value().getLabel(), "an image goes without its label");
                    sentAt.put(record.key(), record.timestamp());
                }
                for (ConsumerRecord<Long, byte[]> record : late) {
                    Label label = Topics.LABEL_SERDE.decode(record.value());
                    assertEquals(train.labels()[record.key().intValue()], label.getLabel());
                    long delay = record.timestamp() - sentAt.get(record.key());
                    assertTrue(delay >= 0 && delay <= MAX_DELAY.toMillis() + 1_000, "label " + record.key()
                            + " came " + delay + " ms after its image");
                }
                assertEquals(SAMPLES, late.size());

                // The join releases labelled records as labels arrive; the last window needs time to pass.
                List<ConsumerRecord<Long, Sample>> labelled = TopicRecords.await(broker.client(), topics.train(),
                        SAMPLES, Duration.ofSeconds(60), Duration.ofSeconds(1));
                Set<Long> keys = new HashSet<>();
                for (ConsumerRecord<Long, Sample> record : labelled) {
                    assertTrue(keys.add(record.key()), "image " + record.key() + " labelled twice");
                    assertEquals(train.labels()[record.key().intValue()], record.value().getLabel());
                }
                assertEquals(SAMPLES, labelled.size());
                assertEquals(SAMPLES, join.counts().labelled());
                assertEquals(0, join.counts().deadLetters());
                assertTrue(learner.awaitCommitted(admin, SAMPLES, new CountDownLatch(1)));
                assertEquals(SAMPLES, learner.liveModel().trainer().orElseThrow().updates());
            }
        }
    }
}
