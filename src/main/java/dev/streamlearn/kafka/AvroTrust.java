package dev.streamlearn.kafka;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.ActiveAlert;
import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.AveragingRound;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.ClassProbability;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.DiagnosisState;
import dev.streamlearn.avro.DriftDetection;
import dev.streamlearn.avro.DriftState;
import dev.streamlearn.avro.Features;
import dev.streamlearn.avro.Histogram;
import dev.streamlearn.avro.Label;
import dev.streamlearn.avro.LearnerState;
import dev.streamlearn.avro.Prediction;
import dev.streamlearn.avro.RegressionState;
import dev.streamlearn.avro.RegressionSummary;
import dev.streamlearn.avro.RoundContribution;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.Severity;
import dev.streamlearn.avro.TensorRole;
import dev.streamlearn.avro.TensorStats;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.avro.WindowState;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro settings every class that builds or decodes the contract records installs first ({@link #install()}): Avro 1.12
 * refuses to instantiate generated classes it does not trust ({@code SecurityException: Forbidden}), even to build a
 * record; and it allocates whatever a length prefix claims before reading it, so a record of a few bytes claiming a
 * gigabyte of pixels would exhaust the heap. Its limits ({@code org.apache.avro.limits.*}, unless set already) are
 * set from what a record here can hold: no bytes or string longer than the largest record, no collection longer
 * than {@link #MAX_COLLECTION_ITEMS}.
 */
public final class AvroTrust {
    /** Far above the longest list a contract record holds (histogram bins, units per layer, tensors). */
    public static final int MAX_COLLECTION_ITEMS = 1_000_000;

    static {
        System.setProperty("org.apache.avro.limits.bytes.maxLength",
                System.getProperty("org.apache.avro.limits.bytes.maxLength", String.valueOf(Topics.MAX_RECORD_BYTES)));
        System.setProperty("org.apache.avro.limits.string.maxLength",
                System.getProperty("org.apache.avro.limits.string.maxLength",
                        String.valueOf(Topics.MAX_RECORD_BYTES)));
        System.setProperty("org.apache.avro.limits.collectionItems.maxLength",
                System.getProperty("org.apache.avro.limits.collectionItems.maxLength",
                        String.valueOf(MAX_COLLECTION_ITEMS)));
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.DEFAULT,
                ClassSecurityValidator.builder()
                        .add(Sample.class).add(Features.class).add(TrainingSummary.class).add(TensorSummary.class)
                        .add(TensorStats.class).add(Histogram.class).add(ActivationSummary.class)
                        .add(TensorRole.class).add(DeadLetter.class).add(Alert.class).add(AlertState.class)
                        .add(Severity.class).add(Checkpoint.class).add(LearnerState.class)
                        .add(WindowState.class).add(RegressionState.class).add(RegressionSummary.class)
                        .add(DiagnosisState.class).add(ActiveAlert.class).add(Prediction.class)
                        .add(ClassProbability.class).add(Label.class).add(RoundContribution.class)
                        .add(AveragingRound.class)
                        .add(DriftDetection.class).add(DriftState.class)
                        .build()));
    }

    private AvroTrust() {
    }

    /** Trusts exactly the generated contract classes and sets the limits (once, at class load). */
    public static void install() {
        // The static initialiser does the work.
    }
}
