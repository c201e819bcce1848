package dev.streamlearn.learner;

import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** A running learner: the Kafka Streams client around {@link LearnerTopology}. */
public final class Learner implements AutoCloseable {
    private final KafkaStreams streams;
    /** One per variant, in variant order. */
    private final List<LiveModel> liveModels;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final String applicationId;
    private final String inputTopic;
    /** The averaging rounds' board, null unless the learner averages. */
    private final KafkaRoundBoard rounds;

    public Learner(Properties clientProperties, LearnerConfig config, Path stateDir) {
        this(clientProperties, config, List.of(Variant.only(config.model())), stateDir);
    }

    /** A learner of several variants of the model, each trained on every record in turn (--sweep). */
    public Learner(Properties clientProperties, LearnerConfig config, List<Variant> variants, Path stateDir) {
        this.applicationId = config.applicationId();
        this.inputTopic = config.topics().train().name();
        Supplier<TestSet> heldOut = memoized(() -> TestSet.read(clientProperties, config.topics().test(),
                config.model(), config.inputFormat(), Duration.ofMinutes(2)));
        this.rounds = config.partitioning() == Partitioning.AVERAGED
                ? new KafkaRoundBoard(clientProperties, config.topics().rounds(), config.applicationId()) : null;
        KafkaInputReader input = new KafkaInputReader(clientProperties, config.applicationId());
        this.liveModels = variants.stream().map(variant -> new LiveModel()).toList();
        List<LearnerServices> services = liveModels.stream()
                .map(live -> new LearnerServices(live, heldOut, input, rounds)).toList();
        this.streams = new KafkaStreams(LearnerTopology.buildTopology(config, variants, services),
                streamsProperties(clientProperties, config, stateDir));
        streams.setUncaughtExceptionHandler(exception -> {
            failure.set(exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /**
     * Exactly-once, one stream thread (one partition is one model), commits every second (measured: transactions
     * cost ~40% of throughput at 100 ms), large fetches for ~1 KB samples, room for snapshots up to a record's limit:
     * the producer's buffer holds a store snapshot and a checkpoint of that size at once, with the records around
     * them.
     */
    public static Properties streamsProperties(Properties clientProperties, LearnerConfig config, Path stateDir) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        p.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
        p.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                instanceId(config.applicationId(), stateDir));
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "5000");
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
                String.valueOf(8 * 1024 * 1024));
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                String.valueOf(Topics.MAX_RECORD_BYTES));
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG),
                String.valueOf(4L * Topics.MAX_RECORD_BYTES));
        p.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "20");
        if (config.partitioning() == Partitioning.AVERAGED) {
            // A replica waiting for a round looks for it in a punctuation, which an idle stream thread runs only
            // between polls.
            p.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, "5");
        }
        return p;
    }

    /**
     * Static group membership: an instance restarted after a crash rejoins as the member it was and gets its task back
     * at once, instead of waiting out the group's session timeout for the dead member to be evicted. An instance is
     * its state directory on its host (two instances cannot share one), so the id is derived from both.
     */
    static String instanceId(String applicationId, Path stateDir) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "localhost";
        }
        String where = host + ":" + stateDir.toAbsolutePath().normalize();
        return applicationId + "-" + Integer.toHexString(where.hashCode());
    }

    /** Reads the held-out split on first use only (the learner may never reach an evaluation step). */
    private static Supplier<TestSet> memoized(Supplier<TestSet> read) {
        AtomicReference<TestSet> value = new AtomicReference<>();
        return () -> {
            if (value.get() == null) {
                value.set(read.get());
            }
            return value.get();
        };
    }

    public void start() {
        streams.start();
    }

    /** The exception that stopped the learner, if one did. */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * One line on what stopped the learner: the learner's own account when it failed on a record (which record, after
     * which step), otherwise the exception Kafka Streams stopped with; null when nothing did.
     */
    public String failureMessage() {
        Throwable stopped = failure.get();
        for (Throwable cause = stopped; cause != null; cause = cause.getCause()) {
            if (cause instanceof LearnerFault fault) {
                return fault.getMessage();
            }
        }
        return stopped == null ? null : stopped.toString();
    }

    /** The live model of the learner's one model (of the first variant of a sweep). */
    public LiveModel liveModel() {
        return liveModels.get(0);
    }

    /** Every variant's live model, in variant order. */
    public List<LiveModel> liveModels() {
        return liveModels;
    }

    /**
     * Blocks until the learner has committed its input up to endOffset (exclusive) and its model has seen it (a
     * restored model catches up on what was committed before it was snapshotted), fails, or interrupted counts down.
     * Pass Long.MAX_VALUE to wait only for a failure or an interruption.
     *
     * @return true when the offset was reached
     */
    public boolean awaitCommitted(TopicAdmin admin, long endOffset, CountDownLatch interrupted)
            throws InterruptedException {
        return awaitCommitted(admin, endOffset == Long.MAX_VALUE ? null : Map.of(0, endOffset), interrupted);
    }

    /**
     * As above for several input partitions (one model each): until every partition's input is committed up to its
     * end offset and its model, on this instance, has seen it. Pass null to wait only for a failure or an
     * interruption.
     */
    public boolean awaitCommitted(TopicAdmin admin, Map<Integer, Long> endOffsets, CountDownLatch interrupted)
            throws InterruptedException {
        while (failure.get() == null && isRunning()) {
            if (interrupted.await(250, TimeUnit.MILLISECONDS)) {
                return false;
            }
            if (endOffsets != null && reached(admin, endOffsets)) {
                return true;
            }
        }
        return false;
    }

    private boolean reached(TopicAdmin admin, Map<Integer, Long> endOffsets) {
        for (Map.Entry<Integer, Long> end : endOffsets.entrySet()) {
            for (LiveModel live : liveModels) {
                if (live.trainer(end.getKey()).isEmpty()) {
                    return false;
                }
            }
            if (admin.committedOffset(applicationId, inputTopic, end.getKey()).orElse(0) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits (up to timeout) until a model version of the live model's current step has been sent to the models topic,
     * so that a clean stop right after commits it: the last version a stopping learner publishes is its final model.
     */
    public boolean awaitVersionOfCurrentStep(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && failure.get() == null) {
            if (everyVersionSent()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** Whether every model this instance trains has had a version of its current step sent. */
    private boolean everyVersionSent() {
        for (LiveModel live : liveModels) {
            if (live.partitions().isEmpty()) {
                return false;
            }
            for (int partition : live.partitions()) {
                if (live.versionStep(partition) < live.trainer(partition).orElseThrow().updates()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * With averaged partitioning, once the input is committed: waits until no replica here has applied a new round for
     * {@code quiet}, so the last round the partitions' records close is in the model before a stop. A replica at the
     * end of a round that another partition's records never close waits for it for ever: that tail is not in the model.
     */
    public void awaitRoundsSettled(Duration quiet) throws InterruptedException {
        LiveModel liveModel = liveModel();
        long round = liveModel.averagedRound();
        long settledAt = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < settledAt && failure.get() == null) {
            Thread.sleep(50);
            if (liveModel.averagedRound() != round) {
                round = liveModel.averagedRound();
                settledAt = System.nanoTime() + quiet.toNanos();
            }
        }
    }

    public boolean isRunning() {
        KafkaStreams.State state = streams.state();
        return state == KafkaStreams.State.CREATED || state.isRunningOrRebalancing();
    }

    /**
     * Stops the learner: Kafka Streams commits what was processed, leaves the group (a static member would otherwise
     * hold its task until the session times out, and a standby could not take over) and closes.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        if (rounds != null) {
            rounds.close();
        }
    }
}
