package dev.streamlearn.cli;

import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.data.CsvTable;
import dev.streamlearn.data.FeatureTable;
import dev.streamlearn.data.JsonLinesTable;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.SyntheticStreams;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.producer.Drift;
import dev.streamlearn.producer.LateLabels;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.ProgressBar;
import dev.streamlearn.producer.SampleProducer;
import dev.streamlearn.producer.TableRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Stream an MNIST split, or your own rows (CSV, JSON lines, a synthetic stream), into the "
                + "training (or test) topic as Avro records keyed by row.")
final class ProduceCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    DataOptions data;

    @ArgGroup(exclusive = true)
    Rows rows;

    /** Where the rows come from when they are not MNIST. */
    static final class Rows {
        @Option(names = "--csv", paramLabel = "FILE|-",
                description = "A CSV file with a header row (- for standard input).")
        String csv;

        @Option(names = "--jsonl", paramLabel = "FILE|-",
                description = "JSON lines: {\"features\": [...], \"label\": 3} or \"target\": 2.5 (- for standard input).")
        String jsonl;

        @Option(names = "--synthetic", paramLabel = "NAME",
                description = "A generated stream: identity (x uniform in [-1, 1], target x), --count rows, --seed.")
        String synthetic;
    }

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "CSV: the label's column (default: a column named label, else the rows are unlabelled).")
    String labelColumn;

    @Option(names = "--feature-columns", paramLabel = "A,B,...", split = ",",
            description = "CSV: the feature columns, in order (default: every other column).")
    List<String> featureColumns = List.of();

    @Option(names = "--label-type", paramLabel = "class|number",
            description = "CSV: learn the label as a class or a number (default: inferred, and said).")
    String labelType;

    @Option(names = "--skip-bad-rows",
            description = "Send the good rows and count the malformed ones (default: a malformed row stops the run "
                    + "before anything is sent).")
    boolean skipBadRows;

    @Option(names = "--count", defaultValue = "10000",
            description = "--synthetic: rows to generate (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--format", defaultValue = "avro", paramLabel = "avro|json",
            description = "Your rows as Avro Features records or as JSON objects (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N samples in file order (0 = all).")
    int limit;

    @Option(names = "--shuffle", description = "Send each epoch in a seeded random order.")
    boolean shuffle;

    @Option(names = "--seed", defaultValue = "0",
            description = "Shuffle seed, and the seed of --synthetic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--epochs", defaultValue = "1", description = "Passes over the data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--rate", defaultValue = "0", description = "Samples per second (default: 0 = unlimited).")
    double rate;

    @Option(names = "--to-topic", paramLabel = "TOPIC",
            description = "Send to this topic instead of the --split's (created with one partition if missing).")
    String toTopic;

    @Option(names = "--labels-to", paramLabel = "TOPIC",
            description = "Features now, labels later: send each row without its label (an image with label -1), "
                    + "and its label to this topic, keyed as the row, a random delay later (see join).")
    String labelsTo;

    @Option(names = "--label-delay", defaultValue = "5s", paramLabel = "DURATION",
            description = "With --labels-to: each label's delay is uniform in [0, DURATION], seeded by --seed "
                    + "(default: ${DEFAULT-VALUE}).")
    String labelDelay;

    @Option(names = "--drift", paramLabel = "AT:KIND", description = "Change the stream from position AT of the send "
            + "order on (repeatable; the records say nothing): permute-labels (a fixed seeded relabelling of the "
            + "classes), rotate (images 90 degrees clockwise), invert (255 - pixel), shift-target[=DELTA] (numeric "
            + "targets plus DELTA, default 1).")
    List<String> drift = List.of();

    @Option(names = "--start-id", defaultValue = "0",
            description = "Resume a partial load from this position of the send order (default: 0).")
    long startId;

    @Override
    public Integer call() throws Exception {
        Mnist.Split which = Mnist.Split.parse(split);
        ProduceOptions options = new ProduceOptions(limit, shuffle, seed, epochs, rate, startId);
        Duration delay = Durations.parse("--label-delay", labelDelay);
        boolean json = switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "avro" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("--format is '" + format + "', expected avro or json");
        };
        FeatureTable.Target type = labelType == null ? null : FeatureTable.Target.parse(labelType);
        List<Drift> drifts = drift.stream().map(Drift::parse).toList();
        if (!drifts.isEmpty() && (json || labelsTo != null)) {
            throw new IllegalArgumentException("--drift changes Avro records as they are sent; it does not go with "
                    + (json ? "--format json" : "--labels-to"));
        }
        if (kafka.printedConfig()) {
            return 0;
        }
        if (rows == null) {
            Mnist samples = data.load(which);
            requireStartInRange(samples.count());
            try (KafkaCluster cluster = kafka.connect()) {
                Topic<Long, Sample> topic = destination(cluster, which, Topics.SAMPLE_SERDE);
                return send(cluster, topic, SampleProducer.samples(samples), delay, options,
                        Drift.onSamples(drifts, seed, 10));
            }
        }
        FeatureTable table = readTable(type);
        requireStartInRange(table.count());
        if (labelsTo != null && table.target() == FeatureTable.Target.NONE) {
            throw new IllegalArgumentException("--labels-to " + labelsTo + ": " + table.name() + " has no labels to "
                    + "send later");
        }
        try (KafkaCluster cluster = kafka.connect()) {
            if (json) {
                return send(cluster, destination(cluster, which, Serdes.ByteArray()), TableRows.json(table), delay, options,
                        (record, position) -> record);
            }
            return send(cluster, destination(cluster, which, Topics.FEATURES_SERDE), TableRows.features(table), delay,
                    options, Drift.onFeatures(drifts, seed, classCount(table)));
        }
    }

    /** The topic rows go to (--to-topic, or the split's), created with the deployment's topics. */
    private <T> Topic<Long, T> destination(KafkaCluster cluster, Mnist.Split which, Serde<T> values) {
        Topics topics = kafka.topics();
        String name = toTopic != null ? toTopic : which == Mnist.Split.TRAIN ? topics.train().name()
                : topics.test().name();
        try (TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            admin.createAll(topics, (short) 1);
            admin.createIfMissing(name, 1, (short) 1);
            if (labelsTo != null) {
                admin.createIfMissing(labelsTo, 1, (short) 1);
            }
        }
        return new Topic<>(name, Serdes.Long(), values);
    }

    /** Sends the rows, with their labels or, with --labels-to, the labels later. */
    private <T> int send(KafkaCluster cluster, Topic<Long, T> topic, LateLabels.Rows<T> rowsToSend,
                         Duration delay, ProduceOptions options, Drift.Applied<T> drifted) {
        SampleProducer producer = new SampleProducer(cluster.clientProperties());
        try (ShutdownSignal signal = new ShutdownSignal(producer::requestStop)) {
            if (labelsTo == null) {
                return send(topic.name(), rowsToSend.count(),
                        bar -> producer.produce(topic, rowsToSend, options, drifted, bar));
            }
            System.err.println("labels to " + labelsTo + ", each up to " + labelDelay + " after its row");
            return send(topic.name(), rowsToSend.count(), bar -> producer.produceWithLateLabels(topic, rowsToSend,
                    new Topic<>(labelsTo, Serdes.Long(), Serdes.ByteArray()), delay, options, bar));
        }
    }

    /** Reads and checks every row first, says what it read, and fails on a malformed row unless told to skip. */
    private FeatureTable readTable(FeatureTable.Target type) throws IOException {
        FeatureTable table;
        if (rows.synthetic != null) {
            table = SyntheticStreams.generate(rows.synthetic, count, seed);
        } else if (rows.csv != null) {
            try (BufferedReader in = open(rows.csv)) {
                table = CsvTable.read(name(rows.csv), in, new CsvTable.Columns(labelColumn, featureColumns, type,
                        skipBadRows));
            }
        } else {
            try (BufferedReader in = open(rows.jsonl)) {
                table = JsonLinesTable.read(name(rows.jsonl), in, skipBadRows);
            }
        }
        if (table.count() == 0) {
            throw new IllegalArgumentException(table.name() + ": no rows to send");
        }
        System.err.println(table.name() + ": " + table.count() + " rows of " + table.featureCount() + " features, "
                + switch (table.target()) {
                    case CLASS -> "labels read as classes" + (type == null ? " (inferred; --label-type number to "
                            + "learn numbers)" : "") + (table.classNames().isEmpty() ? ""
                            : ": " + classList(table.classNames()));
                    case NUMBER -> "labels read as numbers" + (type == null ? " (inferred; --label-type class to "
                            + "learn classes)" : "");
                    case NONE -> "unlabelled";
                } + (table.skipped() > 0 ? "; " + table.skipped() + " malformed rows skipped" : ""));
        return table;
    }

    /** The classes a table's labels name: 0 to the largest label. */
    private static int classCount(FeatureTable table) {
        return table.target() == FeatureTable.Target.CLASS ? Arrays.stream(table.labels()).max().orElse(0) + 1
                : 0;
    }

    private static String classList(List<String> names) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < names.size(); c++) {
            text.append(c == 0 ? "" : ", ").append(names.get(c)).append('=').append(c);
        }
        return text.toString();
    }

    private static BufferedReader open(String file) throws IOException {
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(file + ": no such readable file");
        }
        return Files.newBufferedReader(path, StandardCharsets.UTF_8);
    }

    private static String name(String file) {
        return file.equals("-") ? "stdin" : file;
    }

    private void requireStartInRange(int rowCount) {
        long total = (long) (limit == 0 ? rowCount : Math.min(limit, rowCount)) * epochs;
        if (startId >= total) {
            throw new IllegalArgumentException("--start-id " + startId + " is past the last of the " + total
                    + " samples this run sends (positions 0 to " + (total - 1) + "); nothing to send");
        }
    }

    /** Sends with a progress bar and says what was sent. */
    private int send(String topicName, int rowCount, Function<LongConsumer, SampleProducer.Result> produce) {
        int perEpoch = limit == 0 ? rowCount : Math.min(limit, rowCount);
        ProgressBar bar = new ProgressBar(System.err, topicName, (long) perEpoch * epochs - startId);
        SampleProducer.Result result = produce.apply(bar::update);
        bar.finish(result.sent());
        System.out.printf(Locale.ROOT, "sent %,d samples to %s in %.1f s (%,.0f samples/s)%n", result.sent(),
                topicName, result.seconds(), result.samplesPerSecond());
        return 0;
    }
}
