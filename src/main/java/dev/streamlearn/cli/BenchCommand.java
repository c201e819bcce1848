package dev.streamlearn.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.data.CsvTable;
import dev.streamlearn.data.FeatureTable;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.learner.SummaryCost;
import dev.streamlearn.model.AveragingSchedule;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.Objective;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.OptimizerSpec;
import dev.streamlearn.model.SeededRandom;
import dev.streamlearn.monitor.SummaryTail;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.SampleProducer;
import dev.streamlearn.producer.TableRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Speed and accuracy figures, printed; never asserted by tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Train one epoch of MNIST in file order (after a JIT warm-up on a throwaway model; best of "
                + "3) and print samples/s, GFLOP/s, test accuracy, the cost of summaries every 100 steps (the "
                + "learner's loop with and without them, taking turns by 1,000 samples) and peak memory; with --e2e, "
                + "also time the producer and the exactly-once learner on a fresh embedded broker.")
final class BenchCommand implements Callable<Integer> {
    private static final int WARMUP_SAMPLES = 60_000;
    /** Epochs the end-to-end warm-up round produces and learns. */
    private static final int WARMUP_EPOCHS = 3;

    /** Measured epochs; the fastest is reported. */
    private static final int ROUNDS = 3;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--e2e", description = "Also produce four epochs into an embedded broker, time the producer's "
            + "last, and time one learner on all four: its last epoch (and, for comparison, its first).")
    boolean endToEnd;

    @Option(names = "--features", paramLabel = "N", description = "Instead of MNIST: your own data's path, on a "
            + "dense logistic regression of N features (rows drawn at random, labelled by a fixed plane): time "
            + "produce --csv on a file of " + FEATURE_ROWS + " rows (read, check, send), then one learner of Features "
            + "records through an embedded broker, timed on its last of four epochs.")
    int features;

    @Option(names = "--serving", description = "Instead: predictions. The learner with and without --predictions, "
            + "one streaming-inference instance's predictions/s, and POST /predict latency at "
            + ServingBench.REQUESTS_PER_SECOND + " requests/s while a learner trains in another process (its drop in "
            + "throughput, and the age of the versions served).")
    boolean serving;

    @Option(names = "--simulate-partitions", paramLabel = "P,...", split = ",", description = "Instead: train P "
            + "replicas of the model in this process on the split of one epoch that a P-partition topic gets from the "
            + "producer, averaged as the averaged learner does, for each P; print one-epoch test accuracy and the "
            + "averaging traffic a cluster of one-core learners would carry at this machine's step rate.")
    List<Integer> simulatePartitions;

    @Option(names = "--partitions", paramLabel = "P", description = "Instead: the aggregate samples/s of 1..P learner "
            + "processes on a P-partition topic (the broker in a process of its own), one model per partition and one "
            + "averaged over them every --average-every records; and what an averaging round costs by model and P.")
    Integer partitions;

    @Option(names = "--average-every", paramLabel = "K,...", split = ",", defaultValue = "100,1000,10000",
            description = "With --simulate-partitions or --partitions: the averaging intervals, in records of each "
                    + "partition (default: ${DEFAULT-VALUE}).")
    List<Integer> averageEvery;

    /** Rows of the --features file: one epoch. */
    static final int FEATURE_ROWS = 200_000;

    @Override
    public Integer call() throws Exception {
        model.requireNoSweep("bench");
        if (features > 0) {
            return ownData();
        }
        if (simulatePartitions != null) {
            return simulate();
        }
        if (partitions != null) {
            return scale();
        }
        if (serving) {
            print(new ServingBench(model.toConfig(), data.load(Mnist.Split.TRAIN)).run());
            return 0;
        }
        ModelConfig config = model.toConfig();
        Mnist train = data.load(Mnist.Split.TRAIN);
        Mnist test = data.load(Mnist.Split.TEST);
        // Warm the JIT on throwaway models, so the figures are the steady state and not the compiler's work.
        trainEpoch(new OnlineTrainer(config), train, WARMUP_SAMPLES);
        SummaryCost.measure(config, train, LearnerConfig.DEFAULT_SUMMARY_INTERVAL);
        OnlineTrainer trainer = null;
        double seconds = Double.POSITIVE_INFINITY;
        // Plain SGD of the same model takes turns with the optimiser, so their ratio comes from the same moments.
        boolean againstSgd = !(config.optimizer() instanceof OptimizerSpec.Sgd);
        double sgdSeconds = Double.POSITIVE_INFINITY;
        for (int round = 0; round < ROUNDS; round++) {
            OnlineTrainer candidate = new OnlineTrainer(config);
            double candidateSeconds = timeEpoch(candidate, train);
            if (candidateSeconds < seconds) {
                seconds = candidateSeconds;
                trainer = candidate;
            }
            if (againstSgd) {
                sgdSeconds = Math.min(sgdSeconds, timeEpoch(new OnlineTrainer(config.withPlainSgd()), train));
            }
        }
        SummaryCost.Figures monitoring = SummaryCost.measure(config, train, LearnerConfig.DEFAULT_SUMMARY_INTERVAL);
        double testAccuracy = new BatchEvaluator(trainer.network(), 1000).accuracy(test.pixels(), test.labels());
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", config.name());
        figures.put("description", config.describe());
        figures.put("samplesPerSecond", train.count() / seconds);
        figures.put("gflops", flopsPerSample(config.layers()) * train.count() / seconds / 1e9);
        figures.put("testAccuracy", testAccuracy);
        figures.put("prequentialAccuracy", trainer.window().cumulativeAccuracy());
        figures.put("seconds", seconds);
        if (againstSgd) {
            figures.put("sgdSamplesPerSecond", train.count() / sgdSeconds);
            figures.put("toSgd", sgdSeconds / seconds);
        }
        figures.put("samplesPerSecondWithSummaries", monitoring.samplesPerSecond());
        figures.put("summaryOverheadPercent", monitoring.overheadPercent());
        if (endToEnd) {
            figures.putAll(endToEnd(config, train));
            // The end-to-end target for the larger models is a fraction of the model-only rate of the same run.
            double modelOnly = train.count() / seconds;
            figures.put("learnerToModelOnly", (double) figures.get("learnerSamplesPerSecond") / modelOnly);
        }
        figures.put("peakRssMiB", peakRssMiB());
        figures.put("openblasCoretype", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
        print(figures);
        return 0;
    }

    private int scale() throws Exception {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions is " + partitions + ", expected >= 1");
        }
        averageEvery.forEach(AveragingSchedule::new);
        Map<String, Object> figures = new PartitionsBench(model.toConfig(), data.load(Mnist.Split.TRAIN))
                .run(partitions, averageEvery);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> costs = (List<Map<String, Object>>) figures.remove("roundCost");
        if (json) {
            figures.put("roundCost", costs);
            print(figures);
            return 0;
        }
        print(figures);
        System.out.printf(Locale.ROOT, "%nan averaging round: %-6s %10s %14s %14s %14s %12s%n", "model", "partitions",
                "contribution", "written", "read", "average ms");
        for (Map<String, Object> row : costs) {
            System.out.printf(Locale.ROOT, "%20s%-6s %10d %12.2f MB %11.2f MB %11.2f MB %12.2f%n", "", row.get("model"),
                    row.get("partitions"), (int) row.get("contributionBytes") / 1e6,
                    (long) row.get("roundWrittenBytes") / 1e6, (long) row.get("roundReadBytes") / 1e6,
                    row.get("averageMillis"));
        }
        return 0;
    }

    private int simulate() throws IOException, InterruptedException {
        for (int partitions : simulatePartitions) {
            if (partitions <= 0) {
                throw new IllegalArgumentException("--simulate-partitions holds " + partitions + ", expected > 0");
            }
        }
        averageEvery.forEach(AveragingSchedule::new);
        ModelConfig config = model.toConfig();
        List<Map<String, Object>> rows = new PartitionSimulation(config, data.load(Mnist.Split.TRAIN),
                data.load(Mnist.Split.TEST)).run(simulatePartitions, averageEvery);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(rows));
            return 0;
        }
        System.out.println(config.describe() + ", one epoch; averaging traffic at this machine's one-core step rate");
        System.out.printf(Locale.ROOT, "%10s %8s %7s %9s %11s %11s %11s %14s %14s%n", "partitions", "every",
                "rounds", "accuracy", "points-off", "divergence", "lr*P: off", "written MiB/s", "read MiB/s");
        for (Map<String, Object> row : rows) {
            System.out.printf(Locale.ROOT, "%10d %8d %7d %9.4f %11.2f %11.4f %11.2f %14.1f %14.1f%n",
                    row.get("partitions"), row.get("averageEvery"), row.get("rounds"), row.get("testAccuracy"),
                    row.get("pointsBelowOnePartition"), row.get("lastRoundRelativeDivergence"),
                    row.get("pointsBelowOnePartitionLearningRateTimesP"), row.get("writtenMiBPerSecond"),
                    row.get("readMiBPerSecond"));
        }
        return 0;
    }

    /**
     * The --features figures: produce --csv's rate (reading, checking and sending the file, as the command does) and
     * the learner's on Features records, timed on its last epoch after three as for MNIST.
     */
    private int ownData() throws Exception {
        ModelConfig config = ModelConfig.preset("M2").name("logistic-" + features).layers(List.of(features, 1))
                .loss(Objective.SIGMOID_CROSS_ENTROPY).positiveClass(1).build();
        Path work = Files.createTempDirectory("streamlearn-bench");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", config.describe());
        try (KafkaCluster cluster = KafkaCluster.connect(null, work.resolve("kafka"), new Properties());
             TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            Path csv = work.resolve("rows.csv");
            writeRows(csv, features, FEATURE_ROWS);
            figures.put("csvMiB", Files.size(csv) / (1024.0 * 1024.0));
            Topics topics = new Topics("bench-features.");
            admin.createAll(topics, (short) 1);
            Topic<Long, Features> topic = topics.train().withValues(Topics.FEATURES_SERDE);
            SampleProducer producer = new SampleProducer(cluster.clientProperties());
            double produceSeconds = Double.POSITIVE_INFINITY;
            double readSeconds = Double.POSITIVE_INFINITY;
            for (int epoch = 0; epoch <= WARMUP_EPOCHS; epoch++) {
                long start = System.nanoTime();
                FeatureTable table;
                try (var in = Files.newBufferedReader(csv)) {
                    table = CsvTable.read(csv.toString(), in, new CsvTable.Columns("label", List.of(), null, false));
                }
                long read = System.nanoTime();
                producer.produce(topic, TableRows.features(table), ProduceOptions.all(), sent -> { });
                readSeconds = Math.min(readSeconds, (read - start) / 1e9);
                produceSeconds = Math.min(produceSeconds, (System.nanoTime() - start) / 1e9);
            }
            figures.put("csvReadRowsPerSecond", FEATURE_ROWS / readSeconds);
            figures.put("produceCsvRowsPerSecond", FEATURE_ROWS / produceSeconds);
            long warmup = (long) WARMUP_EPOCHS * FEATURE_ROWS;
            LearnerRates learner = timeLearner(cluster, admin, topics, config, warmup, warmup + FEATURE_ROWS,
                    work.resolve("streams"));
            figures.put("learnerSamplesPerSecond", learner.lastEpoch());
            figures.put("learnerFirstEpochSamplesPerSecond", learner.firstEpoch());
        } finally {
            deleteRecursively(work);
        }
        figures.put("peakRssMiB", peakRssMiB());
        print(figures);
        return 0;
    }

    /** A CSV of rows of features uniform in [-1, 1] (3 decimals) and a label: which side of a fixed plane. */
    private static void writeRows(Path file, int columns, int rows) throws IOException {
        SeededRandom random = new SeededRandom(1);
        float[] plane = new float[columns];
        for (int c = 0; c < columns; c++) {
            plane[c] = (float) random.uniform(-1, 1);
        }
        try (var out = Files.newBufferedWriter(file)) {
            for (int c = 0; c < columns; c++) {
                out.write("x" + c + ",");
            }
            out.write("label\n");
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < rows; r++) {
                line.setLength(0);
                double side = 0;
                for (int c = 0; c < columns; c++) {
                    int thousandths = (int) Math.round(random.uniform(-1, 1) * 1000);
                    side += plane[c] * thousandths;
                    line.append(thousandths / 1000.0).append(',');
                }
                line.append(side > 0 ? 1 : 0).append('\n');
                out.write(line.toString());
            }
        }
    }

    void print(Map<String, Object> figures) throws IOException {
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(figures));
        } else {
            figures.forEach((key, value) -> System.out.printf(Locale.ROOT, "%-28s %s%n", key,
                    value instanceof Double d ? String.format(Locale.ROOT, "%,.4f", d) : value));
        }
    }

    private static double timeEpoch(OnlineTrainer trainer, Mnist train) {
        long start = System.nanoTime();
        trainEpoch(trainer, train, train.count());
        return (System.nanoTime() - start) / 1e9;
    }

    private static void trainEpoch(OnlineTrainer trainer, Mnist train, int samples) {
        byte[] image = new byte[train.pixelsPerImage()];
        for (int i = 0; i < samples; i++) {
            System.arraycopy(train.pixels(), i * image.length, image, 0, image.length);
            trainer.step(image, train.labels()[i]);
        }
    }

    /** Forward 2 in out per layer; weight gradient 2 in out; back-propagation 2 in out below the output layer. */
    static double flopsPerSample(List<Integer> layers) {
        double flops = 0;
        for (int l = 1; l < layers.size(); l++) {
            double macs = (double) layers.get(l - 1) * layers.get(l);
            flops += 4 * macs + (l > 1 ? 2 * macs : 0);
        }
        return flops;
    }

    /**
     * Producer and learner through a fresh embedded broker, one topic. The producer sends WARMUP_EPOCHS epochs and
     * then, timed, one more (resuming after them); one learner then trains on all of them and is timed on the last
     * epoch: the earlier ones pay for JIT compilation of the Kafka client and training paths, as in any long-running
     * service, where a learner's first epoch ran at two thirds of its later speed.
     */
    private Map<String, Object> endToEnd(ModelConfig config, Mnist train) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Path work = Files.createTempDirectory("streamlearn-bench");
        try (KafkaCluster cluster = KafkaCluster.connect(null, work.resolve("kafka"), new Properties());
             TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            Topics topics = new Topics("bench.");
            admin.createAll(topics, (short) 1);
            long warmupSamples = (long) WARMUP_EPOCHS * train.count();
            new SampleProducer(cluster.clientProperties()).produce(topics.train(), train,
                    new ProduceOptions(0, false, 0, WARMUP_EPOCHS, 0, 0), sent -> { });
            SampleProducer.Result produced = new SampleProducer(cluster.clientProperties()).produce(topics.train(),
                    train, new ProduceOptions(0, false, 0, WARMUP_EPOCHS + 1, 0, warmupSamples), sent -> { });
            figures.put("producerSamplesPerSecond", produced.samplesPerSecond());
            LearnerRates learner = timeLearner(cluster, admin, topics, config, warmupSamples,
                    warmupSamples + train.count(), work.resolve("streams"));
            figures.put("learnerSamplesPerSecond", learner.lastEpoch());
            figures.put("learnerFirstEpochSamplesPerSecond", learner.firstEpoch());
        } finally {
            deleteRecursively(work);
        }
        return figures;
    }

    /** The learner's samples/s over its last epoch, and over its first (JIT compilation under way), for comparison. */
    record LearnerRates(double lastEpoch, double firstEpoch) {
    }

    /**
     * Times a learner over steps (from, to], from the first record of the first summary window after step from to the
     * last record of the last one, and likewise over its first epoch.
     */
    static LearnerRates timeLearner(KafkaCluster cluster, TopicAdmin admin, Topics topics, ModelConfig config,
                                    long from, long to, Path stateDir) throws InterruptedException {
        return timeLearner(cluster, admin, topics, config, from, to, stateDir, 0);
    }

    /** As above, the learner writing a test-then-train prediction of every record when predictionTop > 0. */
    static LearnerRates timeLearner(KafkaCluster cluster, TopicAdmin admin, Topics topics, ModelConfig config,
                                    long from, long to, Path stateDir, int predictionTop) throws InterruptedException {
        // No held-out evaluation: the figure is training throughput with summaries, snapshots and checkpoints.
        LearnerConfig learnerConfig = LearnerConfig.builder("bench-" + stateDir.getFileName(), topics, config)
                .evaluationInterval(0).predictionTop(predictionTop).build();
        int epoch = (int) (to - from);
        AtomicReference<TrainingSummary> firstEpochStart = new AtomicReference<>();
        AtomicReference<TrainingSummary> firstEpochEnd = new AtomicReference<>();
        AtomicReference<TrainingSummary> first = new AtomicReference<>();
        AtomicReference<TrainingSummary> last = new AtomicReference<>();
        SummaryTail monitor = SummaryTail.follow(cluster.clientProperties(), topics.monitor(), summary -> {
            if (summary.getLastStep() <= epoch) {
                firstEpochStart.compareAndSet(null, summary);
                firstEpochEnd.set(summary);
            }
            if (summary.getFirstStep() > from) {
                first.compareAndSet(null, summary);
                last.set(summary);
            }
        });
        try (Learner learner = new Learner(cluster.clientProperties(), learnerConfig, stateDir)) {
            learner.start();
            learner.awaitCommitted(admin, admin.endOffset(topics.train().name()), new CountDownLatch(1));
        }
        monitor.awaitStep(to, 1, Duration.ofSeconds(10));
        monitor.close();
        return new LearnerRates(rate(first.get(), last.get()), rate(firstEpochStart.get(), firstEpochEnd.get()));
    }

    /** Samples/s from the first record of start's window to the last record of end's. */
    static double rate(TrainingSummary start, TrainingSummary end) {
        if (start == null || end == null || end == start) {
            return Double.NaN;
        }
        double span = (end.getProcessedAt().toEpochMilli() - start.getProcessedAt().toEpochMilli()) / 1e3
                + (start.getLastStep() - start.getFirstStep() + 1) / start.getSamplesPerSecond();
        return (end.getLastStep() - start.getFirstStep() + 1) / span;
    }

    static long peakRssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
