package dev.streamlearn.kafka;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Where a command's Kafka is: an external cluster named by bootstrap servers, a broker another streamlearn process
 * already serves from the Kafka directory, or an embedded broker this process starts (and stops on close).
 */
public final class KafkaCluster implements AutoCloseable {
    private final String bootstrapServers;
    private final EmbeddedKafka embedded;
    private final Properties clientProperties;

    private KafkaCluster(String bootstrapServers, EmbeddedKafka embedded, Properties extra) {
        this.bootstrapServers = bootstrapServers;
        this.embedded = embedded;
        this.clientProperties = new Properties();
        clientProperties.putAll(extra);
        clientProperties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    /**
     * @param bootstrapServers an external cluster, or null for the embedded broker in kafkaDir
     * @param kafkaDir the embedded broker's data directory
     * @param clientOverrides client properties passed to every Kafka client (security settings and the like)
     */
    public static KafkaCluster connect(String bootstrapServers, Path kafkaDir, Properties clientOverrides) {
        if (bootstrapServers != null && !bootstrapServers.isBlank()) {
            return new KafkaCluster(bootstrapServers, null, clientOverrides);
        }
        var running = EmbeddedKafka.running(kafkaDir);
        if (running.isPresent()) {
            return new KafkaCluster(running.get(), null, clientOverrides);
        }
        EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir, 0);
        return new KafkaCluster(broker.bootstrapServers(), broker, clientOverrides);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Whether this process started the broker (and so runs a single-node cluster). */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Bootstrap servers plus the user's client properties: the base of every client's configuration. */
    public Properties clientProperties() {
        Properties copy = new Properties();
        copy.putAll(clientProperties);
        return copy;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
