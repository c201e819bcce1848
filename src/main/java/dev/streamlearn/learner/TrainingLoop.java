package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.StepOutcome;
import dev.streamlearn.monitor.Diagnosis;
import java.util.List;

/**
 * The learner's work on one accepted sample, without Kafka: the SGD step, the window bookkeeping, and every summary
 * interval a summary with its diagnosis. The processor feeds it records; tests and scenarios feed it arrays.
 */
final class TrainingLoop {
    private final OnlineTrainer trainer;
    private final int summaryInterval;
    private final SummaryFactory summaries;
    private final Diagnosis diagnosis = new Diagnosis();
    private SummaryFactory.WindowSpan span;
    private long rejected;
    private long skipped;

    TrainingLoop(OnlineTrainer trainer, int summaryInterval, SummaryFactory summaries) {
        this.trainer = trainer;
        this.summaryInterval = summaryInterval;
        this.summaries = summaries;
    }

    /** What one sample produced: the step, and the summary and alert transitions when it closed a window. */
    record Result(StepOutcome outcome, TrainingSummary summary, List<Alert> alerts) {
    }

    OnlineTrainer trainer() {
        return trainer;
    }

    /** Counts a record refused before it reached the model. */
    void countRejected() {
        rejected++;
    }

    Result train(byte[] pixels, int label, int partition, long offset, long timestamp) {
        if ((trainer.updates() + 1) % summaryInterval == 0) {
            trainer.captureNextUpdate();
        }
        StepOutcome outcome = trainer.step(pixels, label);
        if (!outcome.applied()) {
            skipped++;
            return new Result(outcome, null, List.of());
        }
        span = span == null
                ? new SummaryFactory.WindowSpan(partition, offset, offset, timestamp, timestamp, System.nanoTime())
                : new SummaryFactory.WindowSpan(span.partition(), span.firstOffset(), offset, span.firstEventTime(),
                        timestamp, span.startNanos());
        if (trainer.updates() % summaryInterval != 0) {
            return new Result(outcome, null, List.of());
        }
        TrainingSummary summary = summaries.build(trainer, span, rejected, skipped);
        List<Alert> transitions = diagnosis.observe(summary);
        summary.setAlerts(diagnosis.activeRules());
        trainer.window().reset();
        span = null;
        return new Result(outcome, summary, transitions);
    }
}
