package dev.streamlearn.kafka;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Label;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.RoundContribution;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.TrainingSummary;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of one deployment, all named {@code PREFIX + base name}. Keys are longs: the sample id on the sample
 * topics, the last step on the monitor topic, the input offset on the dead-letter topic, the step on the alert topic.
 * The training topic has a single partition: one partition is one total order of samples, which is what makes a
 * model a function of topic offsets.
 */
public final class Topics {
    /**
     * The largest record any topic, changelog, fetch or request here carries: a whole model snapshot or checkpoint
     * (parameters and optimiser state; M4 with Adam is ~3 MB) must fit in one.
     */
    public static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    public static final String TRAIN = "mnist.train";
    public static final String TEST = "mnist.test";
    public static final String MONITOR = "learner.monitor";
    public static final String DEAD_LETTER = "learner.dlq";
    public static final String ALERTS = "learner.alerts";
    public static final String CHECKPOINTS = "learner.checkpoints";
    public static final String MODELS = "learner.models";
    public static final String PREDICTIONS = "learner.predictions";
    public static final String ROUNDS = "learner.rounds";

    /** A {@code Sample}'s label when it has none yet (schemas/Sample.avsc): predicted, not learned. */
    public static final int NO_LABEL = -1;

    public static final AvroSerde<Sample> SAMPLE_SERDE = AvroSerde.of(Sample.class);
    public static final AvroSerde<Features> FEATURES_SERDE = AvroSerde.of(Features.class);
    public static final AvroSerde<TrainingSummary> SUMMARY_SERDE = AvroSerde.of(TrainingSummary.class);
    public static final AvroSerde<DeadLetter> DEAD_LETTER_SERDE = AvroSerde.of(DeadLetter.class);
    public static final AvroSerde<Alert> ALERT_SERDE = AvroSerde.of(Alert.class);
    public static final AvroSerde<Checkpoint> CHECKPOINT_SERDE = AvroSerde.of(Checkpoint.class);
    public static final AvroSerde<Prediction> PREDICTION_SERDE = AvroSerde.of(Prediction.class);
    public static final AvroSerde<Label> LABEL_SERDE = AvroSerde.of(Label.class);
    public static final AvroSerde<RoundContribution> ROUND_SERDE = AvroSerde.of(RoundContribution.class);

    private final String prefix;
    private final String outputPrefix;

    /** Every topic named PREFIX + base name. */
    public Topics(String prefix) {
        this(prefix, prefix);
    }

    /** Sample topics named with prefix, the learner's output topics (monitor, alerts, ...) with outputPrefix. */
    public Topics(String prefix, String outputPrefix) {
        for (String candidate : new String[] {prefix, outputPrefix}) {
            if (candidate == null || !candidate.matches("[A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("topic prefix '" + candidate + "' may only hold letters, digits, "
                        + "'.', '_' and '-'");
            }
        }
        this.prefix = prefix;
        this.outputPrefix = outputPrefix;
    }

    public String prefix() {
        return prefix;
    }

    /** The same sample topics, with the learner's outputs under another prefix (a replay's own topics). */
    public Topics withOutputPrefix(String newOutputPrefix) {
        return new Topics(prefix, newOutputPrefix);
    }

    public Topic<Long, Sample> train() {
        return new Topic<>(prefix + TRAIN, Serdes.Long(), SAMPLE_SERDE);
    }

    public Topic<Long, Sample> test() {
        return new Topic<>(prefix + TEST, Serdes.Long(), SAMPLE_SERDE);
    }

    /** The training topic read as raw bytes: the learner decodes itself so undecodable records reach the DLQ. */
    public Topic<byte[], byte[]> trainRaw() {
        Serde<byte[]> bytes = Serdes.ByteArray();
        return new Topic<>(prefix + TRAIN, bytes, bytes);
    }

    public Topic<Long, TrainingSummary> monitor() {
        return new Topic<>(outputPrefix + MONITOR, Serdes.Long(), SUMMARY_SERDE);
    }

    public Topic<Long, DeadLetter> deadLetter() {
        return new Topic<>(outputPrefix + DEAD_LETTER, Serdes.Long(), DEAD_LETTER_SERDE);
    }

    public Topic<Long, Alert> alerts() {
        return new Topic<>(outputPrefix + ALERTS, Serdes.Long(), ALERT_SERDE);
    }

    public Topic<Long, Checkpoint> checkpoints() {
        return new Topic<>(outputPrefix + CHECKPOINTS, Serdes.Long(), CHECKPOINT_SERDE);
    }

    /**
     * Model versions, keyed by the learner's application id and compacted: the newest version of every learner stays.
     * A version is a {@link Checkpoint} without learner state: the model that was trained up to its offset.
     */
    public Topic<String, Checkpoint> models() {
        return new Topic<>(outputPrefix + MODELS, Serdes.String(), CHECKPOINT_SERDE);
    }

    /**
     * The replicas' contributions to the averaging rounds of learners with --partitioning averaged, keyed by
     * {@code application/round/partition}; one partition, so every replica reads one log in one order.
     */
    public Topic<String, RoundContribution> rounds() {
        return new Topic<>(outputPrefix + ROUNDS, Serdes.String(), ROUND_SERDE);
    }

    /** The learner's test-then-train predictions (learn --predictions), keyed by the input record's key bytes. */
    public Topic<byte[], Prediction> predictions() {
        return predictions(outputPrefix + PREDICTIONS);
    }

    /** A topic of predictions by any name (serve --to-topic), keyed by the input record's key bytes. */
    public static Topic<byte[], Prediction> predictions(String name) {
        return new Topic<>(name, Serdes.ByteArray(), PREDICTION_SERDE);
    }

    /** A topic of dead letters by any name (serve's own). */
    public static Topic<Long, DeadLetter> deadLetters(String name) {
        return new Topic<>(name, Serdes.Long(), DEAD_LETTER_SERDE);
    }
}
