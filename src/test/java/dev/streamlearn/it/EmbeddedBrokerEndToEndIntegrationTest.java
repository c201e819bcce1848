package dev.streamlearn.it;

import java.nio.file.Path;
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

    private static Broker broker;

    @BeforeAll
    static void startBroker() {
        broker = new Broker(kafkaDir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @DisplayName("5,000 MNIST samples through producer, learner and monitor on a real in-process KRaft broker")
    void trainsThroughKafka() throws Exception {
        EndToEndScenario.run(broker.client(), stateDir);
    }
}
