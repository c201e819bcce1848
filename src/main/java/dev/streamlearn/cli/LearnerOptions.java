package dev.streamlearn.cli;

import dev.streamlearn.kafka.Topics;
import dev.streamlearn.learner.LearnerConfig;
import dev.streamlearn.learner.Partitioning;
import dev.streamlearn.model.AveragingSchedule;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Learner settings shared by learn and run. */
final class LearnerOptions {
    @Option(names = "--application-id",
            description = "Kafka Streams application id; one id is one training run (learn: streamlearn-learner; "
                    + "run: streamlearn-RUNID).")
    String applicationId;

    @Option(names = "--summary-interval", defaultValue = "100",
            description = "A training summary every N steps (default: ${DEFAULT-VALUE}).")
    int summaryInterval;

    @Option(names = "--snapshot-interval", defaultValue = "10000",
            description = "The learner's state goes to its changelogged store every N input records, trained or "
                    + "refused (default: ${DEFAULT-VALUE}).")
    int snapshotInterval;

    @Option(names = "--histogram-bins", defaultValue = "30",
            description = "Bins of weight and gradient histograms (default: ${DEFAULT-VALUE}).")
    int histogramBins;

    @Option(names = "--evaluation-interval", defaultValue = "10000",
            description = "Held-out accuracy on the test topic every N steps, batched (default: ${DEFAULT-VALUE}; "
                    + "0 = never).")
    int evaluationInterval;

    @Option(names = "--checkpoint-interval", defaultValue = "10000",
            description = "A full checkpoint to the checkpoint topic every N steps (default: ${DEFAULT-VALUE}; "
                    + "0 = never).")
    int checkpointInterval;

    @Mixin
    InputOptions input;

    @Option(names = "--publish-every", defaultValue = "1s", paramLabel = "DURATION",
            description = "A model version to the models topic this often (wall time) while the model changes, and "
                    + "at the end: 500ms, 1s, 2m, or 0 for never (default: ${DEFAULT-VALUE}).")
    String publishEvery;

    @Option(names = "--predictions",
            description = "Write a prediction of every accepted record, made by the model just before it learns the "
                    + "record, to the predictions topic (unlabelled records are predicted, not learned).")
    boolean predictions;

    @Mixin
    PredictionOptions prediction;

    @Mixin
    DriftOptions drift;

    @Option(names = "--state-dir", defaultValue = "data/streams",
            description = "Kafka Streams local state (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    /** The config, with defaultApplicationId unless --application-id was given. */
    LearnerConfig toConfig(String defaultApplicationId, Topics topics, ModelOptions model) {
        return toConfig(defaultApplicationId, topics, model, Partitioning.SINGLE, null);
    }

    /**
     * As above, with one model, one per partition of the training topic, or one averaged over them on a schedule
     * (learn); the schedule is null unless the partitioning is averaged.
     */
    LearnerConfig toConfig(String defaultApplicationId, Topics topics, ModelOptions model,
                           Partitioning partitioning, AveragingSchedule averaging) {
        LearnerConfig.Builder builder = LearnerConfig.builder(applicationId == null ? defaultApplicationId
                        : applicationId, topics, model.toConfig())
                .summaryInterval(summaryInterval).snapshotInterval(snapshotInterval).histogramBins(histogramBins)
                .initFrom(model.initFrom).evaluationInterval(evaluationInterval).checkpointInterval(checkpointInterval)
                .inputFormat(input.format()).publishInterval(Durations.parse("--publish-every", publishEvery))
                .predictionTop(predictions ? prediction.top() : 0).partitioning(partitioning)
                .onDrift(drift.response());
        return (averaging == null ? builder : builder.averaged(averaging)).build();
    }
}
