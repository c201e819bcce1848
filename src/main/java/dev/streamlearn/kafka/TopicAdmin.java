package dev.streamlearn.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics with explicit partitions and retention, and reads offsets. Samples are kept forever (training
 * is replayed from them); monitor, alert, prediction and dead-letter topics keep seven days, checkpoints seven days or
 * 1 GiB.
 */
public final class TopicAdmin implements AutoCloseable {
    private static final String SEVEN_DAYS_MS = String.valueOf(TimeUnit.DAYS.toMillis(7));
    /** Checkpoints are kept 7 days or 1 GiB, whichever is reached first. */
    public static final long CHECKPOINT_RETENTION_BYTES = 1L << 30;
    private final Admin admin;

    public TopicAdmin(Properties clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        this.admin = Admin.create(properties);
    }

    /** Creates every topic of the deployment that does not exist yet. */
    public void createAll(Topics topics, short replicationFactor) {
        createAll(topics, replicationFactor, 1);
    }

    /** As above, the training topic with that many partitions (one model each: learn --partitioning per-partition). */
    public void createAll(Topics topics, short replicationFactor, int trainingPartitions) {
        List<NewTopic> wanted = new ArrayList<>();
        Map<String, String> forever = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1");
        Map<String, String> week = Map.of(TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS);
        wanted.add(new NewTopic(topics.train().name(), trainingPartitions, replicationFactor).configs(forever));
        wanted.add(new NewTopic(topics.test().name(), 1, replicationFactor).configs(forever));
        wanted.add(new NewTopic(topics.monitor().name(), 1, replicationFactor).configs(week));
        wanted.add(new NewTopic(topics.deadLetter().name(), 1, replicationFactor).configs(week));
        wanted.add(new NewTopic(topics.alerts().name(), 1, replicationFactor).configs(week));
        wanted.add(new NewTopic(topics.predictions().name(), 1, replicationFactor).configs(week));
        wanted.add(new NewTopic(topics.checkpoints().name(), 1, replicationFactor).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS,
                TopicConfig.RETENTION_BYTES_CONFIG, String.valueOf(CHECKPOINT_RETENTION_BYTES),
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES))));
        wanted.add(new NewTopic(topics.rounds().name(), 1, replicationFactor).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES))));
        wanted.add(new NewTopic(topics.models().name(), 1, replicationFactor).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.MAX_RECORD_BYTES))));
        wanted.forEach(this::create);
    }

    /** Creates a topic unless one of its name exists. */
    private void create(NewTopic topic) {
        try {
            admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic.name() + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic.name(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not create topic " + topic.name() + " within 60 s", e);
        }
    }

    /**
     * Refuses a training topic of more than one partition: one model is a function of one total order of samples
     * (partitioned training is not built yet), and a learner on several partitions would train one model each.
     */
    public void requireSinglePartition(String topic) {
        int partitions = partitions(topic).orElseThrow(() -> new IllegalArgumentException("training topic " + topic
                + " does not exist"));
        if (partitions != 1) {
            throw new IllegalArgumentException("training topic " + topic + " has " + partitions + " partitions; a "
                    + "learner trains one model on one total order of samples, so it needs exactly 1 (learn "
                    + "--partitioning per-partition trains one model per partition)");
        }
    }

    /** How many partitions a topic has, or empty when it does not exist. */
    public OptionalInt partitions(String topic) {
        try {
            return OptionalInt.of(admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get(topic).partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return OptionalInt.empty();
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        }
    }

    /** Creates a topic of that many partitions, kept a week, unless one of that name exists already. */
    public void createIfMissing(String topic, int partitions, short replicationFactor) {
        create(new NewTopic(topic, partitions, replicationFactor).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG,
                SEVEN_DAYS_MS)));
    }

    /** The log-end offset of partition 0 of a topic: the offset the next record will get. */
    public long endOffset(String topic) {
        return endOffset(topic, 0);
    }

    /** The log-end offset of every partition of a topic, by partition. */
    public Map<Integer, Long> endOffsets(String topic) {
        int partitions = partitions(topic).orElseThrow(() -> new IllegalArgumentException("topic " + topic
                + " does not exist"));
        Map<Integer, Long> ends = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            ends.put(p, endOffset(topic, p));
        }
        return ends;
    }

    /** The log-end offset of one partition of a topic. */
    public long endOffset(String topic, int partitionNumber) {
        TopicPartition partition = new TopicPartition(topic, partitionNumber);
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(60, TimeUnit.SECONDS).offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the end offset of " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end offset of " + topic, e);
        }
    }

    /** The offset of the first record at or after a time on partition 0, empty when there is none. */
    public OptionalLong offsetForTime(String topic, java.time.Instant time) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try {
            long offset = admin.listOffsets(Map.of(partition, OffsetSpec.forTimestamp(time.toEpochMilli())))
                    .partitionResult(partition).get(60, TimeUnit.SECONDS).offset();
            return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot find the offset of " + time + " in " + topic + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while searching " + topic, e);
        }
    }

    /** Sets where a (not yet running) consumer group starts on partition 0 of a topic. */
    public void setCommittedOffset(String groupId, String topic, long offset) {
        try {
            admin.alterConsumerGroupOffsets(groupId, Map.of(new TopicPartition(topic, 0),
                    new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset))).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set group " + groupId + " to offset " + offset + " of " + topic
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the offsets of " + groupId, e);
        }
    }

    /**
     * The offset a consumer group has committed on partition 0 of a topic, once no transaction holds it open; empty
     * when it has none.
     */
    public OptionalLong committedOffset(String groupId, String topic) {
        return committedOffset(groupId, topic, 0);
    }

    /** As {@link #committedOffset(String, String)}, on one partition of the topic. */
    public OptionalLong committedOffset(String groupId, String topic, int partitionNumber) {
        TopicPartition partition = new TopicPartition(topic, partitionNumber);
        try {
            var offsets = admin.listConsumerGroupOffsets(Map.of(groupId, new ListConsumerGroupOffsetsSpec()
                            .topicPartitions(List.of(partition))),
                            new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(groupId).get(60, TimeUnit.SECONDS);
            var committed = offsets.get(partition);
            return committed == null ? OptionalLong.empty() : OptionalLong.of(committed.offset());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of group " + groupId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the offsets of group " + groupId, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
