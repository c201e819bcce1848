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

    @Option(names = "--train-partitions", defaultValue = "1", paramLabel = "N",
            description = "Partitions of the training topic (default: ${DEFAULT-VALUE}; more for learn --partitioning "
                    + "per-partition, one model each).")
    int trainPartitions;

    @Override
    public Integer call() {
        if (trainPartitions < 1) {
            throw new IllegalArgumentException("--train-partitions is " + trainPartitions + ", expected >= 1");
        }
        if (kafka.printedConfig()) {
            return 0;
        }
        Topics topics = kafka.topics();
        try (KafkaCluster cluster = kafka.connect(); TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            admin.createAll(topics, replicationFactor, trainPartitions);
            System.out.println("topics ready on " + cluster.bootstrapServers() + ": " + topics.train().name() + " ("
                    + admin.partitions(topics.train().name()).orElseThrow() + " partitions), " + topics.test().name()
                    + ", " + topics.monitor().name() + ", " + topics.deadLetter().name() + ", "
                    + topics.alerts().name() + ", " + topics.checkpoints().name() + ", " + topics.models().name()
                    + ", " + topics.predictions().name());
        }
        return 0;
    }
}
