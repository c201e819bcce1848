package dev.streamlearn.join;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/** A running label join: the Kafka Streams client around {@link LabelJoinTopology}. */
public final class LabelJoin implements AutoCloseable {
    private final KafkaStreams streams;
    private final JoinCounts counts = new JoinCounts();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Exactly once; the join's window stores live in the state directory and are changelogged. */
    public LabelJoin(Properties clientProperties, JoinConfig config, Path stateDir) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.putIfAbsent(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        this.streams = new KafkaStreams(LabelJoinTopology.buildTopology(config, counts), p);
        streams.setUncaughtExceptionHandler(exception -> {
            failure.set(exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    public void start() {
        streams.start();
    }

    public JoinCounts counts() {
        return counts;
    }

    /** The exception that stopped the join, if one did. */
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
    }
}
