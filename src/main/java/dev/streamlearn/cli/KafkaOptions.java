package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Where Kafka is and how topics are named, shared by every command that talks to Kafka. */
final class KafkaOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "An external Kafka cluster; nothing embedded starts. Default: the embedded broker.")
    String bootstrapServers;

    @Option(names = "--kafka-dir", paramLabel = "DIR", defaultValue = "data/kafka",
            description = "Data directory of the embedded broker (default: ${DEFAULT-VALUE}).")
    Path kafkaDir;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "Prepended to every topic name (default: none).")
    String topicPrefix;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "A Kafka client property for every client (security.protocol, sasl.*, ssl.*, ...); "
                    + "repeatable.")
    Map<String, String> clientProperties = new LinkedHashMap<>();

    KafkaCluster connect() {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        return KafkaCluster.connect(bootstrapServers, kafkaDir, properties);
    }

    Topics topics() {
        return new Topics(topicPrefix);
    }
}
