package dev.streamlearn.learner;

import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.kafka.Topics;
import dev.streamlearn.model.AveragingSchedule;
import dev.streamlearn.model.ModelConfig;
import dev.streamlearn.model.ModelSnapshot;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a learner needs besides Kafka's own client settings.
 *
 * @param applicationId Kafka Streams application id (and consumer group); one id is one training run
 * @param topics where samples come from and summaries and dead letters go
 * @param model the network and optimiser to train
 * @param summaryInterval a summary every this many applied steps, > 0
 * @param snapshotInterval the learner's state is written to its changelogged store every this many input records
 *                         (trained, refused or skipped alike), > 0: a restored learner re-applies at most this many
 * @param histogramBins bins of every weight and gradient histogram, > 0
 * @param initFrom NumPy weights to start from instead of the initialiser, or null
 * @param evaluationInterval held-out accuracy on the test topic every this many steps (batched), 0 = never
 * @param checkpointInterval a full checkpoint to the checkpoint topic every this many steps, 0 = never
 * @param stopOffset input records at or after this offset are left alone (a replay's --to-offset)
 * @param startCheckpoint a checkpoint to start from instead of a fresh model (a replay from a checkpoint), or null
 * @param inputFormat how the training topic's records are written
 * @param publishInterval a model version to the models topic this often (wall time) when the model has changed, and
 *                        when the record before the stop offset has been trained; zero = never
 * @param predictionTop a test-then-train prediction of every accepted record to the predictions topic, listing this
 *                      many of its most probable classes; 0 = no predictions
 * @param partitioning one model, one model per partition of the training topic, or one model averaged over them
 * @param averaging when the replicas of an averaged model meet; null unless partitioning is averaged
 * @param onDrift what the learner does when its detector signals a concept drift
 */
public record LearnerConfig(String applicationId, Topics topics, ModelConfig model, int summaryInterval,
                            int snapshotInterval, int histogramBins, Path initFrom, int evaluationInterval,
                            int checkpointInterval, long stopOffset, Checkpoint startCheckpoint,
                            InputFormat inputFormat, Duration publishInterval, int predictionTop,
                            Partitioning partitioning, AveragingSchedule averaging, DriftResponse onDrift) {

    public static final int DEFAULT_SUMMARY_INTERVAL = 100;
    public static final int DEFAULT_SNAPSHOT_INTERVAL = 10_000;
    public static final int DEFAULT_HISTOGRAM_BINS = 30;
    public static final int DEFAULT_EVALUATION_INTERVAL = 10_000;
    public static final int DEFAULT_CHECKPOINT_INTERVAL = 10_000;
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(1);
    /** Room in a checkpoint record for what it holds besides the snapshot: learner state, configuration, names. */
    static final int LEARNER_STATE_ALLOWANCE = 1024 * 1024;

    private static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** A builder with the default intervals, no starting weights and no stop offset. */
    public static Builder builder(String applicationId, Topics topics, ModelConfig model) {
        return new Builder(applicationId, topics, model);
    }

    /** Every field but the three a learner cannot do without has a default; set only what differs. */
    public static final class Builder {
        private final String applicationId;
        private final Topics topics;
        private final ModelConfig model;
        private int summaryInterval = DEFAULT_SUMMARY_INTERVAL;
        private int snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
        private int histogramBins = DEFAULT_HISTOGRAM_BINS;
        private Path initFrom;
        private int evaluationInterval = DEFAULT_EVALUATION_INTERVAL;
        private int checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
        private long stopOffset = Long.MAX_VALUE;
        private Checkpoint startCheckpoint;
        private InputFormat inputFormat = InputFormat.AVRO;
        private Duration publishInterval = DEFAULT_PUBLISH_INTERVAL;
        private int predictionTop;
        private Partitioning partitioning = Partitioning.SINGLE;
        private AveragingSchedule averaging;
        private DriftResponse onDrift = DriftResponse.NOTHING;

        private Builder(String applicationId, Topics topics, ModelConfig model) {
            this.applicationId = applicationId;
            this.topics = topics;
            this.model = model;
        }

        public Builder summaryInterval(int value) {
            summaryInterval = value;
            return this;
        }

        public Builder snapshotInterval(int value) {
            snapshotInterval = value;
            return this;
        }

        public Builder histogramBins(int value) {
            histogramBins = value;
            return this;
        }

        public Builder initFrom(Path value) {
            initFrom = value;
            return this;
        }

        public Builder evaluationInterval(int value) {
            evaluationInterval = value;
            return this;
        }

        public Builder checkpointInterval(int value) {
            checkpointInterval = value;
            return this;
        }

        public Builder stopOffset(long value) {
            stopOffset = value;
            return this;
        }

        public Builder startCheckpoint(Checkpoint value) {
            startCheckpoint = value;
            return this;
        }

        public Builder inputFormat(InputFormat value) {
            inputFormat = value;
            return this;
        }

        public Builder publishInterval(Duration value) {
            publishInterval = value;
            return this;
        }

        public Builder predictionTop(int value) {
            predictionTop = value;
            return this;
        }

        public Builder partitioning(Partitioning value) {
            partitioning = value;
            return this;
        }

        public Builder onDrift(DriftResponse value) {
            onDrift = value;
            return this;
        }

        /** Averaged partitioning, the replicas meeting on this schedule. */
        public Builder averaged(AveragingSchedule schedule) {
            partitioning = Partitioning.AVERAGED;
            averaging = schedule;
            return this;
        }

        public LearnerConfig build() {
            return new LearnerConfig(applicationId, topics, model, summaryInterval, snapshotInterval, histogramBins,
                    initFrom, evaluationInterval, checkpointInterval, stopOffset, startCheckpoint, inputFormat,
                    publishInterval, predictionTop, partitioning, averaging, onDrift);
        }
    }

    public LearnerConfig {
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException("application id is empty");
        }
        if (summaryInterval <= 0) {
            throw new IllegalArgumentException("summary interval is " + summaryInterval + ", expected > 0");
        }
        if (snapshotInterval <= 0) {
            throw new IllegalArgumentException("snapshot interval is " + snapshotInterval + ", expected > 0");
        }
        if (evaluationInterval < 0 || evaluationInterval % summaryInterval != 0) {
            throw new IllegalArgumentException("evaluation interval is " + evaluationInterval + ", expected 0 (never) "
                    + "or a multiple of the summary interval " + summaryInterval);
        }
        if (checkpointInterval < 0 || checkpointInterval % summaryInterval != 0) {
            throw new IllegalArgumentException("checkpoint interval is " + checkpointInterval + ", expected 0 (never) "
                    + "or a multiple of the summary interval " + summaryInterval);
        }
        long snapshot = ModelSnapshot.bytes(model) + LEARNER_STATE_ALLOWANCE;
        if (snapshot > Topics.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("model " + model.describe() + ": its checkpoint (model, optimiser state and learner state) would be "
                    + mebibytes(snapshot) + ", over the " + mebibytes(Topics.MAX_RECORD_BYTES) + " a Kafka record holds "
                    + "here (the learner keeps its whole state in one record); use fewer or narrower layers, or an "
                    + "optimiser that keeps fewer copies of the weights (" + model.optimizer().name() + " keeps "
                    + model.optimizer().stateCopies() + ")");
        }
        if (publishInterval == null || publishInterval.isNegative()) {
            throw new IllegalArgumentException("publish interval is " + publishInterval + ", expected >= 0 (0 = never)");
        }
        if (predictionTop < 0) {
            throw new IllegalArgumentException("prediction top is " + predictionTop + ", expected >= 0 (0 = none)");
        }
        if ((partitioning == Partitioning.AVERAGED) != (averaging != null)) {
            throw new IllegalArgumentException("an averaging schedule goes with averaged partitioning, and only with it "
                    + "(partitioning " + partitioning.flagValue() + ", schedule " + averaging + ")");
        }
        if (partitioning == Partitioning.AVERAGED && (startCheckpoint != null || stopOffset != Long.MAX_VALUE)) {
            throw new IllegalArgumentException("averaged partitioning does not replay from a checkpoint or stop at an "
                    + "offset: replay it with a new application id from the start");
        }
        if (onDrift == null) {
            throw new IllegalArgumentException("no response to drift given (--on-drift nothing for none)");
        }
        if (histogramBins <= 0) {
            throw new IllegalArgumentException("histogram bins is " + histogramBins + ", expected > 0");
        }
    }

    /**
     * The configuration of one variant's processor: the variant's id in place of the application id (its outputs and
     * versions carry it) and its model; the Kafka Streams application, its group and its input stay the learner's.
     */
    public LearnerConfig forVariant(Variant variant) {
        return new LearnerConfig(variant.id(applicationId), topics, variant.model(), summaryInterval, snapshotInterval,
                histogramBins, initFrom, evaluationInterval, checkpointInterval, stopOffset, startCheckpoint,
                inputFormat, publishInterval, predictionTop, partitioning, averaging, onDrift);
    }

    /** Whether the learner writes a prediction of every accepted record before it learns from it. */
    public boolean predictions() {
        return predictionTop > 0;
    }

    /** The key of the model versions of the model trained on a partition. */
    public String modelKey(int partition) {
        return new ModelKey(applicationId, partitioning == Partitioning.PER_PARTITION ? partition : ModelKey.SINGLE)
                .text();
    }
}
