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
    /** The start of this learner's keys, {@code application/}. */
    private final String keyPrefix;
    private KafkaConsumer<String, byte[]> consumer;
    private TopicPartition partition;
    /** The offset the consumer reads next. */
    private long position = -1;
    /**
     * Rounds below this one may be missing (dropped, or before where the consumer started): a round asked for below it
     * is read again from where the asking replica says it lies.
     */
    private long keptFrom;
    /** This learner's contributions still wanted, by round and partition, with the offset each was read at. */
    private final TreeMap<Long, TreeMap<Integer, Seen>> rounds = new TreeMap<>();

    private record Seen(RoundContribution contribution, long offset) {
    }

    KafkaRoundBoard(Properties clientProperties, Topic<String, RoundContribution> topic, String applicationId) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.keyPrefix = RoundBoard.keyPrefix(applicationId);
    }

    @Override
    public synchronized Optional<Round> round(long round, int partitions, long from) {
        open();
        if (position < 0 || round < keptFrom && !complete(rounds.get(round), partitions)) {
            // Every contribution of this round and later ones lies at or after from.
            consumer.seek(partition, from);
            position = from;
            keptFrom = round;
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ZERO)) {
            position = record.offset() + 1;
            // The key names the learner and the round: other learners' and past rounds' snapshots are not decoded.
            String key = record.key();
            if (key == null || !key.startsWith(keyPrefix) || roundOf(key) < round - 1) {
                continue;
            }
            RoundContribution contribution = decode(record);
            rounds.computeIfAbsent(contribution.getRound(), r -> new TreeMap<>())
                    .put(contribution.getPartition(), new Seen(contribution, record.offset()));
        }
        rounds.headMap(round - 1).clear();
        keptFrom = Math.max(keptFrom, round - 1);
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

    /** The round of a key {@code application/round/partition}. */
    private long roundOf(String key) {
        int end = key.indexOf('/', keyPrefix.length());
        try {
            return Long.parseLong(key.substring(keyPrefix.length(), end < 0 ? key.length() : end));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("the rounds topic " + topic.name() + " holds a record keyed '" + key
                    + "', not application/round/partition", e);
        }
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
