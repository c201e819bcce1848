package dev.streamlearn.diagnosis;

import dev.streamlearn.avro.Severity;
import java.util.List;
import java.util.OptionalInt;

/**
 * One diagnosis, as data: a name, how bad it is, its named thresholds, how many summaries running its condition must
 * hold to raise it and must not hold to clear it, what it means and what to change (both formatted from the
 * thresholds), and the condition itself.
 *
 * @param name kebab-case name used in summaries, alerts, metrics and reports
 * @param severity INFO for what is worth knowing but not wrong, WARNING for training going wrong, CRITICAL for a
 *                 model being damaged now
 * @param raiseAfter summaries running the condition must hold before it is raised (1 where one summary is proof;
 *                   more where per-sample training makes a single window noisy)
 * @param clearAfter summaries running it must not hold before the active alert clears
 * @param thresholds the constants the condition compares against, each named in the texts as {@code {name}}
 * @param explanationTemplate one sentence: what is wrong
 * @param fixTemplate one sentence: what to change
 * @param condition the test on the newest summary
 */
public record Rule(String name, Severity severity, int raiseAfter, int clearAfter, List<Threshold> thresholds,
                   String explanationTemplate, String fixTemplate, Condition condition) {

    public Rule {
        thresholds = List.copyOf(thresholds);
        if (raiseAfter < 1 || clearAfter < 1) {
            throw new IllegalArgumentException(name + ": raiseAfter and clearAfter must be >= 1");
        }
    }

    public String explanation() {
        return format(explanationTemplate);
    }

    public String fix() {
        return format(fixTemplate);
    }

    OptionalInt evaluate(dev.streamlearn.avro.TrainingSummary summary, SummaryHistory history) {
        return condition.holds(summary, history);
    }

    private String format(String template) {
        String text = template;
        for (Threshold threshold : thresholds) {
            text = text.replace("{" + threshold.name() + "}", threshold.formatted());
        }
        if (text.contains("{")) {
            throw new IllegalStateException(name + ": no threshold for a placeholder in '" + template + "'");
        }
        return text;
    }
}
