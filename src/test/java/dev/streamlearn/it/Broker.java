package dev.streamlearn.it;

import dev.streamlearn.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/** A real in-process KRaft broker for one integration test class, with the client properties that reach it. */
final class Broker implements AutoCloseable {
    private final EmbeddedKafka kafka;

    Broker(Path directory) {
        this.kafka = EmbeddedKafka.start(directory, 0);
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    Properties client() {
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return client;
    }

    @Override
    public void close() {
        kafka.close();
    }
}
