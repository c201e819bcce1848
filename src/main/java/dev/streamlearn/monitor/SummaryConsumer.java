package dev.streamlearn.monitor;

import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.kafka.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads training summaries as they are committed (read_committed: a summary of an aborted transaction is never
 * shown) and hands each to a callback, until {@link #stop()}. It reads every partition of the topic without a
 * consumer group, so any number of monitors can watch one run without disturbing each other.
 */
public final class SummaryConsumer implements AutoCloseable {
    private final KafkaConsumer<Long, TrainingSummary> consumer;
    private final AtomicBoolean stopped = new AtomicBoolean();

    /** Where reading starts. */
    public sealed interface Start {
        /** Only summaries written from now on. */
        record Latest() implements Start {
        }

        /** The whole run. */
        record Earliest() implements Start {
        }

        /** Summaries written at or after a time. */
        record At(Instant time) implements Start {
        }
    }

    public SummaryConsumer(Properties clientProperties, Topic<Long, TrainingSummary> topic, Start start) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        if (start instanceof Start.Earliest) {
            consumer.seekToBeginning(partitions);
        } else if (start instanceof Start.At at) {
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(partition -> times.put(partition, at.time().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = offsets.get(partition);
                if (offset == null) {
                    consumer.seekToEnd(List.of(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                }
            }
        } else {
            consumer.seekToEnd(partitions);
        }
    }

    /** Convenience for the whole run (true) or what comes next (false). */
    public SummaryConsumer(Properties clientProperties, Topic<Long, TrainingSummary> topic, boolean fromBeginning) {
        this(clientProperties, topic, fromBeginning ? new Start.Earliest() : new Start.Latest());
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
