package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Create every streamlearn topic that does not exist yet (explicit partitions and retention), "
                + "then exit: the one-shot step of a deployment.")
final class TopicsCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "Replicas of each topic (default: ${DEFAULT-VALUE}; use 3 on a production cluster).")
    short replicationFactor;

    @Override
    public Integer call() {
        if (kafka.printedConfig()) {
            return 0;
        }
        Topics topics = kafka.topics();
        try (KafkaCluster cluster = kafka.connect(); TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            admin.createAll(topics, replicationFactor);
            System.out.println("topics ready on " + cluster.bootstrapServers() + ": " + topics.train().name() + ", "
                    + topics.test().name() + ", " + topics.monitor().name() + ", " + topics.deadLetter().name() + ", "
                    + topics.alerts().name() + ", " + topics.checkpoints().name());
        }
        return 0;
    }
}
