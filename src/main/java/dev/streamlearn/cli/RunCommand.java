package dev.streamlearn.cli;

import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.Features;
import dev.streamlearn.data.FeatureTable;
import dev.streamlearn.data.Mnist;
import dev.streamlearn.data.SyntheticStreams;
import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.Topic;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.learner.TestSet;
import dev.streamlearn.learner.Variant;
import dev.streamlearn.model.Npz;
import dev.streamlearn.monitor.DashboardServer;
import dev.streamlearn.monitor.SummaryTail;
import dev.streamlearn.monitor.SummaryFormat;
import dev.streamlearn.producer.ProduceOptions;
import dev.streamlearn.producer.ProgressBar;
import dev.streamlearn.producer.SampleProducer;
import dev.streamlearn.producer.TableRows;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole job in one command. Every run gets a fresh run id that prefixes its topics and names its application
 * id, so two runs never share data or state.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Broker (embedded unless --bootstrap-servers), topics, producer, learner and monitor in one "
                + "process: train on the train split, evaluate on the test split, print a report (a synthetic "
                + "scenario such as seed004-identity streams its own rows instead).")
final class RunCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions model;

    @Mixin
    LearnerOptions learner;

    @Option(names = "--train-samples", defaultValue = "60000",
            description = "Train on the first N training samples (default: ${DEFAULT-VALUE}).")
    int trainSamples;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write the final report as JSON.")
    Path report;

    @Option(names = "--export", paramLabel = "FILE.npz", description = "Write the final weights as NumPy arrays.")
    Path export;

    @Option(names = "--http", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Serve the live dashboard and /metrics there (default: ${DEFAULT-VALUE}; a busy port falls "
                    + "back to a free one; 'off' for none).")
    String http;

    @Option(names = "--print-every", defaultValue = "10",
            description = "Print every Nth summary while training (default: ${DEFAULT-VALUE}; 0 = none).")
    int printEvery;

    @Override
    public Integer call() throws Exception {
        List<Variant> variants = model.variants();
        boolean sweep = variants.size() > 1;
        if (kafka.printedConfig()) {
            return 0;
        }
        if (trainSamples <= 0) {
            throw new IllegalArgumentException("--train-samples is " + trainSamples + ", expected > 0");
        }
        if (report != null && export != null && report.toAbsolutePath().normalize()
                .equals(Npz.configPathFor(export).toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--report " + report + " is the file --export " + export
                    + " writes the model config to; give the report another name");
        }
        String runId = "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        Topics topics = new Topics(kafka.topicPrefix + runId + ".");
        LearnerConfig config = learner.toConfig("streamlearn-" + runId, topics, model);
        String stream = model.syntheticStream();
        Mnist train = stream == null ? data.load(Mnist.Split.TRAIN) : null;
        Mnist test = stream == null ? data.load(Mnist.Split.TEST) : null;
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaCluster cluster = kafka.connect();
             TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            CountDownLatch interrupted = signal.requested();
            System.err.println("run " + runId + ": Kafka at " + cluster.bootstrapServers()
                    + (cluster.isEmbedded() ? " (embedded, data in " + kafka.kafkaDir + ")" : ""));
            admin.createAll(topics, (short) 1);
            if (stream == null) {
                produce(cluster, topics.train(), train, trainSamples);
                produce(cluster, topics.test(), test, 0);
            } else {
                FeatureTable rows = SyntheticStreams.generate(stream, trainSamples, 0);
                Topic<Long, Features> topic = topics.train().withValues(Topics.FEATURES_SERDE);
                ProgressBar bar = new ProgressBar(System.err, topic.name(), rows.count());
                bar.finish(new SampleProducer(cluster.clientProperties()).produce(topic, TableRows.features(rows),
                        ProduceOptions.all(), bar::update).sent());
            }
            long endOffset = admin.endOffset(topics.train().name());

            DashboardServer dashboard = startDashboard();
            AtomicLong monitorRecords = new AtomicLong();
            Set<String> alerts = new LinkedHashSet<>();
            SummaryTail monitor = SummaryTail.follow(cluster.clientProperties(), topics.monitor(), summary -> {
                long count = monitorRecords.incrementAndGet();
                String learnerId = summary.getApplicationId().toString();
                String variant = sweep ? learnerId.substring(config.applicationId().length() + 1) + ": " : "";
                synchronized (alerts) {
                    summary.getAlerts().forEach(alert -> alerts.add(variant + Catalogue.withSeverity(alert)));
                }
                if (printEvery > 0 && count % printEvery == 0) {
                    System.err.println(SummaryFormat.LINE.format(summary));
                }
                if (dashboard != null) {
                    dashboard.publish(summary);
                }
            });

            Learner running = new Learner(cluster.clientProperties(), config, variants, learner.stateDir);
            long start = System.nanoTime();
            running.start();
            System.err.println("learner " + config.applicationId() + ": " + config.model().describe()
                    + (sweep ? ", " + variants.size() + " variants: " + variants.stream().map(Variant::name).toList()
                    : ""));
            boolean finished = running.awaitCommitted(admin, endOffset, interrupted);
            double seconds = (System.nanoTime() - start) / 1e9;
            running.close();
            if (finished) {
                long lastSummaryStep = trainSamples / config.summaryInterval() * config.summaryInterval();
                monitor.awaitStep(lastSummaryStep, variants.size(), Duration.ofSeconds(30));
            }
            monitor.close();
            if (dashboard != null) {
                dashboard.close();
            }
            if (running.failure() != null) {
                System.err.println("learner failed: " + running.failureMessage());
                return 1;
            }
            if (!finished) {
                System.err.println("run " + runId + " interrupted; its topics keep what was done (prefix "
                        + topics.prefix() + ")");
                return 130;
            }
            TestSet testSet = stream == null ? TestSet.read(cluster.clientProperties(), topics.test(), config.model(),
                    config.inputFormat(), Duration.ofMinutes(2)) : null;
            List<String> alertList;
            synchronized (alerts) {
                alertList = List.copyOf(alerts);
            }
            RunReport result = RunReport.of("run", runId, config, variants, running.liveModels(), testSet, seconds,
                    monitorRecords.get(), alertList, cluster.bootstrapServers());
            System.out.print(result.text());
            if (report != null) {
                result.write(report);
                System.out.println("report written to " + report);
            }
            if (export != null) {
                for (int v = 0; v < variants.size(); v++) {
                    Path file = sweep ? LearnCommand.exportFile(export, variants.get(v).name()) : export;
                    Npz.export(running.liveModels().get(v).trainer().orElseThrow().network(), file);
                    System.out.println("weights" + (sweep ? " of " + variants.get(v).name() : "") + " written to "
                            + file + " (config in " + Npz.configPathFor(file) + ")");
                }
            }
            return 0;
        }
    }

    /** The dashboard on --http, on a free port when that one is taken, or null with --http off. */
    private DashboardServer startDashboard() {
        if ("off".equalsIgnoreCase(http)) {
            return null;
        }
        java.net.InetSocketAddress address = HttpAddress.parse(http);
        DashboardServer dashboard;
        try {
            dashboard = DashboardServer.start(address);
        } catch (java.io.UncheckedIOException busy) {
            dashboard = DashboardServer.start(new java.net.InetSocketAddress(address.getHostString(), 0));
        }
        System.err.println("dashboard at " + dashboard.uri() + " (Prometheus metrics at " + dashboard.uri()
                + "metrics)");
        return dashboard;
    }

    private static void produce(KafkaCluster cluster, Topic<Long, Sample> topic, Mnist split, int limit) {
        int count = limit == 0 ? split.count() : Math.min(limit, split.count());
        ProgressBar bar = new ProgressBar(System.err, topic.name(), count);
        SampleProducer.Result result = new SampleProducer(cluster.clientProperties())
                .produce(topic, split, new ProduceOptions(limit, false, 0, 1, 0, 0), bar::update);
        bar.finish(result.sent());
    }
}
