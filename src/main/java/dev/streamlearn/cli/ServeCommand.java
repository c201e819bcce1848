package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.serving.ModelFollower;
import dev.streamlearn.serving.PredictionServer;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Answer predictions over HTTP from a learner's newest model version on the models topic, "
                + "swapping in each new version as it is published (POST /predict, GET /model).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8090",
            description = "Where to answer (default: ${DEFAULT-VALUE}, loopback only).")
    String http;

    @Option(names = "--model-of", paramLabel = "APPLICATION_ID",
            description = "Whose versions to serve (default: the only learner on the models topic).")
    String learner;

    @Option(names = "--pin", paramLabel = "STEP", defaultValue = "-1",
            description = "Serve this version only, instead of following the newest.")
    long pin;

    @Override
    public Integer call() throws Exception {
        java.net.InetSocketAddress address = HttpAddress.parse(http);
        if (kafka.printedConfig()) {
            return 0;
        }
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaCluster cluster = kafka.connect()) {
            try (TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
                admin.createAll(kafka.topics(), (short) 1);
            }
            try (ModelFollower follower = new ModelFollower(cluster.clientProperties(), kafka.topics().models(),
                    learner, pin);
                 PredictionServer server = PredictionServer.start(address, follower::current)) {
                System.err.println("serving " + (learner == null ? "the learner" : learner) + "'s model versions"
                        + (pin >= 0 ? " (step " + pin + " only)" : "") + " from " + kafka.topics().models().name()
                        + " at " + server.uri() + "predict");
                while (!signal.requested().await(250, TimeUnit.MILLISECONDS)) {
                    if (follower.failure().isPresent()) {
                        System.err.println("serve stopped: " + follower.failure().get().getMessage());
                        return 1;
                    }
                }
            }
        }
        return 0;
    }
}
