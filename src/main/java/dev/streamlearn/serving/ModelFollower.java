package dev.streamlearn.serving;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.learner.CheckpointReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Follows one learner's versions on the models topic (read_committed, from the beginning: compaction keeps the newest
 * of each learner) on a thread of its own, and swaps each in whole: a reader gets the old version or the new one,
 * never half of either. With a pinned step only that version is served.
 */
public final class ModelFollower implements AutoCloseable {
    private final AtomicReference<ServedModel> current = new AtomicReference<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Thread thread;

    /**
     * @param learner the application id whose versions to serve, or null for the only learner on the topic (a second
     *                one is refused)
     * @param pinned the step to serve, or -1 to follow every version
     */
    public ModelFollower(Properties clientProperties, Topic<String, Checkpoint> models, String learner, long pinned) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024));
        KafkaConsumer<String, Checkpoint> consumer = new KafkaConsumer<>(properties, models.keySerde().deserializer(),
                models.valueSerde().deserializer());
        TopicPartition partition = new TopicPartition(models.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        thread = new Thread(() -> follow(consumer, learner, pinned), "model-follower");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(KafkaConsumer<String, Checkpoint> consumer, String learner, long pinned) {
        String following = learner;
        try (consumer) {
            while (!stopping.get()) {
                for (ConsumerRecord<String, Checkpoint> record : consumer.poll(Duration.ofMillis(100))) {
                    if (following == null) {
                        following = record.key();
                    } else if (!following.equals(record.key())) {
                        if (learner == null) {
                            throw new IllegalStateException("the models topic holds versions of " + following
                                    + " and of " + record.key() + "; name one with --model-of");
                        }
                        continue;
                    }
                    Checkpoint version = record.value();
                    if (pinned < 0 || version.getStep() == pinned) {
                        current.set(new ServedModel(record.key(), version.getStep(), version.getTakenAt(),
                                CheckpointReader.restore(version).network()));
                    }
                }
            }
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    /** The version served now, if one has arrived. */
    public Optional<ServedModel> current() {
        return Optional.ofNullable(current.get());
    }

    /** What stopped the follower, if anything did (another learner's versions without --model-of, Kafka). */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void close() throws InterruptedException {
        stopping.set(true);
        thread.join(5_000);
    }
}
