package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where Kafka is, how topics are named, and where the service's configuration comes from: shared by every command
 * that talks to Kafka.
 */
final class KafkaOptions {
    /** Names that hold secrets in configurations Kafka does not define (a schema registry's, a plugin's). */
    private static final Pattern SECRET = Pattern.compile(".*(password|secret|jaas|token|credential).*");
    /** Kafka's own client and Streams configurations, whose PASSWORD-typed keys hold secrets or PEM material. */
    private static final List<ConfigDef> KAFKA_CONFIGS = List.of(ProducerConfig.configDef(),
            ConsumerConfig.configDef(), AdminClientConfig.configDef(), StreamsConfig.configDef());

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

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
                    + "repeatable; beats kafka.* keys of the properties file.")
    Map<String, String> clientProperties = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file to read instead of the "
            + "service's own (producer/producer.properties, learner/learner.properties, monitor/monitor.properties).")
    Path configFile;

    @Option(names = "--print-config", description = "Print the effective configuration (secrets masked) and exit.")
    boolean printConfig;

    private ServiceConfig serviceConfig() {
        return (ServiceConfig) command.commandLine().getDefaultValueProvider();
    }

    /** Client properties: the file's kafka.* keys, then --kafka-property flags. */
    Properties kafkaProperties() {
        Properties properties = new Properties();
        properties.putAll(serviceConfig().kafkaProperties(command));
        properties.putAll(clientProperties);
        return properties;
    }

    KafkaCluster connect() {
        return KafkaCluster.connect(bootstrapServers, kafkaDir, kafkaProperties());
    }

    Topics topics() {
        return new Topics(topicPrefix);
    }

    /** With --print-config, prints every option's effective value and the Kafka client properties; returns true. */
    boolean printedConfig() {
        if (!printConfig) {
            return false;
        }
        Path file = serviceConfig().fileFor(command.name());
        System.out.println("# streamlearn " + command.name() + ": flags > STREAMLEARN_* environment > "
                + (file == null ? "(no properties file)" : file) + " > defaults");
        Map<String, String> values = new TreeMap<>();
        for (OptionSpec option : command.options()) {
            String key = ServiceConfig.key(option);
            if (option.usageHelp() || option.versionHelp() || key.equals("print-config")
                    || key.equals("kafka-property")) {
                continue;
            }
            Object value = option.getValue();
            values.put(key, value == null ? "" : masked(key, String.valueOf(value)));
        }
        values.forEach((key, value) -> System.out.println(key + "=" + value));
        new TreeMap<>(kafkaProperties()).forEach((key, value) -> System.out.println(ServiceConfig.KAFKA_PREFIX + key
                + "=" + masked(key.toString(), value.toString())));
        return true;
    }

    /**
     * The value, or **** when its key can hold a secret: a key Kafka types PASSWORD (ssl.keystore.key and the other
     * PEM keys, sasl.jaas.config, ssl.key.password, ...), with or without a Streams client prefix, or a key whose name
     * says so.
     */
    static String masked(String key, String value) {
        String bare = key.replaceFirst("^(producer|consumer|admin|main\\.consumer|restore\\.consumer|"
                + "global\\.consumer)\\.", "");
        boolean password = KAFKA_CONFIGS.stream().anyMatch(config -> config.configKeys().containsKey(bare)
                && config.configKeys().get(bare).type == ConfigDef.Type.PASSWORD);
        return password || SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches() ? "****" : value;
    }
}
