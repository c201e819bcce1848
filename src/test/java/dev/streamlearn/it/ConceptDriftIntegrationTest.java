package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.cli.StreamlearnCommand;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.PartitionReader;
import dev.streamlearn.kafka.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drifting MNIST stream through a real broker: the producer changes it, the learner says where. */
class ConceptDriftIntegrationTest {
    @TempDir
    Path work;

    @Test
    @DisplayName("produce --drift 30000:permute-labels, learn --on-drift boost-lr:3:2000: one concept-drift alert on "
            + "the alerts topic, at a step within 1,000 samples of the change, and the summary of its window records "
            + "the boost")
    void driftIsSignalledOnTheAlertsTopic() throws Exception {
        EndToEndScenario.mnist(Mnist.Split.TRAIN);
        try (Broker broker = new Broker(work.resolve("kafka"))) {
            Files.writeString(work.resolve("empty.properties"), "");
            List<String> common = List.of("--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", "drift.",
                    "--config", work.resolve("empty.properties").toString());
            List<String> produce = new ArrayList<>(List.of("produce", "--drift", "30000:permute-labels"));
            produce.addAll(common);
            assertEquals(0, StreamlearnCommand.commandLine().execute(produce.toArray(String[]::new)));
            List<String> learn = new ArrayList<>(List.of("learn", "--model", "M2", "--stop-at-end",
                    "--evaluation-interval", "0", "--on-drift", "boost-lr:3:2000", "--application-id", "drift-learner",
                    "--state-dir", work.resolve("streams").toString()));
            learn.addAll(common);
            assertEquals(0, StreamlearnCommand.commandLine().execute(learn.toArray(String[]::new)));

            Topics topics = new Topics("drift.");
            List<Alert> drifts = new ArrayList<>();
            PartitionReader.read(broker.client(), topics.alerts().name(), topics.alerts().keySerde().deserializer(),
                    topics.alerts().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                    (ConsumerRecord<Long, Alert> record) -> {
                        if (record.value().getRule().equals("concept-drift")
                                && record.value().getState() == AlertState.RAISED) {
                            drifts.add(record.value());
                        }
                    });
            assertEquals(1, drifts.size(), () -> "concept-drift alerts: " + drifts);
            long step = drifts.get(0).getStep();
            assertTrue(step > 30_000 && step <= 31_000, "signalled at step " + step);
            List<TrainingSummary> signalled = new ArrayList<>();
            PartitionReader.read(broker.client(), topics.monitor().name(), topics.monitor().keySerde().deserializer(),
                    topics.monitor().valueSerde().deserializer(), -1, -1, Duration.ofSeconds(30),
                    (ConsumerRecord<Long, TrainingSummary> record) -> {
                        if (record.value().getDrift() != null) {
                            signalled.add(record.value());
                        }
                    });
            assertEquals(1, signalled.size());
            assertEquals(step, signalled.get(0).getDrift().getStep());
            assertEquals("boost-lr:3.0:2000", signalled.get(0).getDrift().getAction());
            assertTrue(signalled.get(0).getDrift().getErrorAfter() > 0.5, "the error after the change: "
                    + signalled.get(0).getDrift().getErrorAfter());
        }
    }
}
