package dev.streamlearn.it;

import dev.streamlearn.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedBrokerEndToEndIntegrationTest {
    @TempDir
    static Path kafkaDir;

    @TempDir
    Path stateDir;

    private static EmbeddedKafka broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafka.start(kafkaDir, 0);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @DisplayName("5,000 MNIST samples through producer, learner and monitor on a real in-process KRaft broker")
    void trainsThroughKafka() throws Exception {
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        EndToEndScenario.run(client, stateDir);
    }
}
