package dev.streamlearn.it;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same scenario on the official Apache Kafka image; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerEndToEndIntegrationTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @TempDir
    Path stateDir;

    @Test
    @DisplayName("5,000 MNIST samples through producer, learner and monitor on a Kafka container")
    void trainsThroughKafka() throws Exception {
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        EndToEndScenario.run(client, stateDir);
    }
}
