package dev.streamlearn.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * A running streaming-inference instance: the Kafka Streams client around {@link InferenceTopology}. Instances with
 * one application id split the input's partitions between them, and take over a stopped one's.
 */
public final class StreamingInference implements AutoCloseable {
    /** How long the group waits for a silent instance before giving its partitions to the others. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Kafka Streams' bookkeeping of this instance only (the topology keeps no state), deleted on close. */
    private final Path stateDir;

    public StreamingInference(Properties clientProperties, InferenceConfig config, Versions versions)
            throws IOException {
        this.stateDir = Files.createTempDirectory("streamlearn-serve");
        this.streams = new KafkaStreams(InferenceTopology.buildTopology(config, versions),
                streamsProperties(clientProperties, config, stateDir));
        streams.setUncaughtExceptionHandler(exception -> {
            failure.set(exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /**
     * Exactly once, one stream thread (a version answers one input at a time), Kafka Streams' default commit interval
     * for exactly once (100 ms: a prediction is visible to read_committed consumers that soon), and a session timeout
     * short enough that the others take a dead instance's partitions within seconds.
     */
    static Properties streamsProperties(Properties clientProperties, InferenceConfig config, Path stateDir) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        p.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                String.valueOf(SESSION_TIMEOUT.toMillis()));
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                String.valueOf(SESSION_TIMEOUT.toMillis() / 5));
        p.putIfAbsent(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "5000");
        return p;
    }

    public void start() {
        streams.start();
    }

    /** The exception that stopped the instance, if one did. */
    public Throwable failure() {
        return failure.get();
    }

    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED;
    }

    /** Leaves the group on a clean close, so the others take this instance's partitions at once. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        FileUtils.deleteQuietly(stateDir.toFile());
    }
}
