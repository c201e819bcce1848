package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.serving.InferenceConfig;
import dev.streamlearn.serving.ModelFollower;
import dev.streamlearn.serving.PredictionServer;
import dev.streamlearn.serving.StreamingInference;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Predict with a learner's newest model version on the models topic, swapping in each new "
                + "version as it is published: from a features topic to a predictions topic (--from-topic, "
                + "--to-topic; any number of instances share the partitions), over HTTP (--http: POST /predict, "
                + "GET /model), or both.")
final class ServeCommand implements Callable<Integer> {
    private static final String DEFAULT_HTTP = "127.0.0.1:8090";

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--http", paramLabel = "HOST:PORT",
            description = "Answer over HTTP here (default without --from-topic: " + DEFAULT_HTTP + ", loopback "
                    + "only).")
    String http;

    @Option(names = "--from-topic", paramLabel = "TOPIC",
            description = "Predict every record of this features topic (Sample or Features, or JSON with "
                    + "--input-format json), exactly once.")
    String fromTopic;

    @Option(names = "--to-topic", paramLabel = "TOPIC",
            description = "Where the predictions of --from-topic go, keyed as their input (created with its "
                    + "partitions if missing).")
    String toTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC",
            description = "Where input records that cannot be predicted go, with the reason (default: the "
                    + "--to-topic name + .dlq).")
    String deadLetterTopic;

    @Option(names = "--application-id",
            description = "Kafka Streams application id of the streaming inference; instances sharing it share the "
                    + "partitions (default: streamlearn-serve- + the --to-topic name).")
    String applicationId;

    @Mixin
    InputOptions input;

    @Mixin
    PredictionOptions prediction;

    @Option(names = "--model-of", paramLabel = "APPLICATION_ID",
            description = "Whose versions to serve (default: the only learner on the models topic).")
    String learner;

    @Option(names = "--pin", paramLabel = "STEP", defaultValue = "-1",
            description = "Serve this version only, instead of following the newest.")
    long pin;

    @Override
    public Integer call() throws Exception {
        if ((fromTopic == null) != (toTopic == null)) {
            throw new IllegalArgumentException("--from-topic and --to-topic go together: give both or neither");
        }
        InetSocketAddress address = http == null && fromTopic != null ? null
                : HttpAddress.parse(http == null ? DEFAULT_HTTP : http);
        InferenceConfig inference = fromTopic == null ? null : new InferenceConfig(
                applicationId == null ? "streamlearn-serve-" + toTopic : applicationId, fromTopic, input.format(),
                toTopic, deadLetterTopic == null ? toTopic + ".dlq" : deadLetterTopic, prediction.top());
        if (kafka.printedConfig()) {
            return 0;
        }
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaCluster cluster = kafka.connect()) {
            int trainingPartitions;
            try (TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
                admin.createAll(kafka.topics(), (short) 1);
                trainingPartitions = admin.partitions(kafka.topics().train().name()).orElse(1);
                if (inference != null) {
                    int partitions = admin.partitions(inference.inputTopic()).orElseThrow(() ->
                            new IllegalArgumentException("--from-topic " + inference.inputTopic()
                                    + " does not exist"));
                    admin.createIfMissing(inference.predictionsTopic(), partitions, (short) 1);
                    admin.createIfMissing(inference.deadLetterTopic(), partitions, (short) 1);
                }
            }
            String whose = (learner == null ? "the learner" : learner) + "'s model versions"
                    + (pin >= 0 ? " (step " + pin + " only)" : "") + " from " + kafka.topics().models().name();
            try (ModelFollower follower = new ModelFollower(cluster.clientProperties(), kafka.topics().models(),
                    learner, pin, trainingPartitions);
                 PredictionServer server = address == null ? null : PredictionServer.start(address, follower)) {
                if (server != null) {
                    System.err.println("serving " + whose + " at " + server.uri() + "predict");
                }
                if (inference == null) {
                    return awaitStop(signal, follower, null);
                }
                System.err.println("waiting for the first of " + whose);
                while (!follower.ready()) {
                    if (follower.failure().isPresent() || signal.requested().await(100, TimeUnit.MILLISECONDS)) {
                        return awaitStop(signal, follower, null);
                    }
                }
                try (StreamingInference streaming = new StreamingInference(cluster.clientProperties(), inference,
                        follower)) {
                    streaming.start();
                    System.err.println("predicting " + inference.inputTopic() + " -> " + inference.predictionsTopic()
                            + " (dead letters: " + inference.deadLetterTopic() + ") with " + whose + ", as "
                            + inference.applicationId());
                    return awaitStop(signal, follower, streaming);
                }
            }
        }
    }

    /** Serves until asked to stop (0), or until following the versions or the streaming inference fails (1). */
    private static int awaitStop(ShutdownSignal signal, ModelFollower follower, StreamingInference streaming)
            throws InterruptedException {
        while (!signal.requested().await(250, TimeUnit.MILLISECONDS)) {
            if (follower.failure().isPresent()) {
                System.err.println("serve stopped: " + follower.failure().get().getMessage());
                return 1;
            }
            if (streaming != null && streaming.failure() != null) {
                System.err.println("serve stopped: " + streaming.failure());
                return 1;
            }
        }
        return 0;
    }
}
