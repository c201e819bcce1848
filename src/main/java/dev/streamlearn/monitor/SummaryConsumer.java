package dev.streamlearn.monitor;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads training summaries as they are committed (read_committed: a summary of an aborted transaction is never
 * shown) and hands each to a callback, until {@link #stop()}.
 */
public final class SummaryConsumer implements AutoCloseable {
    private final KafkaConsumer<Long, TrainingSummary> consumer;
    private final AtomicBoolean stopped = new AtomicBoolean();

    public SummaryConsumer(Properties clientProperties, Topic<Long, TrainingSummary> topic, boolean fromBeginning) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "streamlearn-monitor-" + UUID.randomUUID());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        p.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
    }

    /** Polls until stopped, calling onSummary for each summary in offset order. */
    public void run(Consumer<TrainingSummary> onSummary) {
        try {
            while (!stopped.get()) {
                for (ConsumerRecord<Long, TrainingSummary> record : consumer.poll(Duration.ofMillis(200))) {
                    onSummary.accept(record.value());
                }
            }
        } catch (WakeupException e) {
            if (!stopped.get()) {
                throw e;
            }
        }
    }

    /** Makes {@link #run} return; safe from any thread. */
    public void stop() {
        stopped.set(true);
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
