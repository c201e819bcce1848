package dev.streamlearn.cli;

import dev.streamlearn.kafka.KafkaCluster;
import dev.streamlearn.kafka.TopicAdmin;
import dev.streamlearn.learner.Learner;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.diagnosis.Catalogue;
import dev.streamlearn.learner.LiveModel;
import dev.streamlearn.model.Npz;
import dev.streamlearn.model.OnlineTrainer;
import java.util.List;
import java.nio.file.Path;
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

    @Option(names = "--stop-at-end",
            description = "Stop once everything that was in the training topic at start has been trained on.")
    boolean stopAtEnd;

    @Option(names = "--export", paramLabel = "FILE.npz", description = "Write the final weights when stopping.")
    Path export;

    @Option(names = "--report", paramLabel = "FILE.json",
            description = "When stopping, write what was trained, unlabelled and dead-lettered, the prequential "
                    + "accuracy (or MAE and RMSE) and the active alerts as JSON.")
    Path report;

    @Override
    public Integer call() throws Exception {
        LearnerConfig config = learner.toConfig("streamlearn-learner", kafka.topics(), model);
        if (kafka.printedConfig()) {
            return 0;
        }
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaCluster cluster = kafka.connect();
             TopicAdmin admin = new TopicAdmin(cluster.clientProperties())) {
            admin.createAll(config.topics(), (short) 1);
            admin.requireSinglePartition(config.topics().train().name());
            long end = admin.endOffset(config.topics().train().name());
            Learner running = new Learner(cluster.clientProperties(), config, learner.stateDir);
            long start = System.nanoTime();
            running.start();
            System.err.println("learner " + config.applicationId() + " training " + config.model().describe()
                    + " on " + config.topics().train().name() + (stopAtEnd ? " up to offset " + end : ""));
            boolean reachedEnd = running.awaitCommitted(admin, stopAtEnd ? end : Long.MAX_VALUE, signal.requested());
            if (reachedEnd && !config.publishInterval().isZero()) {
                running.awaitVersionOfCurrentStep(config.publishInterval().plusSeconds(5));
            }
            running.close();
            if (running.failure() != null) {
                System.err.println("learner failed: " + running.failureMessage());
                return 1;
            }
            if (export != null || report != null) {
                OnlineTrainer trainer = running.liveModel().trainer().orElseThrow(
                        () -> new IllegalStateException("the learner never started a model"));
                if (export != null) {
                    Npz.export(trainer.network(), export);
                    System.err.println("weights written to " + export);
                }
                if (report != null) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    LiveModel.Progress progress = running.liveModel().progress().orElseThrow();
                    RunReport.Prequential prequential = RunReport.Prequential.of(trainer);
                    List<String> alerts = progress.activeAlerts().stream().map(Catalogue::withSeverity).toList();
                    RunReport result = new RunReport("learn", config.applicationId(), config.applicationId(),
                            trainer.config().name(), trainer.config().describe(), trainer.updates(),
                            progress.unlabelled(), progress.rejected() + progress.skipped(), seconds,
                            trainer.updates() / seconds, prequential.accuracy(), prequential.mae(),
                            prequential.rmse(), null, 0, null, alerts, config.topics().prefix(),
                            cluster.bootstrapServers());
                    result.write(report);
                    System.err.print(result.text());
                    System.err.println("report written to " + report);
                }
            }
            return 0;
        }
    }
}
