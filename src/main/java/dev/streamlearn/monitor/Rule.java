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
     * How many summaries running the condition must hold before it is raised. Three for conditions read off one
     * 100-sample window or one step, which per-sample training makes noisy; one where a single summary is proof.
     */
    default int raiseAfter() {
        return 3;
    }

    /** How many summaries running the condition must not hold before its active alert clears. */
    default int clearAfter() {
        return 5;
    }

    /**
     * Whether the condition holds on the newest summary.
     *
     * @return the 1-based layer it points at, 0 for the whole model, or empty when it does not hold
     */
    OptionalInt evaluate(TrainingSummary summary, SummaryHistory history);
}
