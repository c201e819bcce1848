package dev.streamlearn.diagnosis;

import dev.streamlearn.avro.TrainingSummary;
import java.util.OptionalInt;

/** The test a rule applies to the newest summary. */
@FunctionalInterface
interface Condition {

    /**
     * @return the 1-based layer the condition points at, 0 for the whole model, or empty when it does not hold
     */
    OptionalInt holds(TrainingSummary summary, SummaryHistory history);
}
