package dev.streamlearn.monitor;

import dev.streamlearn.avro.TrainingSummary;
import java.util.OptionalInt;

/** One diagnosis: a named condition on the summaries, what it means, and what to change. */
interface Rule {

    /** Kebab-case name, used in summaries, alerts, metrics and reports. */
    String name();

    /** One sentence: what is wrong when the rule holds (thresholds included). */
    String explanation();

    /** One sentence: what to change. */
    String fix();

    /**
     * Whether the condition holds on the newest summary.
     *
     * @return the 1-based layer it points at, 0 for the whole model, or empty when it does not hold
     */
    OptionalInt evaluate(TrainingSummary summary, SummaryHistory history);
}
