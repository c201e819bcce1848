package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.CheckpointReader;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.model.BitwiseAssertions;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.OnlineTrainer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 5,000 good MNIST samples with 1,000 bad records of every kind interleaved: each bad record reaches the dead-letter
 * topic with its reason, the learner keeps going, and the model is bitwise the model of the clean stream.
 */
class DeadLetterIntegrationTest {
    private static final int GOOD = 5_000;

    @TempDir
    static Path work;

    private static Broker broker;

    @BeforeAll
    static void startBroker() {
        broker = new Broker(work.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Properties client() {
        return broker.client();
    }

    private static Sample sample(Mnist train, int i) {
        return Sample.newBuilder().setId(i).setLabel(train.labels()[i]).setRows(28).setCols(28)
                .setPixels(ByteBuffer.wrap(train.image(i))).setDataset("mnist-train").setEpoch(0)
                .setProducedAt(Instant.ofEpochMilli(0)).build();
    }

    /** The kinds of bad record, each with the words its dead letter's reason must hold. */
    private record BadKind(String stage, String reason, IntFunction<byte[]> value) {
    }

    @Test
    @DisplayName("1,000 bad records among 5,000 good ones: all on the DLQ with reasons, model bitwise unchanged")
    void badRecordsNeverTouchTheModel() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        Topics topics = new Topics("dlq-it.");
        try (TopicAdmin admin = new TopicAdmin(client())) {
            admin.createAll(topics, (short) 1);
        }
        byte[] good = Topics.SAMPLE_SERDE.encode(sample(train, 0));
        List<BadKind> kinds = List.of(
                new BadKind("decode", "not an Avro single-object", i -> ("not avro " + i).getBytes()),
                new BadKind("decode", "not an Avro single-object", i -> unknownFingerprint(good)),
                new BadKind("decode", "not an Avro single-object", i -> Arrays.copyOf(good, 300)),
                new BadKind("decode", "null value", i -> null),
                new BadKind("validate", "expected rows x cols", i -> encode(sample(train, i), s -> s.setRows(27))),
                new BadKind("validate", "the model takes 784", i -> encode(sample(train, i), s -> {
                    s.setRows(20);
                    s.setCols(20);
                    s.setPixels(ByteBuffer.wrap(new byte[400]));
                })),
                new BadKind("validate", "label 11 is outside", i -> encode(sample(train, i), s -> s.setLabel(11))),
                new BadKind("validate", "label -2 is outside", i -> encode(sample(train, i), s -> s.setLabel(-2))));
        Properties producerProperties = client();
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        List<BadKind> sentBad = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties,
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < GOOD; i++) {
                producer.send(new ProducerRecord<>(topics.train().name(), null,
                        Topics.SAMPLE_SERDE.encode(sample(train, i))));
                if (i % 5 == 4) {
                    BadKind kind = kinds.get(sentBad.size() % kinds.size());
                    producer.send(new ProducerRecord<>(topics.train().name(), new byte[] {7}, kind.value().apply(i)));
                    sentBad.add(kind);
                }
            }
        }
        assertEquals(1_000, sentBad.size());

        OnlineTrainer learned;
        LearnerConfig config = LearnerConfig.builder("dlq-learner", topics, ModelConfig.preset("M2").build())
                .snapshotInterval(1000).evaluationInterval(0).checkpointInterval(0).build();
        try (TopicAdmin admin = new TopicAdmin(client());
             Learner learner = new Learner(client(), config, work.resolve("streams"))) {
            learner.start();
            assertTrue(learner.awaitCommitted(admin, GOOD + sentBad.size(), new CountDownLatch(1)),
                    () -> "learner stopped: " + learner.failure());
            learned = learner.liveModel().trainer().orElseThrow();
        }

