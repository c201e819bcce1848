package dev.streamlearn.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults for every option from, in increasing precedence: the built-in default, the service's properties file, an
 * environment variable; flags on the command line beat all three. A file key is an option's long name without the
 * dashes ({@code lr=0.001}, {@code bootstrap-servers=broker:9092}); a key starting with {@code kafka.} is a Kafka
 * client property ({@code kafka.security.protocol=SASL_SSL}). The variable for an option is STREAMLEARN_ and its name
 * in capitals with underscores ({@code STREAMLEARN_LR}). A file key that names no option is refused.
 */
final class ServiceConfig implements CommandLine.IDefaultValueProvider {
    static final String KAFKA_PREFIX = "kafka.";
    private static final Map<String, String> SERVICE_FILES = Map.of(
            "produce", "producer/producer.properties",
            "learn", "learner/learner.properties",
            "run", "learner/learner.properties",
            "monitor", "monitor/monitor.properties");

    private final Path explicitFile;
    private final Map<String, String> environment;
    private final Map<String, Properties> loaded = new ConcurrentHashMap<>();

    /**
     * @param explicitFile a file given with --config, or null for the service's own file (when it exists)
     */
    ServiceConfig(Path explicitFile, Map<String, String> environment) {
        this.explicitFile = explicitFile;
        this.environment = environment;
    }

    /** The file a command reads, or null when it has none. */
    Path fileFor(String command) {
        if (explicitFile != null) {
            return explicitFile;
        }
        String file = SERVICE_FILES.get(command);
        return file == null || !Files.isRegularFile(Path.of(file)) ? null : Path.of(file);
    }

    /** The properties of a command's file, checked against its options once. */
    Properties properties(CommandSpec command) {
        return loaded.computeIfAbsent(command.name(), name -> load(command));
    }

    private Properties load(CommandSpec command) {
        Path file = fileFor(command.name());
        Properties properties = new Properties();
        if (file == null) {
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(command.commandLine(), file + ": cannot be read (" + e.getMessage()
                    + ")");
        }
        Set<String> known = new TreeSet<>();
        for (OptionSpec option : command.options()) {
            known.add(key(option));
        }
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith(KAFKA_PREFIX) && !known.contains(key)) {
                throw new CommandLine.ParameterException(command.commandLine(), file + ": unknown key '" + key
                        + "' for '" + command.name() + "'; allowed: " + known + " and kafka.<client property>");
            }
        }
        return properties;
    }

    /** The Kafka client properties (kafka.* keys, prefix removed) of a command's file. */
    Properties kafkaProperties(CommandSpec command) {
        Properties kafka = new Properties();
        properties(command).forEach((key, value) -> {
            if (key.toString().startsWith(KAFKA_PREFIX)) {
                kafka.put(key.toString().substring(KAFKA_PREFIX.length()), value);
            }
        });
        return kafka;
    }

    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^--", "");
    }

    static String environmentVariable(OptionSpec option) {
        return "STREAMLEARN_" + key(option).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || option.command() == null
                || option.command().parent() == null) {
            return null;
        }
        String fromEnvironment = environment.get(environmentVariable(option));
        if (fromEnvironment != null) {
            return fromEnvironment;
        }
        return properties(option.command()).getProperty(key(option));
    }
}
