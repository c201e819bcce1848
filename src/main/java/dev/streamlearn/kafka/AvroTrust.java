package dev.streamlearn.kafka;

import dev.streamlearn.avro.ActivationSummary;
import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.AlertState;
import dev.streamlearn.avro.Checkpoint;
import dev.streamlearn.avro.DeadLetter;
import dev.streamlearn.avro.Histogram;
import dev.streamlearn.avro.Sample;
import dev.streamlearn.avro.Severity;
import dev.streamlearn.avro.TensorRole;
import dev.streamlearn.avro.TensorStats;
import dev.streamlearn.avro.TensorSummary;
import dev.streamlearn.avro.TrainingSummary;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to instantiate generated classes it does not trust ({@code SecurityException: Forbidden}), even
 * to build a record: every class that builds or decodes the contract records calls {@link #install()} first.
 */
public final class AvroTrust {
    static {
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.DEFAULT,
                ClassSecurityValidator.builder()
                        .add(Sample.class).add(TrainingSummary.class).add(TensorSummary.class)
                        .add(TensorStats.class).add(Histogram.class).add(ActivationSummary.class)
                        .add(TensorRole.class).add(DeadLetter.class).add(Alert.class).add(AlertState.class)
                        .add(Severity.class).add(Checkpoint.class)
                        .build()));
    }

    private AvroTrust() {
    }

    /** Trusts exactly the generated contract classes (idempotent: the work happens once, at class load). */
    public static void install() {
        // The static initialiser does the work.
    }
}
