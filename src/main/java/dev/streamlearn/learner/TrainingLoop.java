package dev.streamlearn.learner;

import dev.streamlearn.avro.Alert;
import dev.streamlearn.avro.TrainingSummary;
import dev.streamlearn.model.BatchEvaluator;
import dev.streamlearn.model.OnlineTrainer;
import dev.streamlearn.model.StepOutcome;
import dev.streamlearn.monitor.Diagnosis;
import java.util.List;
import java.util.function.Supplier;

/**
 * The learner's work on one accepted sample, without Kafka: the SGD step, the window bookkeeping, and every summary
 * interval a summary with its diagnosis. The processor feeds it records; tests and scenarios feed it arrays.
 */
final class TrainingLoop {
    private final OnlineTrainer trainer;
    private final int summaryInterval;
    private final SummaryFactory summaries;
    private final Diagnosis diagnosis = new Diagnosis();
    /** Where the open window's records came from: kept as fields, as a record per step would be garbage per step. */
    private boolean windowOpen;
    private int windowPartition;
    private long windowFirstOffset;
    private long windowLastOffset;
    private long windowFirstEventTime;
    private long windowLastEventTime;
    private long windowStartNanos;
    private long rejected;
    private long skipped;
    private BatchEvaluator evaluator;

    private final HeldOut heldOut;

    /** A held-out set and how often to score the model on it. */
    record HeldOut(Supplier<TestSet> testSet, int interval) {
        static final HeldOut NONE = new HeldOut(() -> null, 0);
    }

    TrainingLoop(OnlineTrainer trainer, int summaryInterval, SummaryFactory summaries, HeldOut heldOut) {
        this.trainer = trainer;
        this.summaryInterval = summaryInterval;
        this.summaries = summaries;
        this.heldOut = heldOut;
    }

    /** What one sample produced: the step, and the summary and alert transitions when it closed a window. */
    record Result(StepOutcome outcome, TrainingSummary summary, List<Alert> alerts) {
    }

    private Double evaluate() {
        TestSet testSet = heldOut.testSet().get();
        if (testSet == null || testSet.size() == 0) {
            return null;
        }
        if (evaluator == null) {
            evaluator = new BatchEvaluator(trainer.network(), 1000);
        }
        return evaluator.accuracy(testSet.pixels(), testSet.labels());
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
        if (!windowOpen) {
            windowOpen = true;
            windowPartition = partition;
            windowFirstOffset = offset;
            windowFirstEventTime = timestamp;
            windowStartNanos = System.nanoTime();
        }
        windowLastOffset = offset;
        windowLastEventTime = timestamp;
        if (trainer.updates() % summaryInterval != 0) {
            return new Result(outcome, null, List.of());
        }
        SummaryFactory.WindowSpan span = new SummaryFactory.WindowSpan(windowPartition, windowFirstOffset,
                windowLastOffset, windowFirstEventTime, windowLastEventTime, windowStartNanos);
        TrainingSummary summary = summaries.build(trainer, span, rejected, skipped);
        if (heldOut.interval() > 0 && trainer.updates() % heldOut.interval() == 0) {
            summary.setTestAccuracy(evaluate());
        }
        List<Alert> transitions = diagnosis.observe(summary);
        summary.setAlerts(diagnosis.activeRules());
        trainer.window().reset();
        windowOpen = false;
        return new Result(outcome, summary, transitions);
    }
}
