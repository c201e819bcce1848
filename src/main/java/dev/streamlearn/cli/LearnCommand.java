package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.learner.LiveModel;
import dev.streamlearn.learner.Partitioning;
import dev.streamlearn.learner.TestSet;
import dev.streamlearn.learner.Variant;
import dev.streamlearn.model.AveragingSchedule;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "learn", mixinStandardHelpOptions = true,
        description = "Run the learner: one SGD step per sample of the training topic, summaries to the monitor "
                + "topic, refused records to the dead-letter topic.")
final class LearnCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Mixin
    ModelOptions model;

    @Mixin
    LearnerOptions learner;

    @Option(names = "--partitioning", defaultValue = "single", paramLabel = "single|per-partition|averaged",
            description = "One model on a one-partition training topic; one model per partition, each trained on "
                    + "its partition's order alone; or one model trained data-parallel, a replica per partition "
                    + "averaged with the others every --average-every records (default: ${DEFAULT-VALUE}).")
    String partitioning;

    @Option(names = "--average-every", paramLabel = "K", description = "With --partitioning averaged: the replicas "
            + "meet after every K records of each partition; each replaces its parameters and optimiser state by "
            + "the average of all of them.")
    Integer averageEvery;

    @Option(names = "--stop-at-end",
            description = "Stop once everything that was in the training topic at start has been trained on.")
    boolean stopAtEnd;

    @Option(names = "--export", paramLabel = "FILE.npz", description = "Write the final weights when stopping.")
    Path export;

    @Option(names = "--report", paramLabel = "FILE.json",
            description = "When stopping, write what was trained, unlabelled and dead-lettered, the prequential "
                    + "accuracy (or MAE and RMSE) and the active alerts as JSON; with --sweep, each variant's in a "
                    + "leaderboard.")
    Path report;

    /** How long no new round must be applied before a stopping averaged learner takes its model as final. */
    private static final Duration ROUNDS_SETTLED = Duration.ofSeconds(3);

    @Override
    public Integer call() throws Exception {
        Partitioning mode = Partitioning.parse(partitioning);
        if ((mode == Partitioning.AVERAGED) != (averageEvery != null)) {
            throw new IllegalArgumentException(mode == Partitioning.AVERAGED
                    ? "--partitioning averaged needs --average-every K (records of each partition per round)"
                    : "--average-every goes with --partitioning averaged, not " + mode.flagValue());
        }
        LearnerConfig config = learner.toConfig("streamlearn-learner", kafka.topics(), model, mode,
                averageEvery == null ? null : new AveragingSchedule(averageEvery));
        List<Variant> variants = model.variants();
        boolean sweep = variants.size() > 1;
        if (sweep && mode == Partitioning.AVERAGED) {
            throw new IllegalArgumentException("--sweep trains several models; it does not go with --partitioning "
                    + "averaged");
        }
        if (mode != Partitioning.SINGLE && report != null) {
            throw new IllegalArgumentException("--report describes a learner holding one model; with --partitioning "
                    + mode.flagValue() + " the summaries of each partition are on the monitor topic (monitor --json)");
        }
        if (kafka.printedConfig()) {
            return 0;
        }
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaCluster cluster = kafka.connect();
             TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            admin.createAll(config.topics(), (short) 1);
            String topic = config.topics().train().name();
            if (mode == Partitioning.SINGLE) {
                admin.requireSinglePartition(topic);
            }
            Map<Integer, Long> ends = admin.endOffsets(topic);
            Learner running = new Learner(cluster.clientProperties(), config, variants, learner.stateDir);
            long start = System.nanoTime();
            running.start();
            System.err.println("learner " + config.applicationId() + " training " + config.model().describe()
                    + " on " + topic + switch (mode) {
                        case SINGLE -> "";
                        case PER_PARTITION -> ", one model per partition";
                        case AVERAGED -> ", one model averaged over the partitions every " + averageEvery
                                + " records of each";
                    }
                    + (sweep ? ", " + variants.size() + " variants: " + variants.stream().map(Variant::name).toList() : "")
                    + (stopAtEnd ? " up to offset" + (ends.size() > 1 ? "s " : " ") + offsets(ends) : ""));
            boolean reachedEnd = running.awaitCommitted(admin, stopAtEnd ? ends : null, signal.requested());
            if (reachedEnd && mode == Partitioning.AVERAGED) {
                running.awaitRoundsSettled(ROUNDS_SETTLED);
            } else if (reachedEnd && !config.publishInterval().isZero()) {
                running.awaitVersionOfCurrentStep(config.publishInterval().plusSeconds(5));
            }
            running.close();
            if (running.failure() != null) {
                System.err.println("learner failed: " + running.failureMessage());
                return 1;
            }
            TestSet test = sweep ? TestSet.read(cluster.clientProperties(), config.topics().test(), config.model(),
                    config.inputFormat(), Duration.ofMinutes(2)) : null;
            if (sweep && report == null) {
                System.err.print(Leaderboard.of(variants, running.liveModels(), test).text());
            }
            if (export != null && sweep) {
                for (int v = 0; v < variants.size(); v++) {
                    LiveModel live = running.liveModels().get(v);
                    for (int partition : live.partitions()) {
                        Path file = exportFile(export, variants.get(v).name()
                                + (mode == Partitioning.PER_PARTITION ? "-p" + partition : ""));
                        Npz.export(live.trainer(partition).orElseThrow().network(), file);
                        System.err.println("weights of " + variants.get(v).name() + " written to " + file);
                    }
                }
            } else if (export != null && mode == Partitioning.AVERAGED) {
                OnlineTrainer average = running.liveModel().averaged().orElseThrow(() -> new IllegalStateException(
                        "no averaging round was completed here, so there is no averaged model to export"));
                Npz.export(average.network(), export);
                System.err.println("weights of round " + running.liveModel().averagedRound() + " written to " + export);
            } else if (export != null && mode == Partitioning.PER_PARTITION) {
                for (int partition : running.liveModel().partitions()) {
                    Path file = exportFile(export, "p" + partition);
                    Npz.export(running.liveModel().trainer(partition).orElseThrow().network(), file);
                    System.err.println("weights of partition " + partition + " written to " + file);
                }
            } else if (export != null) {
                OnlineTrainer trainer = running.liveModel().trainer().orElseThrow(
                        () -> new IllegalStateException("the learner never started a model"));
                Npz.export(trainer.network(), export);
                System.err.println("weights written to " + export);
            }
            if (report != null) {
                double seconds = (System.nanoTime() - start) / 1e9;
                List<String> alerts = new ArrayList<>();
                for (int v = 0; v < variants.size(); v++) {
                    String variant = sweep ? variants.get(v).name() + ": " : "";
                    running.liveModels().get(v).progress().ifPresent(progress -> progress.activeAlerts()
                            .forEach(alert -> alerts.add(variant + Catalogue.withSeverity(alert))));
                }
                RunReport result = RunReport.of("learn", config.applicationId(), config, variants,
                        running.liveModels(), test, seconds, null, alerts, cluster.bootstrapServers());
                result.write(report);
                System.err.print(result.text());
                System.err.println("report written to " + report);
            }
            return 0;
        }
    }

    /**
     * m.npz -> m-SUFFIX.npz: the export of one of several models, e.g. {@code p3} (a partition's), {@code lr=0.01} (a
     * sweep variant's) or {@code lr=0.01-p3}.
     */
    static Path exportFile(Path export, String suffix) {
        String name = export.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return export.resolveSibling(dot < 0 ? name + "-" + suffix
                : name.substring(0, dot) + "-" + suffix + name.substring(dot));
    }

    /** "0" or "p0=120, p1=131": the end offsets a stopping learner waits for. */
    private static String offsets(Map<Integer, Long> ends) {
        if (ends.size() == 1) {
            return String.valueOf(ends.values().iterator().next());
        }
        StringBuilder text = new StringBuilder();
        ends.forEach((partition, end) -> text.append(text.length() == 0 ? "" : ", ").append("p").append(partition)
                .append('=').append(end));
        return text.toString();
    }
}
