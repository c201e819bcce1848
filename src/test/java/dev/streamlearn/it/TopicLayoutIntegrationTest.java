package dev.streamlearn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.cli.StreamlearnCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A training topic the learner cannot train on exactly once is refused at start, before anything is trained. */
class TopicLayoutIntegrationTest {
    @TempDir
    Path work;

    @Test
    @DisplayName("learn and replay refuse a training topic of 3 partitions in one line naming it, exit 2")
    void multiPartitionTrainingTopicIsRefused() throws Exception {
        try (Broker broker = new Broker(work.resolve("kafka"));
             Admin admin = Admin.create(broker.client())) {
            admin.createTopics(List.of(new NewTopic("wide.mnist.train", 3, (short) 1))).all()
                    .get(60, TimeUnit.SECONDS);
            for (String start : List.of("learn", "replay --from-offset 0")) {
                String[] args = (start + " --bootstrap-servers " + broker.bootstrapServers() + " --topic-prefix wide."
                        + " --state-dir " + work.resolve("streams")).split(" ");
                String command = args[0];
                CommandLine commandLine = StreamlearnCommand.commandLine(Map.of(), args);
                StringWriter err = new StringWriter();
                commandLine.setErr(new PrintWriter(err));
                assertEquals(2, commandLine.execute(args), command + ": " + err);
                assertEquals(1, err.toString().strip().lines().count(), err.toString());
                assertTrue(err.toString().contains("training topic wide.mnist.train has 3 partitions; a learner trains "
                        + "one model on one total order of samples, so it needs exactly 1 (learn --partitioning "
                        + "per-partition trains one model per partition)"), err.toString());
            }
        }
    }

    @Test
    @DisplayName("topics --train-partitions 2 creates a training topic of two partitions for per-partition learners")
    void trainingTopicOfTwoPartitions() throws Exception {
        try (Broker broker = new Broker(work.resolve("kafka"));
             Admin admin = Admin.create(broker.client())) {
            String[] args = ("topics --bootstrap-servers " + broker.bootstrapServers()
                    + " --topic-prefix two. --train-partitions 2").split(" ");
            assertEquals(0, StreamlearnCommand.commandLine(Map.of(), args).execute(args));
            assertEquals(2, admin.describeTopics(List.of("two.mnist.train")).allTopicNames().get(60, TimeUnit.SECONDS)
                    .get("two.mnist.train").partitions().size());
        }
    }
}