        List<DeadLetter> letters = readAll(topics);
        assertEquals(sentBad.size(), letters.size());
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter letter = letters.get(i);
            BadKind kind = sentBad.get(i);
            assertEquals(kind.stage(), letter.getStage(), letter.getReason());
            assertTrue(letter.getReason().contains(kind.reason()), letter.getReason() + " / " + kind.reason());
            assertEquals(topics.train().name(), letter.getTopic());
            assertEquals(6 * i + 5, letter.getOffset(), "offset of bad record " + i);
        }

        OnlineTrainer clean = new OnlineTrainer(ModelConfig.preset("M2").build());
        for (int i = 0; i < GOOD; i++) {
            clean.step(train.image(i), train.labels()[i]);
        }
        assertEquals(GOOD, learned.updates());
        for (int t = 0; t < clean.network().parameters().size(); t++) {
            assertArrayEquals(clean.network().parameters().get(t).toArray(),
                    learned.network().parameters().get(t).toArray(), "tensor " + t);
        }
    }

    @Test
    @DisplayName("near the record limit: a 38 MB model checkpoints and snapshots, and a record too large for a dead "
            + "letter is dead-lettered as its first bytes; the model is the model of the good samples")
    void sizesNearTheRecordLimit() throws Exception {
        Mnist train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
        Topics topics = new Topics("sizes-it.");
        try (TopicAdmin admin = new TopicAdmin(client())) {
            admin.createAll(topics, (short) 1);
        }
        ModelConfig wide = ModelConfig.preset("M3").layers(List.of(784, 12_000, 10)).build();
        int samples = 250;
        Properties producerProperties = client();
        producerProperties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES));
        producerProperties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(2L * Topics.MAX_RECORD_BYTES));
        byte[] oversize = new byte[Topics.MAX_RECORD_BYTES - 1024];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties,
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < samples; i++) {
                producer.send(new ProducerRecord<>(topics.train().name(), null,
                        Topics.SAMPLE_SERDE.encode(sample(train, i))));
                if (i == 120) {
                    producer.send(new ProducerRecord<>(topics.train().name(), new byte[] {7}, oversize)).get();
                }
            }
        }
        LearnerConfig config = LearnerConfig.builder("sizes-learner", topics, wide).snapshotInterval(100)
                .evaluationInterval(0).checkpointInterval(100).build();
        try (TopicAdmin admin = new TopicAdmin(client());
             Learner learner = new Learner(client(), config, work.resolve("sizes-streams"))) {
            learner.start();
            assertTrue(learner.awaitCommitted(admin, samples + 1, new CountDownLatch(1)),
                    () -> "learner stopped: " + learner.failureMessage());
        }

        List<DeadLetter> letters = readAll(topics);
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0);
        assertEquals(121, letter.getOffset());
        assertTrue(letter.getReason().endsWith("(too large for a dead letter: kept the first 1 of 1 key bytes and "
                + (Topics.MAX_RECORD_BYTES - 64 * 1024 - 1) + " of " + oversize.length + " value bytes)"),
                letter.getReason());

        OnlineTrainer checkpointed = CheckpointReader.restore(CheckpointReader.find(client(), topics.checkpoints(),
                topics.train().name(), null, null, -1).orElseThrow());
        OnlineTrainer clean = new OnlineTrainer(wide);
        for (int i = 0; i < 200; i++) {
            clean.step(train.image(i), train.labels()[i]);
        }
        BitwiseAssertions.assertSameModel(clean, checkpointed);
    }

    private static byte[] unknownFingerprint(byte[] good) {
        byte[] bytes = good.clone();
        bytes[2] ^= (byte) 0xff;
        return bytes;
    }

    private static byte[] encode(Sample sample, java.util.function.Consumer<Sample> change) {
        change.accept(sample);
        return Topics.SAMPLE_SERDE.encode(sample);
    }

    private static List<DeadLetter> readAll(Topics topics) {
        Properties p = client();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<DeadLetter> letters = new ArrayList<>();
        TopicPartition partition = new TopicPartition(topics.deadLetter().name(), 0);
        try (KafkaConsumer<Long, DeadLetter> consumer = new KafkaConsumer<>(p,
                topics.deadLetter().keySerde().deserializer(), topics.deadLetter().valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<Long, DeadLetter> record : consumer.poll(Duration.ofMillis(500))) {
                    letters.add(record.value());
                }
            }
        }
        return letters;
    }
}
