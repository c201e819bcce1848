package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming with --start-id, shuffled epochs, and a stop request that still flushes everything it sent. */
class SampleProducerIntegrationTest {
    @TempDir
    static Path work;

    private static Broker broker;
    private static Mnist train;

    @BeforeAll
    static void start() throws Exception {
        broker = new Broker(work.resolve("kafka"));
        train = EndToEndScenario.mnist(Mnist.Split.TRAIN);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static Topics topics(String prefix) {
        Topics topics = new Topics(prefix);
        try (TopicAdmin admin = new TopicAdmin(broker.client())) {
            admin.createAll(topics, (short) 1);
        }
        return topics;
    }

    private static List<Sample> read(Topics topics) {
        TopicPartition partition = new TopicPartition(topics.train().name(), 0);
        List<Sample> samples = new ArrayList<>();
        try (KafkaConsumer<Long, Sample> consumer = new KafkaConsumer<>(broker.client(),
                topics.train().keySerde().deserializer(), topics.train().valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<Long, Sample> record : consumer.poll(Duration.ofMillis(500))) {
                    assertEquals(record.key(), record.value().getId(), "records are keyed by sample id");
                    samples.add(record.value());
                }
            }
        }
        return samples;
    }

    @Test
    @DisplayName("--start-id resumes a partial load where it stopped")
    void resumes() {
        Topics topics = topics("resume.");
        SampleProducer producer = new SampleProducer(broker.client());
        producer.produce(topics.train(), train, new ProduceOptions(300, false, 0, 1, 0, 0), sent -> { });
        List<Sample> first = read(topics);
        Topics resumed = topics("resumed.");
        assertEquals(200, new SampleProducer(broker.client()).produce(resumed.train(), train,
                new ProduceOptions(300, false, 0, 1, 0, 100), sent -> { }).sent());
        List<Sample> tail = read(resumed);
        assertEquals(first.subList(100, 300).stream().map(Sample::getId).toList(),
                tail.stream().map(Sample::getId).toList());
    }

    @Test
    @DisplayName("seeded shuffling sends every sample once per epoch, the same order for the same seed")
    void shufflesEpochs() {
        Topics topics = topics("shuffled.");
        new SampleProducer(broker.client()).produce(topics.train(), train, new ProduceOptions(500, true, 7, 2, 0, 0),
                sent -> { });
        List<Sample> samples = read(topics);
        assertEquals(1000, samples.size());
        List<Long> epoch0 = samples.subList(0, 500).stream().map(Sample::getId).toList();
        List<Long> epoch1 = samples.subList(500, 1000).stream().map(Sample::getId).toList();
        assertEquals(500, epoch0.stream().distinct().count());
        assertEquals(new java.util.TreeSet<>(epoch0), new java.util.TreeSet<>(epoch1));
        assertTrue(!epoch0.equals(epoch1), "each epoch has its own order");
        assertEquals(1, samples.get(600).getEpoch());
    }

    @Test
    @DisplayName("a stop request (Ctrl-C) ends the load early, and everything counted as sent is in the topic")
    void stopsAndFlushes() throws Exception {
        Topics topics = topics("stopped.");
        SampleProducer producer = new SampleProducer(broker.client());
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.requestStop();
        });
        stopper.start();
        SampleProducer.Result result = producer.produce(topics.train(), train,
                new ProduceOptions(0, false, 0, 1, 2_000, 0), sent -> { });
        stopper.join();
        assertTrue(result.sent() > 0 && result.sent() < train.count(), "sent " + result.sent());
        assertEquals(result.sent(), read(topics).size());
    }
}
