package dev.streamlearn.cli;

import dev.streamlearn.join.JoinConfig;
import dev.streamlearn.join.LabelJoin;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "join", mixinStandardHelpOptions = true,
        description = "Join features to labels that arrive later (same key, within a window of record time) and "
                + "write the labelled records to the training topic, exactly once.")
final class JoinCommand implements Callable<Integer> {
    /** How often the counts are printed while the join runs. */
    private static final long STATUS_EVERY_MS = 10_000;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--features", required = true, paramLabel = "TOPIC",
            description = "Records to label (Sample, Features or JSON), keyed as their labels.")
    String featuresTopic;

    @Option(names = "--labels", required = true, paramLabel = "TOPIC",
            description = "Labels (schemas/Label.avsc, or JSON such as {\"label\": 3} or {\"target\": 2.5}), keyed "
                    + "as their features; as many partitions as --features.")
    String labelsTopic;

    @Option(names = "--within", required = true, paramLabel = "DURATION",
            description = "How far apart in record time features and their label may be: 500ms, 30s, 5m.")
    String within;

    @Option(names = "--to-topic", paramLabel = "TOPIC",
            description = "Where labelled records go (default: the training topic; one partition).")
    String toTopic;

    @Option(names = "--unlabelled-topic", paramLabel = "TOPIC",
            description = "Keep features whose label did not arrive in time here (default: only count them).")
    String unlabelledTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "Where records that are neither features nor labels go (default: the --to-topic name + "
                    + ".join.dlq).")
    String deadLetterTopic;

    @Option(names = "--application-id", defaultValue = "streamlearn-join",
            description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Mixin
    InputOptions input;

    @Option(names = "--state-dir", defaultValue = "data/streams", paramLabel = "DIR",
            description = "Kafka Streams local state: the join's windows (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        String training = toTopic == null ? kafka.topics().train().name() : toTopic;
        Duration window = Durations.parse("--within", within);
        if (window.isZero()) {
            throw new IllegalArgumentException("--within is '" + within + "', expected a duration > 0");
        }
        JoinConfig config = new JoinConfig(applicationId, featuresTopic, labelsTopic, input.format(), window,
                training, unlabelledTopic,
                deadLetterTopic == null ? training + ".join.dlq" : deadLetterTopic);
        if (kafka.printedConfig()) {
            return 0;
        }
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaCluster cluster = kafka.connect()) {
            try (TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
                admin.createAll(kafka.topics(), (short) 1);
                int features = admin.partitions(featuresTopic).orElseThrow(() -> new IllegalArgumentException(
                        "--features " + featuresTopic + " does not exist"));
                int labels = admin.partitions(labelsTopic).orElseThrow(() -> new IllegalArgumentException(
                        "--labels " + labelsTopic + " does not exist"));
                if (features != labels) {
                    throw new IllegalArgumentException("--features " + featuresTopic + " has " + features
                            + " partitions and --labels " + labelsTopic + " " + labels + "; a join by key needs "
                            + "both partitioned alike");
                }
                admin.createIfMissing(training, 1, (short) 1);
                admin.requireSinglePartition(training);
                admin.createIfMissing(config.deadLetterTopic(), 1, (short) 1);
                if (unlabelledTopic != null) {
                    admin.createIfMissing(unlabelledTopic, features, (short) 1);
                }
            }
            try (LabelJoin join = new LabelJoin(cluster.clientProperties(), config, stateDir)) {
                join.start();
                System.err.println("joining " + featuresTopic + " and " + labelsTopic + " within " + within + " -> "
                        + training + (unlabelledTopic == null ? "" : " (unlabelled -> " + unlabelledTopic + ")"));
                long lastStatus = System.currentTimeMillis();
                while (!signal.requested().await(250, TimeUnit.MILLISECONDS)) {
                    if (join.failure() != null) {
                        System.err.println("join stopped: " + join.failure());
                        return 1;
                    }
                    if (System.currentTimeMillis() - lastStatus >= STATUS_EVERY_MS) {
                        System.err.println("join: " + join.counts());
                        lastStatus = System.currentTimeMillis();
                    }
                }
                System.err.println("join: " + join.counts());
            }
        }
        return 0;
    }
}
