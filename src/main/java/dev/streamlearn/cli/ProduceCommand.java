package dev.streamlearn.cli;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.ProgressBar;
import dev.streamlearn.producer.SampleProducer;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Stream an MNIST split into the sample topic as Avro records keyed by sample id.")
final class ProduceCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    DataOptions data;

    @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N samples in file order (0 = all).")
    int limit;

    @Option(names = "--shuffle", description = "Send each epoch in a seeded random order.")
    boolean shuffle;

    @Option(names = "--seed", defaultValue = "0", description = "Shuffle seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "1", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--rate", defaultValue = "0", description = "Samples per second (default: 0 = unlimited).")
    double rate;

    @Option(names = "--start-id", defaultValue = "0",
            description = "Resume a partial load from this position of the send order (default: 0).")
    long startId;

    @Override
    public Integer call() throws Exception {
        Mnist.Split which = Mnist.Split.parse(split);
        ProduceOptions options = new ProduceOptions(limit, shuffle, seed, epochs, rate, startId);
        if (kafka.printedConfig()) {
            return 0;
        }
        Mnist samples = data.load(which);
        long total = (long) (limit == 0 ? samples.count() : Math.min(limit, samples.count())) * epochs;
        if (startId >= total) {
            throw new IllegalArgumentException("--start-id " + startId + " is past the last of the " + total
                    + " samples this run sends (positions 0 to " + (total - 1) + "); nothing to send");
        }
        try (KafkaCluster cluster = kafka.connect()) {
            Topics topics = kafka.topics();
            try (TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
                admin.createAll(topics, (short) 1);
            }
            var topic = which == Mnist.Split.TRAIN ? topics.train() : topics.test();
            SampleProducer producer = new SampleProducer(cluster.clientProperties());
            try (ShutdownSignal signal = new ShutdownSignal(producer::requestStop)) {
                return produce(producer, topic, samples, options);
            }
        }
    }

    private int produce(SampleProducer producer, Topic<Long, Sample> topic, Mnist samples, ProduceOptions options) {
        int perEpoch = limit == 0 ? samples.count() : Math.min(limit, samples.count());
        ProgressBar bar = new ProgressBar(System.err, topic.name(), (long) perEpoch * epochs - startId);
        SampleProducer.Result result = producer.produce(topic, samples, options, bar::update);
        bar.finish(result.sent());
        System.out.printf(Locale.ROOT, "sent %,d samples to %s in %.1f s (%,.0f samples/s)%n", result.sent(),
                topic.name(), result.seconds(), result.samplesPerSecond());
        return 0;
    }
}
