package dev.streamlearn.learner;

import dev.streamlearn.avro.RoundContribution;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.kafka.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@link RoundBoard} on one group-less read_committed consumer of the rounds topic, shared by the replicas this
 * instance trains (all on its one stream thread). It keeps the contributions of the rounds still wanted: a replica is
 * at most one round behind any other, since none passes a round without every replica's contribution to it.
 */
final class KafkaRoundBoard implements RoundBoard, AutoCloseable {
    private final Properties clientProperties;
    private final Topic<String, RoundContribution> topic;
    private final String applicationId;
    private KafkaConsumer<String, byte[]> consumer;
    private TopicPartition partition;
    /** The offset the consumer reads next. */
    private long position = -1;
    /** This learner's contributions still wanted, by round and partition, with the offset each was read at. */
    private final TreeMap<Long, TreeMap<Integer, Seen>> rounds = new TreeMap<>();

    private record Seen(RoundContribution contribution, long offset) {
    }

    KafkaRoundBoard(Properties clientProperties, Topic<String, RoundContribution> topic, String applicationId) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.applicationId = applicationId;
    }

    @Override
    public synchronized Optional<Round> round(long round, int partitions, long from) {
        open();
        if (from < position && !complete(rounds.get(round), partitions)) {
            // A restored replica wants a round read before this board kept it: read the log again from there.
            consumer.seek(partition, from);
            position = from;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ZERO)) {
            position = record.offset() + 1;
            RoundContribution contribution = decode(record);
            if (contribution.getApplicationId().toString().equals(applicationId)
                    && contribution.getRound() >= round - 1) {
                rounds.computeIfAbsent(contribution.getRound(), r -> new TreeMap<>())
                        .put(contribution.getPartition(), new Seen(contribution, record.offset()));
            }
        }
        rounds.headMap(round - 1).clear();
        TreeMap<Integer, Seen> wanted = rounds.get(round);
        if (!complete(wanted, partitions)) {
            return Optional.empty();
        }
        List<RoundContribution> contributions = new ArrayList<>(partitions);
        long last = -1;
        for (Seen contribution : wanted.values()) {
            contributions.add(contribution.contribution());
            last = Math.max(last, contribution.offset());
        }
        return Optional.of(new Round(contributions, last + 1));
    }

    private static boolean complete(TreeMap<Integer, Seen> round, int partitions) {
        return round != null && round.size() == partitions;
    }

    private RoundContribution decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Topics.ROUND_SERDE.decode(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException("the rounds topic " + topic.name() + " holds an unreadable record at offset "
                    + record.offset(), e);
        }
    }

    private void open() {
        if (consumer != null) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES));
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES));
        consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        partition = new TopicPartition(topic.name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        position = 0;
    }

    @Override
    public synchronized int partitions(String trainingTopic) {
        open();
        var partitions = consumer.partitionsFor(trainingTopic, Duration.ofMinutes(1));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "training topic %s does not exist",
                    trainingTopic));
        }
        return partitions.size();
    }

    @Override
    public synchronized void close() {
        if (consumer != null) {
            consumer.close();
        }
    }
}
